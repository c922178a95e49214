"""A consultation across browsers on a small phone: a member writes a statement, the
facilitator moderates it, three members vote one statement at a time (htmx), one of
them with the keyboard only. axe-core runs on every page reached, at 360 px wide."""

import re

import pytest
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext, pgettext
from playwright.sync_api import expect

from alliance.collectives.models import ConsultationStatement, ConsultationVote
from tests.browser.helpers import assert_accessible, assert_unique_ids
from tests.browser.test_keyboard import FOCUS_IS_VISIBLE, focused, tab_to
from tests.collectives.factories import make_circle

pytestmark = pytest.mark.browser

WIDTH = 360
NEW = "Un banc à l'arrêt de bus de la rue des Écoles."


def fr(message):
    with translation.override("fr"):
        return gettext(message)


def decision(message):
    with translation.override("fr"):
        return pgettext("statement", message)


DONE = "You voted on every statement. Thank you! Come back later: members may add new ones."


def audit(page):
    scroll_width = page.evaluate("() => document.documentElement.scrollWidth")
    assert scroll_width <= WIDTH, f"{page.url} scrolls sideways: {scroll_width} px wide"
    assert_accessible(page)
    assert_unique_ids(page)


def open_page(new_context, user):
    page = new_context(user).new_page()
    page.set_viewport_size({"width": WIDTH, "height": 780})
    return page


def land(page, path):
    page.wait_for_url(re.compile(rf"^https?://[^/]+{re.escape(path)}(\?.*)?(#.*)?$"))
    page.wait_for_load_state()
    audit(page)


def vote_all(page, values):
    """Votes on each statement in turn with the big buttons (the value for the new
    statement, `values[0]`, agree on the others); htmx swaps the ballot. The order
    of the statements follows the next-statement choice, so it is read from the page."""
    for _ in range(3):
        statement = page.locator("#ballot-statement").inner_text()
        value = values[0] if statement == NEW else "1"
        page.locator(f"#ballot button[value='{value}']").click()
        expect(page.locator("#ballot")).not_to_contain_text(statement)
        audit(page)


@pytest.mark.django_db(transaction=True)
def test_a_statement_is_written_moderated_then_voted_on_in_three_browsers(new_context):
    circle = make_circle(members=3, seeds=2)
    c, k = circle.collective.pk, circle.consultation.pk
    consultation_url = reverse("collectives:consultation", args=[c, k])
    vote_url = reverse("collectives:vote", args=[c, k])
    moderation_url = reverse("collectives:moderation", args=[c, k])

    # A member finds the consultation from the main menu and writes a statement.
    author = open_page(new_context, circle.members[0].user)
    author.goto("/")
    author.get_by_role("link", name=fr("Collectives")).click()
    land(author, reverse("collectives:list"))
    author.get_by_role("link", name=circle.collective.name).click()
    land(author, reverse("collectives:detail", args=[c]))
    author.get_by_role("link", name=circle.consultation.question).click()
    land(author, consultation_url)
    author.get_by_role("link", name=fr("Write a statement")).click()
    land(author, reverse("collectives:statement_new", args=[c, k]))
    author.get_by_label(fr("Your statement")).fill(NEW)
    author.get_by_role("button", name=fr("Send the statement")).click()
    land(author, consultation_url)
    expect(author.locator(".own-statements")).to_contain_text(
        fr(ConsultationStatement.Status.PENDING.label)
    )

    # The facilitator first refuses without a reason (refused, nothing changes), then
    # accepts it.
    facilitator = open_page(new_context, circle.facilitator.user)
    facilitator.goto(consultation_url)
    audit(facilitator)
    facilitator.get_by_role("link", name=re.compile("modération|moderation")).click()
    land(facilitator, moderation_url)
    card = facilitator.locator(".moderation-list li").filter(has_text=NEW)
    card.get_by_role("button", name=decision("Do not accept")).click()
    facilitator.wait_for_load_state()
    audit(facilitator)
    expect(facilitator.locator(".error-summary")).to_contain_text(
        fr("Say why the statement is not accepted: its author will read it.")
    )
    card = facilitator.locator(".moderation-list li").filter(has_text=NEW)
    card.get_by_role("button", name=decision("Accept")).click()
    land(facilitator, moderation_url)
    expect(facilitator.locator("main")).to_contain_text(fr("No statement is waiting. Thank you."))
    author.reload()
    expect(author.locator(".own-statements")).to_contain_text(
        fr(ConsultationStatement.Status.ACCEPTED.label)
    )

    # Three members vote on the three statements, each in their own browser.
    for member, values in zip(circle.members, (["1"], ["-1"], ["0"]), strict=True):
        voter = open_page(new_context, member.user)
        voter.goto(consultation_url)
        voter.get_by_role("link", name=fr("Vote on the statements")).click()
        land(voter, vote_url)
        vote_all(voter, values)
        expect(voter.locator("#ballot")).to_contain_text(fr(DONE))
    assert ConsultationVote.objects.count() == 9
    new = ConsultationStatement.objects.get(text=NEW)
    assert sorted(new.votes.values_list("value", flat=True)) == [-1, 0, 1]


@pytest.mark.django_db(transaction=True)
def test_voting_with_the_keyboard_only_in_easy_read(new_context):
    circle = make_circle(members=1, seeds=2)
    c, k = circle.collective.pk, circle.consultation.pk
    first, second = circle.statements
    page = open_page(new_context, circle.members[0].user)
    page.goto(reverse("collectives:vote", args=[c, k]))
    audit(page)

    # The easy-read toggle is a link, reached and followed with the keyboard.
    tab_to(page, "#ballot .ballot-wording a")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    page.wait_for_load_state()
    audit(page)
    assert "easy=1" in page.url

    tab_to(page, "#ballot button[value='1']")
    page.keyboard.press("Enter")
    # The next statement replaces the ballot, and the focus lands on it.
    expect(page.locator("#ballot-statement")).to_have_text(second.text)
    page.wait_for_function("() => document.activeElement.id === 'ballot-statement'")
    assert page.locator("#ballot input[name=easy]").count() == 1
    # Tab goes on to the first button; Space votes like Enter.
    tab_to(page, "#ballot button[value='-1']")
    assert page.evaluate(FOCUS_IS_VISIBLE)
    page.keyboard.press("Space")
    expect(page.locator("#ballot")).to_contain_text(fr(DONE))
    audit(page)
    assert focused(page, "#ballot .notice")
    votes = dict(ConsultationVote.objects.values_list("statement_id", "value"))
    assert votes == {first.pk: 1, second.pk: -1}
