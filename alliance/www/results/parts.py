"""The parts of a consultation's results told as a report (issue 14): group
descriptions, the bars of each statement with their tables, participation over
time. The results page, the group pages and the PDF put them together."""

from __future__ import annotations

from dataclasses import dataclass, replace

from django.utils import formats
from django.utils.translation import gettext as _

from alliance.charts import Scale, Series, line_chart
from alliance.charts.votes import VoteBar, VoteLabels, vote_bars
from alliance.collectives import report as consultation_report
from alliance.collectives.results import first_of_lists
from alliance.consensus.descriptions import Wording, describe

from .words import group_name, map_labels


def description_wording() -> Wording:
    return Wording(
        both=_("Rather agree with “{agree}” and disagree with “{disagree}”"),
        agree_only=_("Rather agree with “{agree}”"),
        disagree_only=_("Rather disagree with “{disagree}”"),
        nothing=_("Nothing sets this group clearly apart yet"),
    )


def vote_labels() -> VoteLabels:
    return VoteLabels(
        agree=_("Agree"),
        disagree=_("Disagree"),
        passed=_("Pass"),
        hidden=_("too few votes"),
        percent=_("{value} %"),
        votes=_("{count} votes"),
        decimal_separator=formats.get_format("DECIMAL_SEPARATOR"),
    )


def descriptions_of(publication, texts: dict, edited: dict) -> dict[int, str]:
    """Group id -> its one-line description: the facilitator's words, or the one
    generated from its representative statements."""
    wording = description_wording()
    return {
        g.id: edited[g.id].text if g.id in edited else describe(g, texts, wording)
        for g in publication.groups
    }


@dataclass(frozen=True)
class VoteTable:
    """A statement's bars and their table alternative."""

    svg: str
    rows: tuple  # (name, agree, disagree, pass, votes) as shown; hidden ones say so


def vote_table(bars: list[VoteBar], *, title: str, chart_id: str, labels: VoteLabels) -> VoteTable:
    svg = vote_bars(
        bars, title=title, title_id=f"{chart_id}-t", desc_id=f"{chart_id}-d", labels=labels
    )
    rows = []
    for bar in bars:
        if bar.shown and bar.votes:
            rows.append(
                (
                    bar.name,
                    labels.share(bar.agree, bar.votes),
                    labels.share(bar.disagree, bar.votes),
                    labels.share(bar.passed, bar.votes),
                    bar.votes,
                )
            )
        else:
            rows.append((bar.name, labels.hidden, "", "", ""))
    return VoteTable(svg=svg, rows=tuple(rows))


def bar(name, share) -> VoteBar:
    return VoteBar(
        name=name,
        agree=share.agree,
        disagree=share.disagree,
        passed=share.votes - share.agree - share.disagree,
        shown=share.shown,
    )


def statement_bars(item, labels, chart_id) -> VoteTable:
    """Everyone, then each shown group, on one statement (a StatementResult)."""
    bars = [bar(_("Everyone"), item.overall)]
    bars += [bar(group_name(gid), share) for gid, share in item.by_group]
    return vote_table(bars, title=_("Votes on this statement"), chart_id=chart_id, labels=labels)


def participation_chart(consultation) -> dict:
    """The line of votes and of participants per day (or week), with its table."""
    unit, periods = consultation_report.participation_over_time(consultation)
    if not periods:
        return {"participation": []}
    labels = _chart_labels()
    charts = []
    for key, title, values in (
        ("votes", _("Votes"), [(p.start, p.votes) for p in periods]),
        ("people", _("Participants"), [(p.start, p.participants) for p in periods]),
    ):
        high = max(v for _d, v in values) or 1
        charts.append(
            line_chart(
                [Series(title, values)],
                title=title,
                title_id=f"participation-{key}-t",
                desc_id=f"participation-{key}-d",
                scale=Scale(0, high),
                show_gap=False,
                labels=labels,
                width=360,
                plot_height=140,
            )
        )
    return {
        "participation": periods,
        "participation_charts": charts,
        "participation_weekly": unit == "week",
    }


def _chart_labels():
    return map_labels().replace(
        date_header=_("Date"),
        date_format="%d/%m/%Y",
        series_change=_("{name}: {first} → {last} ({change}) since {since}"),
        series_single=_("{name}: {last} on {since}"),
        no_data=_("No votes yet."),
    )


def bars_of(items) -> dict:
    """Statement id -> its bars, for the listed statements (StatementResults)."""
    labels = vote_labels()
    return {
        item.statement: statement_bars(item, labels, f"bars-{item.statement}") for item in items
    }


def report_parts(consultation, view, listed) -> dict:
    """What the results page and the printed report add to the map and the lists:
    each group's description, the bars of the `listed` statements (by statement id),
    participation over time."""
    pub = view.publication
    if pub is None:
        return {}
    edited = consultation_report.edited_descriptions(consultation)
    texts = {pk: s.text for pk, s in view.statements.items()}
    return {
        "edited": edited,
        "descriptions": descriptions_of(pub, texts, edited),
        "bars": bars_of(listed),
        **participation_chart(consultation),
    }


def results_additions(consultation, view, context: dict) -> dict:
    """The results page's context with the report's parts put in place."""
    parts = report_parts(
        consultation, view, first_of_lists(view.publication) if view.publication else ()
    )
    if not parts:
        return context
    bars = parts["bars"]
    return context | {
        "groups": [g | {"description": parts["descriptions"][g["id"]]} for g in context["groups"]],
        "common_ground": [
            replace(line, chart=bars.get(line.statement.pk)) for line in context["common_ground"]
        ],
        "divisive": [
            replace(line, chart=bars.get(line.statement.pk)) for line in context["divisive"]
        ],
        "edited": parts["edited"],
        **{k: v for k, v in parts.items() if k.startswith("participation")},
    }
