import gettext
import os

import pytest
from django.core.management import call_command

from alliance.operations import checks, locales
from alliance.operations.translations import catalogues, compile_catalogue, is_stale

PO = """msgid ""
msgstr ""
"Content-Type: text/plain; charset=UTF-8\\n"
"Plural-Forms: nplurals=2; plural=(n > 1);\\n"

msgid "Sign in"
msgstr "Se connecter"

msgid "one vote"
msgid_plural "%(n)s votes"
msgstr[0] "un vote"
msgstr[1] "%(n)s votes"

#, fuzzy
msgid "Draft"
msgstr "Brouillon"
"""


@pytest.fixture
def locale_dir(tmp_path):
    po_path = tmp_path / "fr" / "LC_MESSAGES" / "django.po"
    po_path.parent.mkdir(parents=True)
    po_path.write_text(PO, encoding="utf-8")
    return tmp_path


def test_compiled_catalogue_translates_like_msgfmt(locale_dir):
    (po_path,) = catalogues([locale_dir])
    mo_path = compile_catalogue(po_path)
    with mo_path.open("rb") as handle:
        translations = gettext.GNUTranslations(handle)
    assert translations.gettext("Sign in") == "Se connecter"
    assert translations.ngettext("one vote", "%(n)s votes", 1) == "un vote"
    assert translations.ngettext("one vote", "%(n)s votes", 3) == "%(n)s votes"
    # A fuzzy entry is a guess: left out, as msgfmt does.
    assert translations.gettext("Draft") == "Draft"
    # Written under a temporary name, then renamed: nothing else is left behind.
    assert {path.name for path in mo_path.parent.iterdir()} == {"django.po", "django.mo"}


def test_a_catalogue_is_stale_without_mo_or_with_an_older_mo(locale_dir):
    (po_path,) = catalogues([locale_dir])
    assert is_stale(po_path)
    mo_path = compile_catalogue(po_path)
    assert not is_stale(po_path)
    os.utime(mo_path, (po_path.stat().st_mtime - 60, po_path.stat().st_mtime - 60))
    assert is_stale(po_path)


def test_the_deploy_check_names_each_stale_catalogue_and_the_command_fixes_it(
    locale_dir, monkeypatch
):
    monkeypatch.setattr(checks, "project_locale_dirs", lambda: [locale_dir])
    from alliance.operations.management.commands import compile_translations

    monkeypatch.setattr(compile_translations, "project_locale_dirs", lambda: [locale_dir])

    (error,) = checks.compiled_translations(None)
    assert error.id == "operations.E001"
    assert "django.mo" in error.msg

    call_command("compile_translations", verbosity=0)
    assert checks.compiled_translations(None) == []


def test_the_products_catalogues_are_found():
    names = {path.parent.parent.name for path in catalogues(locales.project_locale_dirs())}
    assert "fr" in names
