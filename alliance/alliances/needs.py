"""The SERAFIN-PH needs nomenclature (ANS, Licence Ouverte / Etalab 2.0), shipped
with the product so that life domains and needs are coded with the national
vocabulary. Plain Python: no Django import."""

import csv
import re
import unicodedata
from functools import cache
from pathlib import Path

SOURCE = Path(__file__).resolve().parent / "data" / "serafin_ph_besoins.csv"


@cache
def serafin_needs() -> tuple[tuple[str, str, str], ...]:
    with SOURCE.open(newline="", encoding="utf-8") as handle:
        return tuple((r["code"], r["label"], r["parent_code"]) for r in csv.DictReader(handle))


# Indents a need under its parent in a select: no-break spaces, which a screen reader
# does not read and a label saved from the code (label_of) never carries.
INDENT = "\u00a0\u00a0\u00a0"


def life_domains() -> list[tuple[str, str]]:
    """The needs below the root, as (code, label) for a select, each indented by its
    depth. A need whose label only repeats that of its one child ("Besoins en matière
    d'autonomie" twice) is left out: the child, more precise, takes its place."""
    needs = [n for n in serafin_needs() if n[2]]
    children: dict[str, list[tuple[str, str, str]]] = {}
    for need in needs:
        children.setdefault(need[2], []).append(need)
    left_out = {
        code
        for code, label, _parent in needs
        if len(children.get(code, ())) == 1 and children[code][0][1] == label
    }
    rows = []
    for code, label, parent in needs:
        if code in left_out:
            continue
        depth, ancestor = 0, parent
        while ancestor and ancestor != "1":
            depth += ancestor not in left_out
            ancestor = next(p for c, _l, p in needs if c == ancestor)
        rows.append((code, INDENT * depth + label))
    return rows


def label_of(code: str) -> str:
    return next((label for c, label, _ in serafin_needs() if c == code), "")


# Everyday words (French and English stems) that point to a need, beside the words
# of its label: statements are written in plain words, the nomenclature is not.
_HINTS = {
    "1.1.10": ("sante", "soin", "medecin", "health", "doctor", "care"),
    "1.2.1.3": ("mobilit", "marcher", "trottoir", "fauteuil", "accessib", "pieton", "walk"),
    # Not "sur": without its accent it is the word "on" of every other sentence.
    "1.2.1.4": ("securi", "danger", "accident", "safe", "risque", "risk"),
    "1.3.1.1": ("droit", "citoyen", "mairie", "demarche", "rights", "council", "elu"),
    # Not "habit": "consulter les habitants" is not about housing.
    "1.3.2.1": ("logement", "loyer", "habitat", "immeuble", "housing", "rent", "bailleur"),
    "1.3.3.1": ("ecole", "scolaire", "cantine", "classe", "school", "etudi"),
    "1.3.3.2": ("travail", "emploi", "esat", "atelier", "salaire", "employeur", "work", "job"),
    "1.3.3.4": ("famill", "parentalit", "family"),
    "1.3.4.1": ("associat", "voisin", "fete", "loisir", "ensemble", "neighbour", "quartier"),
    "1.3.4.2": ("transport", "bus", "tram", "circulation", "voiture", "velo", "trajet", "traffic"),
    "1.3.5.1": ("argent", "ressource", "revenu", "budget", "cout", "prix", "money", "income"),
}
_STOP = frozenset(
    [
        "besoins",
        "besoin",
        "matiere",
        "relatifs",
        "relatives",
        "pour",
        "avec",
        "dans",
        "lien",
        "les",
        "des",
        "aux",
    ]
)


def _plain(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def suggest_need(text: str) -> str:
    """The code of the need a statement most likely speaks of, or "" when no word
    points to one. Only a suggestion: whoever adopts the interest chooses."""
    plain = f" {_plain(text)} "
    words = set(re.findall(r"[a-z]{4,}", plain))
    best, best_score = "", 0
    for code, label, parent in serafin_needs():
        if not parent:
            continue
        stems = {w[:6] for w in re.findall(r"[a-z]{4,}", _plain(label))} - _STOP
        score = sum(1 for w in words if w[:6] in stems)
        score += 2 * sum(1 for hint in _HINTS.get(code, ()) if hint in plain)
        # Deeper codes win ties: they say more.
        if score > best_score or (score == best_score and score and len(code) > len(best)):
            best, best_score = code, score
    return best


# The everyday parts of life a person recognises, for the easy-read pages: each
# SERAFIN-PH need falls in one of them (the longest code prefix wins). The codes
# stay in the data; a person reads "my health", never "1.1.10".
EVERYDAY = (
    "health",
    "daily_life",
    "moving",
    "home",
    "school_and_work",
    "friends_and_family",
    "money",
    "rights",
)
_EVERYDAY_BY_PREFIX = {
    "1.1": "health",
    "1.2": "daily_life",
    "1.2.1.2": "friends_and_family",
    "1.2.1.3": "moving",
    "1.3.1": "rights",
    "1.3.2": "home",
    "1.3.3": "school_and_work",
    "1.3.3.4": "friends_and_family",
    "1.3.4": "friends_and_family",
    "1.3.4.2": "moving",
    "1.3.5": "money",
}


def everyday_domain(code: str) -> str:
    """The everyday part of life a need code belongs to ("" for no code, the root or
    an unknown one)."""
    parts = code.split(".") if code else []
    for length in range(len(parts), 0, -1):
        found = _EVERYDAY_BY_PREFIX.get(".".join(parts[:length]))
        if found:
            return found
    return ""
