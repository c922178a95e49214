"""Samir (an adult, ESAT worker) and Noé (9 years old) use Alliance alone on a 360 px
phone, in easy-read, with the keyboard only (Tab, Shift+Tab, Enter, Space, arrows;
never a mouse click), as issue 11 asks: say what matters, vote, sign the charter,
answer the position check, give the weather with faces, listen to a text.

On every page they reach: axe-core finds nothing serious, no id is used twice, no
sideways scrolling, every control has an accessible name (a screen-reader-like pass
over the accessibility tree), and the buttons are big enough to touch (48 px).

Each journey starts from the demo (`manage.py demo`) with a `goto`, as one types an
address; then only the keyboard. Controls are found by what a screen reader says
(their accessible names, in French: the words of the easy-read glossary) or, for
forms, by their action and field names, which do not depend on the wording."""

import re

import pytest
from django.conf import settings
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from playwright.sync_api import expect

from alliance.accounts.models import User
from alliance.acting.models import WeatherRating
from alliance.alliances import services
from alliance.alliances.models import (
    Ally,
    Charter,
    PositionCheck,
    Role,
    Statement,
    StatementKind,
    Vote,
)
from tests.browser.helpers import assert_accessible, assert_unique_ids
from tests.browser.test_keyboard import FOCUS_IS_VISIBLE

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SAMIR, NOE = "personne-samir", "personne-noe"
PERSONS = [SAMIR, NOE]
WIDTH, HEIGHT = 360, 640
MIN_TARGET = 48

# speechSynthesis stubbed before any script of the page runs: what would be said is
# kept in window.spoken (a headless Chromium has no voice, and a test must not speak).
SPEECH_STUB = """
window.spoken = [];
class FakeUtterance {
  constructor(text) { this.text = text; this.lang = ""; this.rate = 1; }
}
window.SpeechSynthesisUtterance = FakeUtterance;
Object.defineProperty(window, "speechSynthesis", { configurable: true, value: {
  speaking: false, pending: false, paused: false,
  speak(u) { window.spoken.push({ text: u.text, lang: u.lang });
             if (u.onend) setTimeout(() => u.onend({}), 0); },
  cancel() {}, pause() {}, resume() {},
  getVoices() { return [{ lang: "fr-FR", name: "Test", default: true, localService: true }]; },
  addEventListener() {}, removeEventListener() {},
}});
"""

# Roles a person acts on; each needs a name a screen reader can say.
CONTROL_ROLES = (
    "button",
    "link",
    "textbox",
    "checkbox",
    "radio",
    "combobox",
    "listbox",
    "slider",
    "spinbutton",
    "switch",
    "menuitem",
    "tab",
    "searchbox",
)
UNNAMED = re.compile(rf"^\s*- ({'|'.join(CONTROL_ROLES)})(\s*\[[^\]]*\])?\s*(:.*)?$")

ACTIVE_NAME = """() => {
    const e = document.activeElement;
    if (!e) return "";
    const label = e.getAttribute("aria-label") || (e.labels?.[0]?.innerText);
    return (label || e.innerText || e.value || "").trim();
}"""


# ------------------------------------------------------------------ the demo and the phone


@pytest.fixture
def demo():
    call_command("demo", stdout=None)


def person(slug) -> Ally:
    return Ally.objects.select_related("user", "alliance").get(
        user__demo_persona=slug, role=Role.PERSON
    )


@pytest.fixture
def phone(new_context, live_server):
    """`phone(slug)`: a page on a 360 × 640 phone, signed in as the persona, in easy-read
    (the session says so), with speech synthesis stubbed."""

    def make(slug):
        context = new_context(locale="fr-FR")
        context.add_init_script(SPEECH_STUB)
        client = Client()
        client.force_login(User.objects.get(demo_persona=slug))
        session = client.session
        session["reading_mode"] = "easy"
        session.save()
        context.add_cookies(
            [
                {
                    "name": settings.SESSION_COOKIE_NAME,
                    "value": session.session_key,
                    "url": live_server.url,
                    "httpOnly": True,
                    "sameSite": "Lax",
                }
            ]
        )
        page = context.new_page()
        page.set_viewport_size({"width": WIDTH, "height": HEIGHT})
        return page

    return make


# ------------------------------------------------------------------ what every page must pass


