"""The home page ("what needs me") of a professional in many alliances.

    .venv/bin/python benchmarks/home_bench.py [--alliances 300] [--db sqlite|postgres]

Builds, through the product's use cases, a professional in N alliances with a
year of life in them (charters signed months ago, some reviews overdue, means
awaiting their stance, actions of theirs due or late, statements to vote on),
as many alliances of other professionals around them, and two colleagues in 1
and 30 alliances of the same shape. Then times the home page through Django's
test Client (server time, SQL statements) and the `what_needs_me` selector alone.

Runs on a database of its own: PostgreSQL ``home_bench`` (created and dropped
here) or a SQLite file under benchmarks/.data/. The figures are printed and
written to the "home" section of benchmarks/RESULTS.md, each database's run kept
under benchmarks/.data/ so the section shows both side by side.
"""

from __future__ import annotations

import argparse
import datetime
import os
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
DATA = HERE / ".data"
PG_NAME = "home_bench"
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from benchmarks.alliances_bench import (  # noqa: E402
    PG,
    counting,
    machine_note,
    ms,
    postgres_reachable,
    summary,
)


def sqlite_path() -> Path:
    return DATA / "home_bench.sqlite3"


def reset_database(db, drop_only=False):
    if db == "postgres":
        import psycopg

        with psycopg.connect(dbname="postgres", autocommit=True, **PG) as conn:
            conn.execute(f"DROP DATABASE IF EXISTS {PG_NAME} WITH (FORCE)")
            if not drop_only:
                conn.execute(f"CREATE DATABASE {PG_NAME}")
    else:
        for suffix in ("", "-wal", "-shm"):
            Path(str(sqlite_path()) + suffix).unlink(missing_ok=True)


def configure_django(db):
    os.environ["ALLIANCE_BENCH_DB"] = db
    os.environ["ALLIANCE_BENCH_PG_NAME"] = PG_NAME
    os.environ["ALLIANCE_BENCH_SQLITE"] = str(sqlite_path())
    os.environ["DJANGO_SETTINGS_MODULE"] = "benchmarks.alliances_settings"
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


# ---------------------------------------------------------------- generation


def build_alliance(pro, i):
    """One alliance of `pro` after months of life. Every third had its charter signed
    13 months ago (its review is overdue), the others 4 months ago."""
    from django.utils import timezone

    from alliance.acting import services as acting
    from alliance.alliances import services
    from alliance.alliances.models import StatementKind
    from alliance.demo.clock import as_of, days_ago
    from tests.factories import make_alliance_trio, make_signed_charter

    trio = make_alliance_trio(professional=pro, title=f"Alliance {i}")
    today = timezone.localdate()
    with as_of(days_ago(400 if i % 3 == 0 else 120)):
        charter = make_signed_charter(trio)
        interest = charter.interests.get().statement_id
        decided = acting.propose_means(
            ally=trio.parent, interest_statement_id=interest, description=f"Moyen {i}"
        )
        acting.take_stance(ally=trio.professional, option=decided, value="support")
        acting.decide_means(ally=trio.parent, option=decided, consent=True, expected_version=1)
        for n, days in enumerate((-10, 3, 40)):
            action = acting.plan_action(
                ally=trio.parent,
                title=f"Action {i}.{n}",
                domain_label="Scolarité",
                my_role="Je prépare",
                # Planned months ago: a date now past was then ahead.
                due_date=today + datetime.timedelta(days=days),
            )
            acting.join_action(ally=trio.professional, action=action, role="J'accompagne")
        acting.plan_action(
            ally=trio.professional,
            title=f"Rappeler {i}",
            domain_label="Scolarité",
            my_role="J'appelle",
            due_date=today + datetime.timedelta(days=-5 if i % 2 else 2),
        )
        acting.write_journal_entry(ally=trio.person, happened=f"Réunion {i}.")
    acting.propose_means(ally=trio.parent, interest_statement_id=interest, description="Autre")
    services.write_statement(ally=trio.person, kind=StatementKind.GOAL, text=f"But {i}.")
    return trio


