"""Schemathesis over the whole OpenAPI description, against the demo (ADR 0034).

Every operation the description lists (whoever's router added it) is called with
cases generated from its own schema, by several demo personas with read and write
tokens, half of the time aimed at real demo rows (ids found by the path parameters'
names), and every answer is checked: no 5xx, a documented status code and content
type, a body that conforms to the documented schema. The run is bounded (a fixed
number of examples per operation, derandomised so that CI sees the same cases) and
must stay a few minutes on two cores."""

from contextlib import contextmanager
from dataclasses import dataclass

import pytest
import schemathesis
from django.apps import apps
from django.conf import settings as django_settings
from django.contrib.auth.decorators import login_not_required
from django.core import signals
from django.core.handlers.wsgi import WSGIHandler
from django.db import close_old_connections
from django.http import HttpResponse, JsonResponse
from django.test import override_settings
from django.urls import include, path
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from ninja import NinjaAPI, Schema
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    negative_data_rejection,
    response_schema_conformance,
    status_code_conformance,
)

from alliance.accounts.api_tokens import make_personal_token
from alliance.accounts.models import User

DESCRIPTION = "/api/v1/openapi.json"
EXAMPLES = 12  # per operation and per mode
POSITIVE_CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]
# Malformed input must be refused (4xx), never crash the server.
NEGATIVE_CHECKS = [not_a_server_error, negative_data_rejection]

# Who calls: the demo's person, a professional of her alliance, the decision makers
# (reports, and the town hall the neighbourhood's proposal is addressed to) and the
# neighbourhood's facilitator; those who write get a write token too.
CALLERS = [
    ("personne-noe", "read"),
    ("personne-noe", "write"),
    ("pro-helene", "read"),
    ("decideur-claire", "read"),
    ("decideur-claire", "write"),
    ("animatrice-karima", "write"),
    ("decideur-mairie", "write"),
    ("personne-samir", "read"),
    # A member of the neighbourhood reacts to the town hall's answers; the platform's
    # administrator answers the Département's request for a report.
    ("habitante-fatou", "write"),
    ("admin-sophie", "write"),
]


@dataclass(frozen=True)
class Failure:
    operation: str
    message: str

    def __str__(self):
        return f"{self.operation}: {self.message[:1500]}"


def _first(model: str, **filters):
    """The first row's pk of a model, or None (a model another router's author has
    not merged yet is simply absent)."""
    try:
        rows = apps.get_model(model).objects.filter(**filters).order_by("pk")
    except LookupError:
        return None
    return rows.values_list("pk", flat=True).first()


@dataclass
class Scene:
    """Path parameters naming real demo rows, coherent with each other, and who may
    reach them. The names are those of the contract between the routers."""

    ids: dict
    callers: list  # slugs of demo personas

    def __post_init__(self):
        self.ids = {k: v for k, v in self.ids.items() if v is not None}


def demo_scenes() -> dict[str, Scene]:
    from alliance.alliances.models import Ally, Charter, Indicator
    from alliance.collectives.models import Collective, ConsultationStatement

    noe = Ally.objects.select_related("alliance").get(user__demo_persona="personne-noe")
    samir = Ally.objects.get(user__demo_persona="personne-samir", role="person")
    alliance = noe.alliance
    charter = Charter.objects.filter(alliance=alliance).order_by("-number").first()
    indicator = Indicator.objects.filter(charter__alliance=alliance).first()
    collective = Collective.objects.get(kind=Collective.Kind.NEIGHBOURHOOD)
    consultation = collective.consultations.exclude(status="draft").first()
    accepted = consultation.statements.filter(status=ConsultationStatement.Status.ACCEPTED)
    proposal = _first("reports.Proposal", addressee__demo_persona="decideur-mairie")
    return {
        "alliance": Scene(
            {
                "alliance_id": alliance.pk,
                "ally_id": noe.pk,
                "statement_id": _first("alliances.Statement", alliance=alliance),
                "charter_number": charter.number if charter else None,
                "option_id": _first("acting.MeansOption", alliance=alliance),
                "action_id": _first("acting.Action", alliance=alliance),
                "entry_id": _first("acting.JournalEntry", alliance=alliance),
                "indicator_key": str(indicator.key) if indicator else None,
                "review_id": _first("acting.Review", alliance=alliance),
                "token_id": _first("accounts.PersonalAccessToken", user=noe.user),
                "client_id": _first("accounts.ApiClient"),
            },
            ["personne-noe", "pro-helene"],
        ),
        "collective": Scene(
            {
                "collective_id": collective.pk,
                "consultation_id": consultation.pk,
                "statement_id": accepted.values_list("pk", flat=True).first(),
            },
            ["animatrice-karima"],
        ),
        "report": Scene(
            {
                "report_id": _first(
                    "reports.Report", published_to__demo_persona="decideur-claire", status="ready"
                )
            },
            ["decideur-claire"],
        ),
        # The DUI transfer: Samir agreed that his alliance goes to the ESAT's file.
        "dui": Scene(
            {
                "alliance_id": _first(
                    "interop.DuiConsent", alliance=samir.alliance_id, withdrawn_at__isnull=True
                )
                and samir.alliance_id
            },
            ["personne-samir"],
        ),
        # The neighbourhood's proposal, answered by the town hall, its requests and
        # answers, which the members react to.
        "proposal": Scene(
            {
                "proposal_id": proposal,
                "request_id": _first("reports.ProposalRequest", proposal=proposal),
                "answer_id": _first("reports.RequestAnswer", request__proposal=proposal),
            },
            ["decideur-mairie", "habitante-fatou"],
        ),
        # Claire's request for a report, which the platform answered.
        "report_request": Scene(
            {
                "report_request_id": _first(
                    "reports.ReportRequest", requested_by__demo_persona="decideur-claire"
                )
            },
            ["decideur-claire", "admin-sophie"],
        ),
    }


