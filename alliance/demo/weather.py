"""The demo's indicator readings and alliance weather: ten months of both demo
alliances, replayed on the days they happened (`as_of`).

Noé's alliance rates its two indicators month after month (each rater in their own
time) and gives the weather after each meeting; at the last meeting Karim's "we
decide together" drops from 8 to 4 — the one alert standing now, shown to Noé, his
parents and the professionals. The ESAT alliance, its charter signed by all ten
months ago (history.py), rates its duo days and gives the weather after its
meetings; nine months later Julie adds an indicator, which opens a new version of
the charter that only Samir has signed so far.

Everything goes through the use cases. The content is French data."""

import datetime

from django.utils import timezone

from alliance.acting import services as acting
from alliance.alliances import services
from alliance.alliances.models import Alliance, Ally

from .clock import as_of, days_ago


def _allies(alliance: Alliance) -> dict[str, Ally]:
    return {
        ally.user.demo_persona or ally.user.display_name: ally
        for ally in alliance.allies.select_related("user", "alliance")
    }


def _alliance_of(person_persona: str) -> Alliance:
    return Alliance.objects.get(allies__user__demo_persona=person_persona)


def _indicator(alliance: Alliance, name: str):
    charter = acting.signed_charter(alliance)
    return charter.indicators.get(name=name)


def _readings(indicator, readings):
    """readings: (days ago, ally, value, note)."""
    for days, ally, value, note in sorted(readings, key=lambda r: -r[0]):
        with as_of(days_ago(days, hour=18)):
            acting.rate_indicator(ally=ally, indicator=indicator, value=value, note=note)


def _weather(meetings):
    """meetings: (days ago, {ally: (aim, way, heard, decide, word)}); the person
    answers with the five faces, the others on the 0–10 scale. Each answers the
    day after the meeting."""
    for days, answers in meetings:
        meeting_on = timezone.localdate() - datetime.timedelta(days=days)
        for ally, (aim, way, heard, decide, word) in answers.items():
            with as_of(days_ago(days - 1, hour=9 + ally.pk % 8)):
                acting.give_weather(
                    ally=ally,
                    aim=aim,
                    way=way,
                    heard=heard,
                    decide=decide,
                    word=word,
                    meeting_on=meeting_on,
                    easy_read=ally.role == "person",
                )


# ---------------------------------------------------------------- Noé


def _child():
    alliance = _alliance_of("personne-noe")
    people = _allies(alliance)
    noe, lea, karim = people["personne-noe"], people["parent-lea"], people["parent-karim"]
    helene, marc = people["pro-helene"], people["pro-marc"]

    reads = _indicator(alliance, "Noé lit seul une phrase simple")
    monthly = [300 - 30 * n for n in range(10)]
    _readings(
        reads,
        [(d + 2, marc, v, "") for d, v in zip(monthly, [2, 2, 3, 3, 4, 4, 5, 5, 6, 6], strict=True)]
        + [
            (monthly[0] + 5, lea, 3, "Il reconnaît son prénom et celui de sa sœur."),
            (monthly[2] + 5, lea, 4, ""),
            (monthly[4] + 5, lea, 5, "Il lit les panneaux dans la rue."),
            (monthly[6] + 5, lea, 5, ""),
            (monthly[8] + 5, lea, 7, "Il a lu seul la recette des crêpes."),
            (monthly[9] + 5, lea, 7, ""),
            (monthly[0] + 9, karim, 1, "Il devine plus qu'il ne lit."),
            (monthly[3] + 9, karim, 2, ""),
            (monthly[6] + 9, karim, 4, ""),
            (monthly[9] + 9, karim, 5, "Il me lit l'histoire du soir, une page."),
        ],
    )
    glad = _indicator(alliance, "Noé est content d'aller en classe")
    _readings(
        glad,
        [(d, noe, v, "") for d, v in zip(monthly, [2, 3, 2, 3, 4, 3, 4, 4, 5, 4], strict=True)]
        + [
            (monthly[0] + 3, lea, 3, "Il a mal au ventre le lundi matin."),
            (monthly[3] + 3, lea, 3, ""),
            (monthly[6] + 3, lea, 4, "Il parle de ses copains."),
            (monthly[9] + 3, lea, 4, ""),
            (monthly[1] + 4, marc, 3, ""),
            (monthly[4] + 4, marc, 4, "Il lève la main en classe."),
            (monthly[7] + 4, marc, 4, ""),
            (monthly[2] + 6, karim, 2, "La cantine est trop bruyante pour lui."),
            (monthly[8] + 6, karim, 4, ""),
        ],
    )

    # Noé answers with the faces (1 to 5), the others from 0 to 10.
    _weather(
        [
            (
                290,
                {
                    noe: (3, 3, 3, 3, ""),
                    lea: (6, 3, 5, 4, "Pas d'accord sur l'école"),
                    karim: (6, 3, 4, 4, ""),
                    helene: (7, 5, 7, 6, "Un premier pas"),
                    marc: (7, 5, 6, 5, ""),
                },
            ),
            (
                245,
                {
                    noe: (3, 3, 4, 3, ""),
                    lea: (7, 4, 6, 5, ""),
                    karim: (6, 4, 5, 5, ""),
                    helene: (7, 6, 7, 6, ""),
                    marc: (7, 5, 7, 6, ""),
                },
            ),
            (
                200,
                {
                    noe: (4, 3, 4, 3, "Content"),
                    lea: (7, 5, 6, 6, ""),
                    karim: (7, 5, 6, 6, "On s'écoute"),
                    helene: (8, 6, 7, 7, ""),
                    marc: (7, 6, 7, 6, ""),
                },
            ),
            (
                150,
                {
                    noe: (4, 4, 4, 3, ""),
                    lea: (8, 6, 7, 7, "Les pictogrammes l'aident"),
                    karim: (7, 6, 7, 7, ""),
                    helene: (8, 7, 8, 7, ""),
                    marc: (8, 6, 7, 7, ""),
                },
            ),
            (
                105,
                {
                    noe: (4, 4, 5, 3, ""),
                    lea: (8, 6, 8, 7, ""),
                    karim: (8, 7, 7, 8, ""),
                    helene: (8, 7, 8, 7, "Confiance"),
                    marc: (8, 7, 8, 7, ""),
                },
            ),
            (
                60,
                {
                    noe: (4, 4, 4, 3, ""),
                    lea: (8, 7, 8, 7, ""),
                    karim: (8, 7, 8, 8, "Bien"),
                    helene: (8, 7, 8, 7, ""),
                    marc: (8, 7, 8, 7, ""),
                },
            ),
            # The last meeting talked about the boarding school for next year.
            (
                18,
                {
                    noe: (4, 4, 4, 3, "Les copains"),
                    lea: (8, 7, 8, 7, ""),
                    karim: (8, 6, 7, 4, "Tout était déjà décidé"),
                    helene: (8, 7, 8, 7, ""),
                    marc: (8, 7, 7, 7, ""),
                },
            ),
        ]
    )


