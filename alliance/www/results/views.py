"""The results of a consultation, its export, and the common interests a collective
adopts from its common ground. Thin: load through the collectives gatekeeper, call
the results use cases, render."""

import json
from dataclasses import dataclass

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from alliance.alliances.needs import label_of, suggest_need
from alliance.charts import Labels
from alliance.charts.opinion_map import (
    MapGroup,
    MapPoint,
    opinion_map,
    opinion_map_summary,
    opinion_map_table,
)
from alliance.collectives import perms, report, results
from alliance.collectives.access import (
    get_collective_for,
    get_consultation_in,
    get_statement_in,
)
from alliance.collectives.models import CollectiveInterest
from alliance.collectives.results import SHOWN_PER_LIST
from alliance.db_routers import reads_from_replica
from alliance.www.reading import is_easy, render
from alliance.www.utils import page_methods, run_use_case

from . import forms
from .parts import results_additions
from .words import group_name, map_labels

POLL_SECONDS = 3
# A poster is one printed page: five statements that unite everyone are all it holds.
POSTER_PER_LIST = 5


def _load(request, collective_id, consultation_id):
    collective, me = get_collective_for(request.user, collective_id)
    return collective, me, get_consultation_in(collective, me, consultation_id)


@dataclass(frozen=True)
class ShareLine:
    """One statement with the shares that may be shown."""

    statement: object
    direction: str
    overall: str  # e.g. "80 % agree (20 votes)", or "too few votes"
    by_group: tuple  # (group name, text)
    chart: object = None  # its bars and their table (report.VoteTable), when drawn


def _share_text(share, labels: Labels, direction: str = "agree") -> str:
    if not share.shown:
        return _("too few votes")
    percent = share.agree_percent if direction == "agree" else share.disagree_percent
    value = labels.percent.format(value=labels.number(percent))
    if direction == "agree":
        return _("%(share)s agree (%(votes)s votes)") % {"share": value, "votes": share.votes}
    return _("%(share)s disagree (%(votes)s votes)") % {"share": value, "votes": share.votes}


def _lines(items, view, labels, direction="agree"):
    return [
        ShareLine(
            statement=view.statements.get(item.statement),
            direction=direction,
            overall=_share_text(item.overall, labels, direction),
            by_group=tuple(
                (group_name(gid), _share_text(share, labels, direction))
                for gid, share in item.by_group
            ),
        )
        for item in items
        if item.statement in view.statements
    ]


@page_methods
@reads_from_replica
def results_page(request, collective_id, consultation_id):
    collective, me, consultation = _load(request, collective_id, consultation_id)
    view = results.results_view(consultation, me)
    shown = request.GET.get("shown", "")
    if request.htmx:
        # The progress indicator polls here: once a newer snapshot is done, the page
        # reloads to show it; otherwise only the indicator is swapped.
        current = str(view.snapshot.pk) if view.snapshot else ""
        if view.pending is None and current != shown:
            response = HttpResponse(status=204)
            response["HX-Refresh"] = "true"
            return response
        return render(
            request,
            "results/results.html#progress",
            _progress_context(collective, consultation, view),
        )
    labels = map_labels()
    context = {
        "collective": collective,
        "consultation": consultation,
        "me": me,
        "view": view,
        "can_facilitate": perms.can_recompute_results(me, consultation),
        "can_adopt": perms.can_adopt_interest(me, consultation),
        **_progress_context(collective, consultation, view),
    }
    pub = view.publication
    if pub is not None:
        groups = [
            MapGroup(key=g.id, name=group_name(g.id), size=g.size, centroid=g.centroid)
            for g in pub.groups
        ]
        context |= {
            "map_svg": opinion_map(
                (MapPoint(x, y, g, c) for x, y, g, c in pub.map),
                groups,
                others=pub.others,
                title=_("Opinion map"),
                title_id="map-title",
                desc_id="map-desc",
                you=view.you,
                labels=labels,
            ),
            "map_table": opinion_map_table(groups, pub.others, labels=labels),
            "map_summary": opinion_map_summary(groups, pub.others, labels=labels),
            "groups": [
                {
                    "id": g.id,
                    "name": group_name(g.id),
                    "size": g.size,
                    "lines": [
                        ShareLine(
                            statement=view.statements.get(r.statement),
                            direction=r.direction,
                            overall=_share_text(r.share, labels, r.direction),
                            by_group=(),
                        )
                        for r in g.representative
                        if r.statement in view.statements
                    ],
                }
                for g in pub.groups
            ],
            "common_ground": _lines(pub.common_ground[:SHOWN_PER_LIST], view, labels),
            "divisive": _lines(pub.divisive[:SHOWN_PER_LIST], view, labels),
            "common_ground_count": len(pub.common_ground),
            "divisive_count": len(pub.divisive),
        }
    context = results_additions(consultation, view, context)
    if is_easy(request):
        context |= _easy_context(view, context.get("edited"))
    return render(request, "results/results.html", context)


