"""The product speaks French by default and English on request.

1. The French catalogue is complete: no entry is empty or fuzzy, every placeholder of
   the English source is kept.
2. The catalogue is up to date with the code: a fresh extraction (makemessages on a
   temporary copy of the tree) finds no string that the catalogue lacks.
3. The main pages render in French, with no English UI sentence left, and in English
   after the language switch, with no French UI sentence left.

The compiled .mo files are not committed: the `compiled_catalogues` fixture compiles
them (msgfmt) when they are missing or older than their .po."""

import html
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse

from alliance import typography
from alliance.alliances import services
from alliance.www.reading import SESSION_KEY, STANDARD

from .po import need, read_po

ROOT = Path(settings.BASE_DIR).parent
LOCALE_DIR = Path(settings.LOCALE_PATHS[0])
FR_PO = LOCALE_DIR / "fr" / "LC_MESSAGES" / "django.po"
PLACEHOLDER = re.compile(r"%\(\w+\)[sd]|%[sd]")


@pytest.fixture(scope="module")
def french():
    return read_po(FR_PO)


# ------------------------------------------------------------------ 1. complete


def test_the_french_catalogue_has_entries(french):
    assert len(french) > 300


def test_no_french_entry_is_empty_or_fuzzy(french):
    problems = {
        "empty": [e.msgid for e in french if not e.translated],
        "fuzzy": [e.msgid for e in french if e.fuzzy],
    }
    assert problems == {"empty": [], "fuzzy": []}


def test_the_header_says_french_with_french_plurals():
    header = next(e for e in read_po(FR_PO, keep_header=True) if e.msgid == "")
    assert not header.fuzzy
    assert "Language: fr\n" in header.msgstr[0]
    assert "Plural-Forms: nplurals=2; plural=(n > 1);" in header.msgstr[0]


def test_every_placeholder_is_kept(french):
    wrong = []
    for e in french:
        sources = [e.msgid] if e.msgid_plural is None else [e.msgid, e.msgid_plural]
        expected = sorted(
            set(PLACEHOLDER.findall(sources[-1])) | set(PLACEHOLDER.findall(sources[0]))
        )
        for translation in e.msgstr.values():
            if sorted(set(PLACEHOLDER.findall(translation))) != expected:
                wrong.append((e.msgid, translation))
    assert wrong == []


def test_plurals_have_both_forms(french):
    plurals = [e for e in french if e.msgid_plural is not None]
    assert plurals
    for e in plurals:
        assert sorted(e.msgstr) == [0, 1], e.msgid


