"""The territory report at scale, on PostgreSQL.

    .venv/bin/python benchmarks/reports_bench.py [--alliances 100000]
        [--statements 1000000] [--organisations 300] [--runs 5]

Uses a database of its own, ``alliance_reports_bench`` (created here as role
``alliance`` if missing, never dropped, so the territory is generated once:
``manage.py generate_territory`` with the sizes given). Then measures, over the
last twelve months:

- the grouped queries of the territory report (every organisation of the
  territory) and of a one-organisation report: wall time, number of queries;
- the whole computation of the territory report as the background task runs it
  (queries, suppression, snapshot, save);

prints the figures, and writes them with the EXPLAIN (ANALYZE, BUFFERS) plans of
the territory report's queries to the "reports" section of benchmarks/RESULTS.md.
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
ROOT = HERE.parent
DB_NAME = os.environ.get("ALLIANCE_REPORTS_BENCH_DB", "alliance_reports_bench")


def _ensure_database():
    import psycopg

    params = {
        "host": os.environ.get("ALLIANCE_PG_HOST", "127.0.0.1"),
        "port": os.environ.get("ALLIANCE_PG_PORT", "5432"),
        "user": os.environ.get("ALLIANCE_PG_USER", "alliance"),
    }
    with psycopg.connect(dbname="alliance", autocommit=True, **params) as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [DB_NAME]).fetchone()
        if not exists:
            conn.execute(f'CREATE DATABASE "{DB_NAME}"')


def _setup():
    sys.path.insert(0, str(ROOT))
    os.environ["DJANGO_SETTINGS_MODULE"] = "benchmarks.alliances_settings"
    os.environ["ALLIANCE_BENCH_DB"] = "postgres"
    os.environ["ALLIANCE_BENCH_PG_NAME"] = DB_NAME
    import django

    django.setup()


def _timed(function, runs):
    times = []
    result = None
    for _ in range(runs):
        started = time.perf_counter()
        result = function()
        times.append(time.perf_counter() - started)
    return times, result


def _explain(sql, params):
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN (ANALYZE, BUFFERS, COSTS OFF) " + sql, params)
        return "\n".join(row[0] for row in cursor.fetchall())


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--alliances", type=int, default=100_000)
    parser.add_argument("--statements", type=int, default=1_000_000)
    parser.add_argument("--organisations", type=int, default=300)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()

    _ensure_database()
    _setup()
    from django.core.management import call_command
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from alliance.accounts.models import Organisation, User
    from alliance.alliances.models import Alliance, Statement
    from alliance.reports import aggregates, computation
    from alliance.reports.management.commands.generate_territory import TERRITORY
    from alliance.reports.models import Report

    call_command("migrate", verbosity=0)
    generated = ""
    if not Organisation.objects.filter(territory=TERRITORY).exists():
        started = time.perf_counter()
        call_command(
            "generate_territory",
            alliances=args.alliances,
            statements=args.statements,
            organisations=args.organisations,
        )
        generated = f"{time.perf_counter() - started:.0f} s"
    organisations = list(
        Organisation.objects.filter(territory=TERRITORY).values_list("pk", flat=True)
    )
    alliances = Alliance.objects.filter(organisation_id__in=organisations).count()
    statements = Statement.objects.filter(alliance__organisation_id__in=organisations).count()
    end = datetime.date.today()
    start = end - datetime.timedelta(days=365)

    def territory():
        aggregates.quotes(organisations, start, end)
        return aggregates.counts(organisations, start, end)

    def one():
        aggregates.quotes(organisations[:1], start, end)
        return aggregates.counts(organisations[:1], start, end)

    territory()  # warm the caches once
    with CaptureQueriesContext(connection) as captured:
        territory()
    # Django's PostgreSQL cursors bind parameters on the client: each captured SQL is
    # the query as the server ran it, ready for EXPLAIN.
    queries = [
        q["sql"]
        for q in captured.captured_queries
        if q["sql"].lstrip().startswith(("SELECT", "WITH"))
    ]
    territory_times, counts = _timed(territory, args.runs)
    one_times, _one = _timed(one, args.runs)

    staff, _created = User.objects.get_or_create(
        email="bench-reports@example.org",
        defaults={"display_name": "Bench", "kind": User.Kind.PROFESSIONAL, "is_staff": True},
    )

    def full():
        report = Report.objects.create(
            scope_kind=Report.ScopeKind.TERRITORY,
            scope_label=TERRITORY,
            territory=TERRITORY,
            period_start=start,
            period_end=end,
            requested_by=staff,
        )
        report.organisations.set(organisations)
        try:
            return computation.compute_report(report.pk)
        finally:
            report.delete()

    full_times, report = _timed(full, max(2, args.runs // 2))

    with CaptureQueriesContext(connection) as captured_one:
        one()
    one_queries = [
        q["sql"]
        for q in captured_one.captured_queries
        if q["sql"].lstrip().startswith(("SELECT", "WITH"))
    ]
    with aggregates._reporting_session():  # the same settings as the report's own session
        plans = [(sql, _explain(sql, None)) for sql in queries]
        one_plans = [(sql, _explain(sql, None)) for sql in one_queries]

    def ms(values):
        return f"{statistics.median(values) * 1000:.0f} ms (min {min(values) * 1000:.0f})"

    hidden = sum(
        v is None
        for table in report.snapshot["tables"].values()
        for v in (
            [v for row in table["cells"] for v in row]
            if table["shape"] == "table"
            else table["cells"]
        )
    )
    load = ", ".join(f"{v:.1f}" for v in os.getloadavg())
    lines = [
        f"Territory: {len(organisations)} organisations, {alliances:,} alliances, "
        f"{statements:,} statements (PostgreSQL `{DB_NAME}`"
        + (f", generated in {generated}" if generated else ", generated earlier")
        + f"); period {start} – {end}; {os.cpu_count()} cores shared with other work "
        f"(load average {load} at the end of the run).",
        "",
        "| measure | median |",
        "|---|---|",
        f"| territory report, grouped queries and quotes ({len(queries)} queries) "
        f"| {ms(territory_times)} |",
        f"| one-organisation report, grouped queries and quotes | {ms(one_times)} |",
        f"| territory report, whole task (queries + suppression + snapshot) | {ms(full_times)} |",
        "",
        f"Alliances counted: {counts.alliances.total:,}; with a coded or uncoded adopted "
        f"interest: {counts.needs.total:,}; with an unmet need: {counts.unmet.grand_total:,}; "
        f"with a recurring divergence: {counts.divergences.total:,}; hidden cells after "
        f"suppression: {hidden}.",
        "",
        "<details><summary>EXPLAIN (ANALYZE, BUFFERS) of the territory report's queries</summary>",
        "",
    ]

    def show(pairs):
        for sql, plan in pairs:
            lines.extend(["```sql", sql[:1500] + ("…" if len(sql) > 1500 else ""), "```"])
            lines.extend(["```", plan, "```"])

    show(plans)
    lines += [
        "</details>",
        "",
        "<details><summary>EXPLAIN (ANALYZE, BUFFERS) of a one-organisation report "
        "(the indexes on the scope)</summary>",
        "",
    ]
    show(one_plans)
    lines.append("</details>")
    body = "\n".join(lines)
    print("\n".join(lines[:10]))
    sys.path.insert(0, str(HERE))
    from benchmarks._results import write_section

    write_section("reports", "## Reports: the territory report at scale\n\n" + body)


if __name__ == "__main__":
    main()
