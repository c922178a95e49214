"""Movement 1 end to end, in three browsers at once: a professional, a parent (legal
representative) and the person each use their own browser context.

Elements are found by what does not change with the language (form actions, names,
values, ids, URLs); the words we expect on screen are computed with gettext in
French, the default language, so the test follows the translations.
"""

import re

import pytest
from django.utils import translation
from django.utils.translation import gettext
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import expect

from alliance.alliances.models import Alliance, Charter, Role, Statement
from tests.browser.helpers import assert_accessible, assert_unique_ids, use_usual_pages
from tests.factories import (
    PASSWORD,
    UserFactory,
    make_alliance_trio,
    make_signable_charter,
)
from tests.mfa import current_code

pytestmark = pytest.mark.browser

PERSON_SAYS = "Aller à l'école du quartier avec mes copains."
PARENT_SAYS = "Que Léo ait une AESH toute la journée."
PRO_SAYS = "Que Léo fasse ses devoirs au calme, au foyer."


def fr(message, **values):
    """What the page shows in French for this message id."""
    with translation.override("fr"):
        text = gettext(message)
    return text % values if values else text


def audit(page):
    assert_accessible(page)
    assert_unique_ids(page)


def go(page, url):
    page.goto(url)
    audit(page)


def submit(page, button, path):
    """Presses a button (or link) that leads to the page at `path` (a string, or a
    compiled pattern of the path), waits for it, runs axe on it."""
    pattern = path.pattern if isinstance(path, re.Pattern) else re.escape(path)
    button.click()
    page.wait_for_url(re.compile(rf"^https?://[^/]+{pattern}(#.*)?$"))
    page.wait_for_load_state()
    audit(page)


def statement_card(page, text):
    return page.locator("#standings li.statement").filter(has_text=text)


def vote(page, text, value):
    """Votes through htmx: the standings are swapped in place, the pressed button
    comes back marked as pressed."""
    url = page.url
    card = statement_card(page, text)
    card.locator(f'form.vote-form button[name="value"][value="{value}"]').click()
    expect(
        statement_card(page, text).locator(f'button[name="value"][value="{value}"]')
    ).to_have_attribute("aria-pressed", "true")
    assert page.url == url  # no reload: the fragment was swapped