def test_the_catalogue_compiles_cleanly(tmp_path):
    result = subprocess.run(  # noqa: S603
        [need("msgfmt"), "--check", "-o", str(tmp_path / "django.mo"), str(FR_PO)],
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stderr


# ------------------------------------------------------------------ 2. up to date


def test_the_catalogue_holds_every_string_of_the_code(tmp_path, french):
    """makemessages on a copy of the tree: the fresh extraction must not bring any
    msgid that the committed catalogue lacks (run makemessages and translate)."""
    need("xgettext")
    need("msgmerge")
    copy = tmp_path / "tree"
    shutil.copytree(
        ROOT / "alliance",
        copy / "alliance",
        ignore=shutil.ignore_patterns("__pycache__", "*.mo", "static"),
    )
    env = {
        **os.environ,
        "PYTHONPATH": str(copy),
        "DJANGO_SETTINGS_MODULE": "alliance.settings.test",
        "PYTHONWARNINGS": "ignore",
    }
    subprocess.run(
        [sys.executable, "-m", "django", "makemessages", "-l", "fr", "-v", "0"],
        cwd=copy,
        env=env,
        check=True,
        capture_output=True,
    )
    fresh = read_po(copy / "alliance" / "locale" / "fr" / "LC_MESSAGES" / "django.po")
    committed, extracted = {e.key for e in french}, {e.key for e in fresh}
    difference = {
        "in the code, not in the catalogue": sorted(m for _, m in extracted - committed),
        "in the catalogue, no longer in the code": sorted(m for _, m in committed - extracted),
    }
    assert difference == {
        "in the code, not in the catalogue": [],
        "in the catalogue, no longer in the code": [],
    }, (
        "Run `manage.py makemessages -l fr -l en --ignore=.venv --ignore=node_modules "
        "--ignore=tests --ignore=benchmarks`, then translate the new French entries."
    )


# ------------------------------------------------------------------ 3. pages

# (English, French) on each page: the English must be gone in French and back in English.
PAGES = {
    "sign_in": [
        ("Sign in to Alliance", "Se connecter à Alliance"),
        ("With a code or a personal link", "Avec un code ou un lien personnel"),
        ("With a password", "Avec un mot de passe"),
        ("Send me a code", "M'envoyer un code"),
    ],
    "home": [
        ("What needs me", "Ce qui m'attend"),
        ("My alliances", "Mes alliances"),
        ("My home", "Mon accueil"),
        ("You are: Professional", "Votre rôle : Professionnel·le"),
        ("Skip to content", "Aller au contenu"),
    ],
    "overview": [
        ("What we have in common", "Ce que nous avons en commun"),
        ("Where we diverge", "Là où nous ne sommes pas d'accord"),
        ("Who is in the alliance", "Qui fait partie de l'alliance"),
        ("I agree", "Je suis d'accord"),
        ("I disagree", "Je ne suis pas d'accord"),
        ("Person concerned", "Personne concernée"),
        ("Legal representative", "Représentant légal"),
        ("Say what matters to me", "Dire ce qui compte pour moi"),
    ],
    "charter": [
        ("Our charter", "Notre socle commun"),
        ("Our common interests", "Nos intérêts communs"),
        ("Our reciprocal commitments", "Nos engagements réciproques"),
        ("I sign the charter", "Je signe le socle commun"),
    ],
    "positions": [
        ("Who chooses the path?", "Qui choisit le chemin ?"),
        ("The five images", "Les cinq images"),
        ("The wheelbarrow", "La brouette"),
        ("Hikers side by side", "Les randonneurs côte à côte"),
    ],
    "asymmetries": [
        ("Asymmetry register", "Registre des asymétries"),
        ("Decision power", "Pouvoir de décision"),
        ("Add to the register", "Ajouter au registre"),
    ],
    "trail": [
        (
            "Who looked at the alliance, and who did what",
            "Qui a consulté l'alliance, et qui a fait quoi",
        ),
        ("looked at the alliance", "a consulté l'alliance"),
        ("signed the charter", "a signé le socle commun"),
    ],
}


def _urls(trio):
    pk = trio.alliance.pk
    return {
        "home": reverse("home"),
        "overview": reverse("alliances:overview", args=[pk]),
        "charter": reverse("alliances:charter", args=[pk]),
        "positions": reverse("alliances:positions", args=[pk]),
        "asymmetries": reverse("alliances:asymmetries", args=[pk]),
        "trail": reverse("alliances:trail", args=[pk]),
    }


def _text(response):
    assert response.status_code == 200, response.status_code
    return html.unescape(response.content.decode())


def _sentences(entries, side):
    """UI sentences of at least two words, without placeholders, that differ between
    English and French: one of them found on a page says which language leaked."""
    found = set()
    for e in entries:
        pairs = [(e.msgid, e.msgstr.get(0, ""))]
        if e.msgid_plural is not None:
            pairs.append((e.msgid_plural, e.msgstr.get(1, "")))
        for english, french in pairs:
            text = english if side == "en" else french
            if english != french and "%" not in text and len(text.split()) >= 2:
                found.add(text)
    return found


def _assert_french(page, text, french):
    for english_phrase, french_phrase in PAGES[page]:
        # The catalogue is in French typography (ADR 0027): no-break spaces.
        french_phrase = typography.french(french_phrase)
        assert french_phrase in text, (page, french_phrase)
        assert english_phrase not in text, (page, english_phrase)
    leaked = sorted(s for s in _sentences(french, "en") if s in text)
    assert leaked == [], (page, leaked)
    assert '<html lang="fr">' in text


def _assert_english(page, text, french):
    for english_phrase, french_phrase in PAGES[page]:
        assert english_phrase in text, (page, english_phrase)
        assert french_phrase not in text, (page, french_phrase)
    leaked = sorted(s for s in _sentences(french, "fr") if s in text)
    assert leaked == [], (page, leaked)
    assert '<html lang="en">' in text


def test_the_sign_in_page_is_french_by_default_even_for_an_english_browser(
    client, db, compiled_catalogues, french
):
    text = _text(client.get(reverse("accounts:sign_in"), HTTP_ACCEPT_LANGUAGE="en-GB,en"))
    _assert_french("sign_in", text, french)


def test_the_sign_in_page_switches_to_english_and_back(client, db, compiled_catalogues, french):
    url = reverse("accounts:sign_in")
    client.post(reverse("set_language"), {"language": "en", "next": url})
    _assert_english("sign_in", _text(client.get(url)), french)
    client.post(reverse("set_language"), {"language": "fr", "next": url})
    _assert_french("sign_in", _text(client.get(url)), french)


def test_the_pages_of_an_alliance_are_in_french(client, demo_like, french):
    client.force_login(demo_like.professional.user)
    urls = _urls(demo_like)
    for page in ("overview", "charter", "positions", "asymmetries", "trail", "home"):
        _assert_french(page, _text(client.get(urls[page])), french)


def test_the_pages_of_an_alliance_are_in_english_after_the_switch(client, demo_like, french):
    client.force_login(demo_like.professional.user)
    urls = _urls(demo_like)
    response = client.post(reverse("set_language"), {"language": "en", "next": urls["home"]})
    assert response.status_code == 302
    assert client.cookies[settings.LANGUAGE_COOKIE_NAME].value == "en"
    for page in ("overview", "charter", "positions", "asymmetries", "trail", "home"):
        _assert_english(page, _text(client.get(urls[page])), french)


def test_plurals_follow_the_french_rule(client, demo_like):
    """One statement waits for the person's vote, then two (on the usual home: the
    easy-read one says it without a count)."""
    client.force_login(demo_like.person.user)
    session = client.session
    session[SESSION_KEY] = STANDARD
    session.save()
    services.write_statement(
        ally=demo_like.professional,
        kind="means",
        text="Une aide humaine deux matinées par semaine.",
    )
    assert "1 message attend votre vote" in _text(client.get(reverse("home")))
    services.write_statement(
        ally=demo_like.parent, kind="concern", text="Les trajets en taxi sont longs."
    )
    assert "2 messages attendent votre vote" in _text(client.get(reverse("home")))
