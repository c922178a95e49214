"""Use cases of the documents (ADR 0024): producing one, downloading one, and closing
a review, which produces its report. Keyword-only, atomic, permission by predicate,
the trail written by the use case itself."""

import hashlib

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from alliance.acting import services as acting_services
from alliance.acting.models import Review
from alliance.alliances.models import Ally
from alliance.audit.journal import record_by_ally
from alliance.audit.models import Action as Audit

from . import perms, rendering
from .models import Document, DocumentFile, Kind

TEMPLATES = {
    (Kind.PROJECT, False): "documents/pdf/project.html",
    (Kind.PROJECT, True): "documents/pdf/project_easy.html",
    (Kind.REVIEW, False): "documents/pdf/review.html",
    (Kind.REVIEW, True): "documents/pdf/review_easy.html",
}


def _context(kind, alliance, review, easy_read):
    if kind == Kind.PROJECT:
        context = rendering.project_context(alliance, easy_read=easy_read)
        if context is None:
            raise ValidationError(
                _("The personalised project is made from a signed charter: sign it first.")
            )
        return context
    return rendering.review_context(review, easy_read=easy_read)


@transaction.atomic
def produce_document(
    *, ally: Ally, kind: str, easy_read: bool = False, review: Review | None = None
) -> Document:
    """Renders the document as the alliance stands now and stores it, stamped with the
    version it shows. The same content produced again is the document already stored
    (no copy), and its production is not written twice."""
    if not perms.can_produce_document(ally):
        raise PermissionDenied
    kind = Kind(kind)
    if kind == Kind.REVIEW and (review is None or review.alliance_id != ally.alliance_id):
        raise PermissionDenied
    alliance = ally.alliance
    context = _context(kind, alliance, review, easy_read)
    rendered = rendering.render(TEMPLATES[kind, easy_read], context)
    source = rendered.source_sha256
    found = Document.objects.filter(
        alliance=alliance, kind=kind, easy_read=easy_read, source_sha256=source
    ).first()
    if found is not None:
        return found
    try:
        with transaction.atomic():
            document = Document.objects.create(
                alliance=alliance,
                kind=kind,
                easy_read=easy_read,
                charter_number=context["version"],
                review=review if kind == Kind.REVIEW else None,
                produced_by=ally,
                produced_at=timezone.now(),
                sha256=hashlib.sha256(rendered.pdf).hexdigest(),
                source_sha256=source,
                size=len(rendered.pdf),
            )
            DocumentFile.objects.create(document=document, data=rendered.pdf)
            record_by_ally(
                ally,
                Audit.DOCUMENT_PRODUCED,
                target=document,
                kind=kind.value,
                easy_read=easy_read,
                charter=document.charter_number,
                review=review.pk if review else None,
                sha256=document.sha256,
            )
    except IntegrityError:  # produced at the same moment by another ally: theirs stands
        return Document.objects.get(
            alliance=alliance, kind=kind, easy_read=easy_read, source_sha256=source
        )
    return document


def download_document(*, ally: Ally, document: Document) -> bytes:
    """The PDF's bytes, for an active ally of the document's alliance; the trail keeps
    who took which file (its hash)."""
    if not perms.can_download_document(ally, document):
        raise PermissionDenied
    data = bytes(DocumentFile.objects.values_list("data", flat=True).get(document=document))
    record_by_ally(ally, Audit.DOCUMENT_DOWNLOADED, target=document, sha256=document.sha256)
    return data


@transaction.atomic
def close_review(*, ally: Ally, review: Review, expected_version: int) -> list[Document]:
    """Closes the review (every ally concluded or was recorded absent) and produces its
    report, standard and easy-read, in the same transaction: a closed review always
    has its report."""
    acting_services.mark_review_closed(ally=ally, review=review, expected_version=expected_version)
    return [
        produce_document(ally=ally, kind=Kind.REVIEW, easy_read=easy, review=review)
        for easy in (False, True)
    ]
