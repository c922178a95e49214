"""The "About" page (credits and licences) and "Les mots d'Alliance" (the glossary):
public, linked from every page's footer, in easy-read, and cheap: they read nothing
but the session of whoever is signed in."""

import re
from html import unescape
from html.parser import HTMLParser

import pytest
from django.urls import reverse
from django.utils import translation

from alliance.www.about.glossary import THEMES
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

PICTO = re.compile(r'<img class="picto" src="/static/img/openmoji/[0-9A-F-]+\.svg" alt=""')


def _page(client, name):
    response = client.get(reverse(name))
    assert response.status_code == 200
    return unescape(response.content.decode())


def test_the_about_page_credits_openmoji_and_says_the_licences_without_sign_in(client):
    html = _page(client, "about:about")
    assert '<a href="https://openmoji.org/">OpenMoji</a>' in html
    assert 'href="https://creativecommons.org/licenses/by-sa/4.0/deed.fr"' in html
    assert "Creative Commons Attribution - Partage dans les mêmes conditions 4.0" in html
    assert "Nous n'avons pas changé les images." in html
    assert 'href="https://www.gnu.org/licenses/agpl-3.0.html"' in html
    assert "Alliance est un logiciel libre." in html
    assert f'href="{reverse("about:words")}"' in html


def test_the_glossary_lists_every_word_with_its_pictogram_and_sentence(client):
    html = _page(client, "about:words")
    with translation.override("fr"):
        for theme in THEMES:
            assert str(theme.title) in html
            for word in theme.words:
                assert f'<span class="word-name">{word.word}</span>' in html
                assert f"<dd>{word.meaning}</dd>" in html
    for french in (
        "ce sur quoi on est d'accord",
        "notre accord",
        "la météo (Comment ça va\u202f?)",
        "personne de l'alliance (allié)",
        "question au groupe",
    ):
        assert french in html
    words = sum(len(theme.words) for theme in THEMES)
    # One pictogram per word, one per theme, the title's, the link back to "About"
    # and the listen buttons'; never one alone: each sits beside its word.
    assert len(PICTO.findall(html)) >= words + len(THEMES)


def test_the_glossary_follows_the_easy_read_rules():
    with translation.override("fr"):
        for theme in THEMES:
            for word in theme.words:
                for sentence in re.split(r"(?<=[.!?])\s+", str(word.meaning)):
                    assert len(sentence.split()) <= 15, sentence
                assert "·" not in str(word.word) + str(word.meaning)


class _MainText(HTMLParser):
    """The sentences of <main>: those shown first, and those inside a "more" disclosure."""

    BLOCKS = {"p", "h1", "h2", "dt", "dd", "li", "summary", "button"}

    def __init__(self):
        super().__init__()
        self.depth = {"main": 0, "details": 0}
        self.first, self.more, self.line = [], [], ""

    def handle_starttag(self, tag, attrs):
        if tag in self.depth:
            self.depth[tag] += 1
        if tag in self.BLOCKS:
            self._flush()

    def handle_endtag(self, tag):
        if tag in self.BLOCKS:
            self._flush()
        if tag in self.depth:
            self.depth[tag] -= 1

    def handle_data(self, data):
        if self.depth["main"]:
            self.line += data

    def _flush(self):
        if self.line.split():
            (self.more if self.depth["details"] else self.first).append(" ".join(self.line.split()))
        self.line = ""


@pytest.mark.parametrize("name", ["about:about", "about:words"])
def test_the_pages_are_written_in_easy_read(client, name):
    parser = _MainText()
    parser.feed(_page(client, name))
    assert 20 < sum(len(text.split()) for text in parser.first) <= 200
    for text in parser.first + parser.more:
        for sentence in re.split(r"(?<=[.!?])\s+", text):
            assert len(sentence.split()) <= 15, sentence
        assert "·" not in text


@pytest.mark.parametrize("name", ["about:about", "about:words"])
def test_each_text_of_the_pages_has_its_listen_button(client, name):
    html = _page(client, name)
    buttons = re.findall(r'<button type="button"[^>]*data-read-aloud="([^"]+)"[^>]*>', html)
    assert buttons and len(buttons) == len(set(buttons))
    for target in buttons:
        assert f'id="{target}"' in html
    assert 'aria-pressed="false"' in html and " hidden>" in html
    assert 'data-listen-label="Écouter" data-stop-label="Arrêter"' in html


def test_every_page_links_to_the_about_pages_and_loads_the_read_aloud_script(client):
    html = _page(client, "accounts:sign_in")
    footer = html[html.index('<footer class="site-footer">') :]
    assert f'href="{reverse("about:about")}"' in footer
    assert f'href="{reverse("about:words")}"' in footer
    assert re.search(r'<script src="/static/js/read_aloud\.js" defer></script>', html)


@pytest.mark.parametrize("name", ["about:about", "about:words"])
def test_the_pages_follow_the_readers_choice_of_easy_read(client, name):
    user = UserFactory()
    user.easy_read = True
    user.save()
    client.force_login(user)
    assert 'class="easy' in _page(client, name)
    user.easy_read = False
    user.save()
    assert 'class="easy' not in _page(client, name)


@pytest.mark.parametrize("name", ["about:about", "about:words"])
def test_the_pages_cost_no_query_signed_out_and_only_the_session_signed_in(
    client, name, django_assert_num_queries, django_assert_max_num_queries
):
    url = reverse(name)
    with django_assert_num_queries(0):
        assert client.get(url).status_code == 200
    client.force_login(UserFactory())
    assert client.get(url).status_code == 200
    # The session, its user, the session check; the unread count of the header.
    with django_assert_max_num_queries(5):
        assert client.get(url).status_code == 200
