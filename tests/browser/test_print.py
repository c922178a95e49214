"""Printing in the browser (issue 12): on paper a page shows its content and a heading
of what, whose, who printed it and when, never the navigation, buttons or forms; the
documents page is accessible and downloads a PDF."""

import pytest
from django.urls import reverse

from alliance.documents import services
from alliance.documents.models import Kind
from tests.browser.helpers import assert_accessible
from tests.factories import make_alliance_trio, make_signed_charter

pytestmark = pytest.mark.browser

CONTROLS = "header.site-header, nav, form, button, .skip-link"


@pytest.mark.django_db(transaction=True)
def test_a_printed_page_has_its_heading_and_no_control(new_context):
    trio = make_alliance_trio()
    make_signed_charter(trio)
    services.produce_document(ally=trio.professional, kind=Kind.PROJECT)
    page = new_context(trio.professional.user, reading="standard").new_page()
    page.set_viewport_size({"width": 360, "height": 800})
    url = reverse("documents:list", args=[trio.alliance.pk])
    page.goto(url)
    assert_accessible(page)
    heading = page.locator(".print-heading")
    assert not heading.is_visible()  # on screen, the page's own heading is enough
    assert page.locator("form").first.is_visible()
    with page.expect_download() as download:
        page.locator("table a[download]").first.click()
    assert download.value.suggested_filename == "projet-personnalise-v1.pdf"

    page.emulate_media(media="print")
    for target in (url, reverse("alliances:overview", args=[trio.alliance.pk])):
        page.goto(target)
        assert heading.is_visible()
        assert "Imprimé par Inès Morel" in heading.inner_text()
        controls = page.locator(CONTROLS)
        assert controls.count() > 0
        for n in range(controls.count()):
            assert not controls.nth(n).is_visible(), controls.nth(n).evaluate("e => e.outerHTML")
        assert page.locator("h1").is_visible()
