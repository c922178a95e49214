"""A published report snapshot of version 2, built by hand to the letter of the
shared contract (/work/briefs/shared_contract.md), so that the reading side
(labels, summary, page, exports) is tested without the computation: every table
key, both shapes, hidden values (None) in cells and margins, trends over three
periods, geography labels."""

import copy

from alliance.alliances.planning import SERVICE_TYPES
from alliance.reports.domains import CUSTOM, NOT_CODED, report_domains
from alliance.reports.models import Report
from tests.factories import OrganisationFactory, UserFactory

PERIODS = [
    {"key": "2025-S1", "start": "2025-01-01", "end": "2025-06-30"},
    {"key": "2025-S2", "start": "2025-07-01", "end": "2025-12-31"},
    {"key": "2026-S1", "start": "2026-01-01", "end": "2026-06-30"},
]
PRESTATIONS = ["2.1.1", "2.3.1", "2.3.3", "none"]
WAITING = ["0-3", "3-6", "6-12", "12+"]


def series(key, rows, cells, total, unit="alliances"):
    return {"key": key, "shape": "series", "unit": unit, "rows": rows, "cells": cells,
            "total": total}  # fmt: skip


def table(key, rows, columns, cells, row_totals, column_totals, grand_total, unit="alliances"):
    return {
        "key": key,
        "shape": "table",
        "unit": unit,
        "rows": rows,
        "columns": columns,
        "cells": cells,
        "row_totals": row_totals,
        "column_totals": column_totals,
        "grand_total": grand_total,
    }


def _domains(values):
    rows = [*report_domains(), CUSTOM, NOT_CODED]
    return rows, (values + [0] * len(rows))[: len(rows)]


def snapshot_v2() -> dict:
    """A fresh copy each time (tests may change it)."""
    need_rows, need_cells = _domains([12, 8, 0, None, 9, 6, 0, 0, 6])
    unmet_rows, _cells = _domains([])
    unmet_cells = [[0, 0, 0, 0] for _ in unmet_rows]
    housing = unmet_rows.index("1.3.2")
    unmet_cells[housing] = [None, 0, 5, None]
    services = [code for code, _label in SERVICE_TYPES]
    tables = {
        "alliances": series("alliances", ["before", "during"], [31, 9], 40),
        "persons": series("persons", ["before", "during"], [30, 9], 39, unit="persons"),
        "age_bands": series(
            "age_bands",
            ["0-5", "6-11", "12-15", "16-19", "20-24", "25-44", "45-59", "60+", "unknown"],
            [0, 11, None, 0, 0, 14, None, 0, 6],
            39,
            unit="persons",
        ),
        "needs": series("needs", need_rows, need_cells, 35),
        "unmet": table(
            "unmet",
            unmet_rows,
            WAITING,
            unmet_cells,
            [7 if n == housing else 0 for n in range(len(unmet_rows))],
            [None, 0, 5, None],
            7,
        ),
        "unmet_status": series(
            "unmet_status", ["waiting", "refused", "not_existing"], [5, None, None], 7
        ),
        "divergences": series("divergences", need_rows, [0, 0, 0, 6, None, 0, 0, 0, 0], 8),
        "orientation": series(
            "orientation", [*services, "none"], [0] * 3 + [14, 6] + [0] * 12 + [20], 40
        ),
        "service_type": series(
            "service_type", [*services, "none"], [0] * 2 + [None, 15] + [0] * 13 + [22], 40
        ),
        "needs_detail": series(
            "needs_detail",
            ["1.1.1", "1.3.2.1", "1.3.3.1", "custom", "none"],
            [None, 9, 12, 0, 6],
            35,
        ),
        "prestations": table(
            "prestations",
            PRESTATIONS,
            ["asked", "decided", "waiting", "refused", "missing"],
            [[6, 5, None, 0, 0], [14, 11, 7, None, 0], [9, 9, 5, 0, None], [None, 0, 0, 0, 0]],
            [6, 14, 9, None],
            [31, 27, 14, None, None],
            33,
        ),
        "prestation_waiting": table(
            "prestation_waiting",
            PRESTATIONS,
            WAITING,
            [[None, 0, 0, 0], [0, None, 5, None], [5, 0, 0, 0], [0, 0, 0, 0]],
            [None, 7, 5, 0],
            [6, None, 5, None],
            14,
        ),
        "communes": series("communes", ["69123", "69266", "unknown"], [22, 12, 6], 40),
        "epcis": series("epcis", ["200046977", "unknown"], [34, 6], 40),
        "departements": series("departements", ["69", "unknown"], [34, 6], 40),
        "reviews": series("reviews", ["on_time", "late", "overdue"], [11, None, 6], 20),
    }
    keys = [p["key"] for p in PERIODS]
    trends = {
        "alliances": table(
            "alliances",
            ["before", "during"],
            keys,
            [[20, 29, 31], [9, 6, 9]],
            [31, 24],
            [29, 35, 40],
            40,
        ),
        "persons": table(
            "persons",
            ["before", "during"],
            keys,
            [[19, 28, 30], [9, 6, 9]],
            [30, 24],
            [28, 34, 39],
            39,
            unit="persons",
        ),
        "needs": table(
            "needs",
            ["1.3.2.1", "1.3.3.1"],
            keys,
            [[None, 6, 8], [10, 11, 12]],
            [8, 12],
            [13, 15, 18],
            20,
        ),
        "prestations_unmet": table(
            "prestations_unmet",
            PRESTATIONS,
            keys,
            [[None, None, None], [5, 6, 7], [None, 5, 5], [0, 0, 0]],
            [None, 7, 5, 0],
            [8, 11, 14],
            14,
        ),
    }
    return copy.deepcopy(
        {
            "version": 2,
            "scope": {"kind": "territory", "label": "69 Rhône", "organisations": 3},
            "period": {"start": "2025-01-01", "end": "2026-06-30"},
            "threshold": 5,
            "tables": tables,
            "periods": PERIODS,
            "trends": trends,
            "labels": {
                "communes": {"69123": "Lyon", "69266": "Villeurbanne"},
                "epcis": {"200046977": "Métropole de Lyon"},
                "departements": {"69": "Rhône"},
            },
            "weather": {
                "items": ["aim", "way", "heard", "decide"],
                "current": [7.25, 6.0, 8.5, 5.75],
                "previous": None,
                "alliances": [12, None],
            },
            "quotes": [],
            "protected_with": 0,
            "computed_at": "2026-07-01T08:00:00+00:00",
        }
    )


def make_report(reader) -> Report:
    """A ready report of the Rhône whose snapshot is `snapshot_v2()`, published to
    `reader` (a decision maker)."""
    organisation = OrganisationFactory(territory="69 Rhône")
    report = Report.objects.create(
        scope_kind=Report.ScopeKind.TERRITORY,
        scope_label="69 Rhône",
        period_start="2025-01-01",
        period_end="2026-06-30",
        threshold=5,
        status=Report.Status.READY,
        computed_at="2026-07-01T08:00:00+00:00",
        snapshot=snapshot_v2(),
        owner=organisation,
        requested_by=UserFactory(org_admin=True, organisation=organisation),
    )
    report.organisations.add(organisation)
    report.published_to.add(reader)
    report.refresh_from_db()
    return report