# ---------------------------------------------------------------- the ESAT


def _esat():
    alliance = _alliance_of("personne-samir")
    people = _allies(alliance)
    samir, nadia, julie = people["personne-samir"], people["proche-nadia"], people["pair-julie"]
    thierry = people["pro-thierry"]
    # The charter was signed by all ten months ago (history.py).
    visitors = _indicator(
        alliance, "Les visiteurs repartent avec une autre idée du travail en ESAT"
    )
    duo_days = [250 - 30 * n for n in range(8)]
    values = {
        samir: [5, 6, 6, 7, 8, 8, 9, 8],
        julie: [4, 5, 6, 6, 7, 8, 8, 9],
        thierry: [3, 4, 5, 6, 6, 7, 7, 8],
    }
    notes = {
        (samir, 0): "Ils ne savaient pas qu'on travaillait pour de vrais clients.",
        (julie, 3): "Une visiteuse veut revenir avec son équipe.",
        (thierry, 6): "Deux entreprises nous demandent d'autres dates.",
    }
    _readings(
        visitors,
        [
            (day - offset, ally, v, notes.get((ally, n), ""))
            for offset, ally in enumerate((samir, julie, thierry))
            for n, (day, v) in enumerate(zip(duo_days, values[ally], strict=True))
            if not (ally is thierry and n % 3 == 1)  # Thierry missed a few duo days
        ],
    )
    _weather(
        [
            (
                260,
                {
                    samir: (4, 3, 4, 3, "Un peu peur"),
                    nadia: (6, 5, 6, 5, ""),
                    julie: (7, 6, 7, 6, ""),
                    thierry: (7, 5, 6, 6, ""),
                },
            ),
            (
                200,
                {
                    samir: (4, 4, 4, 4, ""),
                    nadia: (7, 6, 7, 6, ""),
                    julie: (8, 7, 8, 7, "On y croit"),
                    thierry: (7, 6, 7, 6, ""),
                },
            ),
            (
                140,
                {
                    samir: (4, 4, 5, 4, "Fier"),
                    nadia: (7, 7, 7, 7, ""),
                    julie: (8, 7, 8, 8, ""),
                    thierry: (8, 7, 8, 7, ""),
                },
            ),
            (
                80,
                {
                    samir: (5, 4, 5, 4, ""),
                    nadia: (8, 7, 8, 7, "Il en parle à la maison"),
                    julie: (9, 8, 9, 8, ""),
                    thierry: (8, 7, 8, 8, ""),
                },
            ),
            (
                25,
                {
                    samir: (5, 4, 5, 5, "On décide ensemble"),
                    nadia: (8, 7, 8, 8, ""),
                    julie: (9, 8, 9, 9, ""),
                    thierry: (8, 8, 8, 8, "Une belle équipe"),
                },
            ),
        ]
    )

    # Nine months on, Julie adds an indicator: a new version, signed by Samir so far.
    with as_of(days_ago(12)):
        current = services.current_charter(alliance)
        services.add_indicator(
            ally=julie,
            charter=current,
            name="Les travailleurs se sentent fiers de leur poste",
            scale_min=0,
            scale_max=10,
            raters=[samir, julie, thierry, nadia],
            expected_revision=current.revision,
        )
    with as_of(days_ago(10)):
        current = services.current_charter(alliance)
        services.sign_charter(ally=samir, charter=current, expected_revision=current.revision)


def load_weather():
    _child()
    _esat()
