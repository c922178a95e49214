"""Documents (ADR 0024): the personalised project and review reports, made with
WeasyPrint from the selectors of the pages, stored once per content, stamped with
their version; read back as images and text."""

import datetime
import hashlib
from pathlib import Path

import pytest
from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import RequestFactory
from django.utils import formats, timezone
from django.utils.translation import override

from alliance import readability
from alliance.acting import selectors
from alliance.acting import services as acting
from alliance.audit.models import Action as Audit
from alliance.audit.models import AuditEntry
from alliance.conflicts import ConflictError
from alliance.documents import rendering, services
from alliance.documents.models import Document, DocumentFile, Kind
from alliance.notifications.models import Notification
from alliance.www.accounts.letter import letter_pdf
from tests.factories import make_alliance_trio, make_signed_charter

from .pdf import INK, pages, text_of

pytestmark = pytest.mark.django_db

CONTROL_LABELS = ["Signer", "Modifier", "Enregistrer", "Supprimer", "Valider", "Sign ", "Save"]
JARGON = readability.load_jargon(Path(settings.BASE_DIR) / "www" / "easy_read" / "jargon.txt")


def _french_date(moment) -> str:
    return formats.date_format(timezone.localtime(moment), "DATE_FORMAT")


@pytest.fixture
def trio():
    trio = make_alliance_trio()
    make_signed_charter(trio)
    action = acting.plan_action(
        ally=trio.professional,
        title="Visiter l'école du quartier",
        domain_label="Scolarité",
        my_role="J'appelle la directrice",
    )
    acting.join_action(ally=trio.person, action=action, role="Je viens avec maman")
    acting.start_action(ally=trio.professional, action=action, expected_version=action.version)
    return trio


def test_the_project_document_shows_the_signed_charter_and_no_control(trio):
    with override("fr"):
        document = services.produce_document(ally=trio.professional, kind=Kind.PROJECT)
    data = bytes(document.file.data)
    assert document.sha256 == hashlib.sha256(data).hexdigest() and document.size == len(data)
    assert document.charter_number == 1 and not document.easy_read
    found = pages(data)
    assert found and all(page["ink"] > INK for page in found), [p["ink"] for p in found]
    text = "\n".join(page["text"] for page in found)
    charter = acting.signed_charter(trio.alliance)
    for expected in [
        "Léo Martin",
        "Inès Morel",
        "Nadia Martin",
        "Version 1",
        _french_date(charter.signed_at),
        "Visiter l'école du quartier",
        "Je viens avec maman",
        "En cours",
        f"page 1 sur {len(found)}",
    ]:
        assert expected in text, expected
    for label in CONTROL_LABELS:
        assert label not in text, label


def test_the_easy_read_project_follows_the_easy_read_rules(trio):
    with override("fr"):
        context = rendering.project_context(trio.alliance, easy_read=True)
        rendered = rendering.render("documents/pdf/project_easy.html", context)
    problems = [
        v
        for v in readability.check(rendered.html, jargon=JARGON, max_main_words=10_000)
        if v.rule in (readability.LONG_SENTENCE, readability.JARGON, readability.POINT_MEDIAN)
    ]
    assert problems == []
    text = text_of(rendered.pdf)
    assert "Léo Martin" in text and "accord numéro 1" in text
    assert all(page["ink"] > INK for page in pages(rendered.pdf))


def test_the_easy_read_project_says_tu_to_a_child(trio):
    user = trio.person.user
    user.born_on = timezone.localdate() - datetime.timedelta(days=365 * 8)
    user.save(update_fields=["born_on"])
    with override("fr"):
        html = rendering.render(
            "documents/pdf/project_easy.html",
            rendering.project_context(trio.alliance, easy_read=True),
        ).html
    assert "C’est ton projet." in html or "C'est ton projet." in html
    assert not [
        v for v in readability.check(html, informal=True) if v.rule == readability.FORMAL_YOU
    ]


def test_the_same_content_is_stored_once_and_a_change_makes_a_new_document(trio):
    first = services.produce_document(ally=trio.professional, kind=Kind.PROJECT)
    again = services.produce_document(ally=trio.person, kind=Kind.PROJECT)
    assert again.pk == first.pk
    assert Document.objects.count() == DocumentFile.objects.count() == 1
    entries = AuditEntry.objects.filter(action=Audit.DOCUMENT_PRODUCED)
    assert [e.detail["sha256"] for e in entries] == [first.sha256]
    assert entries.get().detail["charter"] == 1
    action = trio.alliance.actions.get()
    acting.finish_action(ally=trio.professional, action=action, expected_version=action.version)
    changed = services.produce_document(ally=trio.person, kind=Kind.PROJECT)
    assert changed.pk != first.pk and changed.produced_by == trio.person
    assert Document.objects.count() == 2


