"""The API of movement 1: the same gate as the pages (404 for strangers, 403 for an
ally waiting for approval, read-only when closed), the same selectors, the same use
cases with their trail entries and 409s."""

import json
from types import SimpleNamespace

import pytest
from django.db import connection
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from alliance.alliances import services
from alliance.alliances.models import Alliance, Role, Statement, StatementKind, VoteValue
from alliance.api.auth import Caller
from alliance.api.gates import alliance_for
from alliance.api.problems import ApiProblem
from alliance.audit.models import Action, AuditEntry
from alliance.interop.models import DuiConsent
from tests.factories import (
    UserFactory,
    make_alliance_trio,
    make_common_ground,
    make_signable_charter,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def trio():
    return make_alliance_trio()


def _url(name, **kwargs):
    return reverse(f"api:{name}", kwargs=kwargs)


def _post(client, url, data, headers, method="post"):
    return getattr(client, method)(
        url, data=json.dumps(data), content_type="application/json", **headers
    )


def _entries(action, since):
    return list(AuditEntry.objects.filter(action=action, pk__gt=since).order_by("pk"))


def _last_entry():
    last = AuditEntry.objects.order_by("-pk").first()
    return last.pk if last else 0


# ---------------------------------------------------------------- the gate


def test_a_stranger_gets_404_and_the_same_for_an_alliance_that_does_not_exist(
    client, trio, token_for
):
    stranger = token_for(UserFactory(professional=True, organisation=trio.alliance.organisation))
    for alliance_id in (trio.alliance.pk, 999_999):
        response = client.get(_url("alliance_detail", alliance_id=alliance_id), **stranger)
        assert response.status_code == 404
        assert response.json()["type"].endswith("/not-found")
    # Past any database id: bad input, never a 500 from the database.
    response = client.get(_url("alliance_detail", alliance_id=10**20), **stranger)
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "path.alliance_id"


def test_an_ally_waiting_for_approval_sees_nothing(client, trio, token_for):
    waiting = services.invite_ally(
        inviter=trio.parent, display_name="Lou Martin", role=Role.RELATIVE
    )
    services.accept_invitation(ally=waiting)
    headers = token_for(waiting.user)
    for name in ("alliance_detail", "statement_list", "ally_list", "charter_list"):
        response = client.get(_url(name, alliance_id=trio.alliance.pk), **headers)
        assert response.status_code == 403, name
        assert response.json()["type"].endswith("/awaiting-approval")
    # Listed among their alliances, as on their home page, and nothing more.
    listed = client.get(_url("alliance_list"), **headers).json()
    assert listed["items"] == [
        {
            "id": trio.alliance.pk,
            "title": trio.alliance.title,
            "closed": False,
            "my_role": "relative",
            "my_status": "awaiting_approval",
        }
    ]


def test_a_read_is_written_to_the_trail_with_the_route_it_came_through(client, trio, token_for):
    since = _last_entry()
    client.get(_url("statement_list", alliance_id=trio.alliance.pk), **token_for(trio.person.user))
    [entry] = _entries(Action.ALLIANCE_VIEWED, since)
    assert (entry.actor_id, entry.alliance_id) == (trio.person.user_id, trio.alliance.pk)
    assert entry.detail == {"page": "api:statement_list"}


def test_nothing_found_inside_the_alliance_is_no_read(client, trio, token_for):
    headers = token_for(trio.person.user)
    since = _last_entry()
    url = _url("statement_detail", alliance_id=trio.alliance.pk, statement_id=999_999)
    assert client.get(url, **headers).status_code == 404
    url = _url("charter_detail", alliance_id=trio.alliance.pk, charter_number=9)
    assert client.get(url, **headers).status_code == 404
    assert not _entries(Action.ALLIANCE_VIEWED, since)
    url = _url("charter_detail", alliance_id=trio.alliance.pk, charter_number=1)
    assert client.get(url, **headers).status_code == 200
    [entry] = _entries(Action.ALLIANCE_VIEWED, since)
    assert entry.detail == {"page": "api:charter_detail"}


def _client_call(alliance, organisation, scope="read"):
    software = SimpleNamespace(
        pk=7,
        organisation=organisation,
        organisation_id=organisation.pk,
        display_name="Logiciel DUI «Arpège»",
    )
    request = RequestFactory().get("/api/v1/alliances")
    request.auth = Caller(scope=scope, client=software)
    request.resolver_match = SimpleNamespace(view_name="api:alliance_detail")
    return request


def test_a_dui_client_reads_only_consented_alliances_of_its_organisation_and_is_named(trio):
    organisation = trio.alliance.organisation
    request = _client_call(trio.alliance, organisation)
    with pytest.raises(Exception) as refused:
        alliance_for(request, trio.alliance.pk)
    assert type(refused.value).__name__ == "Http404"

    DuiConsent.objects.create(alliance=trio.alliance, given_by=trio.person)
    since = _last_entry()
    alliance, ally = alliance_for(request, trio.alliance.pk)
    assert (alliance, ally) == (trio.alliance, None)
    [entry] = _entries(Action.ALLIANCE_VIEWED, since)
    assert entry.actor_id is None and entry.actor_label == "Logiciel DUI «Arpège»"
    assert entry.detail == {"page": "api:alliance_detail"}

    other = UserFactory(professional=True).organisation
    with pytest.raises(Exception) as elsewhere:
        alliance_for(_client_call(trio.alliance, other), trio.alliance.pk)
    assert type(elsewhere.value).__name__ == "Http404"

    with pytest.raises(ApiProblem) as writing:
        alliance_for(
            _client_call(trio.alliance, organisation, "write"), trio.alliance.pk, write=True
        )
    assert writing.value.status == 403

    consent = trio.alliance.dui_consents.get()
    consent.withdrawn_at, consent.withdrawn_by = timezone.now(), trio.person
    consent.save()
    with pytest.raises(Exception) as withdrawn:
        alliance_for(request, trio.alliance.pk)
    assert type(withdrawn.value).__name__ == "Http404"


# ---------------------------------------------------------------- reads


def test_the_list_shows_my_alliances_only_paginated(client, trio, token_for):
    other = make_alliance_trio(title="Une autre")
    headers = token_for(trio.person.user)
    body = client.get(_url("alliance_list"), **headers).json()
    assert body["count"] == 1
    assert [item["id"] for item in body["items"]] == [trio.alliance.pk]
    assert body["items"][0]["my_role"] == "person"
    assert other.alliance.pk not in [i["id"] for i in body["items"]]
    assert client.get(_url("alliance_list") + "?page=2", **headers).json()["items"] == []


def test_the_overview_counts_where_statements_stand(client, trio, token_for):
    make_common_ground(trio)
    split = services.write_statement(ally=trio.person, kind=StatementKind.GOAL, text="Nager.")
    services.cast_vote(ally=trio.parent, statement=split, value=VoteValue.AGREE)
    services.cast_vote(ally=trio.professional, statement=split, value=VoteValue.DISAGREE)
    body = client.get(
        _url("alliance_detail", alliance_id=trio.alliance.pk), **token_for(trio.parent.user)
    ).json()
    assert body["title"] == trio.alliance.title
    assert body["me"] == {
        "ally_id": trio.parent.pk,
        "name": "Nadia Martin",
        "role": "representative",
    }
    assert body["standings"] == {"common_ground": 1, "divergences": 1, "open": 0, "to_vote": 0}
    assert body["charter"]["number"] == 1 and body["charter"]["status"] == "draft"


def test_allies_are_shown_as_the_pages_show_them_without_contact_details(client, trio, token_for):
    body = client.get(
        _url("ally_list", alliance_id=trio.alliance.pk), **token_for(trio.person.user)
    ).json()
    assert [a["name"] for a in body] == ["Inès Morel", "Léo Martin", "Nadia Martin"]
    parent = next(a for a in body if a["role"] == "representative")
    assert parent["mandate"]["kind"] == "parent" and parent["status"] == "active"
    text = json.dumps(body)
    for ally in trio.allies:
        assert ally.user.email not in text


def test_statements_show_my_vote_and_who_voted_what_and_withdrawn_ones_are_gone(
    client, trio, token_for
):
    statement = make_common_ground(trio)
    gone = services.write_statement(ally=trio.parent, kind=StatementKind.CONCERN, text="Retiré.")
    services.withdraw_statement(ally=trio.parent, statement=gone)
    body = client.get(
        _url("statement_list", alliance_id=trio.alliance.pk), **token_for(trio.parent.user)
    ).json()
    assert [s["id"] for s in body] == [statement.pk]
    [card] = body
    assert card["standing"] == "common_ground" and card["my_vote"] == "agree"
    # The author agrees with their own words, as the cards show.
    assert {p["name"] for p in card["voters"]["agree"]} == {
        "Léo Martin",
        "Nadia Martin",
        "Inès Morel",
    }
    one = client.get(
        _url("statement_detail", alliance_id=trio.alliance.pk, statement_id=gone.pk),
        **token_for(trio.parent.user),
    )
    assert one.status_code == 404


# ---------------------------------------------------------------- writes


def test_a_read_token_cannot_write(client, trio, token_for):
    response = _post(
        client,
        _url("statement_create", alliance_id=trio.alliance.pk),
        {"kind": "goal", "text": "Lire."},
        token_for(trio.person.user, "read"),
    )
    assert response.status_code == 403
    assert response.json()["type"].endswith("/insufficient-scope")
    assert not Statement.objects.filter(text="Lire.").exists()


def test_writing_changing_and_withdrawing_a_statement_leave_the_pages_entries(
    client, trio, token_for
):
    headers = token_for(trio.person.user, "write")
    since = _last_entry()
    created = _post(
        client,
        _url("statement_create", alliance_id=trio.alliance.pk),
        {"kind": "goal", "text": "  Aller au club de foot. "},
        headers,
    )
    assert created.status_code == 201
    body = created.json()
    assert body["text"] == "Aller au club de foot." and body["version"] == 1
    assert body["author"]["ally_id"] == trio.person.pk and body["standing"] == "open"
    [written] = _entries(Action.STATEMENT_WRITTEN, since)
    assert (written.actor_id, written.target_id, written.alliance_id) == (
        trio.person.user_id,
        body["id"],
        trio.alliance.pk,
    )
    # A saved write is in the trail by its own entry, not as a read (as on the pages).
    assert not _entries(Action.ALLIANCE_VIEWED, since)

    url = _url("statement_change", alliance_id=trio.alliance.pk, statement_id=body["id"])
    changed = _post(client, url, {"kind": "goal", "text": "Le foot.", "version": 1}, headers, "put")
    assert changed.status_code == 200 and changed.json()["version"] == 2
    [entry] = _entries(Action.STATEMENT_CHANGED, since)
    assert entry.detail == {"version": 2}

    stale = _post(client, url, {"kind": "goal", "text": "Le judo.", "version": 1}, headers, "put")
    assert stale.status_code == 409
    assert stale.json()["type"].endswith("/conflict")
    assert Statement.objects.get(pk=body["id"]).text == "Le foot."

    withdrawn = client.post(
        _url("statement_withdraw", alliance_id=trio.alliance.pk, statement_id=body["id"]),
        **headers,
    )
    assert withdrawn.status_code == 200 and withdrawn.json()["withdrawn_at"]
    assert _entries(Action.STATEMENT_WITHDRAWN, since)


def test_only_the_author_changes_their_words(client, trio, token_for):
    statement = services.write_statement(ally=trio.person, kind=StatementKind.GOAL, text="Mien.")
    response = _post(
        client,
        _url("statement_change", alliance_id=trio.alliance.pk, statement_id=statement.pk),
        {"kind": "goal", "text": "Pas à toi.", "version": 1},
        token_for(trio.professional.user, "write"),
        "put",
    )
    assert response.status_code == 403
    statement.refresh_from_db()
    assert statement.text == "Mien."


@pytest.mark.parametrize(
    ("payload", "fields"),
    [
        ({"kind": "goal"}, {"body.payload.text"}),
        ({"kind": "goal", "text": 3}, {"body.payload.text"}),
        # What the pages' forms refuse too: a NUL character, an id past any database id.
        ({"kind": "goal", "text": "a\x00b"}, {"body.payload.text"}),
        ({"kind": "goal", "text": "x", "supported_by": 10**20}, {"body.payload.supported_by"}),
    ],
)
def test_malformed_input_names_the_fields_and_changes_nothing(
    client, trio, token_for, payload, fields
):
    response = _post(
        client,
        _url("statement_create", alliance_id=trio.alliance.pk),
        payload,
        token_for(trio.person.user, "write"),
    )
    assert response.status_code == 422
    assert {e["field"] for e in response.json()["errors"]} == fields
    assert not Statement.objects.filter(kind="goal").exists()


def test_a_refused_use_case_answers_422_in_the_callers_language(client, trio, token_for):
    url = _url("statement_create", alliance_id=trio.alliance.pk)
    headers = token_for(trio.person.user, "write")
    french = _post(client, url, {"kind": "wish", "text": " "}, headers).json()
    english = _post(
        client, url, {"kind": "wish", "text": " "}, {**headers, "HTTP_ACCEPT_LANGUAGE": "en"}
    ).json()
    assert french["status"] == english["status"] == 422
    assert {e["field"] for e in english["errors"]} == {"kind", "text"}
    assert "Write your statement in your own words." in english["detail"]
    assert "Write your statement in your own words." not in french["detail"]
    assert not Statement.objects.filter(kind="wish").exists()


def test_a_vote_is_the_pages_vote(client, trio, token_for):
    statement = services.write_statement(ally=trio.person, kind=StatementKind.GOAL, text="Nager.")
    since = _last_entry()
    response = _post(
        client,
        _url("statement_vote", alliance_id=trio.alliance.pk, statement_id=statement.pk),
        {"value": "agree"},
        token_for(trio.parent.user, "write"),
        "put",
    )
    assert response.status_code == 200
    assert response.json() == {"statement_id": statement.pk, "value": "agree", "standing": "open"}
    [entry] = _entries(Action.VOTE_GIVEN, since)
    assert entry.detail == {"value": "agree"} and entry.actor_id == trio.parent.user_id


def test_a_closed_alliance_refuses_writes_and_still_reads(client, trio, token_for):
    Alliance.objects.filter(pk=trio.alliance.pk).update(closed_at=timezone.now())
    headers = token_for(trio.person.user, "write")
    response = _post(
        client,
        _url("statement_create", alliance_id=trio.alliance.pk),
        {"kind": "goal", "text": "Encore."},
        headers,
    )
    assert response.status_code == 403
    assert not Statement.objects.filter(text="Encore.").exists()
    assert (
        client.get(_url("statement_list", alliance_id=trio.alliance.pk), **headers).status_code
        == 200
    )


# ---------------------------------------------------------------- the charter


def test_signing_the_current_charter_for_myself_and_for_the_person(client, trio, token_for):
    charter = make_signable_charter(trio)
    url = _url("charter_sign", alliance_id=trio.alliance.pk, charter_number=charter.number)
    headers = token_for(trio.parent.user, "write")
    since = _last_entry()
    stale = _post(client, url, {"revision": charter.revision - 1}, headers)
    assert stale.status_code == 409
    mine = _post(client, url, {"revision": charter.revision}, headers)
    assert mine.status_code == 201
    assert mine.json()["on_behalf"] is False
    for_person = _post(
        client, url, {"revision": charter.revision, "signee": trio.person.pk}, headers
    )
    assert for_person.status_code == 201
    body = for_person.json()
    assert body["on_behalf"] is True
    assert (body["ally"]["name"], body["signed_by"]["name"]) == ("Léo Martin", "Nadia Martin")
    entries = _entries(Action.CHARTER_SIGNED, since)
    assert [e.detail for e in entries] == [
        {"number": 1, "for_ally": trio.parent.pk},
        {"number": 1, "for_ally": trio.person.pk},
    ]
    again = _post(client, url, {"revision": charter.revision}, headers)
    assert again.status_code == 422

    listed = client.get(
        _url("charter_list", alliance_id=trio.alliance.pk), **token_for(trio.person.user)
    ).json()
    assert [(s["ally"]["name"], s["signed_by"]["name"]) for s in listed[0]["signatures"]] == [
        ("Nadia Martin", "Nadia Martin"),
        ("Léo Martin", "Nadia Martin"),
    ]
    detail = client.get(
        _url("charter_detail", alliance_id=trio.alliance.pk, charter_number=1),
        **token_for(trio.person.user),
    ).json()
    assert detail["current"] is True and detail["status"] == "signing"
    assert [c["ally"]["name"] for c in detail["commitments"]] == [
        "Inès Morel",
        "Nadia Martin",
        "Léo Martin",
    ]
    assert [i["text"] for i in detail["interests"]] == ["Que Léo se sente bien à l'école."]


def test_an_unknown_charter_version_is_404(client, trio, token_for):
    response = client.get(
        _url("charter_detail", alliance_id=trio.alliance.pk, charter_number=9),
        **token_for(trio.person.user),
    )
    assert response.status_code == 404


# ---------------------------------------------------------------- constant query counts


def _grow(trio, n):
    for i in range(n):
        statement = services.write_statement(
            ally=trio.person, kind=StatementKind.GOAL, text=f"But {i}."
        )
        for ally in (trio.parent, trio.professional):
            services.cast_vote(ally=ally, statement=statement, value=VoteValue.UNSURE)


@pytest.mark.parametrize(
    ("name", "ceiling"),
    [
        # The token's look-up and its first use (2); the page and the count.
        ("alliance_list", 4),
        # The token (2), the gate and its trail entry (2), then the selectors.
        ("alliance_detail", 10),
        ("statement_list", 7),
        ("ally_list", 5),
        ("charter_list", 6),
    ],
)
def test_reads_cost_the_same_whatever_the_size(client, token_for, name, ceiling):
    small, large = make_alliance_trio(title="Petite"), make_alliance_trio(title="Grande")
    _grow(small, 1)
    _grow(large, 6)
    counts = []
    for trio in (small, large):
        kwargs = {} if name == "alliance_list" else {"alliance_id": trio.alliance.pk}
        headers = token_for(trio.person.user)
        with CaptureQueriesContext(connection) as queries:
            assert client.get(_url(name, **kwargs), **headers).status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1] <= ceiling, counts


