"""Every route of the API against every role (issue 13, ADR 0029): anonymous, a
stranger, the person, a professional ally, the representative, the organisation's
administrator (not an ally), a decision maker, the organisation's DUI software with
and without the alliance's consent, another organisation's software, and a READ
token on every route that writes.

The routes are found in the API itself, with their method and path; their path
parameters are filled by name from the permission matrix's scene. What each role
gets follows from rules by the kind of route (an alliance's, the list of alliances,
a collective's, a report's, a proposal's, a person's own, public), with an explicit
exception for a route that differs. Each write sends a valid body (BODIES), so that
what answers is the gate or the use case, never the body's validation. A route that
no rule places fails `test_every_route_is_placed`: its author says who may call it,
here."""

import json
import re

import pytest
from django.db import transaction
from django.test import Client
from django.urls import reverse

from alliance.accounts.api_clients import grant_client_token, make_api_client
from alliance.accounts.api_tokens import make_personal_token
from alliance.api.main import api
from alliance.interop.models import DuiConsent
from tests.factories import UserFactory
from tests.www.conftest import _module_scene, scene  # noqa: F401 (the matrix's scene)
from tests.www.scene import _proposal_answer as proposal_answer_of
from tests.www.scene import (
    acting_objects,
    api_url_names,
    collective_objects,
    proposal_objects,
    report_of,
    report_request_of,
    review_of,
)

pytestmark = pytest.mark.django_db

ANONYMOUS = "anonymous"
ALLIES = ("person", "professional_ally", "representative")
OUTSIDERS = ("stranger", "org_admin", "decision_maker")
USERS = (*ALLIES, *OUTSIDERS)
CLIENT, NO_CONSENT, ELSEWHERE = "client", "client_without_consent", "client_elsewhere"
CLIENTS = (CLIENT, NO_CONSENT, ELSEWHERE)
READ_TOKEN = "read_token"  # the person's, read only
ROLES = (ANONYMOUS, *USERS, *CLIENTS, READ_TOKEN)

# The scene's user for each role of a user.
SCENE_ROLE = {"stranger": "other_org_professional", READ_TOKEN: "person"}

# A write that passed the gate: done, or refused for what was sent (BODIES, valid in
# shape; the use case may still refuse it, e.g. a stale version or a step not allowed).
PASSED = frozenset({200, 201, 204, 400, 409, 422})
OK = frozenset({200})
READS = ("GET", "HEAD")


def _of(status):
    return frozenset(status) if isinstance(status, set | frozenset) else frozenset({status})


def rule(default, **overrides):
    """Expected statuses per role: `default` for every role, with exceptions."""
    expected = dict.fromkeys(ROLES, _of(default))
    expected.update({role: _of(status) for role, status in overrides.items()})
    return expected


# ------------------------------------------------------------------ the rules


def public():
    return rule(OK)


def users_only(method):
    """A person's own routes: any user, never a DUI software (user-only, 403)."""
    if method in READS:
        return rule(OK, anonymous=401, **dict.fromkeys(CLIENTS, 403))
    return rule(PASSED, anonymous=401, read_token=403, **dict.fromkeys(CLIENTS, 403))


def alliance_route(method):
    """The alliance's allies read and write it; nobody outside learns it exists (404);
    its organisation's software reads it once the person consented, and never
    writes (403, read-only)."""
    if method in READS:
        return rule(404, anonymous=401, client=OK, read_token=OK, **dict.fromkeys(ALLIES, OK))
    return rule(
        404,
        anonymous=401,
        read_token=403,
        **dict.fromkeys(CLIENTS, 403),
        **dict.fromkeys(ALLIES, PASSED),
    )