def test_no_project_before_a_signed_charter_and_nothing_for_strangers():
    trio = make_alliance_trio()
    with pytest.raises(ValidationError):
        services.produce_document(ally=trio.professional, kind=Kind.PROJECT)
    other = make_alliance_trio(title="Une autre alliance")
    make_signed_charter(other)
    document = services.produce_document(ally=other.person, kind=Kind.PROJECT)
    with pytest.raises(PermissionDenied):
        services.download_document(ally=trio.person, document=document)
    review = acting.open_review(ally=other.professional)
    with pytest.raises(PermissionDenied):
        services.produce_document(ally=trio.person, kind=Kind.REVIEW, review=review)
    assert Document.objects.count() == 1


def test_a_review_shows_actions_in_progress_and_closes_once_everyone_concluded(trio):
    review = acting.open_review(ally=trio.professional)
    summary = selectors.review_summary(review)
    assert [a.title for a in summary["actions_in_progress"]] == ["Visiter l'école du quartier"]
    assert summary["actions_late"] == []
    acting.write_conclusion(
        ally=trio.person, review=review, author=trio.person, text="Ça va mieux.", expected_version=0
    )
    with pytest.raises(ValidationError):  # two allies have not concluded
        services.close_review(ally=trio.person, review=review, expected_version=review.version)
    with pytest.raises(PermissionDenied):  # only a professional records an absence
        acting.record_absence(
            ally=trio.parent, review=review, absent=trio.parent, reason="x", expected_version=1
        )
    with pytest.raises(ValidationError):  # a reason is needed
        acting.record_absence(
            ally=trio.professional,
            review=review,
            absent=trio.parent,
            reason=" ",
            expected_version=1,
        )
    acting.record_absence(
        ally=trio.professional,
        review=review,
        absent=trio.parent,
        reason="Absente, excusée",
        expected_version=1,
    )
    acting.write_conclusion(
        ally=trio.professional,
        review=review,
        author=trio.professional,
        text="On continue.",
        expected_version=0,
    )
    with pytest.raises(ConflictError):  # read before the absence was recorded
        services.close_review(ally=trio.person, review=review, expected_version=1)
    review.refresh_from_db()
    assert review.closed_at is None
    with override("fr"):
        standard, easy = services.close_review(
            ally=trio.person, review=review, expected_version=review.version
        )
    review.refresh_from_db()
    assert review.closed_at is not None and review.closed_by == trio.person
    assert (standard.kind, standard.easy_read, easy.easy_read) == (Kind.REVIEW, False, True)
    assert standard.review == review == easy.review
    text = text_of(bytes(standard.file.data))
    for expected in ["Ça va mieux.", "On continue.", "Absente, excusée", "Visiter l'école"]:
        assert expected in text, expected
    for label in CONTROL_LABELS:
        assert label not in text, label
    assert all(page["ink"] > INK for page in pages(bytes(easy.file.data)))
    # Read-only now.
    with pytest.raises(ValidationError):
        acting.write_conclusion(
            ally=trio.person, review=review, author=trio.person, text="Non.", expected_version=1
        )
    with pytest.raises(ValidationError):
        services.close_review(ally=trio.person, review=review, expected_version=review.version)
    assert AuditEntry.objects.filter(action=Audit.REVIEW_CLOSED).count() == 1
    notified = set(
        Notification.objects.filter(kind="review_closed").values_list("user_id", flat=True)
    )
    assert notified == {trio.professional.user_id, trio.parent.user_id}


def test_the_activation_letter_has_an_easy_read_version():
    trio = make_alliance_trio()
    request = RequestFactory().get("/")
    with override("fr"):
        easy = text_of(letter_pdf(request, trio.person.user, "ABCDE-FGHJK", easy_read=True))
        usual = text_of(letter_pdf(request, trio.person.user, "ABCDE-FGHJK"))
    assert "ABCDE-FGHJK" in easy and "ABCDE-FGHJK" in usual
    assert easy != usual and "1." in easy


def test_the_project_speaks_the_language_it_is_made_in(trio):
    with override("en"):
        document = services.produce_document(ally=trio.professional, kind=Kind.PROJECT)
    text = text_of(bytes(document.file.data))
    assert "Personalised project" in text and "page 1 of" in text
    assert "Projet personnalisé" not in text
