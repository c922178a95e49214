"""Closing a review (every ally concluded or was recorded absent) and exporting its
report. Closing produces the report's two documents (ADR 0024); the review is
read-only afterwards."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from alliance.acting import perms, services
from alliance.alliances.access import get_ally_in
from alliance.documents import services as documents
from alliance.documents.models import Kind
from alliance.www.gatekeepers import alliance_view
from alliance.www.reading import is_easy

from . import forms
from .views import _get_review, _post_use_case, _render_failed, _review_context


def _back(alliance, review, anchor="closing"):
    return redirect(reverse("acting:review", args=[alliance.pk, review.pk]) + f"#{anchor}")


@require_POST
@alliance_view("review")
def review_absence(request, alliance, me, review_id):
    review = _get_review(alliance, review_id)
    if not perms.can_record_absence(me):
        raise PermissionDenied
    context = _review_context(alliance, me, review, words=is_easy(request))
    form = forms.AbsenceForm(request.POST, missing=context["missing"], scope="absence")
    status = 400
    if form.is_valid():
        result, status = _post_use_case(
            form,
            services.record_absence,
            ally=me,
            review=review,
            absent=get_ally_in(alliance, form.cleaned_data["ally"]),
            reason=form.cleaned_data["reason"],
            expected_version=form.cleaned_data["version"],
        )
        if result is not None:
            messages.success(request, _("The absence is recorded."))
            return _back(alliance, review)
    review = _get_review(alliance, review_id)  # its version now, for the next try
    context = _review_context(alliance, me, review, words=is_easy(request))
    context["absence_form"] = form
    return _render_failed(request, "acting/review.html", context, form, status)


@require_POST
@alliance_view("review")
def review_close(request, alliance, me, review_id):
    review = _get_review(alliance, review_id)
    form = forms.VersionForm(request.POST, scope="close")
    status = 400
    if form.is_valid():
        result, status = _post_use_case(
            form,
            documents.close_review,
            ally=me,
            review=review,
            expected_version=form.cleaned_data["version"],
        )
        if result is not None:
            messages.success(
                request, _("The review is closed. Its report is in the alliance's documents.")
            )
            return _back(alliance, review)
    review = _get_review(alliance, review_id)  # its version now, for the next try
    context = _review_context(alliance, me, review, words=is_easy(request))
    return _render_failed(request, "acting/review.html", context, form, status)


@require_POST
@alliance_view("review")
def review_export(request, alliance, me, review_id):
    """The review's report as it stands, stored as a document, then downloaded."""
    review = _get_review(alliance, review_id)
    document = documents.produce_document(
        ally=me, kind=Kind.REVIEW, easy_read=request.POST.get("easy") == "1", review=review
    )
    return redirect("documents:download", alliance.pk, document.pk)