def unnamed_controls(page) -> list[str]:
    """The controls the accessibility tree gives no name: what a screen reader would
    announce as a bare "button" or "link"."""
    tree = page.locator("body").aria_snapshot()
    return [line.strip() for line in tree.splitlines() if UNNAMED.match(line)]


SMALL_TARGETS = """(minimum) => [...document.querySelectorAll(
    "main button, main a.button, main [role=button], main input[type=submit]")]
    .filter(e => e.offsetParent !== null)
    .filter(e => e.getBoundingClientRect().height < minimum)
    .map(e => (e.innerText || e.value || "").trim().split(/\\s+/).join(" ") + ": "
              + Math.round(e.getBoundingClientRect().height) + " px")"""


def audit(page):
    """axe-core, unique ids, no sideways scrolling, a name for every control, big
    targets: every problem of the page as it is now, in one message."""
    problems = []
    for check in (assert_accessible, assert_unique_ids):
        try:
            check(page)
        except AssertionError as error:
            problems.append(str(error))
    width = page.evaluate("() => document.documentElement.scrollWidth")
    if width > WIDTH:
        problems.append(f"scrolls sideways on a phone: {width} px wide")
    unnamed = unnamed_controls(page)
    if unnamed:
        problems.append(f"controls without an accessible name: {unnamed}")
    small = page.evaluate(SMALL_TARGETS, MIN_TARGET)
    if small:
        problems.append(f"targets under {MIN_TARGET} px: {sorted(set(small))}")
    if problems:
        pytest.fail(f"{page.url}:\n" + "\n".join(f"- {p}" for p in problems), pytrace=False)


# ------------------------------------------------------------------ the keyboard


def _is_focused(locator) -> bool:
    return locator.evaluate_all("(els) => els.includes(document.activeElement)")


def tab_to(page, locator, *, backwards=False, limit=150):
    """Tab (or Shift+Tab) until one of the elements of `locator` has the focus, and
    check the focus can be seen."""
    key = "Shift+Tab" if backwards else "Tab"
    for _ in range(limit):
        page.keyboard.press(key)
        if _is_focused(locator):
            assert page.evaluate(FOCUS_IS_VISIBLE), (
                f"no visible focus on {page.evaluate(ACTIVE_NAME)!r} at {page.url}"
            )
            return
    raise AssertionError(f"{limit} × {key} never reached {locator} on {page.url}")


def follow(page, locator, key="Enter"):
    """Tab to a link or button and press Enter (or Space), waiting for the next page."""
    tab_to(page, locator)
    with page.expect_navigation():
        page.keyboard.press(key)
    page.wait_for_load_state()
    audit(page)


def named(page, role, words, *, include_hidden=False):
    """The controls of `role` whose accessible name contains `words` (any apostrophe,
    any case): how a screen-reader user finds them. `include_hidden`: those inside a
    closed disclosure too."""
    pattern = "".join("['’]" if c in "'’" else re.escape(c) for c in words)
    return page.get_by_role(
        role, name=re.compile(pattern, re.IGNORECASE), include_hidden=include_hidden
    )


def choose(page, name, value):
    """Answers the question `name` with `value` with the keyboard: Space and the arrows
    on radio buttons (faces, pictures), the arrows on a select."""
    first = page.locator(f'main [name="{name}"]').first
    tab_to(page, page.locator(f'main [name="{name}"]'))
    if first.evaluate("e => e.tagName") == "SELECT":
        for _ in range(20):
            if page.locator(f'main select[name="{name}"]').input_value() == value:
                return
            page.keyboard.press("ArrowDown")
        raise AssertionError(f"{value} is not an answer of {name}")
    page.keyboard.press("Space")
    for _ in range(20):
        if page.locator(f'main input[name="{name}"][value="{value}"]').is_checked():
            return
        page.keyboard.press("ArrowRight")
    raise AssertionError(f"{value} is not an answer of {name}")


def home_of(slug) -> str:
    return reverse("alliances:overview", args=[person(slug).alliance_id])


# ------------------------------------------------------------------ the journeys


