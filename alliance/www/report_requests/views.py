"""Pages of a decision maker's request for a report (ADR 0037): their list, the
form to ask, the request with each organisation's answer; and, for an
organisation's administrator, the requests made to it and the page to answer.
Thin: load through the gatekeeper, validate, call the use case, render."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from alliance.conflicts import ConflictError
from alliance.reports import perms, requests
from alliance.reports.requests_access import (
    answers_for,
    get_answer_for,
    get_request_for,
    requests_for,
)
from alliance.www.utils import run_use_case

from . import forms


def request_list(request):
    user = request.user
    if not (perms.can_ask_for_report(user) or user.is_org_admin):
        raise PermissionDenied
    context = {"can_ask": perms.can_ask_for_report(user)}
    if context["can_ask"]:
        context["requests"] = list(requests_for(user)[:100])
    else:
        context["answers"] = list(answers_for(user)[:100])
    return render(request, "report_requests/list.html", context)


def new(request):
    user = request.user
    if not perms.can_ask_for_report(user):
        raise PermissionDenied
    form = forms.AskForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        asked = run_use_case(
            form,
            requests.ask_for_report,
            user=user,
            territory=data["territory"],
            organisation_ids=[o.pk for o in data["organisations"]],
            period_start=data["period_start"],
            period_end=data["period_end"],
            purpose=data["purpose"],
            answer_by=data["answer_by"],
        )
        if asked is not None:
            messages.success(request, _("Your request is sent to the organisations."))
            return redirect("report_requests:detail", asked.pk)
    status = 400 if request.method == "POST" else 200
    return render(request, "report_requests/new.html", {"form": form}, status=status)


def detail(request, request_id):
    asked = get_request_for(request.user, request_id)
    answers = list(asked.answers.select_related("organisation"))
    context = {
        "asked": asked,
        "answers": answers,
        "accepted": sum(a.status == a.Status.ACCEPTED for a in answers),
        "silent": [a.organisation.name for a in answers if a.status == a.Status.NO_ANSWER],
        "can_close": perms.can_close_report_request(request.user, asked, timezone.localdate()),
        "close_form": forms.CloseForm(initial={"version": asked.version}),
    }
    return render(request, "report_requests/detail.html", context)


@require_POST
def close(request, request_id):
    asked = get_request_for(request.user, request_id)
    form = forms.CloseForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Reload the page and try again."))
        return redirect("report_requests:detail", asked.pk)
    try:
        requests.close_report_request(
            user=request.user, request=asked, expected_version=form.cleaned_data["version"]
        )
    except (ValidationError, ConflictError) as refused:
        for message in getattr(refused, "messages", [str(refused)]):
            messages.error(request, message)
    else:
        messages.success(request, _("The request is settled with the organisations that accepted."))
    return redirect("report_requests:detail", asked.pk)


def answer(request, request_id):
    mine = get_answer_for(request.user, request_id)
    form = forms.AnswerForm(request.POST or None, initial={"version": mine.version})
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            data = form.cleaned_data
            try:
                done = run_use_case(
                    form,
                    requests.answer_report_request,
                    user=request.user,
                    answer=mine,
                    accept=data["accept"],
                    words=data["words"],
                    expected_version=data["version"],
                )
            except ConflictError as conflict:
                form.add_error(None, str(conflict))
                done, status = None, 409
                mine = get_answer_for(request.user, request_id)
            if done is not None:
                messages.success(request, _("Your answer is sent to the decision maker."))
                return redirect("report_requests:answer", request_id)
    return render(
        request,
        "report_requests/answer.html",
        {
            "mine": mine,
            "asked": mine.request,
            "form": form,
            "can_answer": perms.can_answer_report_request(request.user, mine),
        },
        status=status,
    )
