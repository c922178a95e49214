"""Notifications fired by the product: where the event happens (a means proposed,
a charter signed by a first ally) and, for dates, by `manage.py notify_due`."""

import datetime
from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import timezone

from alliance.acting import reminders, selectors, services
from alliance.demo.clock import as_of, days_ago
from alliance.notifications.models import Notification
from tests.factories import make_alliance_trio, make_signable_charter, make_signed_charter

pytestmark = pytest.mark.django_db


def _kinds(ally, *, besides=("charter_to_sign",)):
    """The notifications of this ally, but for the invitation they answered to join."""
    kinds = Notification.objects.filter(user=ally.user).exclude(
        kind__in=(*besides, "ally_invitation")
    )
    return sorted(kinds.values_list("kind", flat=True))


def test_a_first_signature_asks_the_others_to_sign_once():
    from alliance.alliances import services as alliance_services

    trio = make_alliance_trio()
    charter = make_signable_charter(trio)
    alliance_services.sign_charter(
        ally=trio.person, charter=charter, expected_revision=charter.revision
    )
    alliance_services.sign_charter(
        ally=trio.parent, charter=charter, expected_revision=charter.revision
    )
    assert _kinds(trio.person, besides=()) == []
    assert _kinds(trio.parent, besides=()) == ["charter_to_sign"]  # once, before signing
    assert _kinds(trio.professional, besides=()) == ["charter_to_sign"]
    # Once signed, the parent's reminder is read; the professional's still waits.
    unread = Notification.objects.filter(read_at__isnull=True, kind="charter_to_sign")
    assert [n.user_id for n in unread] == [trio.professional.user_id]
    notification = Notification.objects.get(user=trio.professional.user)
    assert (
        notification.title
        == f"Le socle commun de «\u00a0{trio.alliance.title}\u00a0» attend votre signature."
    )


def test_a_means_proposed_asks_the_other_allies_for_their_stance():
    trio = make_alliance_trio()
    interest = make_signed_charter(trio).interests.get().statement_id
    option = services.propose_means(
        ally=trio.parent, interest_statement_id=interest, description="AESH"
    )
    assert _kinds(trio.parent) == []
    assert _kinds(trio.person) == _kinds(trio.professional) == ["stance_awaited"]
    services.take_stance(ally=trio.person, option=option, value="support")
    unread = Notification.objects.filter(read_at__isnull=True, kind="stance_awaited")
    assert [n.user_id for n in unread] == [trio.professional.user_id]


def test_an_ally_who_left_is_reminded_of_nothing():
    """Issue 9: who left (or was removed) has nothing left to do in the alliance."""
    from alliance.alliances import services as alliance_services

    trio = make_alliance_trio()
    today = timezone.localdate()
    with as_of(days_ago(400)):
        make_signed_charter(trio)
        services.plan_action(
            ally=trio.professional,
            title="Appeler l'école",
            domain_label="Scolarité",
            my_role="J'appelle",
            due_date=today + datetime.timedelta(days=1),
        )
    alliance_services.leave_alliance(ally=trio.professional)
    assert reminders.send_reminders(today) == {"actions": 0, "reviews": 2}
    assert _kinds(trio.professional) == []


def test_actions_due_tomorrow_then_late_and_reviews_due_are_notified_once():
    trio = make_alliance_trio()
    today = timezone.localdate()
    with as_of(days_ago(400)):
        make_signed_charter(trio)
        action = services.plan_action(
            ally=trio.professional,
            title="Appeler l'école",
            domain_label="Scolarité",
            my_role="J'appelle",
            due_date=today + datetime.timedelta(days=1),
        )
        services.join_action(ally=trio.person, action=action, role="Je viens")
    assert selectors.review_status(trio.alliance)["state"] == "overdue"

    assert reminders.send_reminders(today) == {"actions": 2, "reviews": 3}
    assert reminders.send_reminders(today) == {"actions": 0, "reviews": 0}
    assert _kinds(trio.person) == ["action_due", "review_due"]
    assert _kinds(trio.parent) == ["review_due"]  # not a co-actor

    later = today + datetime.timedelta(days=2)
    assert reminders.send_reminders(later)["actions"] == 2
    late = Notification.objects.get(user=trio.person.user, kind="action_late")
    assert "Appeler l'école" in late.title and late.url.endswith(f"#a{action.pk}")

    out = StringIO()
    call_command("notify_due", stdout=out)
    assert "0 action and 0 review notifications" in out.getvalue()
