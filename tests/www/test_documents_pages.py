"""The documents' pages (ADR 0024): the list, making the project, downloading; the
review's closing and export; the heading every page prints with."""

import re
from html import unescape

import pytest
from django.urls import reverse

from alliance.acting import services as acting
from alliance.audit.models import Action as Audit
from alliance.audit.models import AuditEntry
from alliance.documents import services
from alliance.documents.models import Document, Kind
from tests.factories import make_alliance_trio, make_signed_charter

pytestmark = pytest.mark.django_db


@pytest.fixture
def trio():
    trio = make_alliance_trio()
    make_signed_charter(trio)
    return trio


def _text(response):
    return unescape(response.content.decode())


def test_an_ally_makes_the_project_then_downloads_it_with_its_hash_in_the_trail(client, trio):
    client.force_login(trio.parent.user)
    alliance = trio.alliance
    response = client.post(reverse("documents:produce_project", args=[alliance.pk]), {})
    assert response.status_code == 302
    document = Document.objects.get()
    assert (document.kind, document.easy_read, document.charter_number) == (Kind.PROJECT, False, 1)
    page = client.get(reverse("documents:list", args=[alliance.pk]), HTTP_X_READING="standard")
    assert page.status_code == 200
    assert document.sha256 in _text(page) and "Nadia Martin" in _text(page)
    response = client.get(reverse("documents:download", args=[alliance.pk, document.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert {"no-store", "private"} <= set(response["Cache-Control"].split(", "))
    assert response["Content-Disposition"] == 'attachment; filename="projet-personnalise-v1.pdf"'
    assert response.content.startswith(b"%PDF")
    entry = AuditEntry.objects.get(action=Audit.DOCUMENT_DOWNLOADED)
    assert (entry.actor_id, entry.alliance_id) == (trio.parent.user_id, alliance.pk)
    assert entry.detail["sha256"] == document.sha256


def test_a_closed_alliance_still_gives_its_project_and_nothing_else_is_written(client, trio):
    from alliance.alliances.lifecycle import close_alliance

    alliance = trio.alliance
    close_alliance(ally=trio.person, reason="Fin de l'accompagnement", expected_version=1)
    alliance.refresh_from_db()
    assert alliance.closed_at is not None
    client.force_login(trio.parent.user)
    response = client.post(reverse("documents:produce_project", args=[alliance.pk]), {})
    assert response.status_code == 302
    assert Document.objects.filter(alliance=alliance, kind=Kind.PROJECT).count() == 1
    # Whereas the alliance itself no longer changes.
    refused = client.post(reverse("acting:journal", args=[alliance.pk]), {"happened": "Encore"})
    assert refused.status_code == 403
    assert not alliance.journal_entries.exists()


def test_the_easy_read_project_has_its_own_name(client, trio):
    client.force_login(trio.person.user)
    client.post(reverse("documents:produce_project", args=[trio.alliance.pk]), {"easy": "1"})
    document = Document.objects.get(easy_read=True)
    response = client.get(reverse("documents:download", args=[trio.alliance.pk, document.pk]))
    assert 'filename="projet-personnalise-v1-facile-a-lire.pdf"' in response["Content-Disposition"]
    # The person's own page is the easy one.
    page = client.get(reverse("documents:list", args=[trio.alliance.pk]))
    assert "Nos papiers" in _text(page)


def test_no_project_without_a_signed_charter_a_clear_message_and_nothing_stored(client):
    trio = make_alliance_trio()
    client.force_login(trio.professional.user)
    response = client.post(reverse("documents:produce_project", args=[trio.alliance.pk]), {})
    assert response.status_code == 400
    assert "signez-la d’abord" in _text(response)
    assert not Document.objects.exists()


def test_a_document_of_another_alliance_is_not_found(client, trio):
    other = make_alliance_trio(title="Une autre alliance")
    make_signed_charter(other)
    document = services.produce_document(ally=other.professional, kind=Kind.PROJECT)
    client.force_login(trio.person.user)
    url = reverse("documents:download", args=[trio.alliance.pk, document.pk])
    assert client.get(url).status_code == 404
    assert not AuditEntry.objects.filter(action=Audit.DOCUMENT_DOWNLOADED).exists()


def test_the_list_costs_the_same_with_one_document_or_many(client, trio, django_assert_num_queries):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    services.produce_document(ally=trio.professional, kind=Kind.PROJECT)
    client.force_login(trio.professional.user)
    url = reverse("documents:list", args=[trio.alliance.pk])
    client.get(url)
    with CaptureQueriesContext(connection) as few:
        assert client.get(url).status_code == 200
    services.produce_document(ally=trio.professional, kind=Kind.PROJECT, easy_read=True)
    review = acting.open_review(ally=trio.professional)
    services.produce_document(ally=trio.parent, kind=Kind.REVIEW, review=review)
    assert Document.objects.count() == 3
    with django_assert_num_queries(len(few.captured_queries)):
        assert client.get(url).status_code == 200
    assert len(few.captured_queries) <= 12


def test_a_review_closes_with_absences_and_a_stale_page_is_refused(client, trio):
    review = acting.open_review(ally=trio.professional)
    url = reverse("acting:review", args=[trio.alliance.pk, review.pk])
    client.force_login(trio.professional.user)
    page = _text(client.get(url, HTTP_X_READING="standard"))
    assert "Clore le point d’étape" in page and "Noter l’absence" in page
    for ally in (trio.person, trio.parent):
        response = client.post(
            reverse("acting:review_absence", args=[trio.alliance.pk, review.pk]),
            {"absence-version": 1, "ally": ally.pk, "reason": "Absent, excusé"},
        )
        if response.status_code != 302:
            break
    # The form's fields are scoped: a POST without them changes nothing.
    assert not review.absences.exists()
    version = review.version
    for ally in (trio.person, trio.parent):
        response = client.post(
            reverse("acting:review_absence", args=[trio.alliance.pk, review.pk]),
            {"version": version, "ally": ally.pk, "reason": "Absent, excusé"},
        )
        assert response.status_code == 302, _text(response)
        version += 1
    acting.write_conclusion(
        ally=trio.professional,
        review=review,
        author=trio.professional,
        text="On continue.",
        expected_version=0,
    )
    close = reverse("acting:review_close", args=[trio.alliance.pk, review.pk])
    stale = client.post(close, {"version": 1})
    assert stale.status_code == 409
    review.refresh_from_db()
    assert review.closed_at is None
    assert client.post(close, {"version": review.version}).status_code == 302
    review.refresh_from_db()
    assert review.closed_at is not None
    assert Document.objects.filter(kind=Kind.REVIEW, review=review).count() == 2
    page = _text(client.get(url, HTTP_X_READING="standard"))
    assert "Enregistrer ma conclusion" not in page and "a été clos le" in page
    # The export is the report as stored: the same document, downloaded.
    export = client.post(reverse("acting:review_export", args=[trio.alliance.pk, review.pk]))
    assert export.status_code == 302
    stored = Document.objects.get(kind=Kind.REVIEW, review=review, easy_read=False)
    assert export["Location"] == reverse("documents:download", args=[trio.alliance.pk, stored.pk])


def test_the_review_page_lists_actions_in_progress(client, trio):
    action = acting.plan_action(
        ally=trio.professional,
        title="Visiter l'école",
        domain_label="Scolarité",
        my_role="J'y vais",
    )
    acting.join_action(ally=trio.person, action=action, role="Je viens")
    acting.start_action(ally=trio.professional, action=action, expected_version=action.version)
    review = acting.open_review(ally=trio.professional)
    client.force_login(trio.parent.user)
    url = reverse("acting:review", args=[trio.alliance.pk, review.pk])
    standard = _text(client.get(url, HTTP_X_READING="standard"))
    assert re.search(r"En cours</h3>\s*<ul><li>Visiter l'école", standard)
    client.force_login(trio.person.user)
    easy = _text(client.get(url))
    assert "Ce qu’on fait en ce moment" in easy and "Visiter l'école" in easy


@pytest.mark.parametrize("page", ["overview", "documents", "home"])
def test_every_page_prints_with_a_heading_of_what_whose_who_and_when(client, trio, page):
    client.force_login(trio.professional.user)
    url = {
        "overview": reverse("alliances:overview", args=[trio.alliance.pk]),
        "documents": reverse("documents:list", args=[trio.alliance.pk]),
        "home": reverse("home"),
    }[page]
    text = _text(client.get(url))
    assert 'href="/static/css/print.css" media="print"' in text
    heading = re.search(r'<div class="print-heading" hidden>(.*?)</div>', text, re.S).group(1)
    assert "Imprimé par Inès Morel" in heading
    if page != "home":
        assert "Aller à l'école du quartier" in heading


def test_an_absence_without_a_reason_is_refused_in_french_and_changes_nothing(client, trio):
    review = acting.open_review(ally=trio.professional)
    url = reverse("acting:review_absence", args=[trio.alliance.pk, review.pk])
    client.force_login(trio.professional.user)
    response = client.post(url, {"version": 1, "ally": trio.parent.pk, "reason": "   "})
    assert response.status_code == 400
    assert "Ce champ est obligatoire." in _text(response) or "Dites pourquoi" in _text(response)
    response = client.post(url, {"version": 1, "ally": 10**12, "reason": "Absent"})
    assert response.status_code == 400
    client.force_login(trio.parent.user)
    response = client.post(url, {"version": 1, "ally": trio.person.pk, "reason": "Absent"})
    assert response.status_code == 403
    assert not review.absences.exists()
