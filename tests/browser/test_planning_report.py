"""A Département planner (a decision maker the Rhône report was published to) reads
the planning report on a 360 px phone: the summary first, charts with their tables,
trends, the method; no sideways scrolling, no serious accessibility violation. With
the keyboard, they download the CSV and open it with a `;` parser."""

import csv
import io
import re

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from tests.browser.helpers import assert_accessible, assert_unique_ids
from tests.factories import UserFactory
from tests.reports.snapshot_v2 import make_report

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

WIDTH = 360


def test_a_planner_reads_the_report_on_a_phone_and_opens_the_csv(new_context):
    reader = UserFactory(decision_maker=True, display_name="Paule Planificatrice")
    report = make_report(reader)
    page = new_context(reader).new_page()
    page.set_viewport_size({"width": WIDTH, "height": 780})
    page.goto(reverse("reports:detail", args=[report.pk]))

    scroll_width = page.evaluate("() => document.documentElement.scrollWidth")
    assert scroll_width <= WIDTH, f"the report scrolls sideways: {scroll_width} px wide"
    assert_accessible(page)
    assert_unique_ids(page)
    brief = page.get_by_role("region", name="En bref")
    expect(brief).to_contain_text("Ce rapport compte 40 alliances et 39 personnes")
    expect(page.get_by_role("heading", name="Tendances")).to_be_visible()
    expect(page.locator("svg.chart-trend").first).to_be_visible()
    expect(page.get_by_role("heading", name="Méthode")).to_be_visible()
    expect(page.locator("#method")).to_contain_text("« s »".replace(" ", "\u00a0"))

    # The link to the method moves the reader there.
    page.get_by_role("link", name="lire la méthode").click()
    expect(page).to_have_url(re.compile(r"#method$"))

    # The CSV, reached and opened with the keyboard.
    link = page.get_by_role("link", name="Télécharger en CSV")
    link.focus()
    with page.expect_download() as download:
        page.keyboard.press("Enter")
    path = download.value.path()
    text = path.read_bytes().decode("utf-8-sig")
    lines = list(csv.DictReader(io.StringIO(text), delimiter=";"))
    assert lines and all(len(line) == 14 for line in lines)
    waiting = next(
        x
        for x in lines
        if x["table"] == "prestations" and x["code"] == "2.3.1" and x["code_2"] == "waiting"
    )
    assert waiting["valeur"] == "7" and waiting["secret"] == "0"
    housing = next(x for x in lines if x["table"] == "besoins" and x["code"] == "1.3.2")
    assert housing["valeur"] == "" and housing["secret"] == "1"
    lyon = next(x for x in lines if x["table"] == "communes" and x["code"] == "69123")
    assert (lyon["libelle"], lyon["valeur"]) == ("Lyon (69123)", "22")
