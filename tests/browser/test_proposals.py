"""A proposal between two browsers on a small phone: the person co-signs it (context
1), the decision maker reads it and the report it rests on, and answers it (context
2), the person sees the answer arrive in the timeline and in their notifications;
anyone reads the public page. axe-core runs on every page reached, at 360 px wide."""

import re

import pytest
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext
from playwright.sync_api import expect

from alliance.collectives.models import CollectiveInterest
from alliance.reports.models import ProposalStatus
from tests.browser.helpers import assert_accessible, assert_unique_ids
from tests.factories import make_alliance_trio
from tests.reports.proposal_world import make_world

pytestmark = pytest.mark.browser

WIDTH = 360
ANSWER = "Un passage piéton sera tracé devant l'école avant la rentrée."


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


def submit(page, button, path):
    button.click()
    page.wait_for_url(re.compile(rf"^https?://[^/]+{re.escape(path)}(#.*)?$"))
    page.wait_for_load_state()
    audit(page)


@pytest.mark.django_db(transaction=True)
def test_a_person_co_signs_the_decision_maker_answers_and_the_person_sees_it(new_context):
    trio = make_alliance_trio(title="L'accompagnement-de-Léo-dans-son-quartier")
    world = make_world(
        trio,
        with_report=True,
        title="Un passage piéton devant l'école",
        text="Les enfants traversent la rue de la République sans feu ni passage piéton.",
    )
    world.proposal.interests.add(
        CollectiveInterest.objects.create(
            collective=world.collective,
            text="Des trajets sûrs pour les enfants du quartier",
            adopted_by=trio.professional.user,
        )
    )
    proposal = world.proposal
    detail_url = reverse("proposals:detail", args=[proposal.pk])
    received_url = reverse("proposals:received", args=[proposal.pk])

    # Context 1: the person reads the collective's proposals and co-signs this one.
    person = open_page(new_context, trio.person.user)
    person.goto(reverse("proposals:collective", args=[world.collective.pk]))
    audit(person)
    person.get_by_role("link", name=proposal.title).click()
    person.wait_for_url(re.compile(re.escape(detail_url)))
    audit(person)
    # The person reads the easy-read pages (issue 11): "Je signe cette demande".
    submit(person, person.get_by_role("button", name=fr("I sign this request")), detail_url)
    expect(person.locator("main")).to_contain_text(fr("I signed this request."))
    expect(person.locator("main")).to_contain_text(trio.person.user.display_name)

    # Context 2: the decision maker finds it from their home, reads it, answers it.
    decider = open_page(new_context, world.decision_maker)
    decider.goto("/")
    audit(decider)
    decider.get_by_role("link", name=fr("Proposals addressed to you")).first.click()
    decider.wait_for_url(re.compile(re.escape(reverse("proposals:inbox"))))
    audit(decider)
    decider.get_by_role("link", name=proposal.title).click()
    decider.wait_for_url(re.compile(re.escape(received_url)))
    audit(decider)
    main = decider.locator("main")
    expect(main).to_contain_text("Des trajets sûrs pour les enfants du quartier")
    expect(main).to_contain_text("1 cosignature")
    expect(main).not_to_contain_text(trio.person.user.display_name)
    expect(main).not_to_contain_text(trio.alliance.title)
    # The report the proposal rests on opens, and the decision maker comes back.
    report_url = reverse("reports:detail", args=[proposal.report_id])
    decider.get_by_role("link", name=proposal.report.scope_label).click()
    decider.wait_for_url(re.compile(re.escape(report_url)))
    audit(decider)
    decider.go_back()
    decider.wait_for_url(re.compile(re.escape(received_url)))
    # Answering without words is refused, with the message on top; nothing saved.
    decider.locator(f'input[name="status"][value="{ProposalStatus.ANSWERED}"]').check()
    decider.get_by_role("button", name=fr("Record this step")).click()
    expect(decider.locator(".error-summary")).to_contain_text(
        fr("Write your answer: the collective waits for it.")
    )
    audit(decider)
    decider.locator(f'input[name="status"][value="{ProposalStatus.ANSWERED}"]').check()
    decider.get_by_label(fr("Your answer, in your own words")).fill(ANSWER)
    submit(decider, decider.get_by_role("button", name=fr("Record this step")), received_url)
    expect(decider.locator(".proposal-timeline")).to_contain_text(ANSWER)

    # Context 1 again: the answer has arrived, in the timeline and as a notification.
    person.goto(detail_url)
    audit(person)
    expect(person.locator(".proposal-timeline")).to_contain_text(ANSWER)
    person.goto(reverse("notifications:list"))
    audit(person)
    expect(person.locator("main")).to_contain_text(proposal.title)
    # In easy-read, each piece of news has its "Voir" button.
    submit(person, person.get_by_role("button", name=re.compile(fr("See"))).first, detail_url)

    # Anyone, without signing in: the public page, with the answer and no names.
    visitor = open_page(new_context)
    visitor.goto(reverse("proposals:public", args=[world.collective.public_key]))
    audit(visitor)
    main = visitor.locator("main")
    expect(main).to_contain_text(ANSWER)
    for ally in trio.allies:
        expect(main).not_to_contain_text(ally.user.display_name)