def collective_route(method):
    """A collective's members (the scene's allies) only; a software has no collective."""
    if method in READS:
        return rule(
            404,
            anonymous=401,
            read_token=OK,
            **dict.fromkeys(ALLIES, OK),
            **dict.fromkeys(CLIENTS, 403),
        )
    return rule(
        404,
        anonymous=401,
        read_token=403,
        **dict.fromkeys(CLIENTS, 403),
        **dict.fromkeys(ALLIES, PASSED),
    )


def report_route(method):
    """A report (alliance/reports/access.py, as the pages): the professionals of its
    organisation (the professional ally, the administrator) and the decision makers it
    was published to read it; nobody else finds it (404), and a software has none.
    No write on a report has a rule yet: one stays unplaced until its author says."""
    if method not in READS:
        return None
    return rule(
        404,
        anonymous=401,
        **dict.fromkeys(CLIENTS, 403),
        **dict.fromkeys(("professional_ally", "org_admin", "decision_maker"), OK),
    )


def proposal_route(method):
    """A proposal: the members of its collective (the scene's allies: the person and
    the representative, the professional facilitates) and the decision maker it was
    sent to read it; only that decision maker answers it. Nobody else finds it."""
    if method in READS:
        return rule(
            404,
            anonymous=401,
            read_token=OK,
            decision_maker=OK,
            **dict.fromkeys(ALLIES, OK),
            **dict.fromkeys(CLIENTS, 403),
        )
    return rule(
        404, anonymous=401, read_token=403, decision_maker=PASSED, **dict.fromkeys(CLIENTS, 403)
    )


def reaction_route(method):
    """A member's reaction to an answer of a proposal (ADR 0038): the collective's
    members (the scene's allies, the facilitator included) react, and read their own
    reaction back (PREPARED has each of them react first); the decision maker who
    answered does not judge their own answer, and finds no collective (404)."""
    if method in READS:
        return rule(
            404,
            anonymous=401,
            read_token=OK,
            **dict.fromkeys(CLIENTS, 403),
            **dict.fromkeys(ALLIES, OK),
        )
    return rule(
        404,
        anonymous=401,
        read_token=403,
        **dict.fromkeys(CLIENTS, 403),
        **dict.fromkeys(ALLIES, PASSED),
    )


def report_request_route(method):
    """A decision maker's request for a report (ADR 0037): the decision maker who
    asked reads it, the administrators of the organisations asked read it and answer
    it; nobody else finds it (404), and a software has none."""
    if method in READS:
        return rule(
            404,
            anonymous=401,
            decision_maker=OK,
            org_admin=OK,
            **dict.fromkeys(CLIENTS, 403),
        )
    return rule(404, anonymous=401, read_token=403, org_admin=PASSED, **dict.fromkeys(CLIENTS, 403))


PUBLIC = {"api:api-root", "api:openapi-json"}

