"""The demo's meetings: a past meeting with answers whose weather was given, the next
meeting of each person's alliance on its home, the weather prompt in Samir's alliance,
a calendar address for Hélène, and the ESAT charter's second version showing what
changed since Samir's allies signed."""

import pytest
from django.core.management import call_command
from django.urls import reverse

from alliance.accounts.models import CalendarFeed
from alliance.acting import meetings
from alliance.acting.models import MeetingAnswer
from alliance.alliances.models import Alliance, Ally, Role

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo():
    call_command("demo", stdout=None)


def _ally(persona):
    return Ally.objects.select_related("alliance", "user").get(
        user__demo_persona=persona,
        alliance__in=Alliance.objects.filter(
            allies__user__demo_persona__in=["personne-noe", "personne-samir"],
            allies__role=Role.PERSON,
        ),
    )


def test_the_demo_meetings(demo, client):
    _noe_alliance_has_a_past_meeting_with_answers_and_no_prompt_left()
    _samir_is_asked_the_weather_of_the_last_meeting(client)
    _helene_has_a_calendar_address_and_julie_sees_what_changed(client)


def _noe_alliance_has_a_past_meeting_with_answers_and_no_prompt_left():
    noe = _ally("personne-noe")
    upcoming, past = meetings.meetings_of(noe.alliance)
    assert len(past) == 1 and len(upcoming) == 1
    answers = {i.answer for i in past[0].invitations.all()}
    assert {MeetingAnswer.COMING, MeetingAnswer.MAYBE} <= answers
    assert meetings.pending_weather_prompts(noe) == []
    assert meetings.next_meeting(noe.alliance) == upcoming[0]


def _samir_is_asked_the_weather_of_the_last_meeting(client):
    samir = _ally("personne-samir")
    (prompt,) = meetings.pending_weather_prompts(samir)
    client.force_login(samir.user)
    page = client.get(reverse("alliances:overview", args=[samir.alliance.pk]))
    assert reverse("meetings:weather_dismiss", args=[samir.alliance.pk, prompt.meeting.pk]) in (
        page.content.decode()
    )


def _helene_has_a_calendar_address_and_julie_sees_what_changed(client):
    assert CalendarFeed.objects.filter(user__demo_persona="pro-helene").exists()
    julie = _ally("pair-julie")
    client.force_login(julie.user)
    page = client.get(reverse("alliances:charter", args=[julie.alliance.pk])).content.decode()
    assert 'id="since-signed"' in page
    assert "Les travailleurs se sentent fiers de leur poste" in page
