"""The `date` filter of every template (a builtin, settings TEMPLATES): Django's,
except that it writes through alliance.dates, so "1er avril" in French (ADR 0027)."""

from django import template

from alliance import dates

register = template.Library()


@register.filter(expects_localtime=True, is_safe=False)
def date(value, arg=None):
    if value in (None, ""):
        return ""
    try:
        return dates.show(value, arg or "DATE_FORMAT")
    except AttributeError:
        return ""
