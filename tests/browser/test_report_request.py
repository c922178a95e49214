"""A planner asks the organisations of a territory for a report, an organisation's
administrator accepts, and the planner sees the answer and opens the report: every
page at 360 px, without sideways scrolling or serious accessibility violation, the
request filled in with the keyboard. The organisation's address codes and an
alliance's planning codes are audited the same way."""

import re

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from alliance.reports.models import ReportRequest
from tests.browser.helpers import assert_accessible, assert_unique_ids
from tests.factories import OrganisationFactory, UserFactory, make_alliance_trio

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

WIDTH = 360


def check(page):
    scroll_width = page.evaluate("() => document.documentElement.scrollWidth")
    assert scroll_width <= WIDTH, f"{page.url} scrolls sideways: {scroll_width} px wide"
    assert_accessible(page)
    assert_unique_ids(page)


def phone(new_context, user):
    page = new_context(user).new_page()
    page.set_viewport_size({"width": WIDTH, "height": 780})
    return page


def test_a_planner_asks_an_organisation_accepts_the_planner_sees_it(new_context):
    organisation = OrganisationFactory(name="IME Les Cèdres", territory="01 Ain")
    admin = UserFactory(org_admin=True, organisation=organisation, display_name="Anne Directrice")
    planner = UserFactory(decision_maker=True, display_name="Denise Décideuse")

    page = phone(new_context, planner)
    # The home page's link here is checked in tests/reports/test_request_pages.py.
    page.goto(reverse("report_requests:list"))
    check(page)
    page.get_by_role("link", name="Demander un rapport").click()
    check(page)
    # A mistake first: the page says what is wrong and keeps what was typed.
    page.get_by_label("Territoire").select_option("01 Ain")
    page.locator("#id_period_start").fill("2025-07-01")
    page.locator("#id_period_end").fill("2026-06-30")
    page.get_by_role("button", name="Envoyer la demande").click()
    expect(page.locator("main")).to_contain_text("Ce champ est obligatoire")
    check(page)
    purpose = page.get_by_label("À quoi sert le rapport, avec vos mots")
    purpose.focus()
    page.keyboard.type("Préparer le schéma de l'autonomie.")
    page.keyboard.press("Tab")
    page.get_by_role("button", name="Envoyer la demande").press("Enter")
    asked = ReportRequest.objects.get()
    page.wait_for_url(re.compile(rf".*{reverse('report_requests:detail', args=[asked.pk])}$"))
    expect(page.locator("main")).to_contain_text("Pas encore de réponse")
    check(page)

    answering = phone(new_context, admin)
    answering.goto(reverse("report_requests:list"))
    check(answering)
    answering.get_by_role("link", name="01 Ain").click()
    check(answering)
    answering.get_by_label("Nous acceptons : nos alliances sont comptées").check()
    answering.get_by_label("Un mot pour le décideur (facultatif)").fill("Avec plaisir.")
    answering.get_by_role("button", name="Envoyer la réponse").click()
    expect(answering.locator("main")).to_contain_text("Réponse de votre organisation")
    check(answering)

    page.reload()
    main = page.locator("main")
    expect(main).to_contain_text("Avec plaisir.")
    expect(main).to_contain_text("1 organisation sur 1 a accepté")
    check(page)
    page.get_by_role("link", name="Lire le rapport").click()
    page.wait_for_url(re.compile(r".*/reports/\d+/$"))
    expect(page.get_by_role("heading", level=1)).to_contain_text("01 Ain")


def test_the_address_and_planning_codes_are_accessible_at_360_px(new_context):
    trio = make_alliance_trio()
    admin = UserFactory(org_admin=True, organisation=trio.professional.user.organisation)
    page = phone(new_context, admin)
    page.goto(reverse("accounts:organisation_address"))
    check(page)
    page.get_by_label("Code INSEE de la commune").fill("Lyon")
    page.get_by_role("button", name="Enregistrer les codes").click()
    expect(page.locator("main")).to_contain_text("5 caractères")
    check(page)

    page = phone(new_context, trio.professional.user)
    page.goto(reverse("alliances:planning", args=[trio.alliance.pk]))
    check(page)
    page.get_by_label("Orientation MDPH").select_option("ime")
    page.get_by_role("button", name="Enregistrer les codes").click()
    expect(page.locator("main")).to_contain_text("Les codes de planification sont enregistrés")
    check(page)