def _path_names(operation) -> set[str]:
    return {p.name for p in operation.path_parameters}


def _scene_for(operation, scenes) -> Scene | None:
    names = _path_names(operation)
    if not names:
        return None
    if "collective_id" in names:
        return scenes.get("collective")
    if operation.path.startswith("/api/v1/fhir/"):
        return scenes.get("dui")
    if names == {"report_id"}:
        return scenes.get("report")
    if "proposal_id" in names:
        return scenes.get("proposal")
    if names == {"report_request_id"}:
        return scenes.get("report_request")
    return scenes.get("alliance")


def _examples(strategy, examples):
    """Hypothesis, bounded and repeatable: the same cases at every run, no shrinking
    (a failure is reported as found), nothing stored between runs."""

    def wrap(test):
        return settings(
            max_examples=examples,
            deadline=None,
            database=None,
            derandomize=True,
            phases=[Phase.explicit, Phase.generate],
            suppress_health_check=list(HealthCheck),
        )(given(pair=strategy)(test))

    return wrap


def _call(app, checks, run, statuses, found, label):
    def call(pair):
        case, caller = pair
        run.calls += 1
        try:
            response = case.call(app=app, headers=caller)
            statuses.add(response.status_code)
            case.validate_response(response, checks=checks, headers=caller)
        # A check's failures come as a FailureGroup (a BaseExceptionGroup).
        except (Exception, BaseExceptionGroup) as error:
            found.append(Failure(label, f"{type(error).__name__}: {error}"))

    return call


@dataclass
class Run:
    failures: list
    statuses: dict  # operation label -> set of status codes answered
    calls: int = 0


def run_operations(
    schema, app, headers: dict, scenes: dict, *, examples=EXAMPLES, negative=True
) -> Run:
    """Runs every operation of `schema` against `app`, as the callers of `headers`
    (slug -> list of header dicts, "" for nobody). Failures are collected, not
    raised, so that one broken route does not hide the others."""
    run = Run(failures=[], statuses={})
    everyone = [h for hs in headers.values() for h in hs]
    modes = [(schemathesis.GenerationMode.POSITIVE, POSITIVE_CHECKS)]
    if negative:
        modes.append((schemathesis.GenerationMode.NEGATIVE, NEGATIVE_CHECKS))
    for result in schema.get_all_operations():
        operation = result.ok()
        scene = _scene_for(operation, scenes)
        statuses = run.statuses.setdefault(operation.label, set())
        for mode, checks in modes:
            strategies = [
                st.tuples(operation.as_strategy(generation_mode=mode), st.sampled_from(everyone))
            ]
            if scene and mode == schemathesis.GenerationMode.POSITIVE:
                fixed = {n: scene.ids[n] for n in _path_names(operation) if n in scene.ids}
                owners = [h for slug in scene.callers for h in headers.get(slug, [])]
                strategies.append(
                    st.tuples(
                        operation.as_strategy(generation_mode=mode, path_parameters=fixed),
                        st.sampled_from(owners),
                    )
                )
            found = []
            _examples(st.one_of(strategies), examples)(
                _call(app, checks, run, statuses, found, operation.label)
            )()
            # One failure per operation and mode is enough to read; the rest repeat it.
            run.failures.extend(found[:1])
    return run


