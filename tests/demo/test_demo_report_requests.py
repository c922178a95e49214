"""The demo's planning codes, Claire's request for a report waiting for the ESAT, and
the town hall's, closed on its answer day with the ESAT silent (issue 14)."""

import datetime
import re
from io import StringIO

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from alliance.accounts.models import Organisation, User
from alliance.acting.models import MeansOption
from alliance.alliances.models import Alliance
from alliance.demo import reports as reports_demo
from alliance.demo.report_requests import TOWN_HALL_ASKED
from alliance.reports.models import Report, ReportRequest

pytestmark = pytest.mark.django_db


def test_the_demo_has_planning_codes_a_request_half_answered_and_one_closed(client):
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

    assert ReportRequest.objects.count() == 2
    asked = ReportRequest.objects.get(requested_by__demo_persona="decideur-claire")
    assert asked.status == ReportRequest.Status.WAITING and asked.report is None
    assert dict(asked.answers.values_list("organisation__name", "status")) == {
        "Plateforme médico-sociale Les Tilleuls": "accepted",
        "ESAT Les Ateliers de la Vallée": "pending",
    }
    client.force_login(User.objects.get(demo_persona="decideur-claire"))
    page = client.get(reverse("report_requests:detail", args=[asked.pk])).content.decode()
    assert "nos chiffres sur l&#x27;attente" in page or "nos chiffres sur l'attente" in page

    closed = ReportRequest.objects.get(requested_by__demo_persona="decideur-mairie")
    today = timezone.localdate()
    assert timezone.localdate(closed.created_at) == today - datetime.timedelta(TOWN_HALL_ASKED)
    assert closed.answer_by < today and closed.closed_on_answer_day
    assert timezone.localdate(closed.closed_at) == closed.answer_by + datetime.timedelta(1)
    assert closed.status == ReportRequest.Status.ANSWERED
    assert dict(closed.answers.values_list("organisation__name", "status")) == {
        "Plateforme médico-sociale Les Tilleuls": "accepted",
        "ESAT Les Ateliers de la Vallée": "no_answer",
    }
    town_hall = User.objects.get(demo_persona="decideur-mairie")
    assert closed.report.status == Report.Status.READY
    assert list(closed.report.published_to.all()) == [town_hall]
    client.force_login(town_hall)
    page = client.get(reverse("report_requests:detail", args=[closed.pk])).content.decode()
    page = page.replace("&#x27;", "'").replace("&nbsp;", " ")
    # French typography puts a narrow no-break space before the colon.
    assert re.search(r"N'a pas répondu, et n'est pas comptée\s:\sESAT Les Ateliers", page)
