"""Voice notes in Chromium (ADR 0019): the person records with the page's recorder
(a fake microphone) and with a plain file; an ally finds a player named after whose
voice it is, which Chromium can load and seek (ranges). axe-core on every page."""

import re

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from alliance.alliances import services
from alliance.alliances.models import StatementKind, StatementVoiceNote
from alliance.demo.voice import tone_wav
from tests.browser.conftest import CHROMIUM, CHROMIUM_ARGS, TIMEOUT_MS
from tests.browser.helpers import assert_accessible, assert_unique_ids, sign_in
from tests.factories import make_alliance_trio

pytestmark = pytest.mark.browser

# Chromium's own test microphone: a beep, granted without asking.
FAKE_MICROPHONE = ["--use-fake-device-for-media-stream", "--use-fake-ui-for-media-stream"]


def audit(page):
    assert_accessible(page)
    assert_unique_ids(page)


@pytest.mark.django_db(transaction=True)
def test_a_file_sent_without_the_recorder_plays_for_an_ally(new_context):
    trio = make_alliance_trio()
    statement = services.write_statement(
        ally=trio.person, kind=StatementKind.INTEREST, text="Aller à l'école du quartier."
    )
    args = [trio.alliance.pk, statement.pk]
    person = new_context(trio.person.user).new_page()
    person.goto(reverse("alliances:statement", args=args))
    audit(person)
    person.get_by_role("link", name="Enregistrer un message vocal").click()
    person.wait_for_url(re.compile(r"/voice/record/$"))
    audit(person)
    person.get_by_label("Mon message vocal").set_input_files(
        {"name": "voix.wav", "mimeType": "audio/wav", "buffer": tone_wav(2.0)}
    )
    person.get_by_role("button", name="Envoyer").click()
    person.wait_for_url(re.compile(rf"/statements/{statement.pk}/$"))
    expect(person.get_by_text("Votre message vocal est enregistré.")).to_be_visible()
    audit(person)

    relative = new_context(trio.parent.user).new_page()
    relative.goto(reverse("alliances:statement", args=args))
    player = relative.locator("audio")
    expect(player).to_have_accessible_name("Message vocal de Léo Martin, 0:02")
    expect(player).to_have_attribute("preload", "none")
    audit(relative)
    # Chromium loads it through ranges, knows its length and may seek in it.
    loaded = player.evaluate(
        """audio => new Promise((done, failed) => {
            audio.addEventListener("loadedmetadata", () => done({
                duration: audio.duration,
                seekable: audio.seekable.length ? audio.seekable.end(0) : 0,
            }));
            audio.addEventListener("error", () => failed(audio.error && audio.error.code));
            audio.preload = "auto";
            audio.load();
        })"""
    )
    assert loaded["duration"] == pytest.approx(2.0, abs=0.05)
    assert loaded["seekable"] == pytest.approx(2.0, abs=0.05)


@pytest.mark.django_db(transaction=True)
def test_the_person_records_with_the_recorder_listens_and_sends(live_server, playwright_browser):
    trio = make_alliance_trio()
    statement = services.write_statement(
        ally=trio.person, kind=StatementKind.INTEREST, text="Aller à l'école du quartier."
    )
    context = playwright_browser.new_context(base_url=live_server.url, locale="fr-FR")
    context.set_default_timeout(TIMEOUT_MS)
    try:
        sign_in(context, trio.person.user, live_server.url)
        page = context.new_page()
        page.goto(
            reverse("alliances:statement_voice_record", args=[trio.alliance.pk, statement.pk])
        )
        record = page.get_by_role("button", name="Enregistrer", exact=True)
        expect(record).to_be_visible()
        audit(page)

        record.click()
        stop = page.get_by_role("button", name="Arrêter")
        expect(stop).to_be_focused()
        expect(page.locator("[data-voice-status]")).to_contain_text("Enregistrement en cours")
        page.wait_for_timeout(1500)
        stop.click()
        replay = page.get_by_role("button", name="Réécouter")
        expect(replay).to_be_focused()
        expect(page.locator("[data-voice-status]")).to_contain_text("C'est enregistré")
        assert page.locator("[data-voice-input]").evaluate("input => input.files.length") == 1
        audit(page)
        page.get_by_role("button", name="Envoyer").click()
        page.wait_for_url(re.compile(rf"/statements/{statement.pk}/$"))
    finally:
        context.close()

    note = StatementVoiceNote.objects.get(statement=statement)
    assert note.content_type == "audio/webm"
    assert note.seconds in (1, 2, 3)
    assert note.size > 1000


@pytest.fixture
def playwright_browser(playwright_driver):
    """A Chromium of its own, with the fake microphone (the session's has none)."""
    browser = playwright_driver.chromium.launch(
        executable_path=CHROMIUM, args=CHROMIUM_ARGS + FAKE_MICROPHONE
    )
    yield browser
    browser.close()