# Routes that differ from their kind's rule, and why.
EXCEPTIONS = {
    # The token endpoint authenticates the software itself (tests/api/test_oauth.py):
    # an empty form is an OAuth invalid_request for everyone, whatever bearer it sends.
    "api:oauth_token": rule(400),
    # The token filled in is the person's: nobody else finds it.
    "api:token_revoke": rule(
        404,
        anonymous=401,
        person=204,
        read_token=403,
        **dict.fromkeys(CLIENTS, 403),
    ),
    # Who the token acts as: a software may ask too.
    "api:who_am_i": rule(OK, anonymous=401),
    # The bulk export is the organisation's DUI software's alone (an administrator never
    # reads its alliances, DESIGN §2): users are told so (403). Every software gets its
    # own organisation's consented alliances, none for a software without any
    # (test_the_bulk_export_holds_only_consented_alliances).
    "api:fhir_organisation_export": rule(403, anonymous=401, **dict.fromkeys(CLIENTS, OK)),
    # A user exports only once the person agreed to share with the DUI (D's rule): the
    # scene has no consent, so every ally is refused (403 dui-consent-missing), as the
    # read token; test_the_bundle_is_exported_once_the_person_agreed gives the consent.
    "api:fhir_alliance_bundle": {
        **alliance_route("GET"),
        **dict.fromkeys((*ALLIES, READ_TOKEN), _of(403)),
    },
    # Only the author (the person wrote the scene's statement and journal entry)
    # changes or withdraws their words: the other allies see them and are refused (403).
    **{
        name: {
            **alliance_route(method),
            **dict.fromkeys(("professional_ally", "representative"), _of(403)),
        }
        for name, method in (
            ("api:statement_withdraw", "POST"),
            ("api:statement_change", "PUT"),
            ("api:journal_revise", "PUT"),
        )
    },
    # A decision maker asks for a report; the use case refuses everyone else (403),
    # as the page does, whose link they never see.
    "api:report_request_create": rule(
        403, anonymous=401, decision_maker=PASSED, **dict.fromkeys(CLIENTS, 403)
    ),
    # Only the decision maker who asked closes a request (the scene's answer day is
    # ahead: 422); the administrator asked answers it but does not find it to close.
    "api:report_request_close": {
        **report_request_route("POST"),
        "org_admin": _of(404),
        "decision_maker": PASSED,
    },
    # Only facilitators export results (PREPARED computes some): the other members are
    # refused (403).
    "api:consultation_results_export": {
        **collective_route("GET"),
        **dict.fromkeys(("person", "representative", READ_TOKEN), _of(403)),
    },
}


def alliance_list(method):
    """The alliances a caller may read, each caller its own: a list for every token
    (a software's lists only its consented alliances)."""
    if method in READS:
        return rule(OK, anonymous=401)
    return users_only(method)


# The routes of a person's own account and of their collectives, without an id: the
# user-only rule. A route elsewhere without a rule of its own stays unplaced.
USERS_ONLY_PREFIXES = (
    "/api/v1/tokens",
    "/api/v1/collectives",
    "/api/v1/reports",
    "/api/v1/proposals",
    "/api/v1/report-requests",
)


def place(name, method, params, path):
    """The expected statuses of a route by its kind, or None when no rule places it."""
    if name in EXCEPTIONS:
        return EXCEPTIONS[name]
    if name in PUBLIC:
        return public()
    if "alliance_id" in params:
        return alliance_route(method)
    if "collective_id" in params or "consultation_id" in params:
        return collective_route(method)
    if params == {"report_id"}:
        return report_route(method)
    if params in ({"proposal_id"}, {"proposal_id", "request_id"}):
        return proposal_route(method)
    if params == {"proposal_id", "answer_id"}:
        return reaction_route(method)
    if params == {"report_request_id"}:
        return report_request_route(method)
    if path == "/api/v1/alliances":
        return alliance_list(method)
    if path.startswith(USERS_ONLY_PREFIXES) and params <= {"token_id"}:
        return users_only(method)
    return None


# ------------------------------------------------------------------ the routes

PARAM = re.compile(r"\{(?:\w+:)?(\w+)\}")


def routes():
    """api:<name> -> (HTTP method, path parameters, path), from the API's own routers."""
    found = {name: ("GET", frozenset(), "/api/v1/") for name in PUBLIC}
    for bound in api._get_bound_routers():
        for path, path_view in bound.path_operations.items():
            for operation in path_view.operations:
                name = getattr(operation, "url_name", None) or api.get_operation_url_name(
                    operation, router=bound.template
                )
                full = "/api/v1" + (bound.prefix + path).rstrip("/")
                params = frozenset(PARAM.findall(full))
                for method in operation.methods:
                    found[f"api:{name}"] = (method, params, full)
    return found


ROUTES = routes()


