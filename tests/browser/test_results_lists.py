"""A long divisive list in a real browser: a member follows the results page's link to
the whole list and pages through it by keyboard on a 360 px screen, in the standard
reading and in easy-read; axe-core finds nothing serious on any page."""

import pytest
from django.conf import settings
from django.urls import reverse

from tests.browser.helpers import assert_accessible, assert_unique_ids
from tests.collectives.factories import long_results, make_circle

pytestmark = pytest.mark.browser

WIDTH = 360
DIVISIVE = 200


def _english(context, live_server):
    context.add_cookies(
        [{"name": settings.LANGUAGE_COOKIE_NAME, "value": "en", "url": live_server.url}]
    )
    return context


def _checked(page):
    width = page.evaluate("() => document.documentElement.scrollWidth")
    assert width <= WIDTH, f"{page.url} scrolls sideways: {width} px"
    assert_accessible(page)
    assert_unique_ids(page)


@pytest.fixture
def circle():
    circle = make_circle(members=1, seeds=DIVISIVE + 12)
    long_results(circle, common=12, divisive=DIVISIVE)
    return circle


def test_a_member_pages_a_long_divisive_list_by_keyboard_on_a_phone(
    new_context, live_server, circle
):
    page = _english(new_context(circle.members[0].user), live_server).new_page()
    page.set_viewport_size({"width": WIDTH, "height": 780})
    page.goto(reverse("results:results", args=[circle.collective.pk, circle.consultation.pk]))
    link = page.get_by_role("link", name=f"See all {DIVISIVE} divisive statements")
    link.focus()
    page.keyboard.press("Enter")
    page.get_by_role("heading", level=1, name="Divisive statements").wait_for()
    pages = page.get_by_role("navigation", name="Pages of the statements")
    assert pages.locator("[aria-current=page]").inner_text() == "Page 1 of 8"
    assert page.locator("svg.chart-votes").count() == 25
    _checked(page)

    pages.get_by_role("link", name="Next page").focus()
    page.keyboard.press("Enter")
    page.wait_for_url("**?page=2")
    assert pages.locator("[aria-current=page]").inner_text() == "Page 2 of 8"
    assert page.locator(".statement-text").first.inner_text() == "Proposition de départ 37."
    _checked(page)
    pages.get_by_role("link", name="Previous page").click()
    page.wait_for_url("**?page=1")


def test_the_easy_read_list_on_a_phone(new_context, live_server, circle):
    page = _english(new_context(circle.members[0].user, reading="easy"), live_server).new_page()
    page.set_viewport_size({"width": WIDTH, "height": 780})
    page.goto(
        reverse("results:divisive", args=[circle.collective.pk, circle.consultation.pk]) + "?page=8"
    )
    pages = page.get_by_role("navigation", name="Pages of the messages")
    assert pages.locator("[aria-current=page]").inner_text() == "Page 8 of 8"
    page.locator("summary", has_text="See the votes").first.click()
    page.locator("details[open] svg.chart-votes").first.wait_for()
    _checked(page)
