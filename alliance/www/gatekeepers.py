"""The gatekeepers of the pages, shared by every app's views: the alliance and
collective gates load what a page is about through its domain's access rules (404
for outsiders), answer only GET, HEAD and POST (405 before the gate) and hand the
loaded objects to the view; the re-authentication gate asks for the password or a
second factor again before a sensitive action."""

from functools import wraps

from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import urlencode

from alliance.accounts import mfa
from alliance.alliances import perms as alliance_perms
from alliance.alliances.access import get_alliance_for
from alliance.audit.journal import record, watching
from alliance.audit.models import Action
from alliance.collectives.access import get_collective_for, get_consultation_in
from alliance.www.reading import render
from alliance.www.utils import page_methods, shows_a_page


def alliance_view(page=None, *, content=True, writes_when_closed=False):
    """Loads the alliance through the gatekeeper (404 for non-allies), holds back its
    content from allies not yet approved, and writes each page read to the trail.

    Only GET, HEAD and POST reach an alliance page (405 before the gatekeeper, so the
    answer says nothing of the alliance). Whatever the method, a page shown is a read,
    written once the view has shown it (a view that refuses or finds nothing shows
    nothing). The one exception is a POST whose use case wrote its own entry in this
    alliance: the saved change is already in the trail, with the page that shows its
    result; a refused one (4xx) saved nothing, its entry included, and only showed the
    page again.

    A closed alliance is read-only (ADR 0023): every POST is refused here with a 403
    page that says so, before the view, except by the views that reopen it
    (`writes_when_closed`); its pages show a banner (`request.closed_alliance`)."""

    def decorator(view):
        shown = page or view.__name__

        @page_methods
        @wraps(view)
        def wrapper(request, alliance_id, *args, **kwargs):
            alliance, ally = get_alliance_for(request.user, alliance_id)
            if content and not alliance_perms.can_see_content(ally):
                return render(
                    request,
                    "alliances/waiting.html",
                    {"alliance": alliance, "me": ally},
                    status=403,
                )
            if alliance.is_closed:
                request.closed_alliance = alliance
                if request.method == "POST" and not writes_when_closed:
                    return render(
                        request, "caseload/closed.html", {"alliance": alliance}, status=403
                    )
            with watching() as written:
                response = view(request, alliance, ally, *args, **kwargs)
            saved = (
                request.method == "POST"
                and response.status_code < 400
                and any(entry.alliance_id == alliance.pk for entry in written)
            )
            if shows_a_page(response) and not saved:
                _record_read(request, alliance, shown)
            return response

        return wrapper

    return decorator


def _record_read(request, alliance, page):
    # A view may name what exactly was read (a file's id and hash, ADR 0026).
    detail = {"page": page, **getattr(request, "read_detail", {})}
    if request.method != "GET":
        detail["method"] = request.method
    record(
        request.user,
        Action.ALLIANCE_VIEWED,
        alliance_id=alliance.pk,
        organisation_id=alliance.organisation_id,
        detail=detail,
    )


def collective_view(view):
    """Loads the collective through the gatekeeper: 404 for anyone not an active member.
    Only GET, HEAD and POST reach it (405 before the gatekeeper)."""

    @page_methods
    @wraps(view)
    def wrapper(request, collective_id, *args, **kwargs):
        collective, me = get_collective_for(request.user, collective_id)
        return view(request, collective, me, *args, **kwargs)

    return wrapper


def consultation_view(view):
    """The collective, then the consultation inside it (a draft only for facilitators).
    Only GET, HEAD and POST reach it (405 before the gatekeeper)."""

    @page_methods
    @wraps(view)
    def wrapper(request, collective_id, consultation_id, *args, **kwargs):
        collective, me = get_collective_for(request.user, collective_id)
        consultation = get_consultation_in(collective, me, consultation_id)
        return view(request, collective, me, consultation, *args, **kwargs)

    return wrapper


def reauthentication_required(view=None, *, back=None):
    """A sensitive action (password, second factor, publishing a report) asks for the
    password or a second factor again when the last authentication of the session is
    older than ALLIANCE_REAUTHENTICATION_MINUTES. A GET comes back to itself after;
    a POST, whose data cannot be kept, comes back to `back(request, **kwargs)` (the
    page of its form), or to itself."""

    def decorator(view):
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            if mfa.is_recently_authenticated(request):
                return view(request, *args, **kwargs)
            if request.method == "POST" and back is not None:
                target = back(request, *args, **kwargs)
            else:
                target = request.get_full_path()
            url = reverse("mfa:reauthenticate")
            return redirect(f"{url}?{urlencode({'next': target})}")

        return wrapped

    return decorator(view) if view is not None else decorator
