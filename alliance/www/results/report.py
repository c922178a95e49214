"""The results as a report (issue 14): group descriptions, agree/disagree/pass bars
per statement for each group and everyone, a page per group, participation over
time, and the printable report. Thin: the reads and the write are in
alliance/collectives/report.py, the charts in alliance/charts."""

from __future__ import annotations

from dataclasses import dataclass
from functools import partial

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.translation import gettext as _

from alliance.collectives import perms, results
from alliance.collectives import report as consultation_report
from alliance.conflicts import ConflictError
from alliance.consensus.descriptions import describe
from alliance.db_routers import reads_from_replica
from alliance.www.reading import render
from alliance.www.uploads import private_file
from alliance.www.utils import page_methods

from .forms import GroupDescriptionForm
from .parts import (
    VoteTable,
    bar,
    description_wording,
    descriptions_of,
    report_parts,
    vote_labels,
    vote_table,
)
from .views import _easy_context, _load
from .words import group_name

STATEMENTS_PER_PAGE = 50
# The printed report stops each list here and sends the reader to the platform for
# the rest: thousands of bars would make a PDF of thousands of pages.
REPORT_PER_LIST = 25


# --------------------------------------------------------------------------- pages


def _group_or_404(consultation, group_id):
    page = consultation_report.group_page(consultation, group_id)
    if page is None:
        raise Http404
    return page


@dataclass(frozen=True)
class GroupStatement:
    statement: object
    direction: str  # "agree", "disagree" or "" (neither clearly)
    table: VoteTable


def _direction(share) -> str:
    if not share.shown:
        return ""
    if 2 * share.agree > share.votes:
        return "agree"
    if 2 * share.disagree > share.votes:
        return "disagree"
    return ""


def group_context(collective, me, consultation, page, request_page) -> dict:
    name = group_name(page.group.id)
    labels = vote_labels()
    texts = {pk: s.text for pk, s in page.statements.items()}
    description = descriptions_of(page.publication, texts, page.descriptions)[page.group.id]
    paginator = Paginator(page.lines, STATEMENTS_PER_PAGE)
    shown = paginator.get_page(request_page)
    lines = [
        GroupStatement(
            statement=page.statements[line.statement],
            direction=_direction(line.group),
            table=vote_table(
                [bar(name, line.group), bar(_("Everyone"), line.overall)],
                title=_("Votes on this statement"),
                chart_id=f"statement-{line.statement}",
                labels=labels,
            ),
        )
        for line in shown
    ]
    return {
        "collective": collective,
        "consultation": consultation,
        "me": me,
        "group": page.group,
        "group_name": name,
        "description": description,
        "edited": page.description is not None,
        "snapshot": page.snapshot,
        "lines": lines,
        "statement_page": shown,
        "agreed": [g for g in lines if g.direction == "agree"],
        "rejected": [g for g in lines if g.direction == "disagree"],
        "other_groups": [
            (g.id, group_name(g.id)) for g in page.publication.groups if g.id != page.group.id
        ],
        "can_describe": perms.can_describe_groups(me, consultation),
    }


@page_methods
@reads_from_replica
def group(request, collective_id, consultation_id, group_id):
    """How one opinion group voted on every statement, beside everyone."""
    collective, me, consultation = _load(request, collective_id, consultation_id)
    page = _group_or_404(consultation, group_id)
    return render(
        request,
        "results/group.html",
        group_context(collective, me, consultation, page, request.GET.get("page", 1)),
    )


@page_methods
def describe_group(request, collective_id, consultation_id, group_id):
    """A facilitator writes the group's description (empty: the generated one)."""
    collective, me, consultation = _load(request, collective_id, consultation_id)
    # Members read every group already: an unknown group is a 404 for all of them,
    # a known one is refused to whoever may not describe it.
    page = _group_or_404(consultation, group_id)
    if not perms.can_describe_groups(me, consultation):
        raise PermissionDenied
    stored = consultation_report.group_description(consultation, group_id)
    texts = {pk: s.text for pk, s in page.statements.items()}
    generated = describe(page.group, texts, description_wording())
    form = GroupDescriptionForm(
        request.POST or None,
        initial={"text": stored.text if stored else "", "version": stored.version if stored else 0},
    )
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                consultation_report.describe_group(
                    member=me,
                    consultation=consultation,
                    group=group_id,
                    text=form.cleaned_data["text"],
                    expected_version=form.cleaned_data["version"],
                )
            except ConflictError as conflict:
                form.add_error(None, str(conflict))
                status = 409
            except ValidationError as error:
                form.add_error(None, error.messages)
            else:
                messages.success(request, _("The description of the group is saved."))
                return redirect("results:group", collective.pk, consultation.pk, group_id)
    return render(
        request,
        "results/describe_group.html",
        {
            "collective": collective,
            "consultation": consultation,
            "group": page.group,
            "group_name": group_name(group_id),
            "generated": generated,
            "stored": stored,
            "form": form,
        },
        status=status,
    )


@page_methods
@reads_from_replica
def report_pdf(request, collective_id, consultation_id):
    """The results laid out as a report to print or send, made by WeasyPrint: whoever
    reads the results may take it."""
    from django.contrib.staticfiles import finders
    from weasyprint import CSS, HTML

    collective, me, consultation = _load(request, collective_id, consultation_id)
    listed = partial(results.first_of_lists, count=REPORT_PER_LIST)
    view = results.results_view(consultation, me, listed=listed)
    if view.publication is None:
        raise Http404
    pub = view.publication
    additions = report_parts(consultation, view, listed(pub))
    groups = [
        {
            "id": g.id,
            "name": group_name(g.id),
            "size": g.size,
            "description": additions["descriptions"][g.id],
            "statements": [
                (view.statements[r.statement], r.direction)
                for r in g.representative
                if r.statement in view.statements
            ],
        }
        for g in pub.groups
    ]
    html = render_to_string(
        "results/report_print.html",
        {
            "collective": collective,
            "consultation": consultation,
            "view": view,
            "groups": groups,
            "common": [
                (view.statements[i.statement], additions["bars"][i.statement])
                for i in pub.common_ground[:REPORT_PER_LIST]
                if i.statement in view.statements
            ],
            "common_more": max(len(pub.common_ground) - REPORT_PER_LIST, 0),
            "divisive": [
                (view.statements[i.statement], additions["bars"][i.statement])
                for i in pub.divisive[:REPORT_PER_LIST]
                if i.statement in view.statements
            ],
            "divisive_more": max(len(pub.divisive) - REPORT_PER_LIST, 0),
            "results_url": request.build_absolute_uri(
                reverse("results:results", args=[collective.pk, consultation.pk])
            ),
            **additions,
            **_easy_context(view, additions["edited"], count=REPORT_PER_LIST),
        },
        request=request,
    )
    # The print style is read from disk: the PDF fetches nothing over the network.
    style = CSS(filename=finders.find("css/results_print.css"))
    response = HttpResponse(
        HTML(string=html).write_pdf(stylesheets=[style]), content_type="application/pdf"
    )
    response["Content-Disposition"] = (
        f'attachment; filename="consultation-{consultation.pk}-results.pdf"'
    )
    # Opened on its own, the file runs and loads nothing (as every download does).
    return private_file(response, sandboxed=True)
