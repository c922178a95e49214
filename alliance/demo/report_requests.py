"""The demo's planning codes and a decision maker's request for a report (issue 14).

The two organisations of the Rhône get their INSEE codes (the platform in
Vénissieux, the ESAT in Villeurbanne, both in the Métropole de Lyon); Noé's and
Samir's alliances get their MDPH orientation and type of service; and Claire Dubois,
for the Département, asks both organisations for a report on the past year: Sophie
Garnier has accepted for the platform, the ESAT has not answered yet. Everything
goes through the use cases of the pages.

The content is French data, written for the demo: it is not interface text."""

import datetime

from django.utils import timezone

from alliance.accounts import address
from alliance.accounts.models import Organisation
from alliance.alliances import planning_codes
from alliance.alliances.models import Alliance
from alliance.reports import requests

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
