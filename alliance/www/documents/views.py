"""The alliance's documents (ADR 0024): the list, producing the current project, and
downloading any of them, for every active ally, through the alliance's gatekeeper."""

from django import forms
from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from alliance.documents import perms, selectors, services
from alliance.documents.models import Document, Kind
from alliance.www.gatekeepers import alliance_view
from alliance.www.reading import render
from alliance.www.uploads import private_file
from alliance.www.utils import run_use_case


class ProduceForm(forms.Form):
    easy = forms.BooleanField(required=False)


@alliance_view("documents")
def document_list(request, alliance, me):
    return _list_page(request, alliance, me)


def _list_page(request, alliance, me, form=None, status=200):
    return render(
        request,
        "documents/list.html",
        {
            "alliance": alliance,
            "me": me,
            "documents": selectors.documents_of(alliance),
            "may_produce": perms.can_produce_document(me),
            "form": form,
        },
        status=status,
    )


# A closed alliance is read-only, but its project is still made: support has ended and
# the person keeps, on paper, what was agreed (ADR 0023, ADR 0024).
@require_POST
@alliance_view("documents", writes_when_closed=True)
def produce_project(request, alliance, me):
    form = ProduceForm(request.POST)
    if form.is_valid():
        document = run_use_case(
            form,
            services.produce_document,
            ally=me,
            kind=Kind.PROJECT,
            easy_read=form.cleaned_data["easy"],
        )
        if document is not None:
            messages.success(request, _("The document is ready: download it below."))
            return redirect("documents:list", alliance.pk)
    return _list_page(request, alliance, me, form=form, status=400)


def filename(document: Document) -> str:
    """A clear French (or English) name: what it is, its version or date, its reading."""
    parts = [str(document.get_kind_display())]
    if document.kind == Kind.REVIEW and document.review_id:
        parts.append(document.review.held_on.isoformat())
    if document.charter_number:
        parts.append(f"v{document.charter_number}")
    if document.easy_read:
        parts.append(_("easy to read"))
    return slugify("-".join(parts)) + ".pdf"


@alliance_view("document")
def download(request, alliance, me, document_id):
    try:
        document = alliance.documents.select_related("review").get(pk=document_id)
    except Document.DoesNotExist:
        raise Http404 from None
    data = services.download_document(ally=me, document=document)
    response = HttpResponse(data, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{filename(document)}"'
    return private_file(response, sandboxed=True)
