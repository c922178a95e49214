"""A measured prototype of the design `docs/scaling.md` proposes for the planning
report at 1,000,000 alliances: per-territory counters, read instead of the facts.

    .venv/bin/python benchmarks/planning_counters_prototype.py [--months 12,36] [--runs 5]

Runs on the database of `planning_report_bench.py` (generate it with that script
first). The product does not have these counters: this script builds them in
tables of its own (`proto_*`, dropped and rebuilt at each run), from the same SQL
definitions the report uses, for two of the report's heaviest tables, one of each
kind the design has to handle:

- **needs by domain with their trend and by finer need** (16 s in the report):
  the counts depend on an alliance's creation day only, so one counter row per
  (territory, code, day of creation) holds the number of alliances;
- **unmet means at each sub-period's end, by prestation** (the `prestations_unmet`
  trend, part of the 25 s prestations query): a state that starts and stops, so each
  alliance's days in a cell are merged into date ranges, and one counter row per
  (territory, code, day) holds +1 for the ranges starting that day, -1 for those
  ending; the count on a day is the sum of the changes up to it.

It checks that the counters give exactly the numbers of the report's own functions
(`planning_counts.need_counts`, `planning_counts.prestation_counts`), then times
reading them. The time to build them from scratch is the cost of a backfill; what
keeping them up to date would cost each use case is NOT measured here (it is a few
indexed rows per write, by design, but unbuilt). Prints the figures and writes the
"planning_counters_prototype" section of benchmarks/RESULTS.md.
"""

from __future__ import annotations

import argparse
import datetime
import os
import statistics
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))

from benchmarks.planning_report_bench import DB_NAME, _setup  # noqa: E402

LOCAL = "Europe/Paris"


def _build_needs(cursor, organisation_ids, territory):
    from alliance.reports.aggregates import _domain_sql
    from alliance.reports.domains import NOT_CODED
    from alliance.reports.planning_counts import _code_case, _coded_cte, detail_needs

    cases = {
        "domain": _domain_sql("n.serafin_code"),
        "detail": _code_case("n.serafin_code", detail_needs(), NOT_CODED),
    }
    far = datetime.datetime(9999, 1, 1, tzinfo=datetime.UTC)
    cursor.execute("DROP TABLE IF EXISTS proto_need_counter")
    sql = f"""
        CREATE TABLE proto_need_counter AS
        WITH coded AS ({_coded_cte(organisation_ids, cases)}),
        facts AS (
            SELECT DISTINCT unit, domain, detail,
                   (created_at AT TIME ZONE '{LOCAL}')::date AS day
            FROM coded
        )
        SELECT %s::text AS territory, 'domain'::text AS kind, domain AS code, day,
               COUNT(*) AS n
            FROM (SELECT DISTINCT unit, domain, day FROM facts) d GROUP BY domain, day
        UNION ALL SELECT %s, 'unit', '', day, COUNT(*)
            FROM (SELECT DISTINCT unit, day FROM facts) d GROUP BY day
        UNION ALL SELECT %s, 'detail', detail, day, COUNT(*)
            FROM (SELECT DISTINCT unit, detail, day FROM facts) d GROUP BY detail, day
    """
    cursor.execute(sql, [*organisation_ids, far, territory, territory, territory])
    cursor.execute("CREATE INDEX ON proto_need_counter (territory, day)")
    cursor.execute("ANALYZE proto_need_counter")


def _merged_ranges(source: str, partition: str) -> str:
    """The ranges [s, e) of `source` merged per `partition` (gaps and islands): a
    range that starts on or before the furthest end seen so far joins its island."""
    return f"""
        SELECT {partition}, territory, MIN(s) AS s, MAX(e) AS e FROM (
            SELECT *, SUM(new_island) OVER (PARTITION BY {partition} ORDER BY s, e
                                            ROWS UNBOUNDED PRECEDING) AS island
            FROM (
                SELECT *, CASE WHEN MAX(e) OVER (PARTITION BY {partition} ORDER BY s, e
                                   ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING) >= s
                          THEN 0 ELSE 1 END AS new_island
                FROM {source}
            ) AS marked
        ) AS islands
        GROUP BY {partition}, territory, island
    """


