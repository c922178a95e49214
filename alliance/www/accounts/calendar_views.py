"""The personal calendar feed (ADR 0025): the secret address a calendar app reads
without signing in, and its making, replacing and revoking on "My settings"."""

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.http import Http404, HttpResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from alliance.accounts import calendar
from alliance.accounts.limits import check_rate
from alliance.acting.calendar import feed_ics

from .reading_views import settings_page


@login_not_required
@require_GET
def calendar_feed(request, token):
    """Who holds the address reads the owner's calendar; anyone else (an unknown,
    replaced or revoked token, an inactive account) gets the same 404. Rate-limited
    per client like every other door with a secret."""
    check_rate(request, "calendar_feed")
    owner = calendar.feed_owner(token)
    if owner is None:
        raise Http404
    response = HttpResponse(feed_ics(owner), content_type="text/calendar; charset=utf-8")
    response["Cache-Control"] = "private, no-cache"
    response["Content-Disposition"] = 'inline; filename="alliance.ics"'
    response["Referrer-Policy"] = "no-referrer"
    response["X-Robots-Tag"] = "noindex"
    return response


@require_POST
def calendar_make(request):
    """Makes the address or replaces it; shown once, on this answer only."""
    token = calendar.make_calendar_feed(user=request.user)
    url = request.build_absolute_uri(reverse("accounts:calendar_feed", args=[token]))
    messages.success(request, _("Your calendar address is made. Copy it now: it is shown once."))
    # Signed-in pages are never stored (the middleware says no-store): nor is this one.
    return settings_page(request, feed_url=url)


@require_POST
def calendar_revoke(request):
    if calendar.revoke_calendar_feed(user=request.user):
        messages.success(request, _("Your calendar address no longer works."))
    return settings_page(request)
