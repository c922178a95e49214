"""The demo's documents (alliance/demo/documents.py): both demo alliances have their
personalised project, standard and easy-read; the ESAT alliance's last review is
closed, with its report, the ally who wrote nothing recorded absent."""

import pytest
from django.core.management import call_command

from alliance.acting.models import Review
from alliance.alliances.models import Alliance, Role
from alliance.documents.models import Document, Kind

pytestmark = pytest.mark.django_db


def _alliance(persona):
    return Alliance.objects.get(allies__user__demo_persona=persona, allies__role=Role.PERSON)


def test_the_demo_hands_over_projects_and_a_closed_review_report():
    call_command("demo", stdout=None)
    for persona in ("personne-noe", "personne-samir"):
        projects = Document.objects.filter(alliance=_alliance(persona), kind=Kind.PROJECT)
        assert sorted(projects.values_list("easy_read", flat=True)) == [False, True]
        assert all(d.charter_number and d.size > 1000 for d in projects)
    esat = _alliance("personne-samir")
    review = Review.objects.filter(alliance=esat).order_by("-held_on").first()
    assert review.closed_at is not None
    reports = Document.objects.filter(kind=Kind.REVIEW, review=review)
    assert sorted(reports.values_list("easy_read", flat=True)) == [False, True]
    concluded = set(review.conclusions.values_list("ally_id", flat=True))
    absent = set(review.absences.values_list("ally_id", flat=True))
    active = {a.pk for a in esat.allies.all() if a.is_active}
    assert concluded | absent >= active and not concluded & absent