def _build_unmet(cursor, organisation_ids, territory):
    from alliance.accounts.models import Organisation
    from alliance.acting.models import AvailabilityChange, MeansDecision, MeansOption
    from alliance.alliances.models import Alliance
    from alliance.reports.aggregates import UNMET, _quoted, _scope_sql
    from alliance.reports.domains import NOT_CODED
    from alliance.reports.planning_counts import _code_case, prestation_rows

    row = _code_case("o.prestation_code", prestation_rows()[:-1], NOT_CODED)
    cursor.execute("DROP TABLE IF EXISTS proto_unmet_counter")
    sql = f"""
        CREATE TABLE proto_unmet_counter AS
        WITH opts AS (
            SELECT o.id, o.alliance_id AS unit, {row} AS row_code, org.territory,
                   (al.created_at AT TIME ZONE '{LOCAL}')::date AS alliance_day,
                   (MIN(d.decided_at) AT TIME ZONE '{LOCAL}')::date AS decided_day
            FROM {MeansOption._meta.db_table} o
            JOIN {Alliance._meta.db_table} al ON al.id = o.alliance_id
            JOIN {Organisation._meta.db_table} org ON org.id = al.organisation_id
            JOIN {MeansDecision._meta.db_table} d ON d.option_id = o.id
            WHERE al.organisation_id IN ({_scope_sql(organisation_ids)})
            GROUP BY o.id, o.alliance_id, org.territory, al.created_at
        ),
        spans AS (
            SELECT c.option_id, c.status, c.since,
                   LEAD(c.since) OVER (PARTITION BY c.option_id
                                       ORDER BY c.since, c.changed_at, c.id) AS until
            FROM {AvailabilityChange._meta.db_table} c JOIN opts ON opts.id = c.option_id
        ),
        ranges AS (
            SELECT o.unit, o.row_code, o.territory,
                   GREATEST(s.since, o.decided_day, o.alliance_day) AS s,
                   COALESCE(s.until, 'infinity'::date) AS e
            FROM spans s JOIN opts o ON o.id = s.option_id
            WHERE s.status IN ({_quoted(UNMET)})
        ),
        kept AS (SELECT * FROM ranges WHERE e > s),
        by_row AS ({_merged_ranges("kept", "unit, row_code")}),
        by_unit AS ({_merged_ranges("kept", "unit")}),
        changes AS (
            SELECT territory, 'row'::text AS kind, row_code AS code, s AS day, 1 AS delta
                FROM by_row
            UNION ALL SELECT territory, 'row', row_code, e, -1 FROM by_row
                WHERE e <> 'infinity'::date
            UNION ALL SELECT territory, 'unit', '', s, 1 FROM by_unit
            UNION ALL SELECT territory, 'unit', '', e, -1 FROM by_unit
                WHERE e <> 'infinity'::date
        )
        SELECT territory, kind, code, day, SUM(delta)::bigint AS delta
        FROM changes WHERE territory = %s GROUP BY territory, kind, code, day
    """
    cursor.execute(sql, [*organisation_ids, territory])
    cursor.execute("CREATE INDEX ON proto_unmet_counter (territory, day)")
    cursor.execute("ANALYZE proto_unmet_counter")


def _read_needs(cursor, territory, periods):
    """The needs' table, finer table and trend from the counters (one query)."""
    ends = " ".join(f"WHEN day <= %s THEN {i}" for i in range(len(periods)))
    cursor.execute(
        f"""SELECT kind, code, CASE {ends} END AS bucket, SUM(n)::bigint
            FROM proto_need_counter WHERE territory = %s AND day <= %s
            GROUP BY kind, code, bucket""",
        [*(p.end for p in periods), territory, periods[-1].end],
    )
    return cursor.fetchall()


def _read_unmet(cursor, territory, periods):
    """The unmet trend from the counters: each sub-period's end, the sum of the
    changes dated up to it (one query)."""
    ends = " UNION ALL ".join("SELECT %s AS key, %s::date AS end_day" for _p in periods)
    cursor.execute(
        f"""WITH periods AS ({ends})
            SELECT c.kind, c.code, p.key, SUM(c.delta)::bigint
            FROM proto_unmet_counter c JOIN periods p ON c.day <= p.end_day
            WHERE c.territory = %s GROUP BY c.kind, c.code, p.key""",
        [*(v for p in periods for v in (p.key, p.end)), territory],
    )
    return cursor.fetchall()


def _running(by_bucket: dict, size: int) -> list[int]:
    total, sums = 0, []
    for index in range(size):
        total += by_bucket.get(index, 0)
        sums.append(total)
    return sums


