"""Movement 2 in three browsers: a means negotiation where a dissent stays visible
beside the decision, an action in which the person takes their own role, and a
journal entry revised with its earlier words still readable. axe-core runs on
every page reached."""

import re

import pytest
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext
from playwright.sync_api import expect

from alliance.acting.models import Action, JournalEntry, MeansDecision, MeansOption
from tests.browser.helpers import assert_accessible, assert_unique_ids
from tests.factories import make_alliance_trio, make_signed_charter

pytestmark = pytest.mark.browser

MEANS = "École ordinaire avec une AESH"
DISSENT = "Le bruit de la classe le fatigue."
ROLE = "Je prépare mes questions"
FIRST_WORDS = "Réunion à l'école."
NEW_WORDS = "Réunion avec la maîtresse et Noé."


def fr(message):
    with translation.override("fr"):
        return gettext(message)


def audit(page):
    assert_accessible(page)
    assert_unique_ids(page)


def submit(page, button, path):
    button.click()
    page.wait_for_url(re.compile(rf"^https?://[^/]+{re.escape(path)}(#.*)?$"))
    page.wait_for_load_state()
    audit(page)


@pytest.mark.django_db(transaction=True)
def test_means_with_dissent_an_action_with_the_person_and_a_journal_revision(new_context):
    trio = make_alliance_trio()
    make_signed_charter(trio)
    parent = new_context(trio.parent.user).new_page()
    pro = new_context(trio.professional.user).new_page()
    person = new_context(trio.person.user, reading="standard").new_page()
    pk = trio.alliance.pk
    means_url = reverse("acting:means", args=[pk])
    actions_url = reverse("acting:actions", args=[pk])
    journal_url = reverse("acting:journal", args=[pk])

    # The parent proposes a means for the adopted interest.
    parent.goto(means_url)
    audit(parent)
    parent.fill("#id_description", MEANS)
    submit(parent, parent.locator(f'form[action="{means_url}"] button[type=submit]'), means_url)
    option = MeansOption.objects.get()

    # The professional opposes it, with a reason.
    pro.goto(means_url)
    card = pro.locator(f"#o{option.pk}")
    card.locator("summary").first.click()
    card.locator('input[name="value"][value="oppose"]').check()
    card.locator('textarea[name="reason"]').fill(DISSENT)
    stance_url = reverse("acting:stance", args=[pk, option.pk])
    submit(pro, card.locator(f'form[action="{stance_url}"] button[type=submit]'), means_url)
    expect(pro.locator(f"#o{option.pk} tr.stance-oppose")).to_contain_text(DISSENT)

    # The parent, legal representative, supports it and records the decision.
    parent.goto(means_url)
    card = parent.locator(f"#o{option.pk}")
    card.locator("summary").first.click()
    card.locator('input[name="value"][value="support"]').check()
    submit(parent, card.locator(f'form[action="{stance_url}"] button[type=submit]'), means_url)
    card = parent.locator(f"#o{option.pk}")
    decide_url = reverse("acting:decide", args=[pk, option.pk])
    card.locator("details").nth(1).locator("summary").click()
    card.locator('input[name="consent"]').check()
    submit(parent, card.locator(f'form[action="{decide_url}"] button[type=submit]'), means_url)
    expect(parent.locator(f"#o{option.pk} ul.dissent")).to_contain_text(DISSENT)
    assert MeansDecision.objects.get().decided_by == trio.parent

    # The professional plans an action: the person has no role yet, so it is flagged.
    pro.goto(actions_url)
    audit(pro)
    pro.fill("#id_title", "Visiter la classe")
    pro.select_option("#id_domain_label", "Scolarité")
    pro.fill("#id_my_role", "Je prends rendez-vous")
    submit(pro, pro.locator(f'form[action="{actions_url}"] button[type=submit]').first, actions_url)
    action = Action.objects.get()
    expect(pro.locator(f"#a{action.pk} .flag")).to_be_visible()

    # The person takes a role in their own words, and starts the action.
    person.goto(actions_url)
    card = person.locator(f"#a{action.pk}")
    card.locator("summary").click()
    person.fill(f"#id_a{action.pk}_join_role", ROLE)
    join_url = reverse("acting:join_action", args=[pk, action.pk])
    submit(person, card.locator(f'form[action="{join_url}"] button[type=submit]'), actions_url)
    card = person.locator(f"#a{action.pk}")
    expect(card.locator(".co-actors")).to_contain_text(ROLE)
    expect(card.locator(".flag")).to_have_count(0)
    submit(person, card.locator('button[name="to"][value="start"]'), actions_url)
    action.refresh_from_db()
    assert action.status == "in_progress"

    # The parent writes in the journal, then revises: the first words stay readable.
    parent.goto(journal_url)
    audit(parent)
    parent.fill("#id_happened", FIRST_WORDS)
    submit(parent, parent.locator("main form button[type=submit]"), journal_url)
    entry = JournalEntry.objects.get()
    edit_url = reverse("acting:journal_edit", args=[pk, entry.pk])
    submit(parent, parent.locator(f'a[href="{edit_url}"]'), edit_url)
    parent.fill("#id_happened", NEW_WORDS)
    submit(parent, parent.locator("main form button[type=submit]"), journal_url)
    card = parent.locator(f"#j{entry.pk}")
    expect(card).to_contain_text(NEW_WORDS)
    # The revisions' disclosure (the entry also offers to attach a file, ADR 0026).
    card.locator("details:has(.revision) summary").click()
    expect(card.locator(".revision")).to_contain_text(FIRST_WORDS)
    assert fr("Journal of the way") in parent.title()
