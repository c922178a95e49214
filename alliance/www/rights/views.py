"""Erasure and restriction on request (GDPR arts. 17 and 18, ADR 0033): the account's
owner asks for themselves, a legal representative for the person they represent.
What is kept, until when and why, is said before anything is asked."""

from django.contrib import messages
from django.contrib.auth import logout
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from alliance.accounts.models import User
from alliance.alliances.models import Ally, Role
from alliance.dates import show
from alliance.privacy import erasure
from alliance.privacy.models import RightRequest
from alliance.www.reading import render

ACTIONS = ("erase", "cancel_erasure", "restrict", "lift_restriction")


def _represented(user):
    """The persons whose approved legal representative `user` is."""
    return (
        User.objects.filter(
            allies__role=Role.PERSON,
            allies__alliance__allies__user=user,
            allies__alliance__allies__role=Role.REPRESENTATIVE,
            allies__alliance__allies__status=Ally.Status.ACTIVE,
        )
        .exclude(pk=user.pk)
        .distinct()
        .order_by("display_name", "pk")
    )


def _subject(user):
    open_kinds = set(
        RightRequest.objects.filter(user=user, status=RightRequest.Status.OPEN).values_list(
            "kind", flat=True
        )
    )
    return {
        "account": user,
        "keeping": erasure.keeping(user),
        "erasure_open": RightRequest.Kind.ERASURE in open_kinds,
        "restricted": RightRequest.Kind.RESTRICTION in open_kinds,
        "pseudonymised": erasure.is_pseudonymised(user),
    }


def _page(request, status=200):
    context = {
        "me": _subject(request.user),
        "represented": [_subject(person) for person in _represented(request.user)],
        "years": erasure.closed_alliance_years(),
    }
    return render(request, "rights/page.html", context, status=status)


def my_rights(request):
    if request.method != "POST":
        return _page(request)
    action = request.POST.get("action")
    subject_id = request.POST.get("subject", "")
    if action not in ACTIONS or not subject_id.isdigit():
        messages.error(request, _("Choose what you ask for with one of the buttons."))
        return _page(request, status=400)
    subject = User.objects.filter(pk=int(subject_id)).first()
    if subject is None or not (
        subject.pk == request.user.pk or _represented(request.user).filter(pk=subject.pk).exists()
    ):
        raise Http404
    me = subject.pk == request.user.pk
    if action == "erase":
        kept = erasure.request_erasure(subject, by=request.user)
        if kept.erasable:
            messages.success(request, _("The name has been replaced by a pseudonym everywhere."))
        elif kept.until:
            messages.success(
                request,
                _("Your request is recorded. The name will be replaced after %(date)s.")
                % {"date": show(kept.until, "DATE_FORMAT")},
            )
        else:
            messages.success(
                request,
                _(
                    "Your request is recorded. The name will be replaced once every alliance is "
                    "closed and its keeping time is over."
                ),
            )
    elif action == "cancel_erasure":
        erasure.cancel_erasure(subject, by=request.user)
        messages.success(request, _("The request to erase is cancelled."))
    elif action == "restrict":
        erasure.restrict_processing(subject, by=request.user)
        messages.success(request, _("The account is frozen."))
    else:
        erasure.lift_restriction(subject, by=request.user)
        messages.success(request, _("The account is no longer frozen."))
    if me and action in ("erase", "restrict"):
        request.user.refresh_from_db()
        if not request.user.is_active:
            logout(request)
            return redirect("accounts:sign_in")
    return redirect("rights:page")


@require_POST
def remove_professional(request, user_id):
    """An organisation administrator removes a professional who left: already
    deactivated (reversibly) on the professionals' page, now for good (ADR 0033)."""
    if not request.user.is_org_admin:
        raise PermissionDenied
    professional = get_object_or_404(
        User, pk=user_id, organisation=request.user.organisation, kind=User.Kind.PROFESSIONAL
    )
    if professional.pk == request.user.pk or professional.is_active:
        messages.error(request, _("Deactivate the account first, then remove it."))
        return redirect("accounts:professionals")
    name = professional.display_name
    kept = erasure.remove_user(professional, by=request.user, reason="left the organisation")
    if kept.erasable:
        messages.success(
            request, _("%(name)s is removed: the name is replaced everywhere.") % {"name": name}
        )
    else:
        messages.success(
            request,
            _("%(name)s is removed: the name is replaced once their alliances are no longer kept.")
            % {"name": name},
        )
    return redirect("accounts:professionals")
