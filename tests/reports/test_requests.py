"""A decision maker asks organisations for a report (ADR 0037): the rules, who may
do what (both ways), bad input changing nothing, and two answers at once."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.test import override_settings
from django.utils import timezone

from alliance.audit.models import Action, AuditEntry
from alliance.conflicts import ConflictError
from alliance.notifications.models import Notification
from alliance.reports import requests
from alliance.reports.access import get_report_for
from alliance.reports.models import Report, ReportRequest, ReportRequestAnswer
from tests.factories import OrganisationFactory, UserFactory

pytestmark = pytest.mark.django_db

START, END = datetime.date(2025, 7, 1), datetime.date(2026, 6, 30)
TERRITORY = "69 Rhône"


@pytest.fixture
def world():
    """Two organisations of the Rhône, each with its administrator, one elsewhere,
    and a decision maker of the Département."""
    lyon = OrganisationFactory(name="IME de Lyon", territory=TERRITORY)
    villeurbanne = OrganisationFactory(name="SESSAD de Villeurbanne", territory=TERRITORY)
    elsewhere = OrganisationFactory(name="ESAT de Marseille", territory="13 Bouches-du-Rhône")
    return {
        "lyon": lyon,
        "villeurbanne": villeurbanne,
        "elsewhere": elsewhere,
        "admin_lyon": UserFactory(org_admin=True, organisation=lyon),
        "admin_villeurbanne": UserFactory(org_admin=True, organisation=villeurbanne),
        "admin_elsewhere": UserFactory(org_admin=True, organisation=elsewhere),
        "planner": UserFactory(decision_maker=True, display_name="Service planification"),
    }


def _ask(user, **overrides):
    fields = {
        "user": user,
        "territory": TERRITORY,
        "period_start": START,
        "period_end": END,
        "purpose": "Préparer le schéma départemental de l'autonomie.",
    }
    return requests.ask_for_report(**{**fields, **overrides})


def _answer(user, asked, accept, words=""):
    answer = ReportRequestAnswer.objects.get(request=asked, organisation=user.organisation)
    return requests.answer_report_request(
        user=user, answer=answer, accept=accept, words=words, expected_version=answer.version
    )


def test_a_territory_asks_each_of_its_organisations_and_tells_their_administrators(world):
    asked = _ask(world["planner"])
    assert asked.status == ReportRequest.Status.WAITING
    assert asked.answer_by == timezone.localdate() + datetime.timedelta(days=30)
    assert set(asked.answers.values_list("organisation", "status")) == {
        (world["lyon"].pk, "pending"),
        (world["villeurbanne"].pk, "pending"),
    }
    told = set(Notification.objects.filter(kind="report_request_received").values_list("user"))
    assert told == {(world["admin_lyon"].pk,), (world["admin_villeurbanne"].pk,)}
    assert AuditEntry.objects.filter(action=Action.REPORT_REQUEST_MADE, actor=world["planner"])


def test_named_organisations_are_asked_whatever_their_territory(world):
    asked = _ask(
        world["planner"], territory="", organisation_ids=[world["lyon"].pk, world["elsewhere"].pk]
    )
    assert asked.scope_label == "ESAT de Marseille, IME de Lyon"
    assert asked.answers.count() == 2


@pytest.mark.parametrize("who", ["admin_lyon", "professional", "person", "inactive"])
def test_only_an_active_decision_maker_asks_and_nothing_is_saved_otherwise(world, who):
    user = {
        "admin_lyon": world["admin_lyon"],
        "professional": UserFactory(professional=True, organisation=world["lyon"]),
        "person": UserFactory(),
        "inactive": UserFactory(decision_maker=True, is_active=False),
    }[who]
    with pytest.raises(PermissionDenied):
        _ask(user)
    assert not ReportRequest.objects.exists()


@pytest.mark.parametrize(
    ("overrides", "words"),
    [
        ({"purpose": "   "}, "Dites à quoi"),
        ({"purpose": "x" * 2001}, "2 000"),
        ({"period_end": START - datetime.timedelta(days=1)}, "se terminer après"),
        ({"territory": "75 Paris"}, "Aucune organisation"),
        ({"territory": "", "organisation_ids": []}, "Choisissez un territoire"),
        ({"organisation_ids": [1]}, "pas les deux"),
        ({"answer_by": datetime.date(2020, 1, 1)}, "au moins un jour"),
        ({"answer_by": datetime.date.today() + datetime.timedelta(days=400)}, "180"),
    ],
)
def test_bad_input_is_refused_with_a_clear_message_and_changes_nothing(world, overrides, words):
    with pytest.raises(ValidationError) as refused:
        _ask(world["planner"], **overrides)
    assert words in " ".join(refused.value.messages)
    assert not ReportRequest.objects.exists()
    assert not Notification.objects.exists()


def test_the_last_answer_makes_the_report_over_those_that_accepted(world):
    planner = world["planner"]
    asked = _ask(planner)
    _answer(world["admin_lyon"], asked, True, "D'accord pour le schéma.")
    asked.refresh_from_db()
    assert asked.status == ReportRequest.Status.WAITING and asked.report is None
    assert Notification.objects.filter(user=planner, kind="report_request_answered").count() == 1

    _answer(world["admin_villeurbanne"], asked, False, "Pas cette année.")
    asked.refresh_from_db()
    assert asked.status == ReportRequest.Status.ANSWERED and asked.closed_at
    report = asked.report
    assert list(report.organisations.all()) == [world["lyon"]]
    assert report.scope_label == "69 Rhône\u00a0: 1 des 2 organisations sollicitées"
    assert report.owner_id is None and report.requested_by == planner
    assert report.threshold == 5
    assert list(report.published_to.all()) == [planner]
    # Computed at once by the test's task backend: the decision maker reads it.
    assert get_report_for(planner, report.pk) == report
    assert Notification.objects.filter(user=planner, kind="report_request_settled").exists()
    # Nobody at the organisations reads the decision maker's report.
    with pytest.raises(Http404):
        get_report_for(world["admin_lyon"], report.pk)


def test_a_request_every_organisation_declines_makes_no_report(world):
    asked = _ask(world["planner"])
    _answer(world["admin_lyon"], asked, False)
    _answer(world["admin_villeurbanne"], asked, False)
    asked.refresh_from_db()
    assert asked.status == ReportRequest.Status.DECLINED and asked.report is None
    assert not Report.objects.exists()


@override_settings(ALLIANCE_REPORT_THRESHOLD=8)
def test_the_report_uses_the_platform_threshold(world):
    asked = _ask(world["planner"])
    _answer(world["admin_lyon"], asked, True)
    _answer(world["admin_villeurbanne"], asked, True)
    asked.refresh_from_db()
    assert asked.report.threshold == 8


@pytest.mark.parametrize("who", ["admin_elsewhere", "colleague", "planner"])
def test_only_the_organisations_administrator_answers(world, who):
    asked = _ask(world["planner"])
    user = {
        "admin_elsewhere": world["admin_elsewhere"],
        "colleague": UserFactory(professional=True, organisation=world["lyon"]),
        "planner": world["planner"],
    }[who]
    answer = asked.answers.get(organisation=world["lyon"])
    with pytest.raises(PermissionDenied):
        requests.answer_report_request(
            user=user, answer=answer, accept=True, expected_version=answer.version
        )
    answer.refresh_from_db()
    assert answer.status == "pending" and answer.answered_by is None


def test_two_administrators_answering_at_once_the_second_is_refused(world):
    """Both loaded the page at version 1: the first answer stands, the second is told
    that it was answered meanwhile, and nothing of it is saved."""
    second_admin = UserFactory(org_admin=True, organisation=world["lyon"])
    asked = _ask(world["planner"])
    seen = asked.answers.get(organisation=world["lyon"])
    requests.answer_report_request(
        user=world["admin_lyon"], answer=seen, accept=True, expected_version=1
    )
    with pytest.raises(ConflictError):
        requests.answer_report_request(
            user=second_admin, answer=seen, accept=False, words="Non.", expected_version=1
        )
    seen.refresh_from_db()
    assert (seen.status, seen.words, seen.answered_by) == ("accepted", "", world["admin_lyon"])
    assert AuditEntry.objects.filter(action=Action.REPORT_REQUEST_ANSWERED).count() == 1


def test_past_the_day_for_answers_the_decision_maker_closes_with_those_that_accepted(world):
    planner = world["planner"]
    asked = _ask(planner)
    _answer(world["admin_lyon"], asked, True)
    asked.refresh_from_db()
    with pytest.raises(ValidationError, match="peuvent répondre jusqu"):
        requests.close_report_request(user=planner, request=asked, expected_version=asked.version)
    ReportRequest.objects.filter(pk=asked.pk).update(answer_by=datetime.date(2026, 1, 1))
    asked.refresh_from_db()
    with pytest.raises(PermissionDenied):
        requests.close_report_request(
            user=UserFactory(decision_maker=True), request=asked, expected_version=asked.version
        )
    with pytest.raises(ConflictError):
        requests.close_report_request(
            user=planner, request=asked, expected_version=asked.version - 1
        )
    requests.close_report_request(user=planner, request=asked, expected_version=asked.version)
    assert (
        AuditEntry.objects.filter(
            action=Action.REPORT_REQUEST_CLOSED, actor=planner, target_id=asked.pk
        ).count()
        == 1
    )
    asked.refresh_from_db()
    assert asked.status == ReportRequest.Status.ANSWERED
    assert list(asked.report.organisations.all()) == [world["lyon"]]
    # The organisation that did not answer may no longer.
    late = asked.answers.get(organisation=world["villeurbanne"])
    with pytest.raises(ConflictError):
        requests.answer_report_request(
            user=world["admin_villeurbanne"], answer=late, accept=True, expected_version=1
        )
