"""The computation of a report, run by the task worker (`tasks.compute_report_task`),
never inside a request: grouped queries, then small-count suppression, jointly with
the published reports nested by one organisation, then the snapshot of what may be
shown (version 3: briefs/shared_contract.md, docs/suppression.md). Raw counts are
never stored."""

import itertools

from django.db.models import Q
from django.utils import timezone

from . import aggregates, averages, planning_counts
from .domains import CUSTOM
from .models import Report
from .periods import split
from .suppression import (
    CountSeries,
    CountTable,
    Link,
    Refused,
    as_published,
    suppress,
    suppress_linked,
    suppress_related,
)

# Version 3: the weather's averages for each sub-period too (weather["periods"]).
SNAPSHOT_VERSION = 3
# The tables of version 1, whose raw counts are `aggregates.Counts`.
TABLES = ("alliances", "needs", "unmet", "unmet_status", "divergences", "reviews")
PLANNING_TABLES = (
    "persons",
    "age_bands",
    "orientation",
    "service_type",
    "needs_detail",
    "prestations",
    "prestation_waiting",
    "communes",
    "epcis",
    "departements",
)
PERSON_TABLES = frozenset({"persons", "age_bands"})


def _as_suppressible(table):
    if isinstance(table, aggregates.Table):
        return CountTable.of(
            table.counts,
            row_totals=table.row_totals,
            column_totals=table.column_totals,
            grand_total=table.grand_total,
        )
    return CountSeries.of(table.counts, total=table.total)


def _unit(key) -> str:
    return "persons" if key in PERSON_TABLES else "alliances"


def _layout(key, raw) -> dict:
    layout = {"key": key, "unit": _unit(key), "rows": list(raw.rows)}
    if isinstance(raw, aggregates.Table):
        return layout | {"shape": "table", "columns": list(raw.columns)}
    return layout | {"shape": "series"}


def raw_tables(counts: aggregates.Counts, planning: planning_counts.PlanningCounts) -> dict:
    """Every whole-period table of a report by its key, in the snapshot's order."""
    return {
        **{key: getattr(counts, key) for key in TABLES},
        **{key: getattr(planning, key) for key in PLANNING_TABLES},
    }


def _neighbours(report: Report, organisation_ids: set[int]):
    """Ready reports of the same period whose scope differs from this one by exactly
    one organisation: a reader holding both could subtract them."""
    smaller, larger = [], []
    others = (
        Report.objects.filter(
            status=Report.Status.READY,
            period_start=report.period_start,
            period_end=report.period_end,
        )
        .exclude(pk=report.pk)
        .prefetch_related("organisations")
    )
    for other in others:
        theirs = {o.pk for o in other.organisations.all()}
        if theirs < organisation_ids and len(organisation_ids - theirs) == 1:
            smaller.append((other, theirs))
        elif organisation_ids < theirs and len(theirs - organisation_ids) == 1:
            larger.append((other, theirs))
    return smaller, larger


class DifferencingRefused(Exception):
    pass


def _aligned(raw, rows):
    """A geography series on the rows of a larger scope (codes it lacks count 0), so
    that nested scopes can be compared position by position."""
    if tuple(raw.rows) == tuple(rows):
        return raw
    counts = dict(zip(raw.rows, raw.counts, strict=True))
    return aggregates.Series(tuple(rows), tuple(counts.get(r, 0) for r in rows), raw.total)


def _common_rows(tables):
    """Rows of geography series of nested scopes: every code of any, then unknown."""
    codes = {r for t in tables for r in t.rows if r != planning_counts.UNKNOWN}
    return (*sorted(codes), planning_counts.UNKNOWN)


