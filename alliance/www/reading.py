"""Easy-read mode (DESIGN rule 7): who reads which version of a page.

A page that has an easy-read version keeps it in `easy/<its template>`; views render
through `render` below, which picks that version when the reader is in easy-read
mode. The mode is the reader's saved choice (`User.easy_read`, on by default for the
person of an alliance), overridden for one browser session by the switch in the
header, so that a relative can read along in a shared session, and so that an
anonymous visitor (sign-in, activation) can choose it too."""

from django.shortcuts import render as django_render
from django.template import TemplateDoesNotExist
from django.template.loader import get_template
from django.utils import timezone

SESSION_KEY = "reading_mode"
EASY, STANDARD = "easy", "standard"
# Under this age, the easy-read pages speak to the reader the way one speaks to a
# child ("tu" in French).
INFORMAL_UNDER = 12


def is_easy(request) -> bool:
    cached = getattr(request, "_alliance_easy_read", None)
    if cached is None:
        chosen = request.session.get(SESSION_KEY) if hasattr(request, "session") else None
        if chosen in (EASY, STANDARD):
            cached = chosen == EASY
        else:
            user = getattr(request, "user", None)
            cached = bool(user is not None and user.is_authenticated and user.easy_read)
        request._alliance_easy_read = cached
    return cached


def is_informal(request) -> bool:
    if not is_easy(request):
        return False
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return False
    age = user.age_on(timezone.localdate())
    return age is not None and age < INFORMAL_UNDER


def easy_template_name(template_name: str) -> str:
    return f"easy/{template_name}"


def has_easy_version(template_name: str) -> bool:
    name = template_name.split("#", 1)[0]
    try:
        get_template(easy_template_name(name))
    except TemplateDoesNotExist:
        return False
    return True


def render(request, template_name, context=None, status=None, content_type=None):
    """django.shortcuts.render, with the easy-read version of the page when the
    reader reads easily and the page has one (also for "page.html#partial")."""
    if is_easy(request) and has_easy_version(template_name):
        template_name = easy_template_name(template_name)
    return django_render(request, template_name, context, content_type=content_type, status=status)
