"""Inviting from a file on a small phone, with the keyboard (issue 14, ADR 0040): the
facilitator opens the page from the members, sends a workbook by mistake (the error
takes the focus), then a CSV from a French spreadsheet, reads every line's outcome,
and sends; the members are then found by a name typed without its accents (htmx).
axe-core runs on every page reached, at 360 px wide."""

import re

import pytest
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext

from alliance.collectives.models import MemberInvitation
from tests.browser.helpers import assert_accessible, assert_unique_ids
from tests.browser.test_keyboard import focused, tab_to
from tests.collectives.factories import make_circle

pytestmark = pytest.mark.browser

WIDTH = 360
# An invitation's link (the withdraw buttons carry ids, not tokens).
TOKEN = re.compile(r"/invitations/[A-Za-z0-9_-]{20,}/")


def fr(message):
    with translation.override("fr"):
        return gettext(message)


def audit(page):
    scroll_width = page.evaluate("() => document.documentElement.scrollWidth")
    assert scroll_width <= WIDTH, f"{page.url} scrolls sideways: {scroll_width} px wide"
    assert_accessible(page)
    assert_unique_ids(page)


def land(page, path):
    page.wait_for_url(re.compile(rf"^https?://[^/]+{re.escape(path)}(\?.*)?(#.*)?$"))
    page.wait_for_load_state()
    audit(page)


def test_a_facilitator_invites_a_list_from_a_file_on_a_phone(new_context, tmp_path):
    circle = make_circle(members=1, seeds=0)
    c = circle.collective.pk
    page = new_context(circle.facilitator.user).new_page()
    page.set_viewport_size({"width": WIDTH, "height": 780})
    page.goto(reverse("collectives:detail", args=[c]))
    land(page, reverse("collectives:detail", args=[c]))

    # From the members, by the keyboard.
    tab_to(page, f"a[href='{reverse('collectives:invite_file', args=[c])}']")
    page.keyboard.press("Enter")
    land(page, reverse("collectives:invite_file", args=[c]))

    # A workbook instead of a CSV: the reason, and the focus on it.
    workbook = tmp_path / "voisins.xlsx"
    workbook.write_bytes(b"PK\x03\x04 a workbook")
    page.set_input_files("input[type=file]", str(workbook))
    tab_to(page, "form[enctype] button[type=submit]")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    page.wait_for_load_state()
    assert focused(page, ".error-summary")
    refused = fr(
        'This is a spreadsheet, not a CSV file. In your spreadsheet, choose "Save as", '
        "then the CSV format."
    )
    assert refused.split(".")[0] in page.inner_text(".error-summary")
    audit(page)

    listing = tmp_path / "voisins.csv"
    listing.write_bytes(
        (
            "Nom;Courriel;Qualité\r\n"
            "Hélène Éluard;helene.eluard@example.org;Habitante\r\n"
            "Jérôme Ça;jerome@example.org;Proche\r\n"
            f"Déjà membre;{circle.members[0].user.email};\r\n"
            "Adresse fausse;jerome@example;\r\n"
            "Jérôme encore;JEROME@example.org;\r\n"
        ).encode("cp1252")
    )
    page.set_input_files("input[type=file]", str(listing))
    tab_to(page, "form[enctype] button[type=submit]")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"/members/invite-file/\d+/$"))
    page.wait_for_load_state()
    audit(page)
    lines = page.locator(".batch-line")
    assert lines.count() == 5
    text = page.inner_text("main")
    assert "Hélène Éluard" in text and "Jérôme Ça" in text
    assert fr("Will be invited.") in text
    assert fr("Already a member: nothing is sent.") in text
    assert fr("This is not an email address: correct it in the file.") in text
    assert (fr("The same address as line %(line)d: invited once.") % {"line": 3}) in text
    # No link that signs anyone in, on the facilitator's page.
    assert not TOKEN.search(page.content())

    tab_to(page, "form[action$='/send/'] button")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    land(page, reverse("collectives:detail", args=[c]))
    assert "helene.eluard@example.org" in page.inner_text("main")
    assert set(
        MemberInvitation.objects.filter(collective_id=c).values_list("email", flat=True)
    ) >= {"helene.eluard@example.org", "jerome@example.org"}
    assert not TOKEN.search(page.content())

    # Finding a member by a name typed without accents: htmx swaps the results only.
    page.fill("#id_name", "habitant 0")
    page.press("#id_name", "Enter")
    page.wait_for_function(
        "() => document.querySelectorAll('#member-results .member-row').length === 1"
    )
    assert "Habitant 0" in page.inner_text("#member-results")
    assert focused(page, "#id_name")  # the form was not replaced: the focus stays
    audit(page)