def suppress_counts(
    raw: dict,
    k: int,
    *,
    smaller: list[dict] = (),
    larger: list[tuple[dict, dict]] = (),
) -> dict:
    """Every table suppressed, jointly with the reports nested by one organisation.

    `raw`: the report's raw tables by key (`raw_tables`).
    `smaller`: raw tables of published scopes one organisation smaller; this report
    is then the larger of each pair and hides what subtraction would reveal.
    `larger`: raw tables and published tables of scopes one organisation larger,
    already published and never changed: if protecting the pair would need the larger
    one to hide a value it shows, the report is refused (DifferencingRefused)."""
    tables = {}
    for key, mine_raw in raw.items():
        if not smaller and not larger:
            result = suppress(_as_suppressible(mine_raw), k=k)
            tables[key] = _layout(key, mine_raw) | result.published()
            continue
        others = [c[key] for c in smaller] + [c[key] for c, _published in larger]
        own_rows = mine_raw.rows
        if _is_geography(mine_raw):
            rows = _common_rows([mine_raw, *others])
            mine_raw, others = _aligned(mine_raw, rows), [_aligned(o, rows) for o in others]
        chain = [_as_suppressible(o) for o in others[: len(smaller)]]
        me = len(chain)
        chain.append(_as_suppressible(mine_raw))
        pairs = [(i, me) for i in range(me)]
        for other in others[len(smaller) :]:
            pairs.append((me, len(chain)))
            chain.append(_as_suppressible(other))
        results = suppress_related(chain, pairs, k=k)
        result = results[me]
        for (_other, published_tables), needed in zip(larger, results[me + 1 :], strict=True):
            # A report published before this table existed shows none of it.
            if key not in published_tables:
                continue
            published = published_tables[key]
            if _is_geography(mine_raw):
                published = _published_on(published, mine_raw.rows)
            if _shows_hidden(published, needed):
                raise DifferencingRefused(key)
        shown = _layout(key, mine_raw) | result.published()
        if own_rows != mine_raw.rows:
            shown = _published_on(shown, own_rows)
        tables[key] = shown
    return tables


def _is_geography(raw) -> bool:
    return isinstance(raw, aggregates.Series) and raw.rows[-1:] == (planning_counts.UNKNOWN,)


def _published_on(published: dict, rows) -> dict:
    """A published geography series on other rows: a code it lacks counts 0 (the
    rows dropped this way are zeros, shown anyway)."""
    cells = dict(zip(published["rows"], published["cells"], strict=True))
    return published | {"rows": list(rows), "cells": [cells.get(r, 0) for r in rows]}


# Tables suppressed together because a reader can relate their values (Link): a
# trend with its whole-period table, tables that count the same alliances in total.
# Each member is ("tables", key) or ("trends", key).
FAMILIES = (
    (
        ("tables", "alliances"),
        ("trends", "alliances"),
        ("tables", "orientation"),
        ("tables", "service_type"),
        ("tables", "communes"),
        ("tables", "epcis"),
        ("tables", "departements"),
    ),
    (("tables", "persons"), ("trends", "persons"), ("tables", "age_bands")),
    (("tables", "needs"), ("trends", "needs"), ("tables", "needs_detail")),
    (
        ("tables", "prestations"),
        ("tables", "prestation_waiting"),
        ("trends", "prestations_unmet"),
    ),
    (("tables", "unmet"), ("tables", "unmet_status")),
    (("tables", "divergences"),),
    (("tables", "reviews"),),
)
# Tables that describe the scope as it stood at the period's end, whatever its start:
# two reports ending on the same day show the same counts.
AT_END = frozenset(PLANNING_TABLES) | {"needs", "unmet", "unmet_status", "divergences"}
AT_END -= {"persons"}  # its rows (before, during) depend on the start


def _positions(raw) -> list[tuple]:
    if isinstance(raw, aggregates.Table):
        m, n = len(raw.rows), len(raw.columns)
        return [
            *(("cell", i, j) for i in range(m) for j in range(n)),
            *(("row_total", i) for i in range(m)),
            *(("column_total", j) for j in range(n)),
            ("grand_total",),
        ]
    return [*(("cell", j) for j in range(len(raw.rows))), ("total",)]


def _shown_values(published: dict) -> list:
    if published["shape"] == "table":
        return [
            *itertools.chain.from_iterable(published["cells"]),
            *published["row_totals"],
            *published["column_totals"],
            published["grand_total"],
        ]
    return [*published["cells"], published["total"]]


