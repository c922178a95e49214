"""The one way dates and times are written for people (ADR 0027): in Europe/Paris,
with the named formats of the reader's language (alliance/formats), and "1er" for
the first day of the month in French. Pages use it through the `date` template
filter (alliance.www.templatetags.dates, a template builtin that replaces Django's);
exports, emails, notifications and PDFs call `show` directly."""

import datetime

from django.utils import dateformat, formats, timezone, translation

# The only formats templates may name (tests/www/test_dates.py greps for others).
NAMED = ("DATE_FORMAT", "DATETIME_FORMAT", "SHORT_DATE_FORMAT", "SHORT_DATETIME_FORMAT")


def first_of_month(fmt: str) -> str:
    """The format with each unescaped "j" (day of the month) written "1er": only
    used on the first day of a month, in French."""
    out, escaped = [], False
    for char in fmt:
        if escaped:
            out.append("\\" + char)
            escaped = False
        elif char == "\\":
            escaped = True
        elif char == "j":
            out.append(r"\1\e\r")
        else:
            out.append(char)
    if escaped:
        out.append("\\")
    return "".join(out)


def show(value, fmt: str = "DATE_FORMAT") -> str:
    """`value` (a date or a datetime) as people read it: an aware datetime in
    Europe/Paris, `fmt` a named format (DATE_FORMAT…) of the current language or,
    for machine-facing text only, a format string."""
    if value in (None, ""):
        return ""
    if isinstance(value, datetime.datetime) and timezone.is_aware(value):
        value = timezone.localtime(value)
    pattern = formats.get_format(fmt) if fmt in formats.FORMAT_SETTINGS else fmt
    language = translation.get_language() or ""
    if value.day == 1 and language.split("-")[0] == "fr":
        pattern = first_of_month(pattern)
    return dateformat.format(value, pattern)


def iso(value) -> str:
    """A machine-readable moment (CSV/JSON columns, <time datetime>): ISO 8601 in
    Europe/Paris, with its offset, so that it reads the same as the pages."""
    if isinstance(value, datetime.datetime) and timezone.is_aware(value):
        value = timezone.localtime(value)
    return value.isoformat()
