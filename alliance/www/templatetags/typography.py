"""The `french` filter of every template (a builtin, settings TEMPLATES): French
typography (alliance.typography) on text a page joins itself, such as a name and a
colon, in French only. `{% filter french %}…{% endfilter %}` around a sentence."""

import re

from django import template
from django.utils.html import conditional_escape
from django.utils.safestring import SafeData, mark_safe
from django.utils.translation import get_language

from alliance.typography import french as french_text

register = template.Library()


@register.filter(is_safe=True)
def french(value):
    """Spacing and elision when the page is in French. It adds only spaces and
    apostrophes, so escaped text stays escaped."""
    if (get_language() or "").split("-")[0] != "fr":
        return value
    text = french_text(str(value))
    return mark_safe(text) if isinstance(value, SafeData) else text  # noqa: S308


# A word joined by hyphens ("cardio-vasculaire", "génito-urinaire").
HYPHENATED_WORD = re.compile(r"\w+(?:-\w+)+")


@register.filter(needs_autoescape=True)
def keep_words(value, autoescape=True):
    """A table cell on a narrow screen may break a line at a hyphen, leaving
    "cardio-" on one line and "vasculaire" on the next: each hyphenated word is kept
    on one line. Only the page does this; exports keep the words as they are."""
    text = conditional_escape(value) if autoescape else str(value)
    return mark_safe(  # noqa: S308 - the text is escaped above; only spans are added
        HYPHENATED_WORD.sub(lambda m: f'<span class="nowrap">{m.group(0)}</span>', str(text))
    )
