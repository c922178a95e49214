"""The results of a consultation in a real browser: members vote, a facilitator asks
for a recomputation, every member sees the map, the groups and the common ground;
axe-core finds nothing serious, and the page fits a 360 px screen."""

import pytest
from django.conf import settings
from django.urls import reverse

from alliance.collectives.models import OpinionSnapshot
from tests.browser.helpers import assert_accessible, assert_unique_ids
from tests.collectives.test_results import Place

pytestmark = pytest.mark.browser

WIDTH = 360


def test_three_members_see_the_results_after_a_recomputation(new_context, live_server):
    place = Place(tenants=6, owners=6)
    place.vote_all()
    voters = [place.tenants[0], place.tenants[1], place.owners[0]]
    results_url = reverse("results:results", args=[place.collective.pk, place.consultation.pk])

    facilitator = _english(new_context(place.facilitator.user), live_server).new_page()
    facilitator.goto(results_url)
    facilitator.get_by_role("button", name="Compute the results again now").click()
    facilitator.get_by_role("heading", name="The opinion map").wait_for()
    latest = OpinionSnapshot.objects.filter(status=OpinionSnapshot.Status.DONE).latest(
        "finished_at"
    )
    assert latest.votes_counted == 12 * 8
    assert_accessible(facilitator)

    for member in voters:
        page = _english(new_context(member.user), live_server).new_page()
        page.set_viewport_size({"width": WIDTH, "height": 780})
        page.goto(results_url)
        svg = page.locator("svg.chart-opinion-map")
        svg.wait_for()
        assert svg.locator(".map-you").count() >= 1
        headings = page.locator("h3").all_inner_texts()
        assert any("Group A: 6 people" in h for h in headings)
        assert any("Group B: 6 people" in h for h in headings)
        common = page.locator("#common-heading + p + ul .statement-text").all_inner_texts()
        assert set(common) == {place.statements[0].text, place.statements[1].text}
        assert page.locator("table caption").first.inner_text() == "The opinion groups, as a table"
        width = page.evaluate("() => document.documentElement.scrollWidth")
        assert width <= WIDTH, f"the results page scrolls sideways: {width} px"
        assert_accessible(page)
        assert_unique_ids(page)


def _english(context, live_server):
    """The page in English, the source language (the language switch's cookie)."""
    context.add_cookies(
        [{"name": settings.LANGUAGE_COOKIE_NAME, "value": "en", "url": live_server.url}]
    )
    return context
