"""Invitations by email (ADR 0012): the page of the single-use link an unknown
address received, and the answers an account gives from its own session."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from alliance.accounts import services as accounts
from alliance.alliances import perms as alliance_perms
from alliance.alliances import services as alliances
from alliance.alliances.models import AllyInvitation
from alliance.collectives import perms as collective_perms
from alliance.collectives import services as collectives
from alliance.collectives.models import MemberInvitation
from alliance.www.utils import run_use_case

from .forms import AnswerForm, NewAccountForm


def _by_token(token):
    """The invitation a link names, and how its owner joins through it."""
    invitation = alliances.invitation_for_token(token)
    if invitation is not None:
        return invitation, alliances.accept_ally_invitation_with_new_account
    invitation = collectives.invitation_for_token(token)
    if invitation is not None:
        return invitation, collectives.accept_member_invitation_with_new_account
    return None, None


def _joined_page(joined):
    if hasattr(joined, "alliance_id"):
        return redirect("alliances:overview", joined.alliance_id)
    return redirect("collectives:detail", joined.collective_id)


@login_not_required
def open_invitation(request, token):
    """A GET only shows the invitation (mail scanners follow links); the owner of the
    address creates their account with the button. The link never signs anyone in to
    an account that exists: its owner signs in and answers from the home page."""
    invitation, join = _by_token(token)
    if invitation is None or not invitation.is_open():
        return render(request, "invitations/unusable.html", status=404)
    account_exists = accounts.find_user_by_email(invitation.email) is not None
    form = NewAccountForm(
        request.POST if request.method == "POST" else None,
        initial={"display_name": invitation.display_name},
    )
    status = 200
    if request.method == "POST":
        status = 400
        if not account_exists and form.is_valid():
            joined = run_use_case(form, join, token=token, **form.cleaned_data)
            if joined is not None:
                login(request, joined.user, backend=settings.AUTHENTICATION_BACKENDS[0])
                accounts.note_sign_in(joined.user)
                messages.success(request, _("Welcome to Alliance. Your account is ready."))
                return _joined_page(joined)
    return render(
        request,
        "invitations/open.html",
        {"invitation": invitation, "form": form, "account_exists": account_exists},
        status=status,
    )


def _answer(request, invitation, use_case, can_answer):
    if invitation is None or not can_answer(request.user, invitation):
        raise Http404
    form = AnswerForm(request.POST)
    if not form.is_valid():
        return render(request, "invitations/answer_error.html", status=400)
    accept = form.cleaned_data["answer"] == "accept"
    try:
        answered = use_case(user=request.user, invitation=invitation, accept=accept)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("home")
    if not accept:
        messages.info(request, _("You have declined the invitation."))
        return redirect("home")
    messages.success(request, _("You have accepted the invitation."))
    return _joined_page(answered)


@require_POST
def answer_alliance(request, invitation_id):
    invitation = AllyInvitation.objects.select_related("alliance").filter(pk=invitation_id).first()
    return _answer(
        request, invitation, alliances.answer_ally_invitation, alliance_perms.can_answer_invitation
    )


@require_POST
def answer_collective(request, invitation_id):
    invitation = (
        MemberInvitation.objects.select_related("collective").filter(pk=invitation_id).first()
    )
    return _answer(
        request,
        invitation,
        collectives.answer_member_invitation,
        collective_perms.can_answer_invitation,
    )
