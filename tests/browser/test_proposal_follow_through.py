"""Proposals that follow through (ADR 0038), in three browsers on a small phone: the
town hall answers two requests differently and posts dated progress with a public
cost; a member (the person, in easy-read) reacts to an answer, by keyboard; anyone
reads the public page with the reaction counts and no names. axe-core runs on every
page reached, at 360 px wide."""

import re

import pytest
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext
from playwright.sync_api import expect

from alliance.reports.models import AnswerReaction, ProposalStatus
from tests.browser.helpers import assert_accessible, assert_unique_ids
from tests.factories import make_alliance_trio
from tests.reports.proposal_world import make_world

pytestmark = pytest.mark.browser

WIDTH = 360
PARTLY = "La zone de rencontre sera essayée trois mois à la rentrée, le matin seulement."
ACCEPTED = "Le passage piéton éclairé est accepté et financé cette année."


def fr(message):
    with translation.override("fr"):
        return gettext(message)


def audit(page):
    scroll_width = page.evaluate("() => document.documentElement.scrollWidth")
    assert scroll_width <= WIDTH, f"{page.url} scrolls sideways: {scroll_width} px wide"
    assert_accessible(page)
    assert_unique_ids(page)


def open_page(new_context, user=None):
    page = new_context(user).new_page()
    page.set_viewport_size({"width": WIDTH, "height": 780})
    return page


def landed(page, path):
    page.wait_for_url(re.compile(rf"^https?://[^/]+{re.escape(path)}(#.*)?$"))
    page.wait_for_load_state()
    audit(page)


@pytest.mark.django_db(transaction=True)
def test_the_town_hall_answers_two_requests_posts_progress_and_a_member_reacts(new_context):
    trio = make_alliance_trio(title="Aller à l'école à pied")
    world = make_world(
        trio,
        title="Des rues sûres pour aller à pied à l'école",
        text="Le nouveau plan de circulation fait passer les voitures devant l'école.",
        requests=[
            "Une zone de rencontre à 20 km/h rue des Écoles.",
            "Un passage piéton éclairé devant la résidence Les Acacias.",
        ],
    )
    proposal = world.proposal
    first, second = proposal.requests.order_by("position")
    received_url = reverse("proposals:received", args=[proposal.pk])

    # The town hall answers each request on its own page, differently.
    town_hall = open_page(new_context, world.decision_maker)
    town_hall.goto(received_url)
    audit(town_hall)
    for request, decision, words in [
        (first, fr("Partly accepted"), PARTLY),
        (second, fr("Accepted"), ACCEPTED),
    ]:
        answer_url = reverse("proposals:answer_request", args=[request.pk])
        town_hall.locator(f'a[href="{answer_url}"]').click()
        landed(town_hall, answer_url)
        # Without words, refused with the message on top; nothing saved.
        town_hall.get_by_label(decision, exact=True).check()
        town_hall.get_by_role("button", name=fr("Record this answer")).click()
        expect(town_hall.locator(".error-summary")).to_be_visible()
        audit(town_hall)
        town_hall.get_by_label(decision, exact=True).check()
        town_hall.get_by_label(fr("Your answer, in your own words")).fill(words)
        town_hall.get_by_role("button", name=fr("Record this answer")).click()
        landed(town_hall, received_url)
    expect(town_hall.locator(".proposal-requests")).to_contain_text(PARTLY)
    expect(town_hall.locator(".proposal-requests")).to_contain_text(ACCEPTED)

    # Dated progress on the accepted request, with its next step and a public cost.
    progress_url = reverse("proposals:progress", args=[proposal.pk])
    town_hall.get_by_role("link", name=fr("Post progress")).click()
    landed(town_hall, progress_url)
    town_hall.get_by_label(fr("What it is about")).select_option(str(second.pk))
    town_hall.get_by_label(fr("Where it stands")).fill("Travaux commencés")
    town_hall.get_by_label(fr("How far, in %")).fill("40")
    town_hall.get_by_label(fr("Next step"), exact=True).fill("Pose de l'éclairage")
    town_hall.get_by_label(fr("Date of the next step")).fill("2027-03-15")
    town_hall.get_by_label(fr("Cost, in euros"), exact=True).fill("18500")
    town_hall.get_by_label(fr("Budget line"), exact=True).fill("Voirie 2027")
    town_hall.get_by_label(
        fr("Show the cost and the budget line to the collective and on its public page")
    ).check()
    town_hall.get_by_role("button", name=fr("Post this progress")).click()
    landed(town_hall, received_url)
    expect(town_hall.locator(".proposal-progress")).to_contain_text("Pose de l'éclairage")
    proposal.refresh_from_db()
    assert proposal.status == ProposalStatus.IN_PROGRESS  # not closed: the work goes on

    # The person (easy-read) reacts to the partial answer, by keyboard only.
    person = open_page(new_context, trio.person.user)
    detail_url = reverse("proposals:detail", args=[proposal.pk])
    person.goto(detail_url)
    audit(person)
    expect(person.locator("main")).to_contain_text(PARTLY)
    react_url = reverse("proposals:react", args=[first.answers.get().pk])
    link = person.locator(f'a[href="{react_url}"]')
    link.focus()
    person.keyboard.press("Enter")
    landed(person, react_url)
    person.get_by_label(fr("Not satisfied"), exact=True).focus()
    person.keyboard.press("Space")
    person.get_by_label(fr("Why, in your own words")).focus()
    person.keyboard.type("Le matin seulement, ce n'est pas assez.")
    person.get_by_role("button", name=re.compile(fr("I send what I think"))).focus()
    person.keyboard.press("Enter")
    landed(person, detail_url)
    (reaction,) = AnswerReaction.objects.all()
    assert (reaction.satisfied, reaction.member_id) == (False, trio.person.user_id)

    # Anyone: the public page counts the reactions, shows the cost, names nobody.
    visitor = open_page(new_context)
    visitor.goto(reverse("proposals:public", args=[world.collective.public_key]))
    audit(visitor)
    main = visitor.locator("main")
    expect(main).to_contain_text(PARTLY)
    expect(main).to_contain_text("Voirie 2027")
    expect(main.locator(".reaction-counts").first).to_contain_text("1")
    expect(main).not_to_contain_text("Le matin seulement, ce n'est pas assez.")
    for ally in trio.allies:
        expect(main).not_to_contain_text(ally.user.display_name)
