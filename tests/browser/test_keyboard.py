"""The essential path of movement 1 with the keyboard only: Tab, Shift+Tab, Enter and
Space through `page.keyboard`, never a mouse click. The only `goto` opens the first
page, as one types an address. Elements are found by stable attributes (form actions,
names, values, ids), so the test holds in French and in English."""

import re

import pytest
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import expect

from alliance.alliances import services
from alliance.alliances.models import Charter, Statement, StatementKind, VoteValue
from tests.browser.helpers import assert_accessible
from tests.factories import PASSWORD, make_alliance_trio
from tests.mfa import current_code

pytestmark = pytest.mark.browser

FOCUSED = "s => document.activeElement !== null && document.activeElement.matches(s)"
FOCUS_IS_VISIBLE = """() => {
    const style = getComputedStyle(document.activeElement);
    return style.outlineStyle !== "none" && parseFloat(style.outlineWidth) > 0
        || style.boxShadow !== "none";
}"""


def tab_to(page, selector, *, backwards=False, limit=120):
    """Presses Tab (or Shift+Tab) until the element matching `selector` has the focus,
    and checks that the focus can be seen."""
    key = "Shift+Tab" if backwards else "Tab"
    for _ in range(limit):
        page.keyboard.press(key)
        if page.evaluate(FOCUSED, selector):
            assert page.evaluate(FOCUS_IS_VISIBLE), f"no visible focus on {selector}"
            return
    raise AssertionError(f"{limit} × {key} never reached {selector} on {page.url}")


def press_and_land(page, key, path):
    """Presses Enter or Space on the focused element and waits for the page at `path`."""
    with page.expect_navigation(url=re.compile(rf"^https?://[^/]+{re.escape(path)}(#.*)?$")):
        page.keyboard.press(key)
    page.wait_for_load_state()


def focused(page, selector):
    return page.evaluate(FOCUSED, selector)


def test_skip_link_and_error_summary_take_the_focus(new_context):
    page = new_context().new_page()
    page.goto("/sign-in/")

    # The first Tab reaches the skip link, which sends the focus to the main content.
    page.keyboard.press("Tab")
    assert focused(page, "a.skip-link[href='#content']")
    assert page.evaluate(FOCUS_IS_VISIBLE)
    assert page.evaluate("() => document.activeElement.getBoundingClientRect().left >= 0")
    page.keyboard.press("Enter")
    assert focused(page, "main#content")
    # The next Tab goes on inside the main content, past the header.
    page.keyboard.press("Tab")
    assert page.evaluate("() => document.querySelector('main').contains(document.activeElement)")

    # A failed sign-in: the error summary has the focus, and lists the fields to fix.
    tab_to(page, 'form[action="/sign-in/"] button[type="submit"]')
    press_and_land(page, "Enter", "/sign-in/")
    assert focused(page, ".error-summary")
    summary = page.locator(".error-summary")
    expect(summary.locator('a[href="#id_email"]')).to_have_count(1)
    assert_accessible(page)
    # From the summary, the link to the field leads to it.
    tab_to(page, '.error-summary a[href="#id_email"]')
    page.keyboard.press("Enter")
    assert page.evaluate("() => location.hash") == "#id_email"