def _trend_links(whole: int, trend: int, periods: int) -> list[Link]:
    """What a reader knows of a before/during series and its trend (sub-periods in
    order, without gaps): the first sub-period starts with the period, "during" the
    period is during one of its sub-periods, everyone before a sub-period is before
    the next one or in it, and the last one ends with the period."""
    last = periods - 1
    return [
        Link(((whole, ("cell", 0)),), (trend, ("cell", 0, 0)), equal=True),
        Link(((whole, ("cell", 1)),), (trend, ("row_total", 1)), equal=True),
        Link(((whole, ("total",)),), (trend, ("grand_total",)), equal=True),
        Link(((whole, ("total",)),), (trend, ("column_total", last)), equal=True),
        Link(((trend, ("cell", 0, last)),), (trend, ("row_total", 0)), equal=True),
        *(
            Link(((trend, ("column_total", j)),), (trend, ("cell", 0, j + 1)), equal=True)
            for j in range(last)
        ),
    ]


SAME_TOTAL = ("orientation", "service_type", "communes", "epcis", "departements", "age_bands")


def _family_links(at: dict, raws: dict, periods: int) -> list[Link]:
    """The links inside one report's family; `at` maps each member present to its
    index in the tables suppressed together."""

    def have(*members):
        return all(m in at for m in members)

    links = []
    last = periods - 1
    for key in ("alliances", "persons"):
        if have(("tables", key), ("trends", key)):
            links += _trend_links(at[("tables", key)], at[("trends", key)], periods)
        for other in SAME_TOTAL:  # tables that count the same alliances (persons)
            whole = "persons" if other == "age_bands" else "alliances"
            if whole == key and have(("tables", key), ("tables", other)):
                links.append(
                    Link(
                        ((at[("tables", key)], ("total",)),),
                        (at[("tables", other)], ("total",)),
                        equal=True,
                    )
                )
    needs, trend, detail = ("tables", "needs"), ("trends", "needs"), ("tables", "needs_detail")
    if have(needs, trend):
        links += [
            Link(((at[needs], ("cell", i)),), (at[trend], ("cell", i, last)), equal=True)
            for i in range(len(raws[needs].rows))
        ]
        links.append(
            Link(((at[needs], ("total",)),), (at[trend], ("column_total", last)), equal=True)
        )
    if have(needs, detail):
        links.append(Link(((at[needs], ("total",)),), (at[detail], ("total",)), equal=True))
        i, j = raws[needs].rows.index(CUSTOM), raws[detail].rows.index(CUSTOM)
        links.append(Link(((at[needs], ("cell", i)),), (at[detail], ("cell", j)), equal=True))
    table, waiting = ("tables", "prestations"), ("tables", "prestation_waiting")
    if have(table, waiting):
        column = raws[table].columns.index("waiting")
        links += [
            Link(((at[table], ("cell", i, column)),), (at[waiting], ("row_total", i)), equal=True)
            for i in range(len(raws[table].rows))
        ]
        links.append(
            Link(
                ((at[table], ("column_total", column)),),
                (at[waiting], ("grand_total",)),
                equal=True,
            )
        )
    unmet, status = ("tables", "unmet"), ("tables", "unmet_status")
    if have(unmet, status):
        links.append(Link(((at[unmet], ("grand_total",)),), (at[status], ("total",)), equal=True))
    return links


def _period_links(mine: dict, theirs: dict, raws: dict, their_raws: dict, periods) -> list:
    """Links between this report's family (`mine`: member -> index) and the same
    family of a published report on the same scope whose period contains this one's
    or lies in it (`theirs`: member -> index); `periods`: ((start, end), (their
    start, their end))."""
    (start, end), (their_start, their_end) = periods
    links = []
    for member, m in mine.items():
        kind, key = member
        if member not in theirs or _positions(their_raws[member]) != _positions(raws[member]):
            continue
        t = theirs[member]
        if kind == "tables" and key in ("alliances", "persons"):
            # Counted from their creation: the later end counts those of the earlier
            # end plus the ones created in between; the earlier start counts fewer
            # "before" than the later one.
            if end <= their_end:
                links.append(Link(((m, ("total",)),), (t, ("total",)), equal=end == their_end))
            else:
                links.append(Link(((t, ("total",)),), (m, ("total",))))
            if start <= their_start:
                links.append(
                    Link(((m, ("cell", 0)),), (t, ("cell", 0)), equal=start == their_start)
                )
            else:
                links.append(Link(((t, ("cell", 0)),), (m, ("cell", 0))))
        elif kind == "tables" and key in AT_END and end == their_end:
            links += [Link(((m, p),), (t, p), equal=True) for p in _positions(raws[member])]
        elif kind == "trends":
            # A sub-period with the same key and the same days has the same counts;
            # only the first and last sub-periods of a report can be clipped.
            for j, column in enumerate(raws[member].columns):
                if column not in their_raws[member].columns:
                    continue
                jj = their_raws[member].columns.index(column)
                if raws["periods"][j] != their_raws["periods"][jj]:
                    continue
                links.append(
                    Link(((m, ("column_total", j)),), (t, ("column_total", jj)), equal=True)
                )
                links += [
                    Link(((m, ("cell", i, j)),), (t, ("cell", i, jj)), equal=True)
                    for i in range(len(raws[member].rows))
                ]
    return links