def test_three_allies_make_an_alliance(live_server, new_context, mailoutbox):
    base = live_server.url
    professional = UserFactory(professional=True, display_name="Inès Morel")
    device = TOTPDevice.objects.create(user=professional, name="phone", confirmed=True)

    # ---- The professional signs in with her password and starts the alliance.
    pro = new_context().new_page()
    go(pro, f"{base}/sign-in/")
    pro.fill('form[action="/sign-in/"] input[name="email"]', professional.email)
    pro.fill('form[action="/sign-in/"] input[name="password"]', PASSWORD)
    submit(
        pro,
        pro.locator('form[action="/sign-in/"] button[type="submit"]'),
        "/account/security/verify/?next=%2F",
    )
    # Then the code of her authenticator app (ADR 0011).
    pro.fill('input[name="code"]', current_code(device))
    submit(pro, pro.locator('main form:has(input[name="code"]) button[type="submit"]'), "/")

    submit(pro, pro.locator('a[href="/alliances/new/"]'), "/alliances/new/")
    pro.fill('input[name="title"]', "L'école de Léo")
    pro.fill('textarea[name="situation"]', "Léo a 9 ans et aimerait aller à l'école du quartier.")
    pro.fill('input[name="person_name"]', "Léo Martin")
    pro.fill('input[name="person_email"]', "leo.martin@example.org")
    pro.check('input[name="person_is_protected"]')
    submit(pro, pro.locator('main form button[type="submit"]'), re.compile(r"/alliances/\d+/"))
    alliance = Alliance.objects.get(title="L'école de Léo")
    assert alliance.person_is_protected
    home = f"/alliances/{alliance.pk}/"
    # Waiting for the approval, she sees who is in, and no content yet.
    expect(pro.locator("#standings")).to_have_count(0)

    # ---- She invites the parent by email: the page shows no link, the email carries it.
    submit(pro, pro.locator(f'a[href="{home}allies/invite/"]'), f"{home}allies/invite/")
    pro.fill('input[name="display_name"]', "Nadia Martin")
    pro.fill('input[name="email"]', "nadia.martin@example.org")
    pro.select_option('select[name="role"]', Role.REPRESENTATIVE)
    pro.select_option('select[name="mandate_kind"]', "parent")
    submit(pro, pro.locator('main form button[type="submit"]'), f"{home}allies/invite/")
    assert "/invitations/" not in pro.content() and "/sign-in/link/" not in pro.content()

    def open_invitation(address, name):
        """The owner of the address opens the link of the email in their own browser
        and creates their own account."""
        (message,) = [m for m in mailoutbox if address in m.to]
        path = re.search(r"/invitations/[^/\s]+/", message.body).group(0)
        page = new_context().new_page()
        go(page, base + path)
        expect(page.locator('input[name="display_name"]')).to_have_value(name)
        page.fill('input[name="password"]', PASSWORD)
        submit(page, page.locator('main form button[type="submit"]'), home)
        return page

    # ---- The parent, then the person, create their accounts and join.
    parent = open_invitation("nadia.martin@example.org", "Nadia Martin")
    person = open_invitation("leo.martin@example.org", "Léo Martin")
    # This journey walks the usual pages: Léo, whose account reads easily, switches.
    use_usual_pages(person)

    # ---- The person approves their legal representative (ADR 0009).
    parent_ally = alliance.allies.get(role=Role.REPRESENTATIVE)
    submit(
        person,
        person.locator(
            f'form[action="{home}allies/{parent_ally.pk}/decide/"] button[value="approve"]'
        ),
        home,
    )

    # ---- The parent, legal representative, approves the professional.
    pro_ally = alliance.allies.get(user=professional)
    go(parent, home)
    submit(
        parent,
        parent.locator(
            f'form[action="{home}allies/{pro_ally.pk}/decide/"] button[value="approve"]'
        ),
        home,
    )
    expect(parent.locator(f'form[action="{home}allies/{pro_ally.pk}/decide/"]')).to_have_count(0)

    # ---- Each writes a statement in their own words.
    for page, kind, text in (
        (person, "interest", PERSON_SAYS),
        (parent, "means", PARENT_SAYS),
        (pro, "goal", PRO_SAYS),
    ):
        go(page, home)
        submit(
            page,
            page.locator(f'main a[href="{home}statements/new/"]').first,
            f"{home}statements/new/",
        )
        page.select_option('select[name="kind"]', kind)
        page.fill('textarea[name="text"]', text)
        submit(page, page.locator('main form button[type="submit"]'), home)
        expect(statement_card(page, text)).to_have_count(1)

    # ---- Each votes on the others' statements (htmx, no reload).
    go(pro, home)
    go(parent, home)
    go(person, home)
    vote(parent, PERSON_SAYS, "agree")
    vote(parent, PRO_SAYS, "unsure")
    vote(person, PARENT_SAYS, "agree")
    vote(person, PRO_SAYS, "agree")
    vote(pro, PARENT_SAYS, "disagree")
    vote(pro, PERSON_SAYS, "agree")
    audit(pro)

    # The common ground appears, beside the divergence and what is still open.
    common = pro.locator("#standings .common")
    expect(common.locator("li.statement").filter(has_text=PERSON_SAYS)).to_have_count(1)
    expect(common.locator("li.statement")).to_have_count(1)
    expect(
        pro.locator("#standings .divergent li.statement").filter(has_text=PARENT_SAYS)
    ).to_have_count(1)
    expect(pro.locator("#standings .open li.statement").filter(has_text=PRO_SAYS)).to_have_count(1)
    go(person, home)  # the others see it after a reload
    expect(
        person.locator("#standings .common li.statement").filter(has_text=PERSON_SAYS)
    ).to_have_count(1)

    # ---- On the charter page, they adopt the common interest.
    charter_path = f"{home}charter/"
    submit(parent, parent.locator(f'a[href="{charter_path}"]').first, charter_path)
    adopt = parent.locator(f'form[action="{charter_path}interests/"]')
    expect(adopt).to_have_count(1)
    submit(parent, adopt.locator("button"), charter_path)
    expect(parent.locator("#interests").get_by_text(PERSON_SAYS)).to_be_visible()
    expect(parent.locator(f'form[action="{charter_path}interests/"]')).to_have_count(0)

    # ---- Each commits to something.
    commitments = {
        pro: "Je fais le lien avec l'école chaque semaine.",
        parent: "J'accompagne Léo le matin.",
        person: "Je dis quand ça ne va pas.",
    }
    for page, text in commitments.items():
        go(page, charter_path)
        form = page.locator(f'form[action="{charter_path}commitments/"]')
        form.locator('textarea[name="text"]').fill(text)
        submit(page, form.locator('button[type="submit"]'), charter_path)
        expect(page.locator("#commitments").get_by_text(text)).to_be_visible()

    # ---- The professional places a life domain in the perimeter and adds an indicator.
    go(pro, charter_path)
    perimeter = pro.locator(f'form[action="{charter_path}perimeter/"]')
    domain = perimeter.locator('select[name="domain"] option:not([value=""])').first
    domain_code = domain.get_attribute("value")
    perimeter.locator('select[name="domain"]').select_option(domain_code)
    perimeter.locator('input[name="status"][value="in_alliance"]').check()
    submit(pro, perimeter.locator('button[type="submit"]'), charter_path)
    expect(pro.locator("#perimeter table")).to_contain_text(domain_code)

    indicator = pro.locator(f'form[action="{charter_path}indicators/"]')
    indicator.locator('input[name="name"]').fill("Léo se sent bien à l'école")
    indicator.locator('input[name="scale_min"]').fill("0")
    indicator.locator('input[name="scale_max"]').fill("10")
    for ally in alliance.allies.filter(role__in=[Role.PERSON, Role.PROFESSIONAL]):
        indicator.locator(f'input[name="raters"][value="{ally.pk}"]').check()
    submit(pro, indicator.locator('button[type="submit"]'), charter_path)
    expect(pro.locator("#indicators")).to_contain_text("Léo se sent bien à l'école")

    # ---- All three sign; the last signature makes the charter signed.
    sign_self = f'form[action="{charter_path}sign/"]:not(:has(input[name="signee"])) button'
    for page in (pro, parent, person):
        go(page, charter_path)
        submit(page, page.locator(sign_self), charter_path)
        expect(page.locator(sign_self)).to_have_count(0)

    charter = Charter.objects.get(alliance=alliance)
    assert charter.status == Charter.Status.SIGNED
    assert charter.signatures.count() == 3
    with translation.override("fr"):
        signed_label = str(Charter.Status.SIGNED.label)
    for page in (pro, parent, person):
        go(page, charter_path)
        expect(page.locator("main p.lead")).to_contain_text(signed_label)
        expect(page.locator("#signatures li")).to_have_count(3)
    assert Statement.objects.filter(alliance=alliance).count() == 3


