"""Masks first names in words that may go up to a decision maker. Pure Python.
In the alliances app, below reports: the author sees and confirms the masked words
when writing a statement, and reports mask again whatever they quote.

Two sources of names: the names of the alliance's allies (each word of each display
name), and about 11,000 French first names (`data/prenoms.txt`, from the INSEE
"Fichier des prénoms", Licence Ouverte; see `data/README.md`). Matching ignores
case and accents and is done word by word: an apostrophe separates words, so an
elision (qu'Inès, d'Hugo, l'Ève) or a possessive (Hugo's) leaves the name as a word
of its own; a hyphenated name (Jean-Pierre, Marie-Inès) is masked whole when each
part is a name.

Many first names are also ordinary words (rose, pierre, claire, grâce, france...).
The rule:
- a word written with a capital (anywhere, at the start of a sentence too) that
  is a first name is masked: "Rose est ravie" and "Pierre par pierre" become
  "[prénom] est ravie" and "[prénom] par pierre". A capital at the start of a
  sentence says nothing about whether the word is a name, and a name that goes up
  costs more than a word masked for nothing, which the author sees before
  confirming and can say otherwise;
- a word written in lower case is masked only when it is the first name of one of
  the alliance's allies (someone hurried writes "hugo"), and never when it is an
  ordinary French word (`data/mots_ordinaires.txt`): "une robe rose" stays, even in the
  alliance of a Rose; "mon petit frère" stays in the alliance of Léa Petit, since
  in lower case only words of the list of first names count.
"""

import functools
import pathlib
import re
import unicodedata

DATA = pathlib.Path(__file__).resolve().parent / "data"

# A word: letters, possibly joined by hyphens (Jean-Pierre). Digits, apostrophes and
# every other character separate words.
WORD = re.compile(r"[^\W\d_]+(?:-[^\W\d_]+)*")


def fold(word: str) -> str:
    """The form names are compared in: no accents, no case."""
    decomposed = unicodedata.normalize("NFKD", word)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()


@functools.cache
def first_names() -> frozenset[str]:
    """The folded first names of the shipped list."""
    return frozenset(fold(name) for name in (DATA / "prenoms.txt").read_text("utf-8").split())


@functools.cache
def ordinary_words() -> frozenset[str]:
    """Ordinary French words, as written, that are also first names: in lower case
    they are the word, not the name. With and without accents, as many write."""
    return frozenset((DATA / "mots_ordinaires.txt").read_text("utf-8").split())


def names_of(display_names) -> frozenset[str]:
    """The folded words of people's display names, each of two letters or more."""
    return frozenset(
        fold(part)
        for name in display_names
        for word in WORD.findall(name or "")
        for part in word.split("-")
        if len(part) > 1
    )


def _is_name(part: str, allies: frozenset[str]) -> bool:
    folded = fold(part)
    if part[:1].isupper():
        return folded in allies or folded in first_names()
    return folded in allies and folded in first_names() and part.casefold() not in ordinary_words()


def mask(text: str, *, allies=frozenset(), placeholder: str = "[prénom]") -> str:
    """`text` with every first name replaced by `placeholder`. `allies`: the folded
    names of the alliance's allies (`names_of`)."""
    allies = frozenset(allies)

    def replace(match):
        word = match.group(0)
        parts = word.split("-")
        named = [_is_name(part, allies) for part in parts]
        if all(named):
            return placeholder
        return "-".join(placeholder if n else p for p, n in zip(parts, named, strict=True))

    return WORD.sub(replace, text)