def suppress_linked_families(raws: dict, tables: dict, k: int, *, nested=()) -> tuple:
    """Each family of tables suppressed together, starting from what the protection
    of nested scopes already hides (`tables`, from `suppress_counts`), jointly with
    the published reports on nested periods of the same scope (`nested`: (their
    raws, their snapshot) for each). `raws`: {(kind, key): raw table, "periods":
    [Period]}. Returns the published tables and trends; raises DifferencingRefused
    when a published report would have to change."""
    shown = {"tables": {}, "trends": {}}
    span = (raws["periods"][0].start, raws["periods"][-1].end)
    for members in FAMILIES:
        chain = [_as_suppressible(raws[m]) for m in members]
        mine = {m: n for n, m in enumerate(members)}
        hidden = {
            n: [
                p
                for p, v in zip(_positions(raws[m]), _shown_values(tables[m[1]]), strict=True)
                if v is None
            ]
            for m, n in mine.items()
            if m[0] == "tables"
        }
        links = _family_links(mine, raws, len(raws["periods"]))
        published = {}
        for their_raws, snapshot in nested:
            # Only what they published, as they published it, never changed.
            present = [m for m in members if m[1] in snapshot.get(m[0], {})]
            theirs = {m: len(chain) + n for n, m in enumerate(present)}
            their_span = (their_raws["periods"][0].start, their_raws["periods"][-1].end)
            cross = _period_links(mine, theirs, raws, their_raws, (span, their_span))
            if not cross:
                continue
            for m in present:
                chain.append(_as_suppressible(their_raws[m]))
                shown_values = _shown_values(snapshot[m[0]][m[1]])
                published[theirs[m]] = as_published(chain[-1], shown_values, k)
            links += _family_links(theirs, their_raws, len(their_raws["periods"]))
            links += cross
        try:
            results = suppress_linked(chain, links, k=k, published=published, hidden=hidden)
        except Refused as refused:
            raise DifferencingRefused(members[0][1]) from refused
        for member, n in mine.items():
            shown[member[0]][member[1]] = _layout(member[1], raws[member]) | results[n].published()
    # In the order of the raw tables: the order readers see them in.
    order = [m for m, _raw in _items(raws)]
    return (
        {key: shown[kind][key] for kind, key in order if kind == "tables"},
        {key: shown[kind][key] for kind, key in order if kind == "trends"},
    )


def _shows_hidden(published: dict, needed) -> bool:
    """Whether a published table shows a value that `needed` hides."""
    shown = needed.published()
    if "grand_total" in shown:
        pairs = [
            *zip(
                itertools.chain.from_iterable(published["cells"]),
                itertools.chain.from_iterable(shown["cells"]),
                strict=True,
            ),
            *zip(published["row_totals"], shown["row_totals"], strict=True),
            *zip(published["column_totals"], shown["column_totals"], strict=True),
            (published["grand_total"], shown["grand_total"]),
        ]
    else:
        pairs = [
            *zip(published["cells"], shown["cells"], strict=True),
            (published["total"], shown["total"]),
        ]
    return any(mine is not None and needed_value is None for mine, needed_value in pairs)


def _published_weather(weather: aggregates.Weather, k: int, period_keys=()) -> dict:
    """The weather's averages as `averages` allows them, for the whole period, the
    period before it and each sub-period (version 3 adds the sub-periods)."""
    return {
        "items": list(weather.items),
        "current": averages.shown_averages(weather.current, weather.alliances_current, k),
        "previous": averages.shown_averages(weather.previous, weather.alliances_previous, k),
        "alliances": [
            averages.shown_count(n, k)
            for n in (weather.alliances_current, weather.alliances_previous)
        ],
        "periods": averages.published_periods(period_keys, weather.by_period, k),
    }


