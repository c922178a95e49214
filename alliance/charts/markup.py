"""Small helpers to write SVG as text: escaping, numbers, elements.

Everything a user typed (names, labels) goes through `text()` or `attr()`: both
drop the characters XML 1.0 cannot carry (control characters, lone surrogates)
and escape the five markup characters, so a name can never break the document.
"""

import math
import re

# Characters that XML 1.0 forbids anywhere in a document.
_INVALID_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
_ESCAPES = str.maketrans({"&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;"})
# What we accept as an element id (a conservative subset of XML names).
_ID = re.compile(r"[A-Za-z_][A-Za-z0-9_.-]*\Z")


def clean(value: object) -> str:
    """The string form of `value` without the characters XML cannot carry."""
    return _INVALID_XML.sub("", str(value))


def text(value: object) -> str:
    """`value` escaped for an element's content or an attribute value."""
    return clean(value).translate(_ESCAPES)


attr = text


def check_id(value: str, *, what: str = "id") -> str:
    if not isinstance(value, str) or not _ID.match(value):
        raise ValueError(f"{what} {value!r} is not a valid element id (letters, digits, _ . -)")
    return value


def num(value: float) -> str:
    """A coordinate: at most two decimals, no trailing zeros, never "-0"."""
    if not math.isfinite(value):
        raise ValueError(f"coordinate {value!r} is not finite")
    out = f"{value:.2f}".rstrip("0").rstrip(".")
    return "0" if out in ("-0", "") else out


def element(tag: str, attrs: dict | None = None, content: str | None = None) -> str:
    """One element. `attrs` values are escaped (None skips the attribute, floats go
    through `num`); `content` must already be markup (escape text with `text()`)."""
    parts = [tag]
    for name, value in (attrs or {}).items():
        if value is None:
            continue
        if isinstance(value, float):
            value = num(value)
        parts.append(f'{name}="{attr(value)}"')
    opening = " ".join(parts)
    if content is None:
        return f"<{opening}/>"
    return f"<{opening}>{content}</{tag}>"


def points(coords) -> str:
    """The value of a `points` attribute."""
    return " ".join(f"{num(x)},{num(y)}" for x, y in coords)


def truncate(name: str, limit: int) -> str:
    """`name` cut to `limit` characters, the last one an ellipsis when cut."""
    name = " ".join(clean(name).split())
    if len(name) <= limit:
        return name
    return name[: max(limit - 1, 0)].rstrip() + "…"
