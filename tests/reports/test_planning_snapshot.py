"""The snapshot of version 2 through the whole pipeline: every planning table and
trend shows true counts, each 0 or at least k, never one hidden value alone in a
line; the keys and layouts of the shared contract; and the computation's number of
queries, the same for a small and a large territory."""

import datetime
import itertools

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from alliance.alliances.models import Alliance
from alliance.reports import aggregates, computation, planning_counts
from alliance.reports.models import Report
from alliance.reports.periods import split
from alliance.reports.suppression import Link, as_published, linked_exposures, suppress
from tests.factories import OrganisationFactory

from .data import _at
from .test_planning_counts import planning_world
from .test_reports import _report, _staff

pytestmark = pytest.mark.django_db

START, END = datetime.date(2025, 7, 1), datetime.date(2026, 6, 30)
SERIES_KEYS = {
    "alliances",
    "needs",
    "unmet_status",
    "divergences",
    "reviews",
    "persons",
    "age_bands",
    "orientation",
    "service_type",
    "needs_detail",
    "communes",
    "epcis",
    "departements",
}
TABLE_KEYS = {"unmet", "prestations", "prestation_waiting"}


def _values(table: dict) -> list:
    if table["shape"] == "table":
        return [
            *itertools.chain.from_iterable(table["cells"]),
            *table["row_totals"],
            *table["column_totals"],
            table["grand_total"],
        ]
    return [*table["cells"], table["total"]]


def _raw_values(raw) -> list:
    if hasattr(raw, "columns"):
        return [
            *itertools.chain.from_iterable(raw.counts),
            *raw.row_totals,
            *raw.column_totals,
            raw.grand_total,
        ]
    return [*raw.counts, raw.total]


def _lines(table: dict) -> list[list]:
    if table["shape"] == "series":
        return [[*table["cells"], table["total"]]]
    rows = [*table["cells"], table["column_totals"]]
    totals = [*table["row_totals"], table["grand_total"]]
    lines = [[*row, total] for row, total in zip(rows, totals, strict=True)]
    return lines + [list(column) for column in zip(*rows, strict=True)]


@pytest.mark.parametrize(("seed", "k"), [(21, 5), (22, 6), (23, 7)])
def test_every_planning_table_and_trend_is_suppressed(seed, k):
    world = planning_world(seed, organisations=3, alliances=35)
    report = _report(_staff(), world.organisations, k=k)
    assert report.status == Report.Status.READY
    snapshot = report.snapshot
    ids = [o.pk for o in world.organisations]
    raw = planning_counts.planning_counts(ids, START, END, split(START, END))
    checked = [
        (snapshot["tables"][key], getattr(raw, key))
        for key in raw.__dataclass_fields__
        if key not in ("trends", "labels")
    ]
    checked += [(snapshot["trends"][key], raw.trends[key]) for key in raw.trends]
    hidden = 0
    for table, true in checked:
        for shown, value in zip(_values(table), _raw_values(true), strict=True):
            assert shown is None or shown == value
            assert shown is None or shown == 0 or shown >= k
            hidden += shown is None
        for line in _lines(table):
            assert sum(v is None for v in line) != 1
    assert hidden  # random small territories always have something to hide


