"""The `date` filter of every template (a builtin, settings TEMPLATES): Django's,
except that it writes through alliance.dates, so "1er avril" in French (ADR 0027)."""

from django import template
from django.utils import timezone

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


@register.simple_tag
def now_shown(arg="DATETIME_FORMAT"):
    """The moment the page is made, said like every other date (Django's {% now %}
    would not write "1er")."""
    return dates.show(timezone.now(), arg)
