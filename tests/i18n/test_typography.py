"""French typography, handled once (ADR 0027): the pure rules of
alliance.typography, the French catalogue kept in that form, and the `french`
template filter where a page joins a name to punctuation itself."""

import importlib.util
from pathlib import Path

import pytest
from django import forms
from django.template import engines
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.safestring import SafeData

from alliance.typography import NBSP, NNBSP, elide, french, spacing
from alliance.www.templatetags.typography import keep_words

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Hélène Roussel: bonjour", f"Hélène Roussel{NBSP}: bonjour"),
        ("Hélène Roussel : bonjour", f"Hélène Roussel{NBSP}: bonjour"),
        ("Vraiment ! Et toi ? Oui; non", f"Vraiment{NNBSP}! Et toi{NNBSP}? Oui{NNBSP}; non"),
        ("Quoi ?!", f"Quoi{NNBSP}?!"),
        ("«Salut»", f"«{NBSP}Salut{NBSP}»"),
        ("« Salut »", f"«{NBSP}Salut{NBSP}»"),
        ("Note:", f"Note{NBSP}:"),
        ("<strong>Disponibilité:</strong> oui", f"<strong>Disponibilité{NBSP}:</strong> oui"),
    ],
)
def test_spacing_before_high_punctuation_and_inside_guillemets(text, expected):
    assert spacing(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("à 17:52", "à 17:52"),
        ("https://alliance.example/a?b=c;d", "https://alliance.example/a?b=c;d"),
        ("a;b", "a;b"),
        ("", ""),
        # The ";" of an HTML entity is not punctuation; the one after the word is.
        ("d&#x27;accord; bien", f"d&#x27;accord{NNBSP}; bien"),
        ("l&amp; ;", "l&amp; ;"),
    ],
)
def test_what_is_not_prose_is_left_alone(text, expected):
    assert spacing(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("avec l’accord de Inès", "avec l’accord d’Inès"),
        ("De Amandine", "D’Amandine"),
        ("en tant que Hélène", "en tant qu’Hélène"),
        ("jusque à demain", "jusqu’à demain"),
        ("de Paris", "de Paris"),
        ("de haut en bas", "de haut en bas"),  # a lower-case h may be aspirated
        ("mode Inès", "mode Inès"),  # "de" inside a word is not the word "de"
    ],
)
def test_elision_before_a_vowel_or_a_capital_h(text, expected):
    assert elide(text) == expected


def test_french_is_idempotent():
    text = "« Léa » : de Inès ; vraiment ? oui !"
    assert french(french(text)) == french(text)


def test_the_french_catalogue_is_in_french_typography():
    spec = importlib.util.spec_from_file_location(
        "french_typography", ROOT / "scripts" / "french_typography.py"
    )
    script = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(script)
    lines = script.PO.read_text(encoding="utf-8").split("\n")
    wrong = [
        (old, new) for old, new in zip(lines, script.rewrite(lines), strict=True) if old != new
    ]
    assert not wrong, "run scripts/french_typography.py:\n" + "\n".join(o for o, _ in wrong[:10])


def test_the_filter_spaces_a_name_and_its_colon_in_french_only():
    template = engines["django"].from_string(
        "{% filter french %}{{ name }}: {{ v }}{% endfilter %}"
    )
    context = {"name": "Hélène Roussel", "v": "<b>"}
    with translation.override("fr"):
        out = template.render(context)
        assert out == f"Hélène Roussel{NBSP}: &lt;b&gt;"
    with translation.override("en"):
        assert template.render(context) == "Hélène Roussel: &lt;b&gt;"


def test_the_filter_keeps_escaped_text_escaped():
    from alliance.www.templatetags.typography import french as french_filter

    with translation.override("fr"):
        assert isinstance(
            french_filter(engines["django"].from_string("{{ x }}").render({"x": "a"})), SafeData
        )
        assert not isinstance(french_filter("<b>"), SafeData)


class _Form(forms.Form):
    name = forms.CharField(label="Nom")


def test_form_errors_set_the_space_before_the_colon():
    form = _Form(data={})
    with translation.override("fr"):
        html = render_to_string("includes/form_errors.html", {"form": form})
    assert f"Nom{NBSP}: Ce champ est obligatoire." in html


def test_a_hyphenated_word_of_a_table_cell_stays_on_one_line():
    html = keep_words("Fonctions cardio-vasculaire & génito-urinaire")
    assert html == (
        'Fonctions <span class="nowrap">cardio-vasculaire</span> &amp; '
        '<span class="nowrap">génito-urinaire</span>'
    )


def test_keeping_words_together_escapes_what_it_is_given():
    assert keep_words("<b>anti-x</b>") == '&lt;b&gt;<span class="nowrap">anti-x</span>&lt;/b&gt;'