def test_the_snapshot_has_the_keys_and_layouts_of_version_3():
    world = planning_world(24, organisations=3, alliances=20)
    snapshot = _report(_staff(), world.organisations).snapshot
    assert snapshot["version"] == 3
    assert set(snapshot["tables"]) == SERIES_KEYS | TABLE_KEYS
    for key, table in snapshot["tables"].items():
        assert table["key"] == key
        assert table["shape"] == ("table" if key in TABLE_KEYS else "series")
        assert table["unit"] == ("persons" if key in {"persons", "age_bands"} else "alliances")
    assert snapshot["tables"]["age_bands"]["rows"] == [
        "0-5", "6-11", "12-15", "16-19", "20-24", "25-44", "45-59", "60+", "unknown"
    ]  # fmt: skip
    assert snapshot["tables"]["prestations"]["columns"] == [
        "asked", "decided", "waiting", "refused", "missing"
    ]  # fmt: skip
    assert snapshot["tables"]["prestation_waiting"]["columns"] == ["0-3", "3-6", "6-12", "12+"]
    assert snapshot["tables"]["prestations"]["rows"][:2] == ["2.1.1", "2.1.2"]
    assert snapshot["tables"]["prestations"]["rows"][-1] == "none"
    assert snapshot["tables"]["orientation"]["rows"][-1] == "none"
    assert snapshot["periods"] == [
        {"key": "2025-Q3", "start": "2025-07-01", "end": "2025-09-30"},
        {"key": "2025-Q4", "start": "2025-10-01", "end": "2025-12-31"},
        {"key": "2026-Q1", "start": "2026-01-01", "end": "2026-03-31"},
        {"key": "2026-Q2", "start": "2026-04-01", "end": "2026-06-30"},
    ]
    assert set(snapshot["trends"]) == {"alliances", "persons", "needs", "prestations_unmet"}
    for key, trend in snapshot["trends"].items():
        assert trend["shape"] == "table"
        assert trend["columns"] == [p["key"] for p in snapshot["periods"]]
        assert trend["unit"] == ("persons" if key == "persons" else "alliances")
    # Version 3: the weather's averages in each sub-period, by the same keys.
    assert [p["key"] for p in snapshot["weather"]["periods"]] == [
        p["key"] for p in snapshot["periods"]
    ]
    assert set(snapshot["labels"]) == {"communes", "epcis", "departements"}


def test_the_computation_runs_as_many_queries_for_a_small_and_a_large_territory():
    staff = _staff()
    # Both computations look for published neighbours and find some, and both
    # territories are large enough to quote words.
    _report(staff, [OrganisationFactory()])
    small = planning_world(25, organisations=2, alliances=20)
    with CaptureQueriesContext(connection) as few:
        _report(staff, small.organisations)
    large = planning_world(26, organisations=2, alliances=60)
    with CaptureQueriesContext(connection) as many:
        _report(staff, large.organisations)
    assert any("quote_text" in q["sql"] for q in few.captured_queries)
    assert len(few) == len(many)


def test_two_reports_on_nested_periods_do_not_reveal_the_alliances_created_between():
    """A half-year published first, then the year that contains it: subtracting their
    totals would give the alliances created in the second half (3, a small count).
    Suppressed apart, the attack works; the year is computed jointly with the
    published half-year and hides what it must."""
    world = planning_world(27, organisations=2, alliances=24)
    alliances = Alliance.objects.filter(organisation__in=world.organisations).order_by("pk")
    alliances.update(created_at=_at(datetime.date(2024, 3, 1)))
    late = list(alliances.values_list("pk", flat=True)[:3])
    Alliance.objects.filter(pk__in=late).update(created_at=_at(datetime.date(2026, 3, 1)))
    staff = _staff()
    half = _report(staff, world.organisations, end=datetime.date(2025, 12, 31))
    year = _report(staff, world.organisations)
    assert (year.status, year.failure) == (Report.Status.READY, ""), year.failure
    assert year.snapshot["protected_with"] == 1
    links = [Link(((0, ("total",)),), (1, ("total",))), Link(((0, ("cell", 0)),), (1, ("cell", 0)))]
    ids = [o.pk for o in world.organisations]
    raw = [
        computation._as_suppressible(aggregates.alliance_counts(ids, START, end))
        for end in (datetime.date(2025, 12, 31), END)
    ]
    apart = [suppress(table, k=5) for table in raw]
    assert linked_exposures(apart, links) != []
    published = [
        as_published(table, _values(report.snapshot["tables"]["alliances"]), 5)
        for table, report in zip(raw, (half, year), strict=True)
    ]
    assert linked_exposures(published, links) == []
