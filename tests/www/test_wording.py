"""Wording defects seen in issue 12, each pinned: a status said twice ("Ouverte
ouverte le…"), "en tant que Hélène", a name joined to a colon without the space."""

import datetime
from html import unescape

import pytest
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext

from alliance import dates
from alliance.collectives import services
from alliance.collectives.models import Consultation
from tests.collectives.factories import make_circle

pytestmark = pytest.mark.django_db


def _consultation_page(client, circle):
    client.force_login(circle.facilitator.user)
    address = reverse(
        "collectives:consultation", args=[circle.collective.pk, circle.consultation.pk]
    )
    return unescape(client.get(address).content.decode())


def test_an_open_consultation_says_its_status_once(client):
    circle = make_circle()
    april = datetime.datetime(2026, 4, 1, 10, tzinfo=datetime.UTC)
    Consultation.objects.filter(pk=circle.consultation.pk).update(opened_at=april)
    page = _consultation_page(client, circle)
    assert '<span class="badge">Ouverte</span>' in page
    assert "depuis le 1er avril 2026" in page
    assert "ouverte le" not in page.lower()


def test_a_closed_consultation_says_from_when_to_when(client):
    circle = make_circle()
    consultation = services.close_consultation(
        by=circle.facilitator,
        consultation=circle.consultation,
        expected_version=circle.consultation.version,
    )
    page = _consultation_page(client, circle)
    assert "close le" not in page.lower()
    with translation.override("fr"):
        assert f"au {dates.show(consultation.closed_at)}" in page


def test_signing_in_as_a_persona_is_not_en_tant_que_hélène():
    with translation.override("fr"):
        words = gettext("Sign in as %(name)s") % {"name": "Hélène Roussel"}
    assert words == "Se connecter comme Hélène Roussel"
