"""Linking alliances that share a common interest: the person (or their legal
representative) consents, then sees and joins the collectives of consenting
alliances. Thin: the alliances gatekeeper, then the linking use cases."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from alliance.linking import perms, services
from alliance.linking.models import LinkConsent
from alliance.www.gatekeepers import alliance_view


@alliance_view("solidarity")
def solidarity(request, alliance, me):
    if not perms.can_decide_linking(me):
        raise PermissionDenied
    consent = LinkConsent.objects.filter(alliance=alliance, withdrawn_at__isnull=True).first()
    return render(
        request,
        "linking/solidarity.html",
        {
            "alliance": alliance,
            "me": me,
            "consent": consent,
            "suggestions": services.suggestions_for(me) if consent else None,
        },
    )


@require_POST
@alliance_view()
def consent(request, alliance, me):
    choice = request.POST.get("consent")
    if choice not in ("yes", "no"):
        if not perms.can_decide_linking(me):
            raise PermissionDenied
        messages.error(request, _("Choose whether your alliance may be linked with others."))
        return redirect("linking:solidarity", alliance.pk)
    try:
        if choice == "yes":
            services.give_link_consent(ally=me)
            messages.success(request, _("Your alliance may now be linked with others."))
        else:
            services.withdraw_link_consent(ally=me)
            messages.success(request, _("Your alliance is no longer shown to other alliances."))
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    return redirect("linking:solidarity", alliance.pk)


@require_POST
@alliance_view()
def join(request, alliance, me):
    if not perms.can_decide_linking(me):
        raise PermissionDenied
    try:
        member = services.join_linked_collective(
            ally=me, need_code=request.POST.get("need_code", "")
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("linking:solidarity", alliance.pk)
    messages.success(request, _("You joined the collective."))
    return redirect("collectives:detail", member.collective_id)