# Each path parameter, by its name (shared_contract.md), from the scene.
def _fill(the_scene, callers, params):
    return {
        "alliance_id": lambda: the_scene.alliance.pk,
        "ally_id": lambda: the_scene.allies["person"].pk,
        # A consultation's statement is its seed; elsewhere, the alliance's statement.
        "statement_id": lambda: (
            collective_objects(the_scene).seed.pk
            if "consultation_id" in params
            else the_scene.statement.pk
        ),
        "charter_number": lambda: the_scene.charter.number,
        "option_id": lambda: acting_objects(the_scene).option.pk,
        "action_id": lambda: acting_objects(the_scene).action.pk,
        "entry_id": lambda: acting_objects(the_scene).entry.pk,
        "indicator_key": lambda: acting_objects(the_scene).indicator.key,
        "review_id": lambda: review_of(the_scene).pk,
        "collective_id": lambda: collective_objects(the_scene).collective.pk,
        "consultation_id": lambda: collective_objects(the_scene).consultation.pk,
        "report_id": lambda: report_of(the_scene).pk,
        "proposal_id": lambda: proposal_objects(the_scene).proposal.pk,
        "request_id": lambda: proposal_objects(the_scene).proposal.requests.get().pk,
        "answer_id": lambda: proposal_answer_of(the_scene)["answer_id"],
        "report_request_id": lambda: report_request_of(the_scene).pk,
        "token_id": lambda: callers["person_token"].pk,
        "client_id": lambda: callers["client_row"].client_id,
    }


def _callers(the_scene, role):
    """The bearer header of `role`, and the credentials the parameters name."""
    person = the_scene.user("person")
    person_token, _raw = make_personal_token(user=person, name="DUI", scope="read", days=5)
    organisation = the_scene.alliance.organisation
    admin = the_scene.user("org_admin")
    client_row, _secret = make_api_client(admin=admin, name="DUI de l'organisation")
    callers = {"person_token": person_token, "client_row": client_row}
    if role == ANONYMOUS:
        callers["headers"] = {}
        return callers
    if role in CLIENTS:
        consented = the_scene.alliance.dui_consents.filter(withdrawn_at__isnull=True).exists()
        if role != NO_CONSENT and not consented:
            DuiConsent.objects.create(
                alliance=the_scene.alliance, given_by=the_scene.allies["representative"]
            )
        if role == ELSEWHERE:
            client_row, _secret = make_api_client(
                admin=UserFactory(org_admin=True), name="DUI d'ailleurs"
            )
        assert (client_row.organisation == organisation) == (role != ELSEWHERE)
        raw, _lifetime = grant_client_token(client=client_row)
    else:
        user = the_scene.user(SCENE_ROLE.get(role, role))
        scope = "read" if role == READ_TOKEN else "write"
        _row, raw = make_personal_token(user=user, name="matrix", scope=scope, days=5)
    callers["headers"] = {"HTTP_AUTHORIZATION": f"Bearer {raw}"}
    return callers


def _fresh(row):
    row.refresh_from_db()
    return row


