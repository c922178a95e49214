"""On a 360 px phone no word of a table is split across two lines (issue 12 saw
"Habit ant ou habita nte"): each word of every cell is measured with a Range, and its
pieces must sit on one line. A table too wide scrolls in a box that the keyboard can
focus, and axe-core finds nothing serious."""

import datetime

import pytest
from django.urls import reverse

from alliance.collectives import results
from alliance.reports import services as reports
from tests.browser.helpers import assert_accessible
from tests.collectives.factories import make_circle
from tests.collectives.test_results import Place
from tests.factories import UserFactory
from tests.reports.data import build_world

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

WIDTH = 360

# Every word (a run of letters, digits, hyphens or apostrophes) of every table cell
# whose client rectangles do not share one line.
SPLIT_WORDS = """(selector) => {
  const split = [];
  for (const cell of document.querySelectorAll(selector)) {
    const walker = document.createTreeWalker(cell, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      for (const match of node.data.matchAll(/[\\p{L}\\p{N}’'-]+/gu)) {
        const range = document.createRange();
        range.setStart(node, match.index);
        range.setEnd(node, match.index + match[0].length);
        const tops = new Set(
          Array.from(range.getClientRects()).filter(r => r.width > 0).map(r => Math.round(r.top))
        );
        if (tops.size > 1) split.push(match[0]);
      }
    }
  }
  return split;
}"""


def assert_no_word_split(page, cells="main td, main th"):
    assert page.locator(cells).count() > 0, page.url
    # A folded table has no line to measure: every table is opened first.
    page.evaluate("() => document.querySelectorAll('main details').forEach(d => d.open = true)")
    assert page.evaluate(SPLIT_WORDS, cells) == [], page.url
    assert_accessible(page)


def _phone(new_context, user):
    page = new_context(user).new_page()
    page.set_viewport_size({"width": WIDTH, "height": 780})
    return page


def test_the_members_of_a_collective(new_context):
    circle = make_circle(members=4, seeds=0)
    page = _phone(new_context, circle.facilitator.user)
    page.goto(reverse("collectives:detail", args=[circle.collective.pk]))
    # The members are rows of words since issue 12 (ADR 0028), no longer a table.
    assert "Habitant ou habitante" in page.locator("main").inner_text()
    assert_no_word_split(page, cells="main li")


def test_the_results_of_a_consultation(new_context):
    place = Place(tenants=6, owners=6)
    place.vote_all()
    results.recompute_now(member=place.facilitator, consultation=place.consultation)
    page = _phone(new_context, place.facilitator.user)
    page.goto(reverse("results:results", args=[place.collective.pk, place.consultation.pk]))
    assert_no_word_split(page)


def test_a_report_and_the_list_of_reports(new_context):
    world = build_world(21, organisations=1, alliances=30)
    admin = UserFactory(org_admin=True, organisation=world.organisations[0])
    report = reports.request_report(
        user=admin,
        scope_kind="organisation",
        organisation_ids=[world.organisations[0].pk],
        period_start=datetime.date(2025, 7, 1),
        period_end=datetime.date(2026, 6, 30),
    )
    page = _phone(new_context, admin)
    page.goto(reverse("reports:list"))
    assert_no_word_split(page)
    page.goto(reverse("reports:detail", args=[report.pk]))
    assert_no_word_split(page)
