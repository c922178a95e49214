"""The demo's planning codes and a decision maker's request for a report (issue 14).

The two organisations of the Rhône get their INSEE codes (the platform in
Vénissieux, the ESAT in Villeurbanne, both in the Métropole de Lyon); Noé's and
Samir's alliances get their MDPH orientation and type of service; and Claire Dubois,
for the Département, asks both organisations for a report on the past year: Sophie
Garnier has accepted for the platform, the ESAT has not answered yet. Earlier,
Isabelle Morin, for the town hall, asked the same two organisations about getting
around the city: the platform accepted, the ESAT stayed silent, and the daily job
closed the request the day after its answer day, the ESAT shown as "no answer".
Everything goes through the use cases of the pages (and the daily job's function).

The content is French data, written for the demo: it is not interface text."""

import datetime

from django.utils import timezone

from alliance.accounts import address
from alliance.accounts.models import Organisation, User
from alliance.alliances import planning_codes
from alliance.alliances.models import Alliance
from alliance.reports import requests
from alliance.reports.computation import compute_report

from .clock import as_of, days_ago

METROPOLE = ("200046977", "Métropole de Lyon")


def _plan(title, professional, orientation, service_type):
    alliance = Alliance.objects.get(title=title)
    planning_codes.set_planning_codes(
        ally=alliance.allies.get(user=professional),
        mdph_orientation=orientation,
        service_type=service_type,
        expected=planning_codes.seen(alliance),
    )


def load_report_requests(people) -> None:
    admin = people["admin"]
    platform = admin.organisation
    address.set_organisation_address(
        admin=admin,
        commune_code="69259",
        commune_name="Vénissieux",
        epci_code=METROPOLE[0],
        epci_name=METROPOLE[1],
        expected=address.fingerprint(platform),
    )
    # The demo's ESAT has no administrator to record its codes (loader.py opens its
    # instructor's account directly): they are written as the loader writes it.
    esat = people["instructor"].organisation
    Organisation.objects.filter(pk=esat.pk).update(
        commune_code="69266",
        commune_name="Villeurbanne",
        epci_code=METROPOLE[0],
        epci_name=METROPOLE[1],
        departement_code="69",
    )
    _plan("Noé, 9 ans : grandir et apprendre", people["coordinator"], "plateforme", "plateforme")
    _plan("Samir et l'atelier : les duos inversés", people["instructor"], "esat", "esat")

    today = timezone.localdate()
    asked = requests.ask_for_report(
        user=people["decision_maker"],
        organisation_ids=[platform.pk, esat.pk],
        period_start=today - datetime.timedelta(days=365),
        period_end=today,
        purpose=(
            "Préparer le schéma départemental de l'autonomie : savoir quels "
            "accompagnements sont demandés et lesquels manquent, commune par commune."
        ),
        answer_by=today + datetime.timedelta(days=21),
    )
    answer = asked.answers.get(organisation=platform)
    requests.answer_report_request(
        user=admin,
        answer=answer,
        accept=True,
        words="Avec plaisir : nos chiffres sur l'attente d'AESH vous seront utiles.",
        expected_version=answer.version,
    )


# How many days ago the town hall asked: with the default 30 days to answer, its
# answer day is long past, and the request closed on its own.
TOWN_HALL_ASKED = 75


def load_closed_report_request(people) -> None:
    """The town hall's request, closed on its answer day with the ESAT silent. Needs
    the town hall's decision maker (`proposals.load_proposal`)."""
    town_hall = User.objects.get(demo_persona="decideur-mairie")
    admin = people["admin"]
    esat = people["instructor"].organisation
    asked_on = timezone.localdate() - datetime.timedelta(days=TOWN_HALL_ASKED)
    with as_of(days_ago(TOWN_HALL_ASKED, hour=11)):
        asked = requests.ask_for_report(
            user=town_hall,
            organisation_ids=[admin.organisation_id, esat.pk],
            period_start=asked_on - datetime.timedelta(days=365),
            period_end=asked_on,
            purpose=(
                "Préparer le plan de mise en accessibilité de la voirie et des "
                "transports : savoir quels déplacements manquent aux personnes "
                "accompagnées, pour choisir les travaux de l'an prochain."
            ),
        )
    answer = asked.answers.get(organisation=admin.organisation)
    with as_of(days_ago(TOWN_HALL_ASKED - 4, hour=16)):
        requests.answer_report_request(
            user=admin,
            answer=answer,
            accept=True,
            words="Oui : les trajets vers l'école et le travail reviennent souvent.",
            expected_version=answer.version,
        )
    day_after = asked.answer_by + datetime.timedelta(days=1)
    with as_of(days_ago((timezone.localdate() - day_after).days, hour=6)):
        requests.close_requests_on_answer_day(day_after)
        asked.refresh_from_db()
        # Computed here rather than left to the task worker, as the territory report.
        compute_report(asked.report_id)