# A valid body for each write that reads one, so that what answers is the gate (an
# outsider's 404, a software's or a read token's 403) or the use case, never the
# body's validation. Versions are the current ones: an ally's write goes through.
BODIES = {
    "api:statement_create": lambda the_scene: {"kind": "interest", "text": "Faire du vélo."},
    "api:statement_change": lambda the_scene: {
        "kind": "interest",
        "text": "Aller à l'école du quartier, à pied.",
        "version": _fresh(the_scene.statement).version,
    },
    "api:statement_vote": lambda the_scene: {"value": "agree"},
    "api:charter_sign": lambda the_scene: {"revision": _fresh(the_scene.charter).revision},
    "api:means_stance": lambda the_scene: {"value": "support", "reason": ""},
    "api:action_join": lambda the_scene: {"role": "J'accompagne"},
    "api:journal_create": lambda the_scene: {"happened": "Une visite de l'école."},
    "api:journal_revise": lambda the_scene: {
        "happened": "Une visite de l'école, avec la maîtresse.",
        "version": _fresh(acting_objects(the_scene).entry).version,
    },
    "api:indicator_reading": lambda the_scene: {"value": 3, "note": ""},
    "api:weather_give": lambda the_scene: {"aim": 3, "way": 3, "heard": 3, "decide": 3},
    "api:consultation_statement_write": lambda the_scene: {"text": "Des trottoirs plus larges."},
    "api:consultation_statement_vote": lambda the_scene: {"value": 1},
    "api:proposal_answer": lambda the_scene: {
        "status": "acknowledged",
        "words": "Bien reçu.",
        "expected_version": _fresh(proposal_objects(the_scene).proposal).version,
    },
    "api:proposal_request_answer": lambda the_scene: {
        "decision": "accepted",
        "words": "Oui, au printemps.",
        "expected_version": proposal_objects(the_scene).proposal.requests.get().version,
    },
    "api:proposal_progress": lambda the_scene: {"status_label": "À l'étude", "percentage": 10},
    "api:proposal_answer_reaction": lambda the_scene: {"satisfied": True, "words": ""},
    "api:report_request_answer": lambda the_scene: {
        "accept": True,
        "expected_version": report_request_of(the_scene).answers.get().version,
    },
    "api:report_request_create": lambda the_scene: {
        "organisation_ids": [the_scene.alliance.organisation_id],
        "period_start": "2025-01-01",
        "period_end": "2025-12-31",
        "purpose": "Préparer le schéma de l'autonomie.",
    },
    "api:report_request_close": lambda the_scene: {
        "expected_version": _fresh(report_request_of(the_scene)).version,
    },
}


def _results_computed(the_scene):
    """Every member votes on the consultation's seed, and the facilitator has the
    results computed: there is something to export."""
    from alliance.collectives import results
    from alliance.collectives import services as collectives

    circle = collective_objects(the_scene)
    for member in circle.members.values():
        collectives.cast_vote(member=member, statement=circle.seed, value=1)
    facilitator = circle.members["professional_ally"]
    results.recompute_now(member=facilitator, consultation=circle.consultation)
    assert results.latest_done(circle.consultation) is not None


def _everyone_reacted(the_scene):
    """Each member of the proposal's collective reacts to the decision maker's answer:
    each has a reaction of their own to read."""
    from alliance.collectives.models import CollectiveMember
    from alliance.reports.models import RequestAnswer
    from alliance.reports.proposals import services as proposals

    answer = RequestAnswer.objects.select_related("request__proposal").get(
        pk=proposal_answer_of(the_scene)["answer_id"]
    )
    collective = proposal_objects(the_scene).collective
    for member in CollectiveMember.objects.filter(collective=collective).select_related("user"):
        proposals.react_to_answer(member=member, answer=answer, satisfied=True)


# What a route needs in the scene beyond what the parameters build, before the call.
PREPARED = {
    "api:consultation_results_export": _results_computed,
    "api:proposal_answer_my_reaction": _everyone_reacted,
}

# The token endpoint reads a form, sent empty on purpose (its exception above).
EMPTY_FORM = {"api:oauth_token"}
ROUTE_PATH_PARAM = re.compile(r"\{\w+:(\w+)\}")


def routes_with_a_body():
    """The routes whose OpenAPI operation has a request body."""
    with_body = {
        (method.upper(), path)
        for path, operations in api.get_openapi_schema()["paths"].items()
        for method, operation in operations.items()
        if "requestBody" in operation
    }
    return {
        name
        for name, (method, _params, path) in ROUTES.items()
        if (method, ROUTE_PATH_PARAM.sub(r"{\1}", path)) in with_body
    }


def _send(client, name, method, url, headers, the_scene):
    if method == "GET":
        return client.get(url, **headers)
    if name in EMPTY_FORM:
        return client.post(url, {}, **headers)
    body = BODIES[name](the_scene) if name in BODIES else None
    if body is None:
        return client.generic(method, url, **headers)
    return client.generic(
        method, url, data=json.dumps(body), content_type="application/json", **headers
    )