@pytest.mark.parametrize("slug", PERSONS)
def test_the_alliance_home_shows_five_picture_tiles_at_most(demo, phone, slug):
    page = phone(slug)
    page.goto(home_of(slug))
    audit(page)
    for words in ("Ce qui compte pour moi", "On est d'accord", "Notre accord", "Comment ça va"):
        expect(named(page, "link", words).first).to_be_visible()
    # No tab bar: the easy home is its tiles, every one with its picture and its word.
    expect(page.locator("nav.alliance-nav")).to_have_count(0)
    tiles = page.locator("main .tile a")
    assert 1 <= tiles.count() <= 5, f"{tiles.count()} picture tiles"
    for n in range(tiles.count()):
        expect(tiles.nth(n).locator("img.picto, svg[aria-hidden=true]")).to_have_count(1)


@pytest.mark.parametrize("slug", PERSONS)
def test_say_what_matters_with_the_keyboard(demo, phone, slug):
    me = person(slug)
    page = phone(slug)
    page.goto(home_of(slug))
    audit(page)
    follow(page, named(page, "link", "Ce qui compte pour moi"))
    # The page of my words leads to the form ("Je dis ce qui compte pour moi").
    if page.locator('main textarea[name="text"]').count() == 0:
        follow(page, named(page, "link", "Je dis"))
    words = "J'aime travailler avec les autres."
    tab_to(page, page.locator('main textarea[name="text"]'))
    page.keyboard.type(words)
    kind = page.locator('main [name="kind"]')
    if kind.count():
        # What kind of message: the first answer is fine.
        choose(page, "kind", kind.first.get_attribute("value") or kind.first.input_value())
    tab_to(page, page.locator('main form:has(textarea[name="text"]) button[type="submit"]'))
    with page.expect_navigation():
        page.keyboard.press("Enter")
    page.wait_for_load_state()
    audit(page)
    assert Statement.objects.filter(author=me, text=words).exists()
    expect(page.locator("main")).to_contain_text(words)


@pytest.mark.parametrize("slug", PERSONS)
def test_vote_with_the_keyboard(demo, phone, slug):
    me = person(slug)
    # A close one has just written a new message: it waits for my answer.
    other = me.alliance.allies.filter(status=Ally.Status.ACTIVE).exclude(pk=me.pk).first()
    new = services.write_statement(
        ally=other, kind=StatementKind.INTEREST, text="On fait une sortie au parc samedi."
    )
    page = phone(slug)
    page.goto(home_of(slug))
    audit(page)
    follow(page, named(page, "link", "On est d'accord"))
    action = reverse("alliances:vote", args=[me.alliance_id, new.pk])
    # "D'accord" and not "Pas d'accord": the form's value says which.
    agree = page.locator(f'main form[action="{action}"] button[value="agree"]')
    expect(agree).to_be_visible()
    assert re.search(r"d['’]accord", agree.inner_text(), re.IGNORECASE)
    tab_to(page, agree)
    page.keyboard.press("Space")
    expect(page.locator(f'main form[action="{action}"] button[value="agree"]')).to_have_attribute(
        "aria-pressed", "true"
    )
    audit(page)
    assert Vote.objects.get(ally=me, statement=new).value == "agree"


@pytest.mark.parametrize("slug", PERSONS)
def test_sign_our_agreement_with_the_keyboard_after_its_summary(demo, phone, slug):
    me = person(slug)
    alliance = me.alliance
    professional = alliance.allies.filter(role=Role.PROFESSIONAL).first()
    # The allies reopened their agreement after a check-up; the professional signed.
    charter = services.current_charter(alliance)
    charter = services.open_charter_version(ally=professional, expected_revision=charter.revision)
    charter.refresh_from_db()
    services.sign_charter(ally=professional, charter=charter, expected_revision=charter.revision)

    page = phone(slug)
    page.goto(home_of(slug))
    audit(page)
    follow(page, named(page, "link", "Notre accord"))
    # The summary of what one signs comes before the button, in easy words.
    sign = named(page, "button", "Je signe")
    expect(sign).to_have_count(1)
    words_before = page.evaluate(
        """() => { const b = [...document.querySelectorAll("main button")]
                     .find(b => /je signe/i.test(b.innerText));
                   const text = document.querySelector("main").innerText;
                   return text.slice(0, text.indexOf(b.innerText.trim())).split(/\\s+/).length; }"""
    )
    assert words_before >= 20, "no summary of what one signs before the button"
    tab_to(page, sign)
    with page.expect_navigation():
        page.keyboard.press("Enter")
    page.wait_for_load_state()
    audit(page)
    charter.refresh_from_db()
    assert charter.signatures.filter(ally=me).exists()
    assert charter.status == Charter.Status.SIGNING  # the others sign in turn


