"""The professional's caseload, closing and reopening an alliance, and handing a
professional's alliances over to a colleague (issue 12, ADR 0023). Thin: the
caseload's query is in alliance.home.caseload, the rules in alliance.alliances.lifecycle."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import redirect
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from alliance.accounts.models import User
from alliance.alliances import lifecycle, perms
from alliance.alliances.models import LifecycleRequest
from alliance.conflicts import ConflictError
from alliance.home.caseload import PER_PAGE, caseload, review_state
from alliance.www.gatekeepers import alliance_view
from alliance.www.reading import render
from alliance.www.utils import page_methods, run_use_case

from . import forms


def _professional_only(user):
    if not user.is_professional:
        raise PermissionDenied


@page_methods
def caseload_page(request):
    """Every alliance I am an ally of, searched, filtered, sorted and paged."""
    _professional_only(request.user)
    form = forms.CaseloadForm(request.GET or None)
    if form.is_bound and not form.is_valid():
        return render(request, "caseload/caseload.html", {"form": form, "page": None}, status=400)
    filters = form.filters() if form.is_bound else forms.Filters()
    today = timezone.localdate()
    page = Paginator(caseload(request.user, filters, today), PER_PAGE).get_page(
        request.GET.get("page")
    )
    for row in page:
        row.review_state = review_state(row.next_review, today)
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "caseload/caseload.html",
        {
            "form": form,
            "page": page,
            "query": query.urlencode(),
            "filtered": form.is_bound and any(form.cleaned_data.values()),
        },
    )


@page_methods
def handover(request):
    """A professional hands over their own alliances; their organisation's admin
    those of any professional of the organisation."""
    me = request.user
    _professional_only(me)
    colleagues = User.objects.filter(
        kind=User.Kind.PROFESSIONAL, is_active=True, organisation_id=me.organisation_id
    ).order_by("display_name", "pk")
    if me.is_org_admin:
        form = forms.HandoverForm(request.POST or None, professionals=colleagues)
    else:
        mine = [a.alliance for a in lifecycle.handed_over_allies(me)]
        form = forms.HandoverForm(
            request.POST or None,
            professionals=colleagues if me.organisation_id else User.objects.filter(pk=me.pk),
            alliances=mine,
            initial={"leaving": me.pk},
        )
        form.fields["leaving"].queryset = User.objects.filter(pk=me.pk)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        chosen = [int(pk) for pk in data.get("alliances") or ()] or None
        made = run_use_case(
            form,
            lifecycle.propose_handover,
            by=me,
            leaving=data["leaving"],
            successor=data["successor"],
            alliance_ids=chosen,
        )
        if made is not None:
            messages.success(
                request,
                ngettext(
                    "%(name)s is proposed in %(n)s alliance: the person answers.",
                    "%(name)s is proposed in %(n)s alliances: each person answers.",
                    len(made),
                )
                % {"name": data["successor"].display_name, "n": len(made)},
            )
            return redirect("caseload:list")
    return render(
        request,
        "caseload/handover.html",
        {"form": form},
        status=400 if form.errors else 200,
    )


def _closing_context(alliance, me, form=None, answer_form=None):
    pending = lifecycle.pending_request(alliance)
    return {
        "alliance": alliance,
        "me": me,
        "pending": pending,
        "can_propose": perms.can_propose_closing(me) and pending is None,
        "can_answer": pending is not None and perms.can_answer_closing(me),
        "decides_alone": me.speaks_for_person,
        "form": form or forms.ReasonForm(initial={"version": alliance.lifecycle_version}),
        "answer_form": answer_form,
        "version": alliance.lifecycle_version,
    }


@alliance_view("closing", writes_when_closed=True)
def closing(request, alliance, me):
    """Close an open alliance, or reopen a closed one: the person's side does it at
    once, a professional proposes and the person answers. Relatives and others read
    only where things stand."""
    if not (perms.can_propose_closing(me) or perms.can_answer_closing(me)):
        raise PermissionDenied
    form = forms.ReasonForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if not perms.can_propose_closing(me):
            raise PermissionDenied
        if form.is_valid():
            use_case = lifecycle.reopen_alliance if alliance.is_closed else lifecycle.close_alliance
            try:
                done = run_use_case(
                    form,
                    use_case,
                    ally=me,
                    reason=form.cleaned_data["reason"],
                    expected_version=form.cleaned_data["version"],
                )
            except ConflictError as conflict:
                form.add_error(None, str(conflict))
                alliance.refresh_from_db()
                return render(
                    request,
                    "caseload/closing.html",
                    _closing_context(alliance, me, form),
                    status=409,
                )
            if done is not None:
                messages.success(request, _done_message(done))
                return redirect("closing:page", alliance.pk)
        status = 400
    return render(
        request, "caseload/closing.html", _closing_context(alliance, me, form), status=status
    )


def _done_message(done):
    if isinstance(done, LifecycleRequest):
        return _("Your proposal is sent: the person answers.")
    if done.is_closed:
        return _("The alliance is closed. It can still be read.")
    return _("The alliance is open again.")


@require_POST
@alliance_view("closing", writes_when_closed=True)
def answer(request, alliance, me):
    """The person or their approved legal representative says yes or no."""
    if not perms.can_answer_closing(me):
        raise PermissionDenied
    form = forms.AnswerForm(request.POST)
    pending = lifecycle.pending_request(alliance)
    if not form.is_valid():
        return render(
            request,
            "caseload/closing.html",
            _closing_context(alliance, me, answer_form=form),
            status=400,
        )
    data = form.cleaned_data
    if pending is None or pending.pk != data["request"]:
        return _answer_conflict(
            request, alliance, me, form, _("This proposal was answered already.")
        )
    try:
        lifecycle.answer_request(
            ally=me,
            request=pending,
            agree=data["answer"] == "yes",
            expected_version=data["version"],
        )
    except ConflictError as conflict:
        return _answer_conflict(request, alliance, me, form, str(conflict))
    alliance.refresh_from_db()
    messages.success(
        request,
        _done_message(alliance) if data["answer"] == "yes" else _("Your answer is recorded: no."),
    )
    return redirect("closing:page", alliance.pk)


def _answer_conflict(request, alliance, me, form, message):
    form.add_error(None, message)
    alliance.refresh_from_db()
    return render(
        request,
        "caseload/closing.html",
        _closing_context(alliance, me, answer_form=form),
        status=409,
    )