def test_the_essential_path_with_the_keyboard_only(new_context, professional):
    """The professional signs in, writes a statement (after a failed try), votes,
    adopts the common interest, commits and signs, all with the keyboard."""
    trio = make_alliance_trio(professional=professional, person_is_protected=True)
    alliance = trio.alliance
    person_says = services.write_statement(
        ally=trio.person, kind=StatementKind.INTEREST, text="Aller à l'école avec mes copains."
    )
    services.cast_vote(ally=trio.parent, statement=person_says, value=VoteValue.AGREE)
    charter = services.current_charter(alliance)
    for ally in (trio.person, trio.parent):
        services.add_commitment(
            ally=ally,
            charter=charter,
            text=f"{ally.user} s'engage.",
            expected_revision=charter.revision,
        )
        charter.refresh_from_db()
    home = f"/alliances/{alliance.pk}/"
    device = TOTPDevice.objects.create(user=professional, name="phone", confirmed=True)

    page = new_context().new_page()
    page.goto("/sign-in/")
    # ---- Sign in with email and password.
    tab_to(page, 'form[action="/sign-in/"] input[name="email"]')
    page.keyboard.type(professional.email)
    tab_to(page, 'form[action="/sign-in/"] input[name="password"]')
    page.keyboard.type(PASSWORD)
    # ---- Then the second factor: the code of her authenticator app (ADR 0011).
    press_and_land(page, "Enter", "/account/security/verify/?next=%2F")
    tab_to(page, 'main form input[name="code"]')
    page.keyboard.type(current_code(device))
    press_and_land(page, "Enter", "/")

    # ---- From the home page to the alliance.
    tab_to(page, f'main a[href="{home}"]')
    press_and_land(page, "Enter", home)

    # ---- Write a statement: a first try without words fails, the focus goes to the
    # error summary; then the words are typed and shared.
    tab_to(page, f'main a[href="{home}statements/new/"]')
    press_and_land(page, "Enter", f"{home}statements/new/")
    tab_to(page, 'main form button[type="submit"]')
    press_and_land(page, "Enter", f"{home}statements/new/")
    assert focused(page, ".error-summary")
    assert_accessible(page)
    tab_to(page, 'select[name="kind"]')
    for _ in range(len(StatementKind.values)):
        if page.input_value('select[name="kind"]') == StatementKind.GOAL:
            break
        page.keyboard.press("ArrowDown")
    assert page.input_value('select[name="kind"]') == StatementKind.GOAL
    tab_to(page, 'textarea[name="text"]')
    page.keyboard.type("Que Léo fasse ses devoirs au calme.")
    tab_to(page, 'main form button[type="submit"]')
    press_and_land(page, "Enter", home)
    mine = Statement.objects.get(alliance=alliance, author=trio.professional)
    assert (mine.kind, mine.text) == (StatementKind.GOAL, "Que Léo fasse ses devoirs au calme.")

    # ---- Vote with Space: htmx swaps the standings, the focus stays on the button.
    agree = f'form[action="{home}statements/{person_says.pk}/vote/"] button[value="agree"]'
    tab_to(page, agree)
    page.keyboard.press("Space")
    expect(page.locator(agree)).to_have_attribute("aria-pressed", "true")
    expect(page.locator("#standings .common li.statement")).to_have_count(1)
    page.wait_for_function(FOCUSED, arg=agree)  # back on the button, in the new markup

    # ---- Back up to the charter link, and adopt the common interest.
    tab_to(page, f'main a[href="{home}charter/"]', backwards=True)
    press_and_land(page, "Enter", f"{home}charter/")
    tab_to(page, f'form[action="{home}charter/interests/"] button')
    press_and_land(page, "Enter", f"{home}charter/")
    charter.refresh_from_db()
    assert list(charter.interests.values_list("statement_id", flat=True)) == [person_says.pk]

    # ---- Commit, then sign.
    tab_to(page, f'form[action="{home}charter/commitments/"] textarea[name="text"]')
    page.keyboard.type("Je fais le lien avec l'école chaque semaine.")
    tab_to(page, f'form[action="{home}charter/commitments/"] button[type="submit"]')
    press_and_land(page, "Enter", f"{home}charter/")
    assert charter.commitments.filter(ally=trio.professional).exists()

    sign = f'form[action="{home}charter/sign/"]:not(:has(input[name="signee"])) button'
    tab_to(page, sign)
    press_and_land(page, "Enter", f"{home}charter/")
    expect(page.locator(sign)).to_have_count(0)
    charter.refresh_from_db()
    assert charter.status == Charter.Status.SIGNING
    assert list(charter.signatures.values_list("ally_id", flat=True)) == [trio.professional.pk]
    assert_accessible(page)