# ------------------------------------------------------------------ the tests


def test_the_routes_found_are_the_api_routes():
    assert set(ROUTES) == api_url_names()


def test_every_route_is_placed():
    unplaced = sorted(
        name
        for name, (method, params, path) in ROUTES.items()
        if place(name, method, params, path) is None
    )
    assert not unplaced, (
        "API routes no rule places: give each a rule or an entry in EXCEPTIONS, saying "
        "who may call it:\n" + "\n".join(unplaced)
    )


def test_every_write_with_a_body_sends_a_valid_one():
    with_body = routes_with_a_body()
    assert with_body, "the OpenAPI description names no request body"
    assert set(BODIES) == with_body - EMPTY_FORM


def test_every_exception_is_a_route():
    assert set(EXCEPTIONS) <= set(ROUTES)
    assert set(PREPARED) <= set(ROUTES)


@pytest.mark.parametrize(
    ("method", "path", "expected"),
    [
        ("GET", "/api/v1/alliances/{alliance_id}/allies", "alliance"),
        ("PUT", "/api/v1/alliances/{alliance_id}/statements/{statement_id}", "alliance"),
        ("GET", "/api/v1/fhir/alliances/{alliance_id}", "alliance"),
        ("GET", "/api/v1/collectives/{collective_id}", "collective"),
        ("GET", "/api/v1/alliances", "list"),
        ("POST", "/api/v1/alliances", "users"),
        ("GET", "/api/v1/collectives", "users"),
        ("DELETE", "/api/v1/tokens/{token_id}", "users"),
        ("GET", "/api/v1/reports/{report_id}", "report"),
        ("GET", "/api/v1/reports", "users"),
        ("GET", "/api/v1/proposals/{proposal_id}", "proposal"),
        ("POST", "/api/v1/proposals/{proposal_id}/answer", "proposal"),
        ("POST", "/api/v1/proposals/{proposal_id}/requests/{request_id}/answers", "proposal"),
        ("PUT", "/api/v1/proposals/{proposal_id}/answers/{answer_id}/reaction", "reaction"),
        ("GET", "/api/v1/proposals/{proposal_id}/answers/{answer_id}/reaction", "reaction"),
        ("GET", "/api/v1/report-requests", "users"),
        ("GET", "/api/v1/report-requests/{report_request_id}", "report_request"),
        ("POST", "/api/v1/report-requests/{report_request_id}/answer", "report_request"),
        ("POST", "/api/v1/report-requests/{report_request_id}/close", "report_request"),
        ("POST", "/api/v1/report-requests", "users"),
        ("GET", "/api/v1/fhir/organisations/export.ndjson", None),
        ("GET", "/api/v1/somewhere/{thing_id}", None),
        ("POST", "/api/v1/reports/{report_id}/share", None),
    ],
)
def test_the_rules_place_routes_by_their_path(method, path, expected):
    kinds = {
        "alliance": alliance_route(method),
        "collective": collective_route(method),
        "list": alliance_list(method),
        "users": users_only(method),
        "report": report_route(method),
        "proposal": proposal_route(method),
        "reaction": reaction_route(method),
        "report_request": report_request_route(method),
    }
    placed = place("api:not_a_route", method, frozenset(PARAM.findall(path)), path)
    assert placed == kinds.get(expected)


def test_the_rules_of_an_alliance_keep_it_to_its_allies_and_its_consented_software():
    read, write = alliance_route("GET"), alliance_route("POST")
    assert {role for role, statuses in read.items() if statuses == OK} == {
        *ALLIES,
        CLIENT,
        READ_TOKEN,
    }
    assert {role for role, statuses in write.items() if statuses == PASSED} == set(ALLIES)
    assert all(write[role] == {403} for role in (*CLIENTS, READ_TOKEN))


