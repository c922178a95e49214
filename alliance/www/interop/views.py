"""Sharing the alliance with the organisation's DUI (docs/interop-fhir.md): the
person's agreement, and the FHIR bundle to download once it is given."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from alliance.conflicts import ConflictError
from alliance.interop import perms, services
from alliance.interop.fhir.export import alliance_bundle, bundle_bytes, sha256
from alliance.interop.models import DuiConsent
from alliance.www.gatekeepers import alliance_view
from alliance.www.reading import render
from alliance.www.uploads import private_file

HISTORY_ROWS = 10


def _page(request, alliance, me, *, error="", status=200):
    return render(
        request,
        "interop/dui.html",
        {
            "alliance": alliance,
            "me": me,
            "consent": services.active_consent(alliance),
            "history": DuiConsent.objects.filter(alliance=alliance)
            .exclude(withdrawn_at__isnull=True)
            .select_related("given_by__user", "withdrawn_by__user")[:HISTORY_ROWS],
            "may_decide": perms.can_decide_dui_consent(me),
            "may_export": perms.can_export(me),
            "error": error,
        },
        status=status,
    )


@require_safe
@alliance_view("dui")
def dui(request, alliance, me):
    return _page(request, alliance, me)


@require_POST
@alliance_view("dui")
def give(request, alliance, me):
    try:
        services.give_dui_consent(ally=me)
    except ConflictError as error:
        return _page(request, alliance, me, error=str(error), status=409)
    messages.success(request, _("Agreed: the alliance may now go to the establishment's file."))
    return redirect("interop:dui", alliance.pk)


# Stopping the sharing is allowed on a closed alliance too: nothing leaves it against
# the person's will.
@require_POST
@alliance_view("dui", writes_when_closed=True)
def withdraw(request, alliance, me):
    try:
        services.withdraw_dui_consent(ally=me)
    except ConflictError as error:
        return _page(request, alliance, me, error=str(error), status=409)
    messages.success(request, _("Stopped: nothing more of the alliance goes to the file."))
    return redirect("interop:dui", alliance.pk)


@require_safe
@alliance_view("dui_export")
def export(request, alliance, me):
    if not perms.can_export(me):
        raise PermissionDenied
    if services.active_consent(alliance) is None:
        return render(
            request,
            "interop/export_refused.html",
            {"alliance": alliance, "me": me, "may_decide": perms.can_decide_dui_consent(me)},
            status=403,
        )
    data = bundle_bytes(alliance_bundle(alliance))
    # The gatekeeper's read entry names exactly what left: the bundle's fingerprint.
    request.read_detail = {"sha256": sha256(data)}
    response = HttpResponse(data, content_type="application/fhir+json; charset=utf-8")
    response.headers["Content-Disposition"] = (
        f'attachment; filename="alliance-{alliance.pk}-tddui.json"'
    )
    return private_file(response)