def bearer(raw: str) -> dict:
    return {"Authorization": f"Bearer {raw}"}


# GET operations aimed at demo rows that may answer no 200, and why.
NOT_REACHED: dict[str, str] = {}


@contextmanager
def in_the_tests_transaction():
    """A bare WSGI handler closes the database connection when a request ends (as in
    production); Django's test client does not, and neither may this run: on
    PostgreSQL the connection holds the test's transaction, and the demo in it."""
    hooks = (signals.request_started, signals.request_finished)
    for signal in hooks:
        signal.disconnect(close_old_connections)
    try:
        yield
    finally:
        for signal in hooks:
            signal.connect(close_old_connections)


@pytest.mark.django_db
def test_every_operation_of_the_description_holds_against_the_demo():
    from alliance.demo.loader import load_demo

    load_demo()
    headers = {"": [{}]}  # someone without a token, too
    for slug, scope in CALLERS:
        user = User.objects.get(demo_persona=slug)
        _row, raw = make_personal_token(user=user, name="schemathesis", scope=scope, days=1)
        headers.setdefault(slug, []).append(bearer(raw))
    app = WSGIHandler()
    with in_the_tests_transaction():
        schema = schemathesis.openapi.from_wsgi(DESCRIPTION, app)
        operations = [result.ok() for result in schema.get_all_operations()]
        scenes = demo_scenes()
        run = run_operations(schema, app, headers, scenes)
    # The whole description is walked: every route the project adds is in it.
    assert {"GET /api/v1/me", "GET /api/v1/collectives"} <= {o.label for o in operations}
    assert not run.failures, "\n\n".join(map(str, run.failures))
    assert run.calls >= len(operations) * EXAMPLES
    # The calls reached real rows, not only 404s.
    unreached = {
        o.label
        for o in operations
        if o.method.upper() == "GET"
        and _path_names(o) <= set(getattr(_scene_for(o, scenes), "ids", ()))
        and _path_names(o)
        and 200 not in run.statuses[o.label]
    }
    assert unreached == set(NOT_REACHED), run.statuses


# ---------------------------------------------------------------- the run can fail


class Promised(Schema):
    name: str
    count: int


broken = NinjaAPI(urls_namespace="broken-for-schemathesis", title="Broken", version="0")


@broken.get("/promise", response=Promised, url_name="promise")
def promise(request):
    # The schema says a name and a count; the route answers without the count. Ninja
    # refuses to serialise it (500), so the check catches it either way.
    return {"name": "x"}


@broken.get("/shape", response=Promised, url_name="shape")
def shape(request):
    # A response made by hand escapes ninja's own validation: only the run sees that
    # it is a list where the description promises an object.
    return JsonResponse([1, 2], safe=False)


@broken.get("/text", response=Promised, url_name="text")
def text(request):
    return HttpResponse("name: x", content_type="text/plain")


# Outside the pages' sign-in, as the real API (alliance/api/urls.py).
_patterns, _app_name, _namespace = broken.urls
for _pattern in _patterns:
    _pattern.callback = login_not_required(_pattern.callback)
urlpatterns = [
    path("broken/", include((_patterns, _app_name), namespace=_namespace)),
    # The product's own pages, which the error pages link to.
    path("", include(django_settings.ROOT_URLCONF)),
]


@pytest.mark.django_db
def test_the_same_run_catches_a_route_that_breaks_its_schema():
    app = WSGIHandler()
    with override_settings(ROOT_URLCONF=__name__), in_the_tests_transaction():
        schema = schemathesis.openapi.from_wsgi("/broken/openapi.json", app)
        run = run_operations(schema, app, {"": [{}]}, {}, examples=3, negative=False)
    found = {f.operation: f.message for f in run.failures}
    assert set(found) == {"GET /broken/promise", "GET /broken/shape", "GET /broken/text"}
    assert "Server error" in found["GET /broken/promise"]
    assert "Response violates schema" in found["GET /broken/shape"]
    assert "Undocumented Content-Type" in found["GET /broken/text"]
