"""A review in the browser: an ally opens it, two allies write their conclusions,
each sees the other's; the home page's "what needs me" on a small phone, and the
notifications pages. axe-core on every page reached."""

import re

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from alliance.acting import services as acting
from alliance.acting.models import ReviewConclusion
from alliance.demo.clock import as_of, days_ago
from tests.browser.helpers import assert_accessible, assert_unique_ids
from tests.factories import make_alliance_trio, make_signed_charter

pytestmark = pytest.mark.browser

WIDTH = 360


def audit(page):
    assert_accessible(page)
    assert_unique_ids(page)


def _overdue_trio():
    trio = make_alliance_trio(title="L'accompagnement-scolaire-de-Léo-et-sa-famille")
    due = days_ago(390).date()  # before the clock is set back
    with as_of(days_ago(400)):
        make_signed_charter(trio)
        acting.plan_action(
            ally=trio.professional,
            title="Appeler-la-maison-départementale-des-personnes-handicapées",
            domain_label="Scolarité",
            my_role="J'appelle",
            due_date=due,
        )
    return trio


@pytest.mark.django_db(transaction=True)
def test_a_review_opened_and_concluded_by_two_allies(new_context):
    trio = _overdue_trio()
    pk = trio.alliance.pk
    pro = new_context(trio.professional.user).new_page()
    parent = new_context(trio.parent.user).new_page()

    # The overview says the review is overdue; the professional holds it.
    pro.goto(reverse("alliances:overview", args=[pk]))
    expect(pro.locator(".banner-alert")).to_contain_text("en retard")
    audit(pro)
    pro.locator(".banner-alert a").click()
    pro.wait_for_url(re.compile(rf"/alliances/{pk}/reviews/$"))
    audit(pro)
    pro.get_by_role("button", name="Faire le point d'étape maintenant").click()
    pro.wait_for_url(re.compile(rf"/alliances/{pk}/reviews/\d+/$"))
    audit(pro)
    expect(pro.locator("#rv-actions").locator("..")).to_contain_text("Appeler-la-maison")
    pro.fill("#id_conclusion_text", "On a avancé, il reste l'appel à la MDPH.")
    pro.get_by_role("button", name="Enregistrer ma conclusion").click()
    pro.wait_for_url(re.compile(r"/reviews/\d+/#mine$"))
    audit(pro)

    # The parent reads the professional's conclusion and writes theirs.
    review_url = pro.url.split("#")[0]
    parent.goto(review_url)
    expect(parent.locator("#rv-conclusions").locator("..")).to_contain_text("l'appel à la MDPH")
    audit(parent)
    parent.fill("#id_conclusion_text", "Léo va mieux. Je veux qu'on parle de la cantine.")
    parent.get_by_role("button", name="Enregistrer ma conclusion").click()
    parent.wait_for_url(re.compile(r"/reviews/\d+/#mine$"))
    audit(parent)
    pro.goto(review_url)
    expect(pro.locator("#rv-conclusions").locator("..")).to_contain_text("la cantine")
    assert ReviewConclusion.objects.count() == 2


@pytest.mark.django_db(transaction=True)
def test_what_needs_me_and_notifications_on_a_small_phone(new_context):
    trio = _overdue_trio()
    interest = trio.alliance.charters.get().interests.get().statement_id
    acting.propose_means(
        ally=trio.parent,
        interest_statement_id=interest,
        description="Une-classe-ordinaire-avec-une-accompagnante-des-élèves-en-situation-de-handicap",
    )
    page = new_context(trio.professional.user).new_page()
    page.set_viewport_size({"width": WIDTH, "height": 780})
    page.goto("/")
    needs = page.locator(".needs-list")
    expect(needs).to_contain_text("Le point d'étape est en retard")
    expect(needs).to_contain_text("En retard : Appeler-la-maison")
    expect(needs).to_contain_text("1 moyen attend votre position")
    assert page.evaluate("() => document.documentElement.scrollWidth") <= WIDTH
    audit(page)

    page.locator(".site-header a[href='/notifications/']").click()
    page.wait_for_url(re.compile(r"/notifications/$"))
    assert page.evaluate("() => document.documentElement.scrollWidth") <= WIDTH
    audit(page)
    page.get_by_role("button", name="Tout marquer comme lu").click()
    page.wait_for_url(re.compile(r"/notifications/$"))
    expect(page.locator(".notification-unread")).to_have_count(0)
    page.goto(reverse("notifications:preferences"))
    assert page.evaluate("() => document.documentElement.scrollWidth") <= WIDTH
    audit(page)
