"""A request for a report closes on its own once its answer day is past: the daily
job records the silent organisations as "no answer" (not a decline), tells the
decision maker, writes the audit entry, runs once, and the request page says so."""

import datetime
from io import StringIO
from unittest import mock

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from alliance.audit.models import Action, AuditEntry
from alliance.notifications.models import Notification
from alliance.notifications.periodic import RUNNERS
from alliance.reports import requests
from alliance.reports.models import ReportRequest, ReportRequestAnswer
from tests.factories import OrganisationFactory, UserFactory

from .test_requests import TERRITORY, _answer, _ask

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    """Two organisations of the Rhône with their administrators, and a decision maker."""
    lyon = OrganisationFactory(name="IME de Lyon", territory=TERRITORY)
    villeurbanne = OrganisationFactory(name="SESSAD de Villeurbanne", territory=TERRITORY)
    return {
        "lyon": lyon,
        "villeurbanne": villeurbanne,
        "admin_lyon": UserFactory(org_admin=True, organisation=lyon),
        "admin_villeurbanne": UserFactory(org_admin=True, organisation=villeurbanne),
        "planner": UserFactory(decision_maker=True),
    }


Status = ReportRequestAnswer.Status


def _statuses(asked):
    return dict(asked.answers.values_list("organisation__name", "status"))


def test_nothing_closes_on_the_answer_day_itself(world):
    asked = _ask(world["planner"])
    assert requests.close_requests_on_answer_day(asked.answer_by) == 0
    asked.refresh_from_db()
    assert asked.status == ReportRequest.Status.WAITING and not asked.closed_on_answer_day
    assert set(_statuses(asked).values()) == {Status.PENDING}


def test_the_day_after_the_silent_ones_are_no_answer_and_the_decision_maker_is_told(world):
    planner = world["planner"]
    asked = _ask(planner)
    _answer(world["admin_lyon"], asked, True)
    day_after = asked.answer_by + datetime.timedelta(days=1)
    assert requests.close_requests_on_answer_day(day_after) == 1
    asked.refresh_from_db()
    assert asked.closed_on_answer_day and asked.closed_at
    assert asked.status == ReportRequest.Status.ANSWERED
    assert list(asked.report.organisations.all()) == [world["lyon"]]
    assert _statuses(asked) == {
        "IME de Lyon": Status.ACCEPTED,
        "SESSAD de Villeurbanne": Status.NO_ANSWER,
    }
    (entry,) = AuditEntry.objects.filter(action=Action.REPORT_REQUEST_CLOSED_ON_ANSWER_DAY)
    assert entry.actor is None and entry.target_id == asked.pk
    assert entry.detail == {"answer_by": asked.answer_by.isoformat(), "no_answer": 1}
    news = Notification.objects.filter(user=planner, kind="report_request_closed_on_answer_day")
    assert news.count() == 1
    assert not Notification.objects.filter(kind="report_request_settled").exists()
    # The silent organisation may no longer answer; a second run changes nothing.
    late = asked.answers.get(organisation=world["villeurbanne"])
    assert not requests.perms.can_answer_report_request(world["admin_villeurbanne"], late)
    later = day_after + datetime.timedelta(days=3)
    assert requests.close_requests_on_answer_day(later) == 0
    assert AuditEntry.objects.filter(action=Action.REPORT_REQUEST_CLOSED_ON_ANSWER_DAY).count() == 1
    assert news.count() == 1


def test_a_request_nobody_answered_closes_without_a_report_and_no_decline(world):
    asked = _ask(world["planner"])
    requests.close_requests_on_answer_day(asked.answer_by + datetime.timedelta(days=10))
    asked.refresh_from_db()
    assert asked.report is None and asked.closed_on_answer_day
    assert set(_statuses(asked).values()) == {Status.NO_ANSWER}
    assert not asked.answers.filter(status=Status.DECLINED).exists()


def test_a_request_settled_before_is_left_as_it_is(world):
    planner = world["planner"]
    answered = _ask(planner)
    _answer(world["admin_lyon"], answered, False)
    _answer(world["admin_villeurbanne"], answered, False)
    closed_by_hand = _ask(planner)
    ReportRequest.objects.filter(pk=closed_by_hand.pk).update(answer_by=datetime.date(2026, 1, 1))
    closed_by_hand.refresh_from_db()
    requests.close_report_request(
        user=planner, request=closed_by_hand, expected_version=closed_by_hand.version
    )
    # The decision maker who closes by hand records the silence the same way.
    assert set(_statuses(closed_by_hand).values()) == {Status.NO_ANSWER}
    assert requests.close_requests_on_answer_day(answered.answer_by + datetime.timedelta(1)) == 0
    for asked in (answered, closed_by_hand):
        asked.refresh_from_db()
        assert not asked.closed_on_answer_day
    assert not AuditEntry.objects.filter(action=Action.REPORT_REQUEST_CLOSED_ON_ANSWER_DAY)


def _due_requests(planner, organisations, n):
    asked = []
    for _n in range(n):
        one = _ask(planner, territory="", organisation_ids=[o.pk for o in organisations])
        asked.append(one)
    return asked


def test_the_job_s_queries_do_not_grow_with_the_organisations_asked(world):
    planner = world["planner"]
    few = [OrganisationFactory() for _n in range(2)]
    many = [OrganisationFactory() for _n in range(12)]
    counts = []
    for organisations in (few, many):
        (asked,) = _due_requests(planner, organisations, 1)
        day_after = asked.answer_by + datetime.timedelta(days=1)
        with CaptureQueriesContext(connection) as queries:
            assert requests.close_requests_on_answer_day(day_after) == 1
        counts.append(len(queries))
    assert counts[0] == counts[1] <= 25, counts
    # Three due requests: one query to find them, then the same work for each.
    _due_requests(planner, many, 3)
    with CaptureQueriesContext(connection) as queries:
        assert requests.close_requests_on_answer_day(day_after) == 3
    assert len(queries) <= 1 + 3 * (counts[0] - 1), len(queries)


def test_the_scheduled_job_closes_when_the_clock_has_passed_the_answer_day(world):
    asked = _ask(world["planner"])
    assert "close_report_requests" in RUNNERS
    out = StringIO()
    call_command("close_report_requests", stdout=out)
    assert out.getvalue().startswith("0 requests")
    moment = timezone.now() + datetime.timedelta(days=31)
    with mock.patch.object(timezone, "now", lambda: moment):
        assert RUNNERS["close_report_requests"]().startswith("1 requests")
    asked.refresh_from_db()
    assert asked.closed_on_answer_day


def test_the_request_page_says_it_closed_on_its_answer_day_and_who_did_not_answer(world, client):
    planner = world["planner"]
    asked = _ask(planner)
    _answer(world["admin_lyon"], asked, False, "Pas cette année.")
    requests.close_requests_on_answer_day(asked.answer_by + datetime.timedelta(days=1))
    client.force_login(planner)
    page = client.get(reverse("report_requests:detail", args=[asked.pk])).content.decode()
    assert 'id="closed-on-answer-day"' in page
    assert "SESSAD de Villeurbanne" in page.split('id="closed-on-answer-day"')[1].split("</p>")[0]
    assert "IME de Lyon" not in page.split('id="closed-on-answer-day"')[1].split("</p>")[0]
    assert "Pas de réponse" in page or "No answer by the day set" in page
    # Another decision maker does not see it.
    client.force_login(UserFactory(decision_maker=True))
    assert client.get(reverse("report_requests:detail", args=[asked.pk])).status_code == 404
