"""The `french` filter of every template (a builtin, settings TEMPLATES): French
typography (alliance.typography) on text a page joins itself, such as a name and a
colon, in French only. `{% filter french %}…{% endfilter %}` around a sentence."""

from django import template
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
