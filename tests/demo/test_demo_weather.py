"""The demo's indicator readings and alliance weather: months of history in both
alliances, built through the use cases, with exactly one alert standing now."""

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from alliance.acting import selectors
from alliance.acting.models import IndicatorReading, WeatherRating
from alliance.acting.weather import AlertKind, Item
from alliance.alliances.models import Alliance, Role
from alliance.audit.models import Action, AuditEntry

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo():
    call_command("demo", stdout=None)


def _alliance(persona):
    return Alliance.objects.get(allies__user__demo_persona=persona, allies__role=Role.PERSON)


@pytest.mark.parametrize("persona", ["personne-noe", "personne-samir"])
def test_both_alliances_have_months_of_readings_and_weather(demo, persona):
    alliance = _alliance(persona)
    readings = IndicatorReading.objects.filter(alliance=alliance)
    ratings = WeatherRating.objects.filter(alliance=alliance)
    today = timezone.localdate()
    for rows in (readings, ratings):
        dates = [timezone.localdate(r.created_at) for r in rows]
        assert (today - min(dates)).days >= 240  # eight months and more
        assert (today - max(dates)).days <= 40
        assert len({r.ally_id for r in rows}) >= 3
    # Every indicator of the charter in force has readings by more than one ally.
    for board in selectors.indicator_boards(alliance):
        assert len({r.ally_id for r in board["readings"]}) >= 2
    # The person answers with the faces.
    person = alliance.allies.get(role=Role.PERSON)
    assert all(r.easy_read for r in ratings.filter(ally=person))
    assert ratings.exclude(meeting_on=None).count() == ratings.count()


def test_exactly_one_alert_stands_now_a_drop_of_karims_we_decide_together(demo, client):
    child, esat = _alliance("personne-noe"), _alliance("personne-samir")
    assert selectors.weather_alerts(selectors.weather_ratings(esat)) == []
    (alert,) = selectors.weather_alerts(selectors.weather_ratings(child))
    assert (alert.kind, alert.item, alert.values) == (AlertKind.DROP, Item.DECIDE, (8, 4))
    karim = child.allies.get(pk=alert.allies[0])
    assert karim.user.demo_persona == "parent-karim"
    # Noé, his parents and the professionals see it on the overview.
    client.force_login(child.allies.get(role=Role.PERSON).user)
    page = client.get(reverse("alliances:overview", args=[child.pk])).content.decode()
    assert "alert-card" in page and "Karim Martin" in page


def test_every_reading_and_weather_has_its_audit_entry(demo):
    for action, model in (
        (Action.INDICATOR_RATED, IndicatorReading),
        (Action.WEATHER_GIVEN, WeatherRating),
    ):
        audited = set(AuditEntry.objects.filter(action=action).values_list("target_id", "actor_id"))
        rows = set(model.objects.values_list("pk", "ally__user_id"))
        assert rows and rows == audited
