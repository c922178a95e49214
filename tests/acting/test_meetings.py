"""Meetings: schedule, answer, change with a version check, cancel with a reason,
notifications, and the weather prompt after a meeting (use cases, no pages)."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from alliance.acting import meetings, services
from alliance.acting.models import MeetingAnswer
from alliance.audit.models import Action, AuditEntry
from alliance.conflicts import ConflictError
from alliance.notifications.models import Notification
from tests.acting.test_readings_and_weather import sign_with_indicator
from tests.factories import make_alliance_trio

pytestmark = pytest.mark.django_db


@pytest.fixture
def trio():
    return make_alliance_trio()


def in_days(days, hour=14):
    day = timezone.localdate() + datetime.timedelta(days=days)
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour, 0)))


def schedule(trio, *, by=None, invited=None, days=3, **extra):
    fields = {
        "starts_at": in_days(days),
        "duration_minutes": 60,
        "place": "12 rue des Écoles, Lyon",
        "purpose": "Préparer la rentrée",
        "prepare": "Le bulletin",
        **extra,
    }
    return meetings.schedule_meeting(
        ally=by or trio.professional,
        invited=invited if invited is not None else [trio.parent],
        **fields,
    )


def test_the_person_is_always_invited_and_others_are_told(trio):
    meeting = schedule(trio, invited=[])
    invited = {i.ally_id: i.answer for i in meeting.invitations.all()}
    # The professional chose nobody: they come, the person is invited all the same.
    assert invited == {trio.professional.pk: MeetingAnswer.COMING, trio.person.pk: "pending"}
    told = Notification.objects.filter(kind="meeting_invited")
    assert [n.user_id for n in told] == [trio.person.user_id]
    assert (
        told.get().params["due"]
        == meeting.starts_at.astimezone(timezone.get_current_timezone()).date().isoformat()
    )
    # The notification says neither the purpose nor the place.
    assert "rentrée" not in str(told.get().params) and "Lyon" not in str(told.get().params)
    assert AuditEntry.objects.filter(action=Action.MEETING_SCHEDULED).count() == 1


def test_the_person_may_leave_themselves_out_when_they_schedule(trio):
    meeting = schedule(trio, by=trio.person, invited=[trio.professional])
    assert {i.ally_id for i in meeting.invitations.all()} == {trio.person.pk, trio.professional.pk}
    meeting = schedule(trio, by=trio.parent, invited=[trio.professional])
    # The legal representative speaks for the person: they say whether the person comes.
    assert trio.person.pk not in {i.ally_id for i in meeting.invitations.all()}


@pytest.mark.parametrize(
    "field,value",
    [("place", "  "), ("purpose", ""), ("duration_minutes", 0), ("duration_minutes", 13 * 60)],
)
def test_bad_input_is_refused_and_nothing_is_saved(trio, field, value):
    with pytest.raises(ValidationError) as refused:
        schedule(trio, **{field: value})
    assert field in refused.value.message_dict
    assert not trio.alliance.meetings.exists()


def test_an_outsider_cannot_be_invited(trio):
    other = make_alliance_trio(title="Autre")
    with pytest.raises(ValidationError):
        schedule(trio, invited=[other.parent])


def test_each_ally_answers_only_for_themselves(trio):
    meeting = schedule(trio)
    meetings.answer_meeting(
        ally=trio.person, meeting=meeting, answer="maybe", word="si je peux", brings="mon cahier"
    )
    mine = meeting.invitations.get(ally=trio.person)
    assert (mine.answer, mine.word, mine.brings) == ("maybe", "si je peux", "mon cahier")
    with pytest.raises(ValidationError):
        meetings.answer_meeting(ally=trio.person, meeting=meeting, answer="yes please")
    not_invited = schedule(trio, invited=[], by=trio.person)
    with pytest.raises(PermissionDenied):
        meetings.answer_meeting(ally=trio.parent, meeting=not_invited, answer="coming")


def test_a_stale_change_is_refused_and_a_change_tells_the_invited(trio):
    meeting = schedule(trio)
    changed = meetings.change_meeting(
        ally=trio.parent,
        meeting=meeting,
        expected_version=1,
        starts_at=in_days(4),
        duration_minutes=90,
        place="Par téléphone",
        purpose="Préparer la rentrée",
        invited=[trio.parent, trio.person],
    )
    assert changed.version == 2 and changed.place == "Par téléphone"
    assert set(
        Notification.objects.filter(kind="meeting_changed").values_list("user_id", flat=True)
    ) == {trio.person.user_id, trio.professional.user_id}
    with pytest.raises(ConflictError):
        meetings.change_meeting(
            ally=trio.professional,
            meeting=meeting,
            expected_version=1,
            starts_at=in_days(5),
            duration_minutes=60,
            place="Au centre",
            purpose="Autre",
        )
    meeting.refresh_from_db()
    assert meeting.place == "Par téléphone"


def test_cancel_needs_a_reason_and_tells_everyone(trio):
    meeting = schedule(trio)
    with pytest.raises(ValidationError):
        meetings.cancel_meeting(ally=trio.parent, meeting=meeting, expected_version=1, reason=" ")
    meetings.cancel_meeting(ally=trio.parent, meeting=meeting, expected_version=1, reason="Grève")
    meeting.refresh_from_db()
    assert meeting.is_cancelled and meeting.cancel_reason == "Grève"
    assert Notification.objects.filter(kind="meeting_cancelled").count() == 2
    with pytest.raises(ValidationError):
        meetings.answer_meeting(ally=trio.person, meeting=meeting, answer="coming")


def test_the_weather_prompt_after_a_meeting_until_given_or_dismissed(trio):
    sign_with_indicator(trio, low=0, high=10)
    past = schedule(trio, days=-2)
    coming = schedule(trio, days=2)
    assert [i.meeting for i in meetings.pending_weather_prompts(trio.person)] == [past]
    assert [i.meeting for i in meetings.pending_weather_prompts(trio.parent)] == [past]
    assert coming not in [i.meeting for i in meetings.pending_weather_prompts(trio.person)]
    services.give_weather(
        ally=trio.person,
        aim=7,
        way=6,
        heard=8,
        decide=5,
        meeting_on=timezone.localtime(past.starts_at).date(),
    )
    assert meetings.pending_weather_prompts(trio.person) == []
    meetings.dismiss_weather_prompt(ally=trio.parent, meeting=past)
    assert meetings.pending_weather_prompts(trio.parent) == []
    # The professional said they would come; they did not answer: still asked.
    assert len(meetings.pending_weather_prompts(trio.professional)) == 1


def test_no_prompt_for_who_said_they_would_not_come_nor_for_a_cancelled_meeting(trio):
    past = schedule(trio, days=-1)
    past.invitations.filter(ally=trio.person).update(answer="not_coming")
    assert meetings.pending_weather_prompts(trio.person) == []
    meetings.cancel_meeting(ally=trio.parent, meeting=past, expected_version=1, reason="Annulé")
    assert meetings.pending_weather_prompts(trio.parent) == []


def test_lists_split_upcoming_and_past(trio):
    past, soon = schedule(trio, days=-3), schedule(trio, days=1)
    upcoming, done = meetings.meetings_of(trio.alliance)
    assert upcoming == [soon] and done == [past]
    assert meetings.next_meeting(trio.alliance) == soon