def _raws(organisation_ids, start, end) -> tuple[dict, planning_counts.PlanningCounts]:
    """Every raw table and trend of a report by (kind, key), with its sub-periods."""
    periods = split(start, end)
    with aggregates._reporting_session():
        planning = planning_counts.planning_counts(organisation_ids, start, end, periods)
        counts = aggregates.counts(organisation_ids, start, end, needs=planning.needs)
    raws = {("tables", key): raw for key, raw in raw_tables(counts, planning).items()}
    raws |= {("trends", key): raw for key, raw in planning.trends.items()}
    return raws | {"periods": periods}, planning


def _tables_of(raws: dict) -> dict:
    return {key: raw for (kind, key), raw in _items(raws) if kind == "tables"}


def _items(raws: dict):
    return ((m, raw) for m, raw in raws.items() if m != "periods")


def _nested_periods(report: Report, organisation_ids: set[int]) -> list[Report]:
    """Ready reports on the same scope whose period contains this one's or lies in
    it: a reader holding both could subtract them (docs/suppression.md)."""
    start, end = report.period_start, report.period_end
    others = (
        Report.objects.filter(status=Report.Status.READY)
        .filter(
            Q(period_start__lte=start, period_end__gte=end)
            | Q(period_start__gte=start, period_end__lte=end)
        )
        .exclude(pk=report.pk)
        .exclude(period_start=start, period_end=end)
        .prefetch_related("organisations")
    )
    return [o for o in others if {org.pk for org in o.organisations.all()} == organisation_ids]


def compute_report(report_id: int) -> Report:
    """Runs in a background task: counts, suppression, snapshot. A failure leaves the
    report marked as failed with the reason, never half-written."""
    report = Report.objects.get(pk=report_id)
    organisation_ids = set(report.organisations.values_list("pk", flat=True))
    start, end, k = report.period_start, report.period_end, report.threshold
    raws, planning = _raws(organisation_ids, start, end)
    smaller, larger = _neighbours(report, organisation_ids)
    nested = _nested_periods(report, organisation_ids)
    try:
        tables = suppress_counts(
            _tables_of(raws),
            k,
            smaller=[_tables_of(_raws(ids, start, end)[0]) for _other, ids in smaller],
            larger=[
                (_tables_of(_raws(ids, start, end)[0]), other.snapshot["tables"])
                for other, ids in larger
            ],
        )
        tables, trends = suppress_linked_families(
            raws,
            tables,
            k,
            nested=[
                (_raws(organisation_ids, o.period_start, o.period_end)[0], o.snapshot)
                for o in nested
            ],
        )
    except DifferencingRefused:
        report.status = Report.Status.FAILED
        report.failure = "differencing"
        report.computed_at = timezone.now()
        report.save(update_fields=["status", "failure", "computed_at"])
        return report
    alliances_shown = tables["alliances"]["total"]
    report.snapshot = {
        "version": SNAPSHOT_VERSION,
        "scope": {
            "kind": report.scope_kind,
            "label": report.scope_label,
            "organisations": len(organisation_ids),
        },
        "period": {"start": start.isoformat(), "end": end.isoformat()},
        "threshold": k,
        "tables": tables,
        "periods": [p.as_dict() for p in raws["periods"]],
        "trends": trends,
        "labels": planning.labels,
        # Quotes only when the report covers enough alliances to publish its total.
        "quotes": aggregates.quotes(organisation_ids, start, end)
        if alliances_shown is not None and alliances_shown >= k
        else [],
        "weather": _published_weather(
            aggregates.weather(organisation_ids, start, end, raws["periods"]),
            k,
            [p.key for p in raws["periods"]],
        ),
        "protected_with": len(smaller) + len(larger) + len(nested),
    }
    report.status = Report.Status.READY
    report.computed_at = timezone.now()
    report.snapshot["computed_at"] = report.computed_at.isoformat()
    report.save(update_fields=["snapshot", "status", "computed_at"])
    return report
