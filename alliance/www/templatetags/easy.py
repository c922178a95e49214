from django import template
from django.templatetags.static import static
from django.utils.html import format_html

from alliance.www.pictograms import PICTOGRAMS

register = template.Library()


@register.simple_tag
def picto(concept: str, size: int = 48):
    """A pictogram beside its word: decorative (empty alt), since the word next to
    it says the same; a page never shows a picture without its word. An unknown
    concept is an error in the template, found by the page's test."""
    code = PICTOGRAMS[concept]
    return format_html(
        '<img class="picto" src="{}" alt="" width="{}" height="{}">',
        static(f"img/openmoji/{code}.svg"),
        size,
        size,
    )
