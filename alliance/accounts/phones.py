"""French mobile numbers, as people type them: 06 12 34 56 78, 07.12.34.56.78,
+33 6 12 34 56 78, 0033612345678. Pure: no Django, tested directly.

Only mobiles (06 and 07) take a text message; a landline or a foreign number is
refused with a clear message rather than sent nowhere."""

import re

# Separators people put between the digits.
_SEPARATORS = re.compile(r"[\s.\-/()]")
MAX_TYPED_LENGTH = 30


class InvalidPhone(ValueError):
    pass


def normalise_mobile(typed: str) -> str:
    """The number in international form (+336XXXXXXXX or +337XXXXXXXX), or
    InvalidPhone."""
    raw = _SEPARATORS.sub("", (typed or "").strip())
    if not raw or len(raw) > MAX_TYPED_LENGTH:
        raise InvalidPhone("empty or too long")
    if raw.startswith("+33"):
        national = raw[3:]
    elif raw.startswith("0033"):
        national = raw[4:]
    elif raw.startswith("0"):
        national = raw[1:]
    else:
        raise InvalidPhone("not a French number")
    # "+33 (0)6 …" is common on business cards.
    if len(national) == 10 and national.startswith("0"):
        national = national[1:]
    if not (len(national) == 9 and national.isdigit() and national[0] in "67"):
        raise InvalidPhone("not a French mobile number")
    return "+33" + national


def display_mobile(international: str) -> str:
    """+33612345678 -> 06 12 34 56 78."""
    national = "0" + international[3:]
    return " ".join(national[i : i + 2] for i in range(0, 10, 2))


def masked_mobile(international: str) -> str:
    """What a page may show of the number a code went to: 06 •• •• •• 78."""
    shown = display_mobile(international)
    return f"{shown[:2]} •• •• •• {shown[-2:]}"