def test_the_parent_signs_for_the_child(live_server, new_context):
    """A legal representative signs for a minor: the signature says so."""
    trio = make_alliance_trio(person_is_protected=True)
    make_signable_charter(trio)
    charter_path = f"/alliances/{trio.alliance.pk}/charter/"
    on_behalf = (
        f'form[action="/alliances/{trio.alliance.pk}/charter/sign/"]'
        f':has(input[name="signee"][value="{trio.person.pk}"]) button'
    )

    parent = new_context(trio.parent.user).new_page()
    go(parent, charter_path)
    submit(parent, parent.locator(on_behalf), charter_path)
    expect(parent.locator(on_behalf)).to_have_count(0)
    expect(parent.locator("#signatures li")).to_have_count(1)
    expect(parent.locator("#signatures li")).to_contain_text(
        fr(
            "%(name)s, signed by %(by)s as legal representative",
            name=trio.person.user.display_name,
            by=trio.parent.user.display_name,
        )
    )

    # The professional sees it too, and cannot sign for the child.
    pro = new_context(trio.professional.user).new_page()
    go(pro, charter_path)
    expect(pro.locator("#signatures")).to_contain_text(
        fr(
            "%(name)s, signed by %(by)s as legal representative",
            name=trio.person.user.display_name,
            by=trio.parent.user.display_name,
        )
    )
    expect(pro.locator(on_behalf)).to_have_count(0)
    sign_self = (
        f'form[action="/alliances/{trio.alliance.pk}/charter/sign/"]'
        ':not(:has(input[name="signee"])) button'
    )
    submit(pro, pro.locator(sign_self), charter_path)
    go(parent, charter_path)
    submit(parent, parent.locator(sign_self), charter_path)
    charter = trio.alliance.charters.get()
    assert charter.status == Charter.Status.SIGNED
    assert {(s.ally_id, s.signed_by_id) for s in charter.signatures.all()} == {
        (trio.person.pk, trio.parent.pk),
        (trio.parent.pk, trio.parent.pk),
        (trio.professional.pk, trio.professional.pk),
    }