CASES = [pytest.param(name, role, id=f"{name}-{role}") for name in sorted(ROUTES) for role in ROLES]


@pytest.mark.parametrize(("name", "role"), CASES)
def test_each_role_gets_what_its_rule_says(name, role, scene):  # noqa: F811 (the fixture)
    method, params, path = ROUTES[name]
    expected = place(name, method, params, path)
    assert expected is not None, f"{name} is not placed (test_every_route_is_placed)"
    callers = _callers(scene, role)
    fill = _fill(scene, callers, params)
    url = reverse(name, kwargs={param: fill[param]() for param in params})
    if name in PREPARED:
        PREPARED[name](scene)
    response = _send(Client(), name, method, url, callers["headers"], scene)
    assert response.status_code in expected[role], (method, url, role, response.content[:300])
    if response.status_code in (401, 403, 404, 429) and "/oauth/" not in url:
        assert response["Content-Type"] == "application/problem+json"
    if role == READ_TOKEN and method not in READS and response.status_code == 403:
        assert response.json()["type"].endswith("/insufficient-scope")


def _get(the_scene, role, url):
    return Client().get(url, **_callers(the_scene, role)["headers"])


def test_the_bundle_is_exported_once_the_person_agreed(scene):  # noqa: F811 (the fixture)
    """The exception above, with the consent given: every ally exports (a professional
    or the person's side), the outsiders still find nothing."""
    DuiConsent.objects.create(alliance=scene.alliance, given_by=scene.allies["representative"])
    url = reverse("api:fhir_alliance_bundle", kwargs={"alliance_id": scene.alliance.pk})
    for role in (*ALLIES, READ_TOKEN):
        response = _get(scene, role, url)
        assert response.status_code == 200, role
        assert response.json()["resourceType"] == "Bundle"
    for role in OUTSIDERS:
        assert _get(scene, role, url).status_code == 404, role


def test_the_bulk_export_holds_only_consented_alliances(scene):  # noqa: F811 (the fixture)
    url = reverse("api:fhir_organisation_export")

    def lines(role):
        response = _get(scene, role, url)
        assert response.status_code == 200, role
        return b"".join(response.streaming_content).decode()

    assert lines(NO_CONSENT) == ""
    exported = lines(CLIENT).splitlines()  # the consent is given from here on
    assert exported
    assert all(json.loads(line)["resourceType"] for line in exported)
    assert lines(ELSEWHERE) == ""


# A list answers 200 to every caller it serves: what differs is what it holds. The
# scene's row, and who finds it in the list.
LIST_READERS = {
    "api:alliance_list": (lambda the_scene: the_scene.alliance.pk, {*ALLIES, CLIENT, READ_TOKEN}),
    "api:report_list": (
        lambda the_scene: report_of(the_scene).pk,
        {"professional_ally", "org_admin", "decision_maker"},
    ),
    "api:proposal_list": (
        lambda the_scene: proposal_objects(the_scene).proposal.pk,
        {"decision_maker"},
    ),
    "api:report_request_list": (
        lambda the_scene: report_request_of(the_scene).pk,
        {"decision_maker", "org_admin"},
    ),
}


@pytest.mark.parametrize("name", sorted(LIST_READERS))
def test_a_list_holds_a_row_only_for_who_may_read_it(name, scene):  # noqa: F811 (the fixture)
    row_of, readers = LIST_READERS[name]
    row = row_of(scene)
    for role in ROLES:
        # Each role on the scene as it was: a software's consent does not outlive it.
        with transaction.atomic():
            response = _get(scene, role, reverse(name))
            transaction.set_rollback(True)
        if response.status_code != 200:  # refused: the matrix checks how
            assert role not in readers, (name, role, response.status_code)
            continue
        body = response.json()
        items = body["items"] if isinstance(body, dict) else body  # a page, or a list
        ids = {item["id"] for item in items}
        assert (row in ids) == (role in readers), (name, role, ids)
