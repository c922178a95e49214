"""The demo's documents (ADR 0024): the personalised project of both demo alliances,
standard and easy-read, and the ESAT alliance's review of two months ago closed —
the one ally who did not write a conclusion recorded absent by the instructor — with
its report. Everything goes through the use cases. The content is French data."""

from alliance.acting import selectors as acting_selectors
from alliance.acting import services as acting
from alliance.alliances.models import Alliance, Ally, Role
from alliance.documents import services as documents
from alliance.documents.models import Kind

from .clock import as_of, days_ago


def _alliance_of(person_persona: str) -> Alliance:
    return Alliance.objects.get(allies__user__demo_persona=person_persona)


def _first_professional(alliance: Alliance) -> Ally:
    return (
        alliance.allies.select_related("user", "alliance")
        .filter(role=Role.PROFESSIONAL, status=Ally.Status.ACTIVE)
        .order_by("pk")
        .first()
    )


def _close_last_review(alliance: Alliance, professional: Ally):
    review = alliance.reviews.order_by("-held_on").first()
    slots = acting_selectors.conclusions(review, alliance.allies.select_related("user"))
    with as_of(days_ago(59)):
        for ally in acting_selectors.missing_conclusions(slots):
            acting.record_absence(
                ally=professional,
                review=review,
                absent=ally,
                reason="Absent, excusé",
                expected_version=review.version,
            )
        documents.close_review(ally=professional, review=review, expected_version=review.version)


def load_documents():
    esat = _alliance_of("personne-samir")
    _close_last_review(esat, _first_professional(esat))
    for alliance in (_alliance_of("personne-noe"), esat):
        professional = _first_professional(alliance)
        for easy in (False, True):
            documents.produce_document(ally=professional, kind=Kind.PROJECT, easy_read=easy)