@pytest.fixture
def as_software(software_for):
    """Calls as an organisation's DUI software, through its client credentials."""
    return software_for


def test_a_dui_client_lists_and_reads_consented_alliances_only(client, trio, as_software):
    make_common_ground(trio)
    other = make_alliance_trio(title="Sans accord")
    headers = as_software(trio.alliance.organisation)
    assert client.get(_url("alliance_list"), **headers).json() == {"items": [], "count": 0}
    DuiConsent.objects.create(alliance=trio.alliance, given_by=trio.person)
    listed = client.get(_url("alliance_list"), **headers).json()
    assert [(i["id"], i["my_role"]) for i in listed["items"]] == [(trio.alliance.pk, None)]
    detail = client.get(_url("alliance_detail", alliance_id=trio.alliance.pk), **headers).json()
    assert detail["me"] is None and detail["standings"]["common_ground"] == 1
    [card] = client.get(_url("statement_list", alliance_id=trio.alliance.pk), **headers).json()
    assert card["my_vote"] is None and card["standing"] == "common_ground"
    assert (
        client.get(_url("alliance_detail", alliance_id=other.alliance.pk), **headers).status_code
        == 404
    )
    refused = _post(
        client,
        _url("statement_create", alliance_id=trio.alliance.pk),
        {"kind": "goal", "text": "Écrit par un logiciel."},
        headers,
    )
    assert refused.status_code == 403
    assert not Statement.objects.filter(text="Écrit par un logiciel.").exists()


def test_every_route_here_is_described_with_a_summary(client):
    schema = client.get("/api/v1/openapi.json").json()
    operations = [
        operation
        for path, item in schema["paths"].items()
        if path.startswith("/api/v1/alliances")
        for operation in item.values()
    ]
    assert len(operations) == 25
    assert all(operation.get("summary") for operation in operations)


def test_imported_words_say_where_they_come_from_and_who_wrote_them_there(client, trio, token_for):
    imported = services.write_statement(
        ally=trio.professional, kind=StatementKind.GOAL, text="Aller à l'école du quartier."
    )
    Statement.objects.filter(pk=imported.pk).update(
        source="dui",
        source_label="Dossier Arpège",
        source_author="Mme L., éducatrice",
        source_from_person=True,
    )
    own = services.write_statement(ally=trio.person, kind=StatementKind.INTEREST, text="Jouer.")
    url = _url("statement_list", alliance_id=trio.alliance.pk)
    shown = {s["id"]: s["imported"] for s in client.get(url, **token_for(trio.person.user)).json()}
    assert shown[imported.pk] == {
        "label": "Dossier Arpège",
        "author": "Mme L., éducatrice",
        "from_person": True,
    }
    assert shown[own.pk] is None
