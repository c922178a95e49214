"""The demo's planning codes and Claire's request for a report (issue 14)."""

from io import StringIO

import pytest
from django.core.management import call_command
from django.urls import reverse

from alliance.accounts.models import Organisation, User
from alliance.acting.models import MeansOption
from alliance.alliances.models import Alliance
from alliance.demo import reports as reports_demo
from alliance.reports.models import ReportRequest

pytestmark = pytest.mark.django_db


def test_the_demo_has_planning_codes_and_a_request_half_answered(client):
    call_command("demo", stdout=StringIO())
    codes = dict(Organisation.objects.exclude(commune_code="").values_list("name", "commune_code"))
    assert codes == {
        "Plateforme médico-sociale Les Tilleuls": "69259",
        "ESAT Les Ateliers de la Vallée": "69266",
    }
    assert set(Organisation.objects.exclude(commune_code="").values_list("departement_code")) == {
        ("69",)
    }
    assert Alliance.objects.filter(mdph_orientation="ulis").count() == len(reports_demo.SCHOOL)
    assert Alliance.objects.filter(service_type="esat").count() == len(reports_demo.HOUSING) + 1
    assert MeansOption.objects.exclude(prestation_code="").count() == len(
        reports_demo.SCHOOL
    ) + len(reports_demo.HOUSING)

    asked = ReportRequest.objects.get()
    assert asked.status == ReportRequest.Status.WAITING and asked.report is None
    assert dict(asked.answers.values_list("organisation__name", "status")) == {
        "Plateforme médico-sociale Les Tilleuls": "accepted",
        "ESAT Les Ateliers de la Vallée": "pending",
    }
    client.force_login(User.objects.get(demo_persona="decideur-claire"))
    page = client.get(reverse("report_requests:detail", args=[asked.pk])).content.decode()
    assert "nos chiffres sur l&#x27;attente" in page or "nos chiffres sur l'attente" in page
