"""The personal calendar feed (ADR 0025; a door of docs/security.md): only the
address's owner gets their calendar; an unknown, replaced or revoked token, another
user's session or an ally who left get nothing (404); what leaves is minimal."""

import datetime
import re

import pytest
from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar

from alliance.accounts import calendar
from alliance.accounts.models import CalendarFeed, hash_secret
from alliance.acting import meetings, services
from alliance.alliances import services as alliance_services
from alliance.audit.models import Action, AuditEntry
from tests.factories import make_alliance_trio, make_signed_charter

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def fresh_limits():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def trio():
    trio = make_alliance_trio()
    make_signed_charter(trio)
    day = timezone.localdate() + datetime.timedelta(days=5)
    trio.meeting = meetings.schedule_meeting(
        ally=trio.professional,
        starts_at=timezone.make_aware(datetime.datetime.combine(day, datetime.time(10, 30))),
        duration_minutes=90,
        place="12 rue des Lilas, chez Léo",
        purpose="Parler du diagnostic de Léo",
        prepare="Le compte rendu médical",
        invited=[trio.parent],
    )
    trio.action = services.plan_action(
        ally=trio.person,
        title="Appeler l'orthophoniste",
        domain_label="Scolarité",
        my_role="J'appelle",
        due_date=day,
    )
    return trio


def feed_url(token):
    return reverse("accounts:calendar_feed", args=[token])


def events(response):
    return list(Calendar.from_ical(response.content).walk("VEVENT"))


def test_the_owner_gets_meetings_actions_and_reviews_and_nothing_personal(client, trio):
    token = calendar.make_calendar_feed(user=trio.person.user)
    assert len(token) >= 43  # 256 bits in base64
    assert CalendarFeed.objects.get().token_hash == hash_secret(token)
    assert token not in str(list(CalendarFeed.objects.values()))
    response = client.get(feed_url(token))  # no session: a calendar app
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    assert "private" in response["Cache-Control"]
    found = events(response)
    summaries = sorted(str(e["SUMMARY"]) for e in found)
    assert len(found) == 3, summaries
    body = response.content.decode()
    title = trio.alliance.title
    assert all(title in s for s in summaries)
    for secret in ("diagnostic", "Lilas", "médical", "orthophoniste", "J'appelle", "Scolarité"):
        assert secret not in body
    meeting = next(e for e in found if "meetings" in str(e["URL"]))
    assert meeting["DTSTART"].dt == trio.meeting.starts_at
    assert (meeting["DTEND"].dt - meeting["DTSTART"].dt) == datetime.timedelta(minutes=90)


def test_a_gone_ally_sees_their_feed_empty(client, trio):
    token = calendar.make_calendar_feed(user=trio.parent.user)
    assert len(events(client.get(feed_url(token)))) == 2  # the meeting and the review
    alliance_services.leave_alliance(ally=trio.parent)
    response = client.get(feed_url(token))
    assert response.status_code == 200 and events(response) == []


@pytest.mark.parametrize("who", ["stranger", "other_user_signed_in"])
def test_nobody_else_gets_the_feed(client, trio, who):
    token = calendar.make_calendar_feed(user=trio.person.user)
    if who == "other_user_signed_in":
        client.force_login(trio.professional.user)
    for wrong in (token[:-1] + ("A" if token[-1] != "A" else "B"), "x", hash_secret(token)):
        assert client.get(feed_url(wrong)).status_code == 404


def test_a_revoked_or_replaced_token_finds_nothing(client, trio):
    user = trio.person.user
    old = calendar.make_calendar_feed(user=user)
    new = calendar.make_calendar_feed(user=user)
    assert client.get(feed_url(old)).status_code == 404
    assert client.get(feed_url(new)).status_code == 200
    calendar.revoke_calendar_feed(user=user)
    assert client.get(feed_url(new)).status_code == 404
    actions = AuditEntry.objects.filter(actor=user).values_list("action", flat=True)
    assert list(actions).count(Action.CALENDAR_FEED_CREATED) == 2
    assert Action.CALENDAR_FEED_REVOKED in actions


def test_an_inactive_account_gets_nothing(client, trio):
    token = calendar.make_calendar_feed(user=trio.person.user)
    trio.person.user.is_active = False
    trio.person.user.save(update_fields=["is_active"])
    assert client.get(feed_url(token)).status_code == 404


def test_guessing_is_rate_limited(client, trio):
    statuses = {client.get(feed_url(f"guess{n}")).status_code for n in range(40)}
    assert 429 in statuses


def test_a_cancelled_meeting_is_marked_and_a_declined_one_is_free(client, trio):
    token = calendar.make_calendar_feed(user=trio.person.user)
    meetings.answer_meeting(ally=trio.person, meeting=trio.meeting, answer="not_coming")
    (meeting,) = [e for e in events(client.get(feed_url(token))) if "meetings" in str(e["URL"])]
    assert str(meeting["TRANSP"]) == "TRANSPARENT"
    meetings.cancel_meeting(
        ally=trio.professional, meeting=trio.meeting, expected_version=1, reason="Grève"
    )
    (meeting,) = [e for e in events(client.get(feed_url(token))) if "meetings" in str(e["URL"])]
    assert str(meeting["STATUS"]) == "CANCELLED"
    assert "Grève" not in client.get(feed_url(token)).content.decode()


def test_the_settings_page_shows_the_address_once_then_never(client, trio):
    user = trio.person.user
    client.force_login(user)
    response = client.post(reverse("accounts:calendar_make"))
    assert response.status_code == 200 and "no-store" in response["Cache-Control"]
    page = response.content.decode()
    feed = CalendarFeed.objects.get(user=user)
    (token,) = re.findall(r"/calendar/([A-Za-z0-9_-]+)\.ics", page)
    assert hash_secret(token) == feed.token_hash
    again = client.get(reverse("accounts:settings")).content.decode()
    assert token not in again
    assert client.post(reverse("accounts:calendar_revoke")).status_code == 200
    assert not CalendarFeed.objects.exists()


def test_the_feed_reads_a_fixed_number_of_queries(client, trio, django_assert_num_queries):
    token = calendar.make_calendar_feed(user=trio.professional.user)
    client.get(feed_url(token))  # the first read writes when it was read
    # the owner, the allies, the meetings, the actions, the review dates
    with django_assert_num_queries(5):
        client.get(feed_url(token))
    other = make_alliance_trio(professional=trio.professional.user, title="Deuxième")
    make_signed_charter(other)
    meetings.schedule_meeting(
        ally=other.professional,
        starts_at=timezone.now() + datetime.timedelta(days=2),
        duration_minutes=30,
        place="Au centre",
        purpose="Point",
    )
    cache.clear()
    with django_assert_num_queries(5):
        assert client.get(feed_url(token)).status_code == 200
