"""The results as a report in a real browser: a member reads a group's page and the
bars of every statement on a 360 px screen, with the keyboard only; a facilitator
describes the group and members read those words. axe-core finds nothing serious."""

import pytest
from django.conf import settings
from django.urls import reverse

from alliance.collectives import results
from tests.browser.helpers import assert_accessible, assert_unique_ids
from tests.collectives.test_results import Place

pytestmark = pytest.mark.browser

WIDTH = 360


def _english(context, live_server):
    context.add_cookies(
        [{"name": settings.LANGUAGE_COOKIE_NAME, "value": "en", "url": live_server.url}]
    )
    return context


def _fits(page):
    width = page.evaluate("() => document.documentElement.scrollWidth")
    assert width <= WIDTH, f"{page.url} scrolls sideways: {width} px"


@pytest.fixture
def place():
    place = Place(tenants=6, owners=6)
    place.vote_all()
    results.recompute_now(member=place.facilitator, consultation=place.consultation)
    return place


def test_a_member_reads_a_group_and_its_bars_by_keyboard_on_a_phone(
    new_context, live_server, place
):
    page = _english(new_context(place.tenants[0].user), live_server).new_page()
    page.set_viewport_size({"width": WIDTH, "height": 780})
    page.goto(reverse("results:results", args=[place.collective.pk, place.consultation.pk]))
    page.locator("svg.chart-votes").first.wait_for()
    assert page.locator(".group-description").count() == 2
    _fits(page)
    assert_accessible(page)
    assert_unique_ids(page)

    link = page.get_by_role("link", name="How this group voted on everything — Group A")
    link.focus()
    page.keyboard.press("Enter")
    page.get_by_role("heading", name="How this group voted on everything").wait_for()
    assert page.locator("h1").inner_text() == "Group A: 6 people"
    assert page.locator("svg.chart-votes").count() == len(place.statements)
    first = page.locator("svg.chart-votes").first
    assert "Everyone" in first.locator("desc").text_content()
    # The table alternative opens from the keyboard.
    summary = page.locator("summary", has_text="The votes, as a table").first
    summary.focus()
    page.keyboard.press("Enter")
    table = page.locator("details[open] table").first
    table.wait_for()
    assert "Agree" in table.inner_text()
    _fits(page)
    assert_accessible(page)
    assert_unique_ids(page)
    assert page.get_by_role("link", name="Change the description of this group").count() == 0


def test_a_facilitator_describes_a_group_and_a_member_reads_it(new_context, live_server, place):
    group_url = reverse("results:group", args=[place.collective.pk, place.consultation.pk, 0])
    facilitator = _english(new_context(place.facilitator.user), live_server).new_page()
    facilitator.set_viewport_size({"width": WIDTH, "height": 780})
    facilitator.goto(group_url)
    facilitator.get_by_role("link", name="Change the description of this group").click()
    field = facilitator.get_by_label("The group in one line")
    field.wait_for()
    _fits(facilitator)
    assert_accessible(facilitator)
    field.fill("Want wide pavements and fewer cars")
    field.press("Enter")
    facilitator.get_by_role("heading", name="How this group voted on everything").wait_for()
    assert facilitator.locator("p.lead.group-description").inner_text() == (
        "Want wide pavements and fewer cars"
    )

    member = _english(new_context(place.owners[0].user), live_server).new_page()
    member.set_viewport_size({"width": WIDTH, "height": 780})
    member.goto(reverse("results:results", args=[place.collective.pk, place.consultation.pk]))
    descriptions = member.locator(".group-description").all_inner_texts()
    assert "Want wide pavements and fewer cars" in descriptions
    assert_accessible(member)
