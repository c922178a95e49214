"""Closing and reopening an alliance (ADR 0023): never without the person's side,
read-only once closed (services and pages), kept for the legal duration."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from alliance.acting import services as acting
from alliance.alliances import lifecycle, services
from alliance.alliances.models import LifecycleRequest, Statement, StatementKind, Vote
from alliance.audit.models import Action, AuditEntry
from alliance.conflicts import ConflictError
from alliance.notifications.models import Notification
from tests.factories import make_alliance_trio

pytestmark = pytest.mark.django_db


def _close(trio, reason="La personne a déménagé."):
    request = lifecycle.close_alliance(
        ally=trio.professional, reason=reason, expected_version=trio.alliance.lifecycle_version
    )
    trio.alliance.refresh_from_db()
    lifecycle.answer_request(
        ally=trio.parent,
        request=request,
        agree=True,
        expected_version=trio.alliance.lifecycle_version,
    )
    trio.alliance.refresh_from_db()
    for ally in trio.allies:
        ally.refresh_from_db()
    return trio.alliance


def test_a_professional_proposes_and_the_person_side_agrees(settings):
    settings.ALLIANCE_CLOSED_ALLIANCE_RETENTION_YEARS = 5
    trio = make_alliance_trio()
    request = lifecycle.close_alliance(
        ally=trio.professional, reason="Fin de l'accompagnement.", expected_version=1
    )
    trio.alliance.refresh_from_db()
    assert isinstance(request, LifecycleRequest)
    assert not trio.alliance.is_closed, "a professional alone never closes"
    assert Notification.objects.filter(kind="alliance_close_proposed").count() == 2
    lifecycle.answer_request(ally=trio.parent, request=request, agree=True, expected_version=2)
    alliance = trio.alliance
    alliance.refresh_from_db()
    assert alliance.is_closed
    assert alliance.closed_reason == "Fin de l'accompagnement."
    assert alliance.closed_proposed_by == trio.professional
    assert alliance.closed_agreed_by == trio.parent
    closed_on = timezone.localdate(alliance.closed_at)
    assert alliance.keep_until == closed_on.replace(year=closed_on.year + 5)
    actions = set(
        AuditEntry.objects.filter(alliance_id=alliance.pk).values_list("action", flat=True)
    )
    assert {Action.ALLIANCE_CLOSE_PROPOSED, Action.ALLIANCE_CLOSED} <= actions
    assert Notification.objects.filter(kind="alliance_closed").exists()


def test_the_person_declines_and_the_alliance_stays_open():
    trio = make_alliance_trio()
    request = lifecycle.close_alliance(ally=trio.professional, reason="Fin.", expected_version=1)
    lifecycle.answer_request(ally=trio.person, request=request, agree=False, expected_version=2)
    trio.alliance.refresh_from_db()
    assert not trio.alliance.is_closed
    request.refresh_from_db()
    assert request.status == LifecycleRequest.Status.DECLINED


def test_who_may_propose_and_answer():
    trio = make_alliance_trio()
    relative = services.invite_ally(inviter=trio.professional, display_name="Sami", role="relative")
    services.accept_invitation(ally=relative)
    services.decide_on_ally(approver=trio.parent, ally=relative, approve=True)
    with pytest.raises(PermissionDenied):
        lifecycle.close_alliance(ally=relative, reason="Non.", expected_version=1)
    request = lifecycle.close_alliance(ally=trio.professional, reason="Fin.", expected_version=1)
    for ally in (relative, trio.professional):
        with pytest.raises(PermissionDenied):
            lifecycle.answer_request(ally=ally, request=request, agree=True, expected_version=2)


def test_the_person_side_closes_and_reopens_at_once():
    trio = make_alliance_trio()
    lifecycle.close_alliance(ally=trio.parent, reason="Nous arrêtons.", expected_version=1)
    trio.alliance.refresh_from_db()
    assert trio.alliance.is_closed
    assert trio.alliance.closed_agreed_by == trio.parent
    lifecycle.reopen_alliance(ally=trio.person, reason="On reprend.", expected_version=2)
    trio.alliance.refresh_from_db()
    assert not trio.alliance.is_closed
    assert trio.alliance.keep_until is None


def test_a_professional_proposes_to_reopen_and_the_person_agrees():
    trio = make_alliance_trio()
    alliance = _close(trio)
    request = lifecycle.reopen_alliance(
        ally=trio.professional,
        reason="Une nouvelle demande.",
        expected_version=alliance.lifecycle_version,
    )
    alliance.refresh_from_db()
    assert alliance.is_closed
    lifecycle.answer_request(
        ally=trio.person, request=request, agree=True, expected_version=alliance.lifecycle_version
    )
    alliance.refresh_from_db()
    assert not alliance.is_closed


def test_bad_input_and_stale_versions_change_nothing():
    trio = make_alliance_trio()
    with pytest.raises(ValidationError):
        lifecycle.close_alliance(ally=trio.professional, reason="  ", expected_version=1)
    with pytest.raises(ValidationError):
        lifecycle.close_alliance(ally=trio.professional, reason="x" * 1001, expected_version=1)
    with pytest.raises(ConflictError):
        lifecycle.close_alliance(ally=trio.professional, reason="Fin.", expected_version=7)
    assert not LifecycleRequest.objects.exists()
    request = lifecycle.close_alliance(ally=trio.professional, reason="Fin.", expected_version=1)
    with pytest.raises(ConflictError):
        lifecycle.answer_request(ally=trio.person, request=request, agree=True, expected_version=1)
    trio.alliance.refresh_from_db()
    assert not trio.alliance.is_closed


def test_every_write_use_case_refuses_a_closed_alliance():
    trio = make_alliance_trio()
    statement = services.write_statement(
        ally=trio.person, kind=StatementKind.INTEREST, text="Aller à l'école."
    )
    _close(trio)
    with pytest.raises(lifecycle.AllianceClosedError):
        services.write_statement(ally=trio.person, kind=StatementKind.GOAL, text="Encore.")
    with pytest.raises(lifecycle.AllianceClosedError):
        services.cast_vote(ally=trio.parent, statement=statement, value="agree")
    with pytest.raises(lifecycle.AllianceClosedError):
        acting.write_journal_entry(ally=trio.person, happened="Une sortie.")
    with pytest.raises(lifecycle.AllianceClosedError):
        services.write_shared_understanding(
            ally=trio.parent,
            charter=services.current_charter(trio.alliance),
            text="Texte.",
            expected_revision=None,
        )
    assert Statement.objects.count() == 1
    assert not Vote.objects.exists()


def test_keep_until_on_the_29th_of_february(settings):
    settings.ALLIANCE_CLOSED_ALLIANCE_RETENTION_YEARS = 5
    assert lifecycle.keep_until(datetime.date(2028, 2, 29)) == datetime.date(2033, 2, 28)
    assert lifecycle.keep_until(datetime.date(2026, 12, 3)) == datetime.date(2031, 12, 3)


# ---------------------------------------------------------------- pages


def test_posts_to_a_closed_alliance_are_refused_and_change_nothing(client):
    trio = make_alliance_trio()
    statement = services.write_statement(
        ally=trio.person, kind=StatementKind.INTEREST, text="Aller à l'école."
    )
    alliance = _close(trio)
    client.force_login(trio.parent.user)
    before = AuditEntry.objects.exclude(action=Action.ALLIANCE_VIEWED).count()
    for url, data in (
        (reverse("alliances:statement_new", args=[alliance.pk]), {"kind": "goal", "text": "Non."}),
        (reverse("alliances:vote", args=[alliance.pk, statement.pk]), {"value": "agree"}),
        (reverse("acting:journal", args=[alliance.pk]), {"happened": "Une sortie."}),
    ):
        response = client.post(url, data)
        assert response.status_code == 403
        assert reverse("closing:page", args=[alliance.pk]) in response.content.decode()
    assert Statement.objects.count() == 1
    assert not Vote.objects.exists()
    assert AuditEntry.objects.exclude(action=Action.ALLIANCE_VIEWED).count() == before
    page = client.get(reverse("alliances:statement", args=[alliance.pk, statement.pk]))
    assert page.status_code == 200
    assert 'class="closed-banner"' in page.content.decode()


def test_the_closing_pages(client):
    trio = make_alliance_trio()
    url = reverse("closing:page", args=[trio.alliance.pk])
    client.force_login(trio.professional.user)
    assert client.get(url).status_code == 200
    assert client.post(url, {"reason": "", "version": "1"}).status_code == 400
    assert client.post(url, {"reason": "Fin.", "version": "9"}).status_code == 409
    assert client.post(url, {"reason": "Fin.", "version": "1"}).status_code == 302
    request = LifecycleRequest.objects.get()
    client.force_login(trio.parent.user)
    answer = reverse("closing:answer", args=[trio.alliance.pk])
    assert (
        client.post(answer, {"answer": "maybe", "request": request.pk, "version": 2}).status_code
        == 400
    )
    assert (
        client.post(answer, {"answer": "yes", "request": request.pk, "version": 1}).status_code
        == 409
    )
    assert (
        client.post(answer, {"answer": "yes", "request": request.pk, "version": 2}).status_code
        == 302
    )
    trio.alliance.refresh_from_db()
    assert trio.alliance.is_closed
    # Reopening goes through the closed alliance's gate.
    assert client.post(url, {"reason": "On reprend.", "version": "3"}).status_code == 302
    trio.alliance.refresh_from_db()
    assert not trio.alliance.is_closed


def test_the_person_reads_an_easy_question(client):
    trio = make_alliance_trio()
    lifecycle.close_alliance(ally=trio.professional, reason="Fin du suivi.", expected_version=1)
    client.force_login(trio.person.user)
    content = client.get(reverse("closing:page", args=[trio.alliance.pk])).content.decode()
    assert "big-choices" in content
    assert "Fin du suivi." in content


def test_a_closed_alliance_waits_for_nothing_at_home():
    from alliance.home.selectors import what_needs_me

    trio = make_alliance_trio()
    services.write_statement(ally=trio.person, kind=StatementKind.INTEREST, text="L'école.")
    assert any(n.source == "vote" for n in what_needs_me(trio.parent.user).needs)
    _close(trio)
    assert not any(n.source == "vote" for n in what_needs_me(trio.parent.user).needs)