def generate(n, log):
    from django.db import transaction

    from tests.factories import UserFactory

    users = {}
    started = time.perf_counter()
    for label, count in (("busy", n), ("thirty", 30), ("one", 1), ("others", n)):
        pro = UserFactory(professional=True, display_name=f"Pro {label}")
        users[label] = pro
        with transaction.atomic():
            for i in range(count):
                build_alliance(pro, i)
        log(f"  {label}: {count} alliances ({time.perf_counter() - started:.0f} s so far)")
    return users, time.perf_counter() - started


# ---------------------------------------------------------------- measuring


def measure_home(user, repeat):
    from django.test import Client
    from django.urls import reverse

    client = Client()
    client.force_login(user)
    client.get(reverse("home"))
    times, queries = [], set()
    for _ in range(repeat):
        with counting() as counter:
            t = time.perf_counter()
            response = client.get(reverse("home"))
            times.append(ms(time.perf_counter() - t))
        assert response.status_code == 200
        queries.add(counter.count)
    return {"times": times, "queries": sorted(queries)}


def measure_selector(user, repeat):
    from alliance.home.selectors import what_needs_me

    times = []
    for _ in range(repeat):
        t = time.perf_counter()
        home = what_needs_me(user)
        times.append(ms(time.perf_counter() - t))
    return {"times": times, "needs": len(home.needs), "alliances": len(home.rows)}


def report(db, args, generation_s, rows, note):
    lines = [
        f"### {'PostgreSQL' if db == 'postgres' else 'SQLite'}",
        "",
        f"{note}. {args.alliances} alliances for the busy professional and as many for "
        f"another, generated through the use cases in {generation_s:.0f} s; "
        f"{args.repeat} requests each.",
        "",
        "| whose home | alliances | things that need them | SQL statements | "
        "page median (ms) | p95 | max | selector median (ms) |",
        "|---|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for label, page, selector in rows:
        median, p, top = summary(page["times"])
        lines.append(
            f"| {label} | {selector['alliances']} | {selector['needs']} | "
            f"{'/'.join(map(str, page['queries']))} | {median:.1f} | {p:.1f} | {top:.1f} | "
            f"{summary(selector['times'])[0]:.1f} |"
        )
    return "\n".join(lines)


INTRO = (
    'Server time of the home page (`home`, "what needs me") through Django\'s test '
    "Client, signed in; the selector is `alliance.home.selectors.what_needs_me` alone. "
    "The number of SQL statements is the same whatever the number of alliances; the "
    "time grows with what there is to show (the page lists the 50 most urgent needs and "
    "one card per alliance). Measured on a machine shared with other jobs: the times "
    "are noisy, the statement counts are not."
)


def write_results(db, markdown):
    from benchmarks._results import write_section

    (DATA / f"home_{db}.md").write_text(markdown)
    parts = [INTRO]
    for name in ("postgres", "sqlite"):
        path = DATA / f"home_{name}.md"
        if path.exists():
            parts.append(path.read_text())
    write_section("home", "## Home page: what needs me\n\n" + "\n\n".join(parts))


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--alliances", type=int, default=300)
    parser.add_argument("--db", choices=("sqlite", "postgres"))
    parser.add_argument("--repeat", type=int, default=30)
    parser.add_argument("--no-results", action="store_true")
    args = parser.parse_args()

    def log(message):
        print(message, flush=True)

    db = args.db or ("postgres" if postgres_reachable() else "sqlite")
    DATA.mkdir(exist_ok=True)
    reset_database(db)
    log(f"Database: {db}")
    configure_django(db)
    from django.db import connection

    try:
        log(f"Generating {args.alliances} alliances and their neighbours…")
        users, generation_s = generate(args.alliances, log)
        rows = []
        for label, key in (
            (f"professional in {args.alliances}", "busy"),
            ("professional in 30", "thirty"),
            ("professional in 1", "one"),
        ):
            rows.append(
                (
                    label,
                    measure_home(users[key], args.repeat),
                    measure_selector(users[key], args.repeat),
                )
            )
        markdown = report(db, args, generation_s, rows, machine_note(db))
        print()
        print(markdown)
        if not args.no_results:
            write_results(db, markdown)
            log('\nWritten to benchmarks/RESULTS.md (section "home").')
    finally:
        connection.close()
        reset_database(db, drop_only=True)


if __name__ == "__main__":
    main()
