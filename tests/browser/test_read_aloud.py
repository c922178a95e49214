"""Read-aloud (ADR 0020) in Chromium, with the browser's speech synthesis replaced by a
recorder: the "Listen" button shows only where speech synthesis exists, reads what a
sighted reader sees in its text, in French with a French voice of the device, a little
slower, and stops when pressed again. The "About" and glossary pages pass axe-core."""

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from tests.browser.helpers import assert_accessible, assert_unique_ids

pytestmark = pytest.mark.browser

# Runs before the page's scripts: a speechSynthesis that records instead of speaking.
RECORDER = """
window.spoken = [];
window.cancelled = 0;
const voices = [
  {name: "English here", lang: "en-US", localService: true},
  {name: "French far away", lang: "fr-FR", localService: false},
  {name: "French here", lang: "fr-FR", localService: true},
  {name: "Canadian here", lang: "fr-CA", localService: true},
];
window.SpeechSynthesisUtterance = function (text) { this.text = text; };
Object.defineProperty(window, "speechSynthesis", {configurable: true, value: {
  getVoices: () => voices,
  speak(utterance) {
    window.spoken.push({text: utterance.text, lang: utterance.lang, rate: utterance.rate,
                        voice: utterance.voice && utterance.voice.name});
    window.lastUtterance = utterance;
  },
  cancel() { window.cancelled += 1; },
}});
"""
WITHOUT_SPEECH = """
Object.defineProperty(window, "speechSynthesis", {configurable: true, value: undefined});
"""


@pytest.fixture
def listening_page(new_context):
    page = new_context().new_page()
    page.add_init_script(RECORDER)
    return page


def test_listen_reads_the_text_in_french_and_stops_when_pressed_again(listening_page):
    page = listening_page
    page.goto(reverse("about:about"))
    button = page.locator('[data-read-aloud="about-pictures"]')
    expect(button).to_be_visible()
    expect(button).to_have_attribute("aria-pressed", "false")
    expect(button).to_have_accessible_name("Écouter")

    button.click()
    spoken = page.evaluate("window.spoken")
    assert [u["text"] for u in spoken] == [
        "Les images viennent d'OpenMoji.",
        "Tout le monde peut les partager.",
        "Leur licence : Creative Commons Attribution - Partage dans les mêmes conditions 4.0.",
        "Nous n'avons pas changé les images.",
    ]
    assert {(u["lang"], u["rate"], u["voice"]) for u in spoken} == {("fr-FR", 0.9, "French here")}
    expect(button).to_have_attribute("aria-pressed", "true")
    expect(button).to_have_accessible_name("Arrêter")

    cancelled = page.evaluate("window.cancelled")
    button.click()
    assert page.evaluate("window.cancelled") > cancelled
    expect(button).to_have_attribute("aria-pressed", "false")
    expect(button).to_have_accessible_name("Écouter")
    assert len(page.evaluate("window.spoken")) == 4


def test_the_button_comes_back_when_the_reading_ends_and_another_one_takes_over(listening_page):
    page = listening_page
    page.goto(reverse("about:about"))
    first = page.locator('[data-read-aloud="about-what"]')
    second = page.locator('[data-read-aloud="about-licence"]')
    first.click()
    expect(first).to_have_attribute("aria-pressed", "true")
    second.click()
    expect(first).to_have_attribute("aria-pressed", "false")
    expect(second).to_have_attribute("aria-pressed", "true")
    # The link's text is read, not its address.
    assert page.evaluate("window.spoken.at(-1).text") == (
        "Sa licence est la GNU Affero General Public License, version 3 ou plus récente."
    )
    page.evaluate("window.lastUtterance.onend()")
    expect(second).to_have_attribute("aria-pressed", "false")
    expect(second).to_have_accessible_name("Écouter")


def test_a_closed_disclosure_reads_only_what_shows(listening_page):
    page = listening_page
    page.goto(reverse("about:words"))
    page.locator("summary").first.click()
    page.locator('[data-read-aloud="words-say"]').click()
    spoken = [u["text"] for u in page.evaluate("window.spoken")]
    assert spoken[:2] == ["message.", "Un message, c'est une phrase que j'écris pour mon alliance."]
    assert len(spoken) == 8  # four words, a sentence each
    assert_accessible(page)
    assert_unique_ids(page)


def test_in_english_it_reads_in_english(new_context):
    page = new_context(locale="en-GB").new_page()
    page.add_init_script(RECORDER)
    page.goto(reverse("about:about"))
    page.locator('form.language-form button[name="language"]').click()
    page.wait_for_load_state()
    page.locator('[data-read-aloud="about-what"]').click()
    spoken = page.evaluate("window.spoken")
    assert spoken[0]["text"] == "Alliance helps a person and the people around them to agree."
    assert (spoken[0]["lang"], spoken[0]["voice"]) == ("en", "English here")


def test_without_speech_synthesis_there_is_no_button(new_context):
    page = new_context().new_page()
    page.add_init_script(WITHOUT_SPEECH)
    page.goto(reverse("about:about"))
    page.wait_for_load_state()
    assert page.locator("[data-read-aloud]").count() == 4
    expect(page.locator("[data-read-aloud]").first).to_be_hidden()
    assert page.locator("[data-read-aloud]:visible").count() == 0


def test_the_about_pages_are_accessible(listening_page):
    page = listening_page
    for name in ("about:about", "about:words"):
        page.goto(reverse(name))
        assert page.locator("h1").count() == 1
        assert_accessible(page)
        assert_unique_ids(page)
    for summary in page.locator("summary").all():
        summary.click()
    assert_accessible(page)


def test_in_easy_read_mode_the_pages_keep_their_buttons_and_pass_axe(new_context, individual):
    individual.easy_read = True
    individual.save(update_fields=["easy_read"])
    page = new_context(individual).new_page()
    page.add_init_script(RECORDER)
    for name in ("about:about", "about:words"):
        page.goto(reverse(name))
        expect(page.locator("body")).to_have_class("easy")
        button = page.locator("[data-read-aloud]").first
        expect(button).to_be_visible()
        box = button.bounding_box()
        assert box["height"] >= 48 and box["width"] >= 48
        assert_accessible(page)
        assert_unique_ids(page)
