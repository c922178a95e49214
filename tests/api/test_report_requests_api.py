"""A decision maker's request for a report by API (ADR 0037): the decision maker reads
their requests with every organisation's answer; an organisation's administrator
reads the requests made to it with its own answer, and answers through the page's
use case (the trail entry, the 409 on a stale version). Nobody else reads or answers."""

import datetime
import json

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from alliance.accounts.api_tokens import make_personal_token, revoke_personal_token
from alliance.accounts.models import PersonalAccessToken
from alliance.audit.models import Action, AuditEntry
from alliance.reports import requests
from alliance.reports.models import ReportRequest, ReportRequestAnswer
from tests.factories import OrganisationFactory, UserFactory

pytestmark = pytest.mark.django_db

START, END = datetime.date(2025, 7, 1), datetime.date(2026, 6, 30)


@pytest.fixture
def world():
    lyon = OrganisationFactory(name="IME de Lyon", territory="69 Rhône")
    villeurbanne = OrganisationFactory(name="SESSAD de Villeurbanne", territory="69 Rhône")
    planner = UserFactory(decision_maker=True, display_name="Service planification")
    asked = requests.ask_for_report(
        user=planner,
        territory="69 Rhône",
        period_start=START,
        period_end=END,
        purpose="Préparer le schéma départemental de l'autonomie.",
    )
    return {
        "asked": asked,
        "planner": planner,
        "lyon": lyon,
        "admin_lyon": UserFactory(org_admin=True, organisation=lyon),
        "admin_villeurbanne": UserFactory(org_admin=True, organisation=villeurbanne),
    }


def _url(name, asked=None):
    kwargs = {"report_request_id": asked.pk} if asked is not None else {}
    return reverse(f"api:{name}", kwargs=kwargs)


def _post(client, url, body, headers):
    return client.post(url, data=json.dumps(body), content_type="application/json", **headers)


def _answer_of(world, admin):
    return ReportRequestAnswer.objects.get(request=world["asked"], organisation=admin.organisation)


def test_the_decision_maker_reads_every_answer_and_an_administrator_only_their_own(
    client, world, token_for
):
    listed = client.get(_url("report_request_list"), **token_for(world["planner"])).json()
    assert [r["id"] for r in listed] == [world["asked"].pk]
    assert {a["organisation"] for a in listed[0]["answers"]} == {
        "IME de Lyon",
        "SESSAD de Villeurbanne",
    }
    headers = token_for(world["admin_lyon"])
    [mine] = client.get(_url("report_request_list"), **headers).json()
    assert [a["organisation"] for a in mine["answers"]] == ["IME de Lyon"]
    assert mine["report_id"] is None and mine["requested_by"] == "Service planification"
    detail = client.get(_url("report_request_detail", world["asked"]), **headers).json()
    assert detail == mine


def test_an_administrator_answers_and_the_trail_says_so(client, world, token_for):
    admin = world["admin_lyon"]
    answer = _answer_of(world, admin)
    since = AuditEntry.objects.order_by("-pk").values_list("pk", flat=True).first()
    response = _post(
        client,
        _url("report_request_answer", world["asked"]),
        {"accept": True, "words": "Avec plaisir.", "expected_version": answer.version},
        token_for(admin, "write"),
    )
    assert response.status_code == 200, response.content
    [given] = response.json()["answers"]
    assert (given["status"], given["words"], given["version"]) == ("accepted", "Avec plaisir.", 2)
    [entry] = AuditEntry.objects.filter(action=Action.REPORT_REQUEST_ANSWERED, pk__gt=since)
    assert entry.actor_id == admin.pk and entry.detail == {"answer": "accepted"}
    assert entry.organisation_id == admin.organisation_id


def test_the_last_answer_settles_the_request(client, world, token_for):
    for admin, accept in ((world["admin_lyon"], True), (world["admin_villeurbanne"], False)):
        response = _post(
            client,
            _url("report_request_answer", world["asked"]),
            {"accept": accept, "expected_version": _answer_of(world, admin).version},
            token_for(admin, "write"),
        )
        assert response.status_code == 200
    assert response.json()["status"] == "answered"
    world["asked"].refresh_from_db()
    assert world["asked"].report is not None
    planner = client.get(
        _url("report_request_detail", world["asked"]), **token_for(world["planner"])
    ).json()
    assert planner["report_id"] == world["asked"].report_id


def test_a_stale_answer_is_a_409_and_changes_nothing(client, world, token_for):
    admin = world["admin_lyon"]
    colleague = UserFactory(org_admin=True, organisation=admin.organisation)
    requests.answer_report_request(
        user=colleague, answer=_answer_of(world, admin), accept=False, expected_version=1
    )
    response = _post(
        client,
        _url("report_request_answer", world["asked"]),
        {"accept": True, "expected_version": 1},
        {**token_for(admin, "write"), "HTTP_ACCEPT_LANGUAGE": "en"},
    )
    assert response.status_code == 409
    assert response["Content-Type"] == "application/problem+json"
    assert "answered or closed meanwhile" in response.json()["detail"]
    assert _answer_of(world, admin).status == ReportRequestAnswer.Status.DECLINED


