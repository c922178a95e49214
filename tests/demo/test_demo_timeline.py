"""The demo tells a coherent story: in both demo alliances, nothing is read, rated,
decided, done or written before the charter was first signed by all, nothing lies
in the future, and the first yearly review of Noé's alliance falls in about a month."""

import datetime

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from alliance.acting import services as acting
from alliance.acting.models import (
    Action,
    IndicatorReading,
    JournalEntry,
    JournalRevision,
    MeansDecision,
    Review,
    WeatherRating,
)
from alliance.acting.reviews import ReviewState, add_months, state
from alliance.acting.selectors import review_status
from alliance.alliances.models import Alliance, Role, Statement
from alliance.audit.models import AuditEntry
from alliance.home.selectors import what_needs_me

pytestmark = pytest.mark.django_db

PERSONS = ["personne-noe", "personne-samir"]


@pytest.fixture
def demo():
    call_command("demo", stdout=None)


def _alliance(persona):
    return Alliance.objects.get(allies__user__demo_persona=persona, allies__role=Role.PERSON)


def _moments_after_signature(alliance):
    """Every moment the pages show that can only follow the charter."""
    return {
        "reading": IndicatorReading.objects.filter(alliance=alliance).values_list(
            "created_at", flat=True
        ),
        "weather": WeatherRating.objects.filter(alliance=alliance).values_list(
            "created_at", flat=True
        ),
        "action": Action.objects.filter(alliance=alliance).values_list("created_at", flat=True),
        "decision": MeansDecision.objects.filter(option__alliance=alliance).values_list(
            "decided_at", flat=True
        ),
        "journal": JournalEntry.objects.filter(alliance=alliance).values_list(
            "created_at", flat=True
        ),
        "revision": JournalRevision.objects.filter(entry__alliance=alliance).values_list(
            "written_at", flat=True
        ),
        "review": Review.objects.filter(alliance=alliance).values_list("created_at", flat=True),
    }


@pytest.mark.parametrize("persona", PERSONS)
def test_nothing_comes_before_the_charter_or_after_now(demo, persona):
    alliance = _alliance(persona)
    now = timezone.now()
    signed_at = alliance.charters.exclude(signed_at=None).order_by("signed_at")[0].signed_at
    assert alliance.created_at < signed_at
    for kind, moments in _moments_after_signature(alliance).items():
        moments = list(moments)
        assert moments or kind == "review", kind  # Noé's first review is still ahead
        assert all(signed_at <= m <= now for m in moments), kind
    signed_on = timezone.localdate(signed_at)
    for rating in WeatherRating.objects.filter(alliance=alliance):
        assert signed_on <= rating.meeting_on <= timezone.localdate(rating.created_at)
    for option in alliance.means_options.exclude(availability_since=None):
        assert signed_on <= option.availability_since <= timezone.localdate()
    # The statements and votes come before the charter, the trail ends now.
    assert Statement.objects.filter(alliance=alliance, created_at__gte=signed_at).count() == 0
    trail = AuditEntry.objects.filter(alliance_id=alliance.pk).values_list("at", flat=True)
    assert min(trail) >= alliance.created_at and max(trail) <= now


@pytest.mark.parametrize("persona", PERSONS)
def test_the_actions_due_dates_follow_their_planning(demo, persona):
    for action in Action.objects.filter(alliance=_alliance(persona)).exclude(due_date=None):
        assert action.due_date >= timezone.localdate(action.created_at), action.title


def test_noes_alliance_lived_a_year_one_action_done_one_late_one_ahead(demo):
    alliance = _alliance("personne-noe")
    today = timezone.localdate()
    assert 350 <= (today - timezone.localdate(alliance.created_at)).days <= 380
    (charter,) = alliance.charters.all()
    signed_days_ago = (today - timezone.localdate(charter.signed_at)).days
    assert 320 <= signed_days_ago <= 350  # about eleven months ago
    decided = MeansDecision.objects.get(option__alliance=alliance).decided_at
    assert 290 <= (today - timezone.localdate(decided)).days <= 320  # about ten months ago
    actions = {a.status: a for a in alliance.actions.all()}
    assert set(actions) == {"done", "in_progress", "planned"}
    assert actions["in_progress"].due_date < today  # late
    assert actions["planned"].due_date > today  # ahead
    done = actions["done"]
    assert done.due_date < today and done.due_date >= timezone.localdate(done.created_at)


def test_noes_review_falls_a_year_after_the_signature_and_shows_on_the_home_pages(demo, client):
    alliance = _alliance("personne-noe")
    today = timezone.localdate()
    signed_on = acting.first_signed_on(alliance)
    status = review_status(alliance)
    assert status["on"] == add_months(signed_on, 12)
    assert datetime.timedelta(days=15) <= status["on"] - today <= datetime.timedelta(days=31)
    assert status["state"] == state(status["on"], today) == ReviewState.DUE
    reviews_url = reverse("acting:reviews", args=[alliance.pk])
    for ally in alliance.allies.select_related("user"):
        assert any(
            n.source == "review" and n.url == reviews_url for n in what_needs_me(ally.user).needs
        ), ally.user.demo_persona
        client.force_login(ally.user)
        assert reviews_url in client.get(reverse("home")).content.decode()