@page_methods
@reads_from_replica
def poster(request, collective_id, consultation_id):
    """A one-page poster of the results for a neighbourhood meeting, printed from the
    browser (A4): whoever may read the results may print them."""
    collective, me, consultation = _load(request, collective_id, consultation_id)
    view = results.results_view(consultation, me)
    edited = report.edited_descriptions(consultation) if view.publication else {}
    return render(
        request,
        "results/poster.html",
        {
            "collective": collective,
            "consultation": consultation,
            "view": view,
            **_easy_context(view, edited, count=POSTER_PER_LIST),
        },
    )


def wording(statement) -> str:
    """A statement as an easy-read page quotes it: its easy-read wording when one was
    written, without the final full stop (the page's own sentence ends it)."""
    return (statement.easy_read or statement.text).strip().rstrip(".")


@dataclass(frozen=True)
class GroupSentence:
    """One opinion group said in one short sentence (easy-read pages and the poster),
    from the group's first representative statement: one it agrees with when it has
    one (what the group "thinks above all"), otherwise one it rejects."""

    name: str
    size: int
    agrees: bool
    quote: str  # "" when no statement sets the group apart yet
    others: tuple  # its other representative statements: (wording, agrees)
    id: int = 0  # the group's stable label
    described: str = ""  # the facilitator's own description of the group, if any


def group_sentences(publication, statements, edited=None) -> list[GroupSentence]:
    sentences = []
    for group in publication.groups:
        shown = [
            (wording(statements[r.statement]), r.direction == "agree")
            for r in group.representative
            if r.statement in statements
        ]
        chosen = next((line for line in shown if line[1]), shown[0] if shown else ("", True))
        sentences.append(
            GroupSentence(
                name=group_name(group.id),
                size=group.size,
                agrees=chosen[1],
                quote=chosen[0],
                others=tuple(line for line in shown if line is not chosen),
                id=group.id,
                described=edited[group.id].text if edited and group.id in edited else "",
            )
        )
    return sentences


def _easy_context(view, edited=None, count=SHOWN_PER_LIST) -> dict:
    """What the easy-read results and the poster show: the first `count` statements
    that unite everyone, then each group in one sentence (and the facilitator's
    description of it, from `edited`), then the first `count` that divide; and how
    many of each are not shown. Built from the page's own reads: no query."""
    pub = view.publication
    if pub is None:
        return {"united": [], "sentences": [], "divided": [], "united_more": 0, "divided_more": 0}
    return {
        "united": _wordings(pub.common_ground[:count], view.statements),
        "united_more": max(len(pub.common_ground) - count, 0),
        "sentences": group_sentences(pub, view.statements, edited),
        "divided": _wordings(pub.divisive[:count], view.statements),
        "divided_more": max(len(pub.divisive) - count, 0),
    }


def _wordings(items, statements) -> list[str]:
    return [wording(statements[s.statement]) for s in items if s.statement in statements]


def _progress_context(collective, consultation, view):
    return {
        "pending": view.pending,
        "poll_url": reverse("results:results", args=[collective.pk, consultation.pk])
        + "?shown="
        + (str(view.snapshot.pk) if view.snapshot else ""),
        "poll_every": f"every {POLL_SECONDS}s",
    }


@require_POST
def recompute(request, collective_id, consultation_id):
    collective, me, consultation = _load(request, collective_id, consultation_id)
    snapshot = results.recompute_now(member=me, consultation=consultation)
    if snapshot is None:
        messages.info(request, _("Nobody has voted yet: there is nothing to compute."))
    else:
        messages.success(request, _("The results are being computed again."))
    return redirect("results:results", collective.pk, consultation.pk)


@page_methods
@reads_from_replica
def export(request, collective_id, consultation_id):
    _collective, me, consultation = _load(request, collective_id, consultation_id)
    data = results.export_results(member=me, consultation=consultation)
    if data is None:
        raise Http404
    response = HttpResponse(
        json.dumps(data, ensure_ascii=False) + "\n", content_type="application/json"
    )
    response["Content-Disposition"] = (
        f'attachment; filename="consultation-{consultation.pk}-results.json"'
    )
    return response


@page_methods
def adopt(request, collective_id, consultation_id, statement_id):
    collective, me, consultation = _load(request, collective_id, consultation_id)
    if not perms.can_adopt_interest(me, consultation):
        raise PermissionDenied
    statement = get_statement_in(consultation, statement_id)
    form = forms.AdoptInterestForm(
        request.POST or None,
        initial={"text": statement.text},
        suggestion=suggest_need(statement.text),
    )
    if request.method == "POST" and form.is_valid():
        interest = run_use_case(
            form,
            results.adopt_common_interest,
            member=me,
            statement=statement,
            **form.cleaned_data,
        )
        if interest is not None:
            messages.success(request, _("The collective has adopted this common interest."))
            return redirect("results:interests", collective.pk)
    return render(
        request,
        "results/adopt.html",
        {
            "collective": collective,
            "consultation": consultation,
            "statement": statement,
            "form": form,
        },
        status=400 if form.errors else 200,
    )


@page_methods
@reads_from_replica
def interests(request, collective_id):
    collective, _me = get_collective_for(request.user, collective_id)
    rows = [
        (interest, label_of(interest.need_code) if interest.need_code else "")
        for interest in CollectiveInterest.objects.filter(collective=collective)
        .select_related("adopted_by", "from_statement")
        .order_by("adopted_at", "pk")
    ]
    return render(request, "results/interests.html", {"collective": collective, "interests": rows})
