"""French typography, in one place (ADR 0027). Pure: no Django, tested directly.

- a narrow no-break space (U+202F) before ; ! ? and a no-break space (U+00A0)
  before : and inside « »;
- elision before a vowel or a mute h: "de Inès" → "d’Inès", "que Hélène" →
  "qu’Hélène" (a capital H is taken as mute, as in most first names).

`french` is idempotent, leaves alone what is not prose (a time "17:52", an address
"https://…", "?!" or an HTML entity "&#x27;") and is applied to French text only.
The French catalogue is kept in this form (tests/i18n/test_typography.py, and
scripts/french_typography.py rewrites it); pages apply the `french` template filter
where they join names to punctuation themselves."""

import re

NNBSP = "\u202f"  # narrow no-break space: before ; ! ?
NBSP = "\u00a0"  # no-break space: before :, inside « »
_SPACES = " \u00a0\u202f"

# A space (or none) before ; ! ? that ends a word: not "?!" nor an entity "&amp;".
_TIGHT = re.compile(rf"(?<![{_SPACES};:!?])[{_SPACES}]?([;!?])(?=[\s»)\]\"<!?]|$)")
_ENTITY = re.compile(r"&#?\w+$")
# A colon that ends a clause (followed by a space or the end), not "17:52" nor "://".
_COLON = re.compile(rf"(?<![{_SPACES}:])[{_SPACES}]?:(?=[\s»)\]\"<]|$)")
_OPEN = re.compile(rf"«[{_SPACES}]?")
_CLOSE = re.compile(rf"[{_SPACES}]?»")
# An elidable word, then a word that starts with a vowel or a capital H.
_ELISION = re.compile(
    r"\b([Dd]e|[Qq]ue|[Jj]usque|[Ll]orsque|[Pp]uisque)\s+"
    r"(?=[aeiouyàâäéèêëîïôöùûüœæAEIOUYÀÂÄÉÈÊËÎÏÔÖÙÛÜŒÆH])"
)


def _tight(match: re.Match) -> str:
    before = match.string[: match.start()]
    if match.group(1) == ";" and _ENTITY.search(before):
        return match.group(0)  # the end of an HTML entity, not punctuation
    return NNBSP + match.group(1)


def spacing(text: str) -> str:
    """The spaces French sets before high punctuation and inside guillemets."""
    if not text:
        return text
    text = _TIGHT.sub(_tight, text)
    text = _COLON.sub(NBSP + ":", text)
    text = _OPEN.sub("«" + NBSP, text)
    return _CLOSE.sub(NBSP + "»", text)


def elide(text: str) -> str:
    """ "de Inès" → "d’Inès", "que Hélène" → "qu’Hélène"."""
    return _ELISION.sub(lambda m: m.group(1)[:-1] + "’", text)


def french(text: str) -> str:
    """Spacing and elision: French text as it should be printed."""
    return elide(spacing(text))
