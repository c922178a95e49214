"""Pages of activation letters and lost access (ADR 0013). A letter's code is shown
once, in the answer to the POST that made it, to the ally who made it; its PDF is
made again only for that ally, who sends the code back from that page."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from alliance.accounts import activation, phones
from alliance.accounts.limits import check_rate
from alliance.alliances import perms, services
from alliance.alliances.access import get_ally_in
from alliance.alliances.models import AccessReissue
from alliance.www.accounts.letter import letter_context, letter_pdf
from alliance.www.gatekeepers import alliance_view
from alliance.www.utils import run_use_case

from . import forms


def _private(response):
    """Pages that carry a code or lead to one send no Referer to another site, whatever
    the site's default becomes (ADR 0013); no code is ever in their URL. Not
    `no-referrer`: on a page with a form, browsers then post with `Origin: null`,
    which the CSRF protection rightly refuses."""
    response["Referrer-Policy"] = "same-origin"
    return response


def _letter(request, alliance, me, ally, code):
    return _private(
        render(
            request,
            "alliances/letter.html",
            {
                "alliance": alliance,
                "me": me,
                "ally": ally,
                "pdf_form": forms.LetterPdfForm(initial={"code": code}),
                **letter_context(ally.user, code),
            },
        )
    )


@alliance_view("letter", content=False)
def letter(request, alliance, me, ally_id):
    """GET: what the letter is and the two ways to hand the code over; POST: a new
    letter (the previous one no longer works), shown once."""
    ally = get_ally_in(alliance, ally_id)
    if not perms.can_hand_over_letter(me, ally, alliance):
        raise PermissionDenied
    form = forms.HandOverForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        code = run_use_case(form, services.hand_over_activation_letter, by=me, ally=ally)
        if code is not None:
            return _letter(request, alliance, me, ally, code)
    return _prepare(request, alliance, me, ally, form, forms.TextCodeForm())


def _prepare(request, alliance, me, ally, form, sms_form):
    return _private(
        render(
            request,
            "alliances/letter_prepare.html",
            {"alliance": alliance, "me": me, "ally": ally, "form": form, "sms_form": sms_form},
            status=400 if form.errors or sms_form.errors else 200,
        )
    )


@require_POST
@alliance_view("letter", content=False)
def letter_sms(request, alliance, me, ally_id):
    ally = get_ally_in(alliance, ally_id)
    if not perms.can_hand_over_letter(me, ally, alliance):
        raise PermissionDenied
    sms_form = forms.TextCodeForm(request.POST)
    if sms_form.is_valid():
        check_rate(request, "activation_sms", account=ally.user_id)
        check_rate(request, "activation_sms_sender", account=request.user.pk)
        number = run_use_case(
            sms_form,
            services.text_activation_code,
            by=me,
            ally=ally,
            phone=sms_form.cleaned_data["phone"],
        )
        if number is not None:
            messages.success(
                request,
                _("The code is sent to %(number)s. It works once, for 3 days.")
                % {"number": phones.masked_mobile(number)},
            )
            return redirect("alliances:overview", alliance.pk)
    return _prepare(request, alliance, me, ally, forms.HandOverForm(), sms_form)


@require_POST
@alliance_view("letter", content=False)
def letter_pdf_view(request, alliance, me, ally_id):
    """The PDF of a letter still valid, for the ally who made it only."""
    ally = get_ally_in(alliance, ally_id)
    form = forms.LetterPdfForm(request.POST)
    found = form.is_valid() and activation.letter_for_code(
        code=form.cleaned_data["code"], issued_by=request.user, user=ally.user
    )
    if not found:
        return _private(
            HttpResponse(
                _("This letter no longer works: make a new one."),
                status=400,
                content_type="text/plain; charset=utf-8",
            )
        )
    response = HttpResponse(
        letter_pdf(
            request,
            ally.user,
            form.cleaned_data["code"],
            easy_read=form.cleaned_data["easy"],
        ),
        content_type="application/pdf",
    )
    name = "lettre-activation-facile.pdf" if form.cleaned_data["easy"] else "lettre-activation.pdf"
    response["Content-Disposition"] = f'inline; filename="{name}"'
    # A document without forms: nothing of its address leaves with a link in it.
    response["Referrer-Policy"] = "no-referrer"
    return response


@alliance_view("reissue")
def reissue(request, alliance, me, ally_id):
    """Lost access: ask (or, for the person's representative, do) a new letter; the
    pending request shows here to the allies who may approve it."""
    ally = get_ally_in(alliance, ally_id)
    pending = (
        AccessReissue.objects.filter(ally=ally, status=AccessReissue.Status.PENDING)
        .select_related("requested_by__user")
        .first()
    )
    may_request = perms.can_request_reissue(me, ally) and pending is None
    may_approve = pending is not None and perms.can_approve_reissue(me, pending)
    if not (may_request or may_approve or (pending and pending.requested_by_id == me.pk)):
        raise PermissionDenied
    form = forms.ReissueForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if may_approve:
            code = run_use_case(form, services.approve_access_reissue, by=me, reissue=pending)
            if code is not None:
                return _letter(request, alliance, me, ally, code)
        elif may_request:
            done = run_use_case(form, services.request_access_reissue, by=me, ally=ally)
            if done is not None:
                if done[1] is not None:
                    return _letter(request, alliance, me, ally, done[1])
                messages.success(
                    request,
                    _(
                        "Your request is recorded. A second ally, not from your "
                        "organisation, must agree."
                    ),
                )
                return redirect("alliances:overview", alliance.pk)
        else:
            form.add_error(None, _("A second ally, not from your organisation, must agree."))
    return _private(
        render(
            request,
            "alliances/reissue.html",
            {
                "alliance": alliance,
                "me": me,
                "ally": ally,
                "pending": pending,
                "may_approve": may_approve,
                "may_request": may_request,
                "alone": may_request and perms.reissues_alone(me, ally),
                "form": form,
            },
            status=400 if form.errors else 200,
        )
    )
