"""The computation of a report, run by the task worker (`tasks.compute_report_task`),
never inside a request: grouped queries, then small-count suppression, jointly with
the published reports nested by one organisation, then the snapshot of what may be
shown. Raw counts are never stored."""

import itertools

from django.utils import timezone

from . import aggregates
from .models import Report
from .suppression import CountSeries, CountTable, suppress, suppress_related

TABLES = ("alliances", "needs", "unmet", "unmet_status", "divergences", "reviews")


def _as_suppressible(table):
    if isinstance(table, aggregates.Table):
        return CountTable.of(
            table.counts,
            row_totals=table.row_totals,
            column_totals=table.column_totals,
            grand_total=table.grand_total,
        )
    return CountSeries.of(table.counts, total=table.total)


def _layout(key, raw) -> dict:
    if isinstance(raw, aggregates.Table):
        return {"key": key, "shape": "table", "rows": list(raw.rows), "columns": list(raw.columns)}
    return {"key": key, "shape": "series", "rows": list(raw.rows)}


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


def suppress_counts(
    counts: aggregates.Counts,
    k: int,
    *,
    smaller: list[aggregates.Counts] = (),
    larger: list[tuple[aggregates.Counts, dict]] = (),
) -> dict:
    """Every table suppressed, jointly with the reports nested by one organisation.

    `smaller`: raw counts of published scopes one organisation smaller; this report
    is then the larger of each pair and hides what subtraction would reveal.
    `larger`: raw counts and published tables of scopes one organisation larger,
    already published and never changed: if protecting the pair would need the larger
    one to hide a value it shows, the report is refused (DifferencingRefused)."""
    tables = {}
    for key in TABLES:
        raw = getattr(counts, key)
        mine = _as_suppressible(raw)
        if not smaller and not larger:
            result = suppress(mine, k=k)
        else:
            chain = [_as_suppressible(getattr(c, key)) for c in smaller]
            me = len(chain)
            chain.append(mine)
            pairs = [(i, me) for i in range(me)]
            for other, _published_tables in larger:
                pairs.append((me, len(chain)))
                chain.append(_as_suppressible(getattr(other, key)))
            results = suppress_related(chain, pairs, k=k)
            result = results[me]
            for (_other, published_tables), needed in zip(larger, results[me + 1 :], strict=True):
                # A report published before this table existed shows none of it.
                if key in published_tables and _shows_hidden(published_tables[key], needed):
                    raise DifferencingRefused(key)
        tables[key] = _layout(key, raw) | result.published()
    return tables


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


def compute_report(report_id: int) -> Report:
    """Runs in a background task: counts, suppression, snapshot. A failure leaves the
    report marked as failed with the reason, never half-written."""
    report = Report.objects.get(pk=report_id)
    organisation_ids = set(report.organisations.values_list("pk", flat=True))
    start, end, k = report.period_start, report.period_end, report.threshold
    counts = aggregates.counts(organisation_ids, start, end)
    smaller, larger = _neighbours(report, organisation_ids)
    try:
        tables = suppress_counts(
            counts,
            k,
            smaller=[aggregates.counts(ids, start, end) for _other, ids in smaller],
            larger=[
                (aggregates.counts(ids, start, end), other.snapshot["tables"])
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
        "version": 1,
        "scope": {
            "kind": report.scope_kind,
            "label": report.scope_label,
            "organisations": len(organisation_ids),
        },
        "period": {"start": start.isoformat(), "end": end.isoformat()},
        "threshold": k,
        "tables": tables,
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
