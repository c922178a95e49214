"""The pure masking of first names: no database, no Django."""

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from alliance.alliances.masking import first_names, mask, names_of, ordinary_words

P = "[prénom]"
ALLIES = names_of(["Léa Petit", "Zélindor Kervella", "Rose Martin", "Jean-Pierre Dupont"])


@pytest.mark.parametrize(
    ("words", "masked"),
    [
        ("Que Hugo ait une AESH au collège", f"Que {P} ait une AESH au collège"),
        ("Qu'Inès retourne à l'école du quartier", f"Qu'{P} retourne à l'école du quartier"),
        ("Qu’Inès retourne", f"Qu’{P} retourne"),  # a typographic apostrophe
        ("le cartable d'Hugo, celui de Noé", f"le cartable d'{P}, celui de {P}"),
        ("l'Ève de la classe", f"l'{P} de la classe"),
        ("Hugo's school", f"{P}'s school"),
        ("Jean-Pierre et Marie-Inès viennent", f"{P} et {P} viennent"),
        ("la place Saint-Pierre", f"la place Saint-{P}"),
        ("INÈS et ines aussi", f"{P} et ines aussi"),
        ("Ines sans accent", f"{P} sans accent"),
        ("Karim, Léa et Samir.", f"{P}, {P} et {P}."),
    ],
)
def test_first_names_of_the_list_are_masked_in_every_shape(words, masked):
    assert mask(words) == masked


@pytest.mark.parametrize(
    "words",
    [
        "une robe rose et des roses",
        "pierre par pierre",
        "une idée claire",
        "grâce à l'AESH, et grace à vous",
        "la france",
        "une prune, une olive, un ange",
        "je suis mariée et j'aime l'école",
    ],
)
def test_ordinary_words_in_lower_case_are_kept(words):
    assert mask(words) == words
    assert mask(words, allies=names_of(["Rose Claire", "Pierre Ange", "Marie Aimée"])) == words


@pytest.mark.parametrize(
    ("words", "masked"),
    [
        # A capital is a name, even where the word is also an ordinary one...
        ("Il a vu Rose hier", f"Il a vu {P} hier"),
        ("avec Pierre et Claire", f"avec {P} et {P}"),
        # ...and at the start of a sentence too: the author sees it and rephrases.
        ("Pierre par pierre, on avance.", f"{P} par pierre, on avance."),
        ("Rose est ravie. Grâce à Claire", f"{P} est ravie. {P} à {P}"),
    ],
)
def test_a_capital_makes_a_name_even_of_an_ordinary_word(words, masked):
    assert mask(words) == masked


def test_the_allies_names_are_masked_even_when_the_list_lacks_them():
    assert mask("Zélindor vient mardi") == "Zélindor vient mardi"
    assert mask("Zélindor vient mardi", allies=ALLIES) == f"{P} vient mardi"
    assert mask("avec M. Kervella", allies=ALLIES) == f"avec M. {P}"
    assert mask("Dupont et Jean-Pierre", allies=ALLIES) == f"{P} et {P}"


def test_in_lower_case_only_the_first_names_of_allies_are_masked():
    assert mask("hugo et léa", allies=names_of(["Hugo Bernard"])) == f"{P} et léa"
    # The family name of an ally that is also a word stays a word in lower case.
    assert mask("mon petit frère", allies=ALLIES) == "mon petit frère"
    assert mask("une robe rose", allies=ALLIES) == "une robe rose"


def test_the_placeholder_is_the_callers_and_masking_twice_changes_nothing():
    once = mask("Que Hugo vienne", placeholder="[first name]")
    assert once == "Que [first name] vienne"
    assert mask(once, placeholder="[first name]") == once
    assert mask(mask("Qu'Inès vienne")) == mask("Qu'Inès vienne")


def test_the_list_holds_thousands_of_names_and_no_function_word():
    names = first_names()
    assert len(names) > 9_000
    assert {"hugo", "ines", "lea", "noe", "jean-pierre", "mael", "maelys"} <= names
    assert not {"si", "le", "la", "que", "pour", "papa", "france"} & names
    assert {"rose", "pierre", "claire", "grâce", "grace", "france"} <= ordinary_words()


NAMES = sorted(n for n in first_names() if "-" not in n)
SHAPES = ["{}", "Qu'{}", "d'{}", "l'{}", "{}'s", "({})", "{},", "{}."]


@settings(max_examples=300, deadline=None)
@given(
    name=st.sampled_from(NAMES),
    shape=st.sampled_from(SHAPES),
    before=st.sampled_from(["Que", "On voit", "Avec", ""]),
    upper=st.booleans(),
)
def test_no_name_of_the_list_written_with_a_capital_survives(name, shape, before, upper):
    written = name.upper() if upper else name.capitalize()
    masked = mask(f"{before} {shape.format(written)} aujourd'hui")
    assert written not in masked
    assert P in masked