@pytest.mark.parametrize("slug", PERSONS)
def test_answer_how_we_walk_together_with_the_keyboard(demo, phone, slug):
    me = person(slug)
    page = phone(slug)
    page.goto(reverse("alliances:positions", args=[me.alliance_id]))
    audit(page)
    # The five images are drawn: pictures with their names, never a picture alone.
    drawings = page.locator("main svg[role=img], main img[alt]:not([alt=''])")
    assert drawings.count() >= 5, "the five images of the position check are not drawn"
    choose(page, "chooses_path", "together")
    choose(page, "sets_pace", "me")
    choose(page, "walks_ahead", "together")
    tab_to(page, page.locator('main form:has([name="walks_ahead"]) button[type="submit"]'))
    with page.expect_navigation():
        page.keyboard.press("Enter")
    page.wait_for_load_state()
    audit(page)
    check = PositionCheck.objects.filter(ally=me).latest("created_at")
    assert (check.chooses_path, check.sets_pace, check.walks_ahead) == (
        "together",
        "me",
        "together",
    )


@pytest.mark.parametrize("slug", PERSONS)
def test_give_the_weather_with_faces_and_the_keyboard(demo, phone, slug):
    me = person(slug)
    page = phone(slug)
    page.goto(home_of(slug))
    audit(page)
    follow(page, named(page, "link", "Comment ça va"))
    # Faces, not a 0–10 scale: each face a picture beside its word.
    expect(page.locator("main img[src*='face-']").first).to_be_visible()
    before = WeatherRating.objects.filter(ally=me).count()
    # Faces 1 to 5 are kept on the 0–10 scale (4 is 8, 5 is 10: tests/browser/test_weather.py).
    faces = {"aim": 4, "way": 5, "heard": 5, "decide": 4}
    for item, face in faces.items():
        choose(page, item, str(face))
    tab_to(
        page, page.locator('main form[method="post"]:has(input[name="aim"]) button[type="submit"]')
    )
    with page.expect_navigation():
        page.keyboard.press("Enter")
    page.wait_for_load_state()
    audit(page)
    assert WeatherRating.objects.filter(ally=me).count() == before + 1
    rating = WeatherRating.objects.filter(ally=me).latest("created_at")
    assert rating.easy_read
    assert (rating.aim, rating.way, rating.heard, rating.decide) == (8, 10, 10, 8)


@pytest.mark.parametrize("slug", PERSONS)
@pytest.mark.parametrize("where", ["alliances:words", "alliances:charter", "acting:weather"])
def test_listen_to_a_text_with_the_keyboard(demo, phone, slug, where):
    me = person(slug)
    page = phone(slug)
    page.goto(reverse(where, args=[me.alliance_id]))
    audit(page)
    listen = named(page, "button", "Écouter")
    expect(listen.first).to_be_visible()
    tab_to(page, listen)
    page.keyboard.press("Enter")
    page.wait_for_function("() => window.spoken.length > 0")
    said = page.evaluate("() => window.spoken")
    assert said[0]["lang"].startswith("fr")
    assert len(said[0]["text"].split()) >= 3, said
    # Space works as well as Enter, on the next text to listen to.
    if listen.count() > 1:
        tab_to(page, listen.nth(1))
        page.keyboard.press("Space")
        page.wait_for_function("() => window.spoken.length > 1")


def test_noe_has_no_button_a_child_should_not_have(demo, phone):
    page = phone(NOE)
    page.goto(home_of(NOE))
    audit(page)
    # Not even inside a closed "more" disclosure.
    for words in ("Inviter", "J'invite", "lettre", "Retirer", "accès"):
        for role in ("button", "link"):
            expect(named(page, role, words, include_hidden=True)).to_have_count(0)
    # "tu": Noé is 9. (The allies' own words may say "vous": they are theirs.)
    ours = page.evaluate(
        """() => { const main = document.querySelector("main").cloneNode(true);
                   main.querySelectorAll("[data-user-text]").forEach(e => e.remove());
                   return main.innerText; }"""
    )
    assert not re.search(r"\bvous\b", ours, re.IGNORECASE), "Noé is told “vous”"