def _compare(pieces, need_rows_read, unmet_read, needs_detail, need_trend, unmet_trend):
    """The numbers the counters give that differ from the report's functions', and how
    many were compared."""
    from alliance.reports.domains import CUSTOM, NOT_CODED, report_domains

    size = len(pieces)
    by = {}
    for kind, code, bucket, n in need_rows_read:
        if kind == "detail":
            by.setdefault(("detail", code), {})[0] = by.get(("detail", code), {}).get(0, 0) + n
        else:
            by.setdefault((kind, code), {})[bucket] = n
    mismatches, compared = [], 0
    for row_index, row in enumerate((*report_domains(), CUSTOM, NOT_CODED)):
        counted = _running(by.get(("domain", row), {}), size)
        compared += size
        if tuple(counted) != need_trend.counts[row_index]:
            mismatches.append(("needs trend", row, counted, need_trend.counts[row_index]))
    units = _running(by.get(("unit", ""), {}), size)
    compared += size
    if tuple(units) != tuple(need_trend.column_totals):
        mismatches.append(("needs units", units, need_trend.column_totals))
    for row, value in zip(needs_detail.rows, needs_detail.counts, strict=True):
        compared += 1
        if by.get(("detail", row), {}).get(0, 0) != value:
            mismatches.append(("needs detail", row, by.get(("detail", row)), value))

    keys = [p.key for p in pieces]
    unmet = {(kind, code, key): n for kind, code, key, n in unmet_read}
    for row_index, row in enumerate(unmet_trend.rows):
        counted = tuple(unmet.get(("row", row, key), 0) for key in keys)
        compared += size
        if counted != unmet_trend.counts[row_index]:
            mismatches.append(("unmet trend", row, counted, unmet_trend.counts[row_index]))
    counted = tuple(unmet.get(("unit", "", key), 0) for key in keys)
    compared += size
    if counted != tuple(unmet_trend.column_totals):
        mismatches.append(("unmet units", counted, unmet_trend.column_totals))
    return mismatches, compared


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--months", default="12,36", help="report lengths, ending today")
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    _setup()
    from django.db import connection

    from alliance.accounts.models import Organisation
    from alliance.reports import aggregates, periods, planning_counts
    from alliance.reports.management.commands.generate_territory import TERRITORY

    organisation_ids = list(
        Organisation.objects.filter(territory=TERRITORY).order_by("pk").values_list("pk", flat=True)
    )
    if not organisation_ids:
        sys.exit(f"No territory in {DB_NAME}: run benchmarks/planning_report_bench.py first.")

    with connection.cursor() as cursor, aggregates._reporting_session():
        started = time.perf_counter()
        _build_needs(cursor, organisation_ids, TERRITORY)
        build_needs = time.perf_counter() - started
        started = time.perf_counter()
        _build_unmet(cursor, organisation_ids, TERRITORY)
        build_unmet = time.perf_counter() - started
        cursor.execute("SELECT COUNT(*) FROM proto_need_counter")
        need_rows = cursor.fetchone()[0]
        cursor.execute("SELECT COUNT(*) FROM proto_unmet_counter")
        unmet_rows = cursor.fetchone()[0]

    def ms(values):
        return f"{statistics.median(values) * 1000:,.1f} ms"

    table, checks, failed = [], [], False
    end = datetime.date.today()
    for months in (int(m) for m in args.months.split(",")):
        start = end - datetime.timedelta(days=round(months * 365.25 / 12))
        pieces = periods.split(start, end)
        with aggregates._reporting_session():
            started = time.perf_counter()
            _needs, detail, need_trend = planning_counts.need_counts(organisation_ids, pieces)
            product_needs = time.perf_counter() - started
            started = time.perf_counter()
            _t, _w, unmet_trend = planning_counts.prestation_counts(organisation_ids, pieces)
            product_prestations = time.perf_counter() - started
        need_times, unmet_times = [], []
        with connection.cursor() as cursor:
            for _run in range(args.runs):
                started = time.perf_counter()
                need_read = _read_needs(cursor, TERRITORY, pieces)
                need_times.append(time.perf_counter() - started)
                started = time.perf_counter()
                unmet_read = _read_unmet(cursor, TERRITORY, pieces)
                unmet_times.append(time.perf_counter() - started)
        mismatches, compared = _compare(
            pieces, need_read, unmet_read, detail, need_trend, unmet_trend
        )
        failed = failed or bool(mismatches)
        label = f"{months} months ({start} – {end}, {len(pieces)} sub-periods)"
        table += [
            f"| {label} | needs by domain, trend, finer needs | {product_needs * 1000:,.0f} ms "
            f"(`need_counts`) | {ms(need_times)} |",
            f"| {label} | unmet means by prestation at each sub-period's end | "
            f"{product_prestations * 1000:,.0f} ms (`prestation_counts`, with two other "
            f"tables) | {ms(unmet_times)} |",
        ]
        checks.append(
            f"- {label}: **the same {compared} numbers** as the report's functions."
            if not mismatches
            else f"- {label}: **{len(mismatches)} mismatches** out of {compared} numbers: "
            f"{mismatches[:3]}"
        )

    load = ", ".join(f"{v:.1f}" for v in os.getloadavg())
    lines = [
        f"Database `{DB_NAME}` ({len(organisation_ids):,} organisations, the 1,000,000-"
        f"alliance territory of `planning_report`); load average {load} at the end.",
        "",
        f"Counters built from scratch (a backfill): needs {need_rows:,} rows in "
        f"{build_needs * 1000:,.0f} ms, unmet means {unmet_rows:,} rows in "
        f"{build_unmet * 1000:,.0f} ms.",
        "",
        f"| report | table | the report's query today | read from the counters (median of "
        f"{args.runs}) |",
        "|---|---|---|---|",
        *table,
        "",
        "Checked against the report's own functions:",
        "",
        *checks,
        "",
        "Not covered by the counters: the row margins of the unmet trend (alliances "
        "unmet at the end of *some* sub-period), which a per-alliance flag would need; "
        "and the cost of keeping the counters up to date in each use case, which is not "
        "built.",
    ]
    print("\n".join(lines))
    from benchmarks._results import write_section

    write_section(
        "planning_counters_prototype",
        "## Reports: per-territory counters, a measured prototype for the planning "
        "report at 1,000,000 alliances\n\n"
        "Made by `benchmarks/planning_counters_prototype.py` (the design of "
        "`docs/scaling.md`, built in tables of its own, not in the product).\n\n"
        + "\n".join(lines),
    )
    if failed:
        sys.exit(1)


if __name__ == "__main__":
    main()
