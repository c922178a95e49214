"""The demo's meetings (issue 12): in Noé's alliance, the meeting of 18 days ago whose
weather everyone gave (weather.py) and the next one, at school; in Samir's, a meeting
three days ago whose weather nobody has given yet (the prompt on the home page) and
the next duo-day preparation. Hélène, the coordinator, has a calendar address (its
token is thrown away: a newcomer makes their own on "My settings").

Everything goes through the use cases, each on the day it happened. The content is
French data."""

import datetime

from django.utils import timezone

from alliance.accounts.calendar import make_calendar_feed
from alliance.acting import meetings
from alliance.acting.models import WeatherRating
from alliance.alliances.models import Alliance, Ally

from .clock import as_of, days_ago


def _allies(person_persona: str) -> dict[str, Ally]:
    alliance = Alliance.objects.get(allies__user__demo_persona=person_persona)
    return {
        ally.user.demo_persona or ally.user.display_name: ally
        for ally in alliance.allies.filter(status=Ally.Status.ACTIVE).select_related(
            "user", "alliance"
        )
    }


def _at(days: int, hour: int) -> datetime.datetime:
    """A moment `days` from today (negative: in the past), Paris time. Called outside
    `as_of`, whose clock would move "today"."""
    day = timezone.localdate() + datetime.timedelta(days=days)
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour)))


def _child():
    people = _allies("personne-noe")
    noe, lea, karim = people["personne-noe"], people["parent-lea"], people["parent-karim"]
    helene, marc = people["pro-helene"], people["pro-marc"]
    everyone = [noe, lea, karim, helene, marc]
    past_at, upcoming_at = _at(-18, 17), _at(6, 16)
    with as_of(days_ago(30)):
        past = meetings.schedule_meeting(
            ally=helene,
            starts_at=past_at,
            duration_minutes=60,
            place="Plateforme Les Tilleuls, salle du jardin",
            purpose="Parler de l'année prochaine",
            prepare="Ce que Noé aime à l'école et ce qui est difficile.",
            invited=everyone,
        )
    with as_of(days_ago(25)):
        meetings.answer_meeting(
            ally=lea, meeting=past, answer="coming", word="Après le travail", brings=""
        )
        meetings.answer_meeting(ally=karim, meeting=past, answer="maybe", word="Si je peux")
        meetings.answer_meeting(
            ally=noe, meeting=past, answer="coming", brings="Mon cahier de lecture"
        )
        meetings.answer_meeting(ally=marc, meeting=past, answer="coming")
    # Everyone gave the weather of that meeting (weather.py): no prompt is left.
    for rating in WeatherRating.objects.filter(
        ally__in=everyone, meeting_on=timezone.localtime(past.starts_at).date()
    ).select_related("ally"):
        meetings.settle_weather_prompts(rating.ally, rating.meeting_on)

    with as_of(days_ago(2)):
        upcoming = meetings.schedule_meeting(
            ally=marc,
            starts_at=upcoming_at,
            duration_minutes=45,
            place="École Jules-Ferry, salle 3",
            purpose="Préparer la réunion de l'équipe de suivi",
            prepare="Les cahiers de Noé.",
            invited=everyone,
        )
    with as_of(days_ago(1)):
        meetings.answer_meeting(
            ally=lea, meeting=upcoming, answer="coming", brings="Le dernier bulletin"
        )
        meetings.answer_meeting(ally=helene, meeting=upcoming, answer="coming")
    with as_of(days_ago(1, hour=11)):
        make_calendar_feed(user=helene.user)


def _esat():
    people = _allies("personne-samir")
    samir, nadia = people["personne-samir"], people["proche-nadia"]
    julie, thierry = people["pair-julie"], people["pro-thierry"]
    everyone = [samir, nadia, julie, thierry]
    past_at, upcoming_at = _at(-3, 14), _at(9, 10)
    with as_of(days_ago(9)):
        past = meetings.schedule_meeting(
            ally=thierry,
            starts_at=past_at,
            duration_minutes=60,
            place="Atelier de l'ESAT",
            purpose="Faire le point sur la dernière journée duo",
            invited=everyone,
        )
        meetings.answer_meeting(ally=samir, meeting=past, answer="coming")
        meetings.answer_meeting(ally=julie, meeting=past, answer="coming")
    with as_of(days_ago(1, hour=15)):
        upcoming = meetings.schedule_meeting(
            ally=julie,
            starts_at=upcoming_at,
            duration_minutes=90,
            place="Par visioconférence : le lien est dans le journal",
            purpose="Préparer la prochaine journée duo inversée",
            prepare="Les noms des entreprises qui veulent venir.",
            invited=everyone,
        )
        meetings.answer_meeting(
            ally=nadia, meeting=upcoming, answer="coming", brings="Les photos de la dernière fois"
        )


def load_meetings():
    _child()
    _esat()
