"""A decision maker reads a report published to them, on a 360 px phone: the list,
the report with its charts and tables, with no sideways scrolling and no serious
accessibility violation; an administrator publishes it first, and a professional
codes the need of an adopted interest on the charter with the keyboard."""

import datetime
import re

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from alliance.reports import services
from alliance.reports.models import NeedCoding
from tests.browser.helpers import assert_accessible, assert_unique_ids
from tests.factories import UserFactory, make_alliance_trio, make_signed_charter
from tests.reports.data import build_world

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

WIDTH = 360


def check(page):
    scroll_width = page.evaluate("() => document.documentElement.scrollWidth")
    assert scroll_width <= WIDTH, f"{page.url} scrolls sideways: {scroll_width} px wide"
    assert_accessible(page)
    assert_unique_ids(page)


def test_a_decision_maker_reads_a_published_report_on_a_phone(new_context):
    world = build_world(21, organisations=1, alliances=40)
    organisation = world.organisations[0]
    admin = UserFactory(org_admin=True, organisation=organisation, display_name="Anne Directrice")
    reader = UserFactory(decision_maker=True, display_name="Denise Décideuse")
    report = services.request_report(
        user=admin,
        scope_kind="organisation",
        organisation_ids=[organisation.pk],
        period_start=datetime.date(2025, 7, 1),
        period_end=datetime.date(2026, 6, 30),
    )

    # The administrator publishes it to the decision maker from the report page.
    admin_page = new_context(admin).new_page()
    admin_page.set_viewport_size({"width": WIDTH, "height": 780})
    admin_page.goto(reverse("reports:detail", args=[report.pk]))
    check(admin_page)
    admin_page.get_by_label("Denise Décideuse").check()
    admin_page.locator(
        f'form[action="{reverse("reports:publish", args=[report.pk])}"] button'
    ).click()
    admin_page.wait_for_url(re.compile(rf".*{reverse('reports:detail', args=[report.pk])}$"))
    check(admin_page)

    page = new_context(reader).new_page()
    page.set_viewport_size({"width": WIDTH, "height": 780})
    page.goto("/")
    page.get_by_role("link", name="Rapports publiés pour vous").click()
    check(page)
    page.get_by_role("link", name=organisation.name).click()
    page.wait_for_url(re.compile(rf".*{reverse('reports:detail', args=[report.pk])}$"))
    check(page)
    expect(page.locator("svg[role=img]").first).to_be_visible()
    # Each table is folded under its chart; the keyboard opens it.
    expect(page.get_by_role("table").first).to_be_hidden()
    page.locator("details.report-numbers summary").first.focus()
    page.keyboard.press("Enter")
    expect(page.get_by_role("table").first).to_be_visible()
    expect(page.locator("main")).to_contain_text("s : masqué pour protéger la vie privée")
    # Exports are offered with the same numbers.
    with page.expect_download() as download:
        page.get_by_role("link", name="Télécharger en CSV").click()
    assert download.value.suggested_filename.endswith(".csv")


def test_a_professional_codes_a_need_with_the_keyboard(new_context):
    trio = make_alliance_trio()
    make_signed_charter(trio)
    page = new_context(trio.professional.user).new_page()
    page.set_viewport_size({"width": WIDTH, "height": 780})
    page.goto(reverse("alliances:charter", args=[trio.alliance.pk]))
    check(page)
    summary = page.locator("details.need-coding-box summary").first
    summary.focus()
    page.keyboard.press("Enter")
    select = page.locator("details.need-coding-box select").first
    select.focus()
    select.select_option("1.3.3.1")
    page.keyboard.press("Tab")
    page.keyboard.press("Tab")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    check(page)
    assert NeedCoding.objects.filter(alliance=trio.alliance, serafin_code="1.3.3.1").exists()