def test_bad_input_is_a_422_naming_the_field(client, world, token_for):
    admin = world["admin_lyon"]
    for body, field in (
        ({"expected_version": 1}, "body.payload.accept"),
        ({"accept": True, "words": "x" * 2001, "expected_version": 1}, "body.payload.words"),
        ({"accept": True, "words": "a\x00b", "expected_version": 1}, "body.payload.words"),
    ):
        response = _post(
            client, _url("report_request_answer", world["asked"]), body, token_for(admin, "write")
        )
        assert response.status_code == 422
        assert [e["field"] for e in response.json()["errors"]] == [field]
    assert _answer_of(world, admin).status == ReportRequestAnswer.Status.PENDING


def _token(user, *, state):
    row, raw = make_personal_token(user=user, name=state, scope="write", days=5)
    if state == "expired":
        PersonalAccessToken.objects.filter(pk=row.pk).update(
            expires_at=timezone.now() - datetime.timedelta(seconds=1)
        )
    else:
        assert revoke_personal_token(user=user, token_id=row.pk)
    return {"HTTP_AUTHORIZATION": f"Bearer {raw}"}


def test_nobody_but_the_administrators_asked_answers(client, world, token_for, software_for):
    admin = world["admin_lyon"]
    lyon = admin.organisation
    elsewhere = UserFactory(org_admin=True, organisation=OrganisationFactory(territory="13"))
    refused = {
        "no token": ({}, 401),
        "expired token": (_token(admin, state="expired"), 401),
        "revoked token": (_token(admin, state="revoked"), 401),
        "read token": (token_for(admin, "read"), 403),
        "DUI software": (software_for(lyon), 403),
        "the decision maker who asked": (token_for(world["planner"], "write"), 404),
        "another decision maker": (token_for(UserFactory(decision_maker=True), "write"), 404),
        "a professional of the organisation": (
            token_for(UserFactory(professional=True, organisation=lyon), "write"),
            404,
        ),
        "an administrator not asked": (token_for(elsewhere, "write"), 404),
        "a person": (token_for(UserFactory(), "write"), 404),
    }
    url = _url("report_request_answer", world["asked"])
    for who, (headers, status) in refused.items():
        response = _post(client, url, {"accept": True, "expected_version": 1}, headers)
        assert response.status_code == status, (who, response.content[:200])
        assert response["Content-Type"] == "application/problem+json", who
    assert not ReportRequestAnswer.objects.exclude(status="pending").exists()
    # Nor do they read it: a decision maker reads only their own requests.
    for who in ("another decision maker", "a professional of the organisation", "a person"):
        headers = refused[who][0]
        assert client.get(_url("report_request_list"), **headers).json() == [], who
        assert (
            client.get(_url("report_request_detail", world["asked"]), **headers).status_code == 404
        )


def test_the_lists_cost_the_same_with_more_requests(client, world, token_for):
    def cost(user):
        with CaptureQueriesContext(connection) as queries:
            response = client.get(_url("report_request_list"), **token_for(user))
        assert response.status_code == 200
        return len(queries), len(response.json())

    before = {who: cost(world[who]) for who in ("planner", "admin_lyon")}
    for _n in range(3):
        requests.ask_for_report(
            user=world["planner"],
            territory="69 Rhône",
            period_start=START,
            period_end=END,
            purpose="Encore.",
        )
    after = {who: cost(world[who]) for who in ("planner", "admin_lyon")}
    for who in before:
        assert before[who][0] == after[who][0], who
        assert after[who][1] == before[who][1] + 3 == ReportRequest.objects.count()
    # The session middleware's, the token and its owner, the requests, their answers.
    assert before == {"planner": (8, 1), "admin_lyon": (7, 1)}, before


def test_reading_and_answering_cost_the_same_however_many_organisations_are_asked(
    client, world, token_for
):
    """Two organisations asked, then four: the decision maker's read and an
    administrator's (not last) answer each take a fixed number of queries."""

    def costs(asked, admin):
        with CaptureQueriesContext(connection) as read:
            response = client.get(
                _url("report_request_detail", asked), **token_for(world["planner"])
            )
        assert response.status_code == 200
        answer = ReportRequestAnswer.objects.get(request=asked, organisation=admin.organisation)
        with CaptureQueriesContext(connection) as written:
            response = _post(
                client,
                _url("report_request_answer", asked),
                {"accept": True, "expected_version": answer.version},
                token_for(admin, "write"),
            )
        assert response.status_code == 200
        return len(read), len(written)

    small = costs(world["asked"], world["admin_lyon"])
    for n in range(2):
        OrganisationFactory(name=f"Foyer {n}", territory="69 Rhône")
    larger = requests.ask_for_report(
        user=world["planner"],
        territory="69 Rhône",
        period_start=START,
        period_end=END,
        purpose="Encore.",
    )
    assert larger.answers.count() == 4
    assert costs(larger, world["admin_lyon"]) == small
    # The read: the token, its owner, the request, its answers. The answer: the token,
    # the gatekeeper, the use case (its locks, the write, the trail, the decision
    # maker's notification, whether any answer is pending) and the request read back.
    assert small[0] <= 8 and small[1] <= 31, small
