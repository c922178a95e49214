"""Attached files in Chromium (ADR 0026), without any script of ours: the person, in
easy-read on a phone, adds a photo to their journal entry with its text alternative;
a professional sees its thumbnail with that alternative and sends a PDF on the files
page. axe-core on every page."""

import re

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from alliance.acting import services as acting
from tests.attachments.images import PDF, picture
from tests.browser.helpers import assert_accessible, assert_unique_ids
from tests.factories import make_alliance_trio

pytestmark = pytest.mark.browser


def audit(page):
    assert_accessible(page)
    assert_unique_ids(page)


@pytest.mark.django_db(transaction=True)
def test_a_photo_on_the_journal_then_a_pdf_on_the_files_page(new_context):
    trio = make_alliance_trio()
    entry = acting.write_journal_entry(ally=trio.person, happened="On a planté des tomates.")
    journal = reverse("acting:journal", args=[trio.alliance.pk])

    person = new_context(trio.person.user, reading="easy").new_page()
    person.set_viewport_size({"width": 360, "height": 800})
    person.goto(journal)
    audit(person)
    person.get_by_text("J'ajoute une photo").click()
    person.get_by_label("Ma photo").set_input_files(
        {"name": "IMG_2031.png", "mimeType": "image/png", "buffer": picture("PNG", (800, 600))}
    )
    person.get_by_label("Ce qu'on voit sur la photo").fill("Les tomates dans le jardin.")
    person.get_by_role("button", name="J'envoie la photo").click()
    person.wait_for_url(re.compile(rf"/journal/#j{entry.pk}$"))
    expect(person.get_by_role("img", name="Les tomates dans le jardin.")).to_be_visible()
    audit(person)
    assert person.evaluate("document.documentElement.scrollWidth") <= 360

    pro = new_context(trio.professional.user, reading="standard").new_page()
    pro.goto(journal)
    thumbnail = pro.get_by_role("img", name="Les tomates dans le jardin.")
    expect(thumbnail).to_be_visible()
    # Visible is not loaded: the lazy thumbnail arrives on its own request.
    pro.wait_for_function(
        "img => img.complete && img.naturalWidth > 0", arg=thumbnail.element_handle()
    )
    assert thumbnail.evaluate("img => img.naturalWidth") == 320  # our thumbnail, loaded
    pro.get_by_role("navigation", name="Parties de l'alliance").get_by_role(
        "link", name="Fichiers"
    ).click()
    pro.wait_for_url(re.compile(r"/files/$"))
    audit(pro)
    pro.get_by_label("Fichier", exact=True).set_input_files(
        {"name": "notification.pdf", "mimeType": "application/pdf", "buffer": PDF}
    )
    pro.get_by_label("Description (facultative)").fill("La décision reçue")
    pro.get_by_role("button", name="Envoyer le fichier").click()
    expect(pro.get_by_text("Votre fichier est enregistré.")).to_be_visible()
    expect(pro.get_by_role("link", name="notification.pdf")).to_be_visible()
    expect(pro.get_by_role("link", name="IMG_2031.png")).to_be_visible()
    audit(pro)
    with pro.expect_download() as download:
        pro.get_by_role("link", name="notification.pdf").click()
    assert download.value.suggested_filename == "notification.pdf"
