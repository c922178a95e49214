"""The computation of a report, run by the task worker (`tasks.compute_report_task`),
never inside a request: grouped queries, then small-count suppression, jointly with
the published reports nested by one organisation, then the snapshot of what may be
shown (version 2: briefs/shared_contract.md, docs/suppression.md). Raw counts are
never stored."""

import itertools

from django.utils import timezone

from . import aggregates, planning_counts
from .models import Report
from .periods import split
from .suppression import CountSeries, CountTable, suppress, suppress_related

SNAPSHOT_VERSION = 2
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


def suppress_trends(trends: dict, k: int) -> dict:
    return {
        key: _layout(key, raw) | suppress(_as_suppressible(raw), k=k).published()
        for key, raw in trends.items()
    }


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


def _published_weather(weather: aggregates.Weather, k: int) -> dict:
    """An average is shown only over at least k alliances rated in its period (the
    rule docs/suppression.md gives for averages); so is the number of alliances."""

    def enough(n):
        return n >= k

    return {
        "items": list(weather.items),
        "current": list(weather.current) if enough(weather.alliances_current) else None,
        "previous": list(weather.previous) if enough(weather.alliances_previous) else None,
        "alliances": [
            n if enough(n) or n == 0 else None
            for n in (weather.alliances_current, weather.alliances_previous)
        ],
    }


def _all_counts(organisation_ids, start, end, periods):
    with aggregates._reporting_session():
        return raw_tables(
            aggregates.counts(organisation_ids, start, end),
            planning_counts.planning_counts(organisation_ids, start, end, periods),
        )


def compute_report(report_id: int) -> Report:
    """Runs in a background task: counts, suppression, snapshot. A failure leaves the
    report marked as failed with the reason, never half-written."""
    report = Report.objects.get(pk=report_id)
    organisation_ids = set(report.organisations.values_list("pk", flat=True))
    start, end, k = report.period_start, report.period_end, report.threshold
    periods = split(start, end)
    with aggregates._reporting_session():
        counts = aggregates.counts(organisation_ids, start, end)
        planning = planning_counts.planning_counts(organisation_ids, start, end, periods)
    raw = raw_tables(counts, planning)
    smaller, larger = _neighbours(report, organisation_ids)
    try:
        tables = suppress_counts(
            raw,
            k,
            smaller=[_all_counts(ids, start, end, periods) for _other, ids in smaller],
            larger=[
                (_all_counts(ids, start, end, periods), other.snapshot["tables"])
                for other, ids in larger
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
        "periods": [p.as_dict() for p in periods],
        "trends": suppress_trends(planning.trends, k),
        "labels": planning.labels,
        # Quotes only when the report covers enough alliances to publish its total.
        "quotes": aggregates.quotes(organisation_ids, start, end)
        if alliances_shown is not None and alliances_shown >= k
        else [],
        "weather": _published_weather(aggregates.weather(organisation_ids, start, end), k),
        "protected_with": len(smaller) + len(larger),
    }
    report.status = Report.Status.READY
    report.computed_at = timezone.now()
    report.snapshot["computed_at"] = report.computed_at.isoformat()
    report.save(update_fields=["snapshot", "status", "computed_at"])
    return report
