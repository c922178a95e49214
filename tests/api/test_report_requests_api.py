"""A decision maker's request for a report by API (ADR 0037): the decision maker asks,
reads their requests with every organisation's answer and closes them; an
organisation's administrator reads the requests made to it with its own answer, and
answers. Each write goes through the page's use case (the trail entry, the
notifications, the 409 on a stale version). Nobody else asks, reads, answers or
closes."""

import datetime
import json

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

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


def test_nobody_but_the_administrators_asked_answers(
    client, world, token_for, dead_token, software_for
):
    admin = world["admin_lyon"]
    lyon = admin.organisation
    elsewhere = UserFactory(org_admin=True, organisation=OrganisationFactory(territory="13"))
    refused = {
        "no token": ({}, 401),
        "expired token": (dead_token(admin, "expired"), 401),
        "revoked token": (dead_token(admin, "revoked"), 401),
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


# ---------------------------------------------------------------- asking


def _asking(**changes):
    return {
        "territory": "69 Rhône",
        "period_start": START.isoformat(),
        "period_end": END.isoformat(),
        "purpose": "Savoir quels accompagnements manquent.",
        **changes,
    }


def _since():
    last = AuditEntry.objects.order_by("-pk").first()
    return last.pk if last else 0


def test_a_decision_maker_asks_and_the_administrators_are_told(client, world, token_for):
    from alliance.notifications.models import Notification

    since = _since()
    answer_by = datetime.date.today() + datetime.timedelta(days=10)
    response = _post(
        client,
        _url("report_request_create"),
        _asking(answer_by=answer_by.isoformat()),
        token_for(world["planner"], "write"),
    )
    assert response.status_code == 201, response.content
    made = response.json()
    asked = ReportRequest.objects.get(pk=made["id"])
    assert (made["status"], made["answer_by"], made["version"]) == (
        "waiting",
        answer_by.isoformat(),
        1,
    )
    assert {(a["organisation"], a["status"]) for a in made["answers"]} == {
        ("IME de Lyon", "pending"),
        ("SESSAD de Villeurbanne", "pending"),
    }
    [entry] = AuditEntry.objects.filter(action=Action.REPORT_REQUEST_MADE, pk__gt=since)
    assert entry.actor_id == world["planner"].pk and entry.target_id == asked.pk
    told = Notification.objects.filter(key=f"report_request:{asked.pk}")
    assert set(told.values_list("user", flat=True)) == {
        world["admin_lyon"].pk,
        world["admin_villeurbanne"].pk,
    }
    # What the tool reads back is what the request reads.
    assert (
        client.get(_url("report_request_detail", asked), **token_for(world["planner"])).json()
        == made
    )


def test_named_organisations_are_asked_without_a_territory(client, world, token_for):
    body = _asking(territory="", organisation_ids=[world["lyon"].pk])
    response = _post(
        client, _url("report_request_create"), body, token_for(world["planner"], "write")
    )
    assert response.status_code == 201, response.content
    assert [a["organisation"] for a in response.json()["answers"]] == ["IME de Lyon"]
    assert response.json()["scope_label"] == "IME de Lyon"


def test_bad_input_to_ask_is_a_422_saying_why_and_writes_nothing(client, world, token_for):
    headers = {**token_for(world["planner"], "write"), "HTTP_ACCEPT_LANGUAGE": "en"}
    today = datetime.date.today()
    before = (ReportRequest.objects.count(), AuditEntry.objects.count())
    for body, field, words in (
        (_asking(organisation_ids=[world["lyon"].pk]), None, "not both"),
        (_asking(territory=""), None, "at least one organisation"),
        (_asking(territory="13 Bouches-du-Rhône"), "territory", "No organisation serves"),
        (_asking(territory="", organisation_ids=[10**9]), "organisations", "from the list"),
        (_asking(period_end="2025-06-30"), "period_end", "end after it starts"),
        (_asking(purpose="   "), "purpose", "what the report is for"),
        (_asking(answer_by=today.isoformat()), "answer_by", "at least one day"),
        (_asking(answer_by=(today + datetime.timedelta(days=181)).isoformat()), "answer_by", "180"),
        (_asking(period_end=None), "body.payload.period_end", "missing or malformed"),
        (_asking(purpose="x" * 2001), "body.payload.purpose", "missing or malformed"),
        (_asking(organisation_ids=[0]), "body.payload.organisation_ids.0", "missing or malformed"),
    ):
        response = _post(client, _url("report_request_create"), body, headers)
        assert response.status_code == 422, (body, response.content)
        problem = response.json()
        assert response["Content-Type"] == "application/problem+json"
        assert words in problem["detail"], (words, problem)
        fields = [e["field"] for e in problem.get("errors", [])]
        assert fields == ([field] if field else []), (field, problem)
    assert (ReportRequest.objects.count(), AuditEntry.objects.count()) == before


def test_nobody_but_a_decision_maker_asks(client, world, token_for, dead_token, software_for):
    planner, lyon = world["planner"], world["lyon"]
    refused = {
        "no token": ({}, 401),
        "expired token": (dead_token(planner, "expired"), 401),
        "revoked token": (dead_token(planner, "revoked"), 401),
        "read token": (token_for(planner, "read"), 403),
        "DUI software": (software_for(lyon), 403),
        "an administrator": (token_for(world["admin_lyon"], "write"), 403),
        "a professional": (
            token_for(UserFactory(professional=True, organisation=lyon), "write"),
            403,
        ),
        "a person": (token_for(UserFactory(), "write"), 403),
        "a decision maker no longer active": (
            token_for(UserFactory(decision_maker=True, is_active=False), "write"),
            401,
        ),
    }
    before = (ReportRequest.objects.count(), AuditEntry.objects.count())
    for who, (headers, status) in refused.items():
        response = _post(client, _url("report_request_create"), _asking(), headers)
        assert response.status_code == status, (who, response.content[:200])
        assert response["Content-Type"] == "application/problem+json", who
    assert (ReportRequest.objects.count(), AuditEntry.objects.count()) == before


# ---------------------------------------------------------------- closing


def _answer_day_past(asked):
    ReportRequest.objects.filter(pk=asked.pk).update(
        answer_by=datetime.date.today() - datetime.timedelta(days=1)
    )
    asked.refresh_from_db()
    return asked


def _close(client, asked, version, headers):
    return _post(
        client, _url("report_request_close", asked), {"expected_version": version}, headers
    )


def test_the_decision_maker_closes_past_the_answer_day_with_those_who_accepted(
    client, world, token_for
):
    requests.answer_report_request(
        user=world["admin_lyon"],
        answer=_answer_of(world, world["admin_lyon"]),
        accept=True,
        expected_version=1,
    )
    asked = _answer_day_past(world["asked"])
    since = _since()
    response = _close(client, asked, asked.version, token_for(world["planner"], "write"))
    assert response.status_code == 200, response.content
    closed = response.json()
    assert (closed["status"], closed["closed_on_answer_day"], closed["version"]) == (
        "answered",
        False,
        2,
    )
    assert {a["organisation"]: a["status"] for a in closed["answers"]} == {
        "IME de Lyon": "accepted",
        "SESSAD de Villeurbanne": "no_answer",
    }
    asked.refresh_from_db()
    assert closed["report_id"] == asked.report_id is not None
    [entry] = AuditEntry.objects.filter(action=Action.REPORT_REQUEST_CLOSED, pk__gt=since)
    assert entry.actor_id == world["planner"].pk


def test_closing_on_a_stale_or_settled_request_is_a_409_and_early_a_422(client, world, token_for):
    headers = {**token_for(world["planner"], "write"), "HTTP_ACCEPT_LANGUAGE": "en"}
    asked = world["asked"]
    early = _close(client, asked, asked.version, headers)
    assert early.status_code == 422
    assert "may answer until" in early.json()["detail"]
    asked = _answer_day_past(asked)
    stale = _close(client, asked, asked.version + 1, headers)
    assert stale.status_code == 409
    assert "settled meanwhile" in stale.json()["detail"]
    assert _close(client, asked, asked.version, headers).status_code == 200
    again = _close(client, asked, asked.version + 1, headers)
    assert again.status_code == 409 and again["Content-Type"] == "application/problem+json"
    assert AuditEntry.objects.filter(action=Action.REPORT_REQUEST_CLOSED).count() == 1


def test_nobody_but_the_decision_maker_who_asked_closes(
    client, world, token_for, dead_token, software_for
):
    asked = _answer_day_past(world["asked"])
    planner, lyon = world["planner"], world["lyon"]
    refused = {
        "no token": ({}, 401),
        "expired token": (dead_token(planner, "expired"), 401),
        "revoked token": (dead_token(planner, "revoked"), 401),
        "read token": (token_for(planner, "read"), 403),
        "DUI software": (software_for(lyon), 403),
        "another decision maker": (token_for(UserFactory(decision_maker=True), "write"), 404),
        "an administrator asked": (token_for(world["admin_lyon"], "write"), 404),
        "a professional": (
            token_for(UserFactory(professional=True, organisation=lyon), "write"),
            404,
        ),
        "a person": (token_for(UserFactory(), "write"), 404),
    }
    for who, (headers, status) in refused.items():
        response = _close(client, asked, asked.version, headers)
        assert response.status_code == status, (who, response.content[:200])
        assert response["Content-Type"] == "application/problem+json", who
    # A request that does not exist answers as one that is not yours.
    missing = reverse("api:report_request_close", kwargs={"report_request_id": asked.pk + 1000})
    nowhere = _post(client, missing, {"expected_version": 1}, token_for(planner, "write"))
    mine_elsewhere = _close(client, asked, 1, refused["another decision maker"][0])
    assert nowhere.status_code == 404 and nowhere.json() == mine_elsewhere.json()
    asked.refresh_from_db()
    assert (asked.status, asked.version) == (ReportRequest.Status.WAITING, 1)


def test_asking_and_closing_cost_the_same_however_many_organisations(
    client, world, token_for, settings
):
    """Two organisations of the territory, then four: asking, and closing with one of
    them accepting, take a fixed number of queries. The worker's part (the report's
    computation, the emails' sending) is the worker's: only queued here."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    headers = token_for(world["planner"], "write")

    def costs():
        with CaptureQueriesContext(connection) as asking:
            response = _post(client, _url("report_request_create"), _asking(), headers)
        assert response.status_code == 201
        asked = ReportRequest.objects.get(pk=response.json()["id"])
        admin = world["admin_lyon"]
        requests.answer_report_request(
            user=admin,
            answer=asked.answers.get(organisation=admin.organisation),
            accept=True,
            expected_version=1,
        )
        asked = _answer_day_past(asked)
        with CaptureQueriesContext(connection) as closing:
            assert _close(client, asked, asked.version, headers).status_code == 200
        return len(asking), len(closing)

    costs()  # the token's first use is written once a minute: not part of a route's cost
    small = costs()
    # Like the demo's ESAT, organisations without an administrator yet: each
    # administrator emailed at once adds their email's queueing, as from the page, so
    # the cost follows the people told, never the organisations asked.
    for n in range(2):
        OrganisationFactory(name=f"Foyer {n}", territory="69 Rhône")
    assert costs() == small
    # Asking: the token, the use case (the organisations, the request and its answers,
    # the trail, the two administrators' notifications and emails queued) and the
    # request read back. Closing: the token, the gatekeeper, the use case (the lock,
    # the trail, the silent ones, the report queued and published, the notification)
    # and the request read back.
    assert small[0] <= 21 and small[1] <= 28, small
