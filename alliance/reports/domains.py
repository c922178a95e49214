"""Need domains as reports count them, and the suggestion of a SERAFIN-PH need from
someone's words. Plain Python: no Django import.

Reports count alliances by the broad domains of SERAFIN-PH: health (1.1),
autonomy (1.2) and the five domains of social participation (1.3.1 to 1.3.5).
Finer codes would split the counts so thin that nearly every cell would be hidden
by small-count suppression.

The suggestion only ranks codes whose label shares words with the text (plus a few
everyday words that the nomenclature's labels do not use); it never decides. The
ally picks a code or leaves it blank.
"""

import re
import unicodedata
from functools import cache

from alliance.alliances.needs import serafin_needs

CUSTOM = "custom"  # every organisation's own domains, counted together
NOT_CODED = "none"


@cache
def report_domains() -> tuple[str, ...]:
    """The codes of the domains a report counts, in nomenclature order."""
    return tuple(
        code
        for code, _label, parent in serafin_needs()
        if parent and ((code.count(".") == 1 and code != "1.3") or parent == "1.3")
    )


def domain_of(code: str) -> str:
    """The report domain of a SERAFIN-PH code ("" if the code is not in it)."""
    for domain in report_domains():
        if code == domain or code.startswith(domain + "."):
            return domain
    return ""


_STOP = frozenset(
    {
        "besoins",
        "besoin",
        "matiere",
        "relatifs",
        "relatif",
        "lien",
        "pour",
        "avec",
        "les",
        "des",
        "aux",
        "une",
        "dans",
        "sont",
        "sur",
        "leur",
        "elle",
        "ils",
        "nous",
        "vous",
        "cela",
        "etre",
        "avoir",
        "plus",
        "tres",
        "fait",
        "faire",
        "comme",
        "mais",
        "donc",
        "prendre",
        "vie",
    }
)

# Everyday words whose need the labels do not name.
_EVERYDAY = {
    "ecole": "1.3.3.1",
    "college": "1.3.3.1",
    "lycee": "1.3.3.1",
    "scolarite": "1.3.3.1",
    "aesh": "1.3.3.1",
    "classe": "1.3.3.1",
    "etudes": "1.3.3.1",
    "travail": "1.3.3.2",
    "travailler": "1.3.3.2",
    "emploi": "1.3.3.2",
    "esat": "1.3.3.2",
    "appartement": "1.3.2.1",
    "logement": "1.3.2.1",
    "maison": "1.3.2.1",
    "foyer": "1.3.2.1",
    "menage": "1.3.2.2",
    "courses": "1.3.2.2",
    "cuisine": "1.3.2.2",
    "repas": "1.3.2.2",
    "bus": "1.3.4.2",
    "transport": "1.3.4.2",
    "deplacer": "1.3.4.2",
    "train": "1.3.4.2",
    "amis": "1.3.4.1",
    "loisirs": "1.3.4.1",
    "sport": "1.3.4.1",
    "argent": "1.3.5.1",
    "budget": "1.3.5.1",
    "allocation": "1.3.5.1",
    "aah": "1.3.5.1",
    "droits": "1.3.1.1",
    "mdph": "1.3.1.1",
    "papiers": "1.3.1.1",
    "soins": "1.1.10",
    "medecin": "1.1.10",
    "sante": "1.1.10",
    "douleur": "1.1.3",
    "dormir": "1.1.1",
    "angoisse": "1.1.1",
    "toilette": "1.2.1.1",
    "habiller": "1.2.1.1",
    "famille": "1.3.3.4",
    "parent": "1.3.3.4",
    "enfants": "1.3.3.4",
}


def _words(text: str) -> list[str]:
    plain = unicodedata.normalize("NFKD", text.lower())
    plain = "".join(c for c in plain if not unicodedata.combining(c))
    return [w for w in re.findall(r"[a-z]+", plain) if len(w) >= 3 and w not in _STOP]


def _stem(word: str) -> str:
    # French plurals and common endings: enough to match "décisions" with "décision".
    for ending in ("ations", "ation", "ements", "ement", "ites", "ite", "es", "s", "e"):
        if len(word) > len(ending) + 3 and word.endswith(ending):
            return word[: -len(ending)]
    return word


@cache
def _label_stems() -> dict[str, frozenset[str]]:
    return {
        code: frozenset(_stem(w) for w in _words(label))
        for code, label, parent in serafin_needs()
        if parent and code.count(".") >= 2
    }


def suggest_needs(text: str, *, limit: int = 3) -> list[str]:
    """Up to `limit` SERAFIN-PH codes whose labels share words with `text`, the best
    first (ties in nomenclature order); an empty list when nothing matches."""
    words = _words(text)
    stems = {_stem(w) for w in words}
    scores: dict[str, float] = {}
    for word in words:
        code = _EVERYDAY.get(word) or _EVERYDAY.get(_stem(word))
        if code:
            scores[code] = scores.get(code, 0) + 2
    for code, label_stems in _label_stems().items():
        shared = len(stems & label_stems)
        if shared:
            scores[code] = scores.get(code, 0) + shared / len(label_stems)
    order = {code: n for n, (code, _label, _parent) in enumerate(serafin_needs())}
    ranked = sorted(scores, key=lambda c: (-scores[c], order.get(c, 0)))
    return ranked[:limit]
