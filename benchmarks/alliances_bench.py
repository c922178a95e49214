"""Alliance page and common ground at scale.

    .venv/bin/python benchmarks/alliances_bench.py [--alliances 10000] [--db sqlite|postgres]

Generates N alliances of realistic shape (benchmarks/alliances_data.py) in a
database of its own — PostgreSQL ``alliance_bench`` (created and dropped here, as
role ``alliance``) when the server answers, else a SQLite file under
benchmarks/.data/ — then measures:

- the alliance overview page (``alliances:overview``) through Django's test Client,
  signed in as a member (second factor verified, as after a whole sign-in), on a
  random sample of alliances: server time and SQL queries;
- ``selectors.alliance_overview`` alone (database + classification);
- ``common_ground.classify_all`` alone, on in-memory data (largest and median
  alliances, and every alliance of the database in one pass);
- the home page of a professional in many alliances;
- the generation itself.

The figures are printed and written to the "alliances" section of
benchmarks/RESULTS.md; each database's run is also kept under benchmarks/.data/ so
that the section shows the PostgreSQL and SQLite runs side by side.
"""

from __future__ import annotations

import argparse
import gc
import math
import os
import platform
import random
import statistics
import sys
import time
from contextlib import contextmanager
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
DATA = HERE / ".data"
PG = {
    "host": os.environ.get("ALLIANCE_PG_HOST", "127.0.0.1"),
    "port": os.environ.get("ALLIANCE_PG_PORT", "5432"),
    "user": os.environ.get("ALLIANCE_PG_USER", "alliance"),
}
PG_NAME = "alliance_bench"
SERVICE_BUILT = 6  # alliances built through the use cases, each checked against the bulk path
CHUNK = 250  # alliances per bulk transaction


# ---------------------------------------------------------------- database set-up


def postgres_reachable() -> bool:
    import psycopg

    try:
        psycopg.connect(dbname="postgres", connect_timeout=3, **PG).close()
    except psycopg.Error:
        return False
    return True


def recreate_postgres(drop_only=False):
    import psycopg

    with psycopg.connect(dbname="postgres", autocommit=True, **PG) as conn:
        conn.execute(f"DROP DATABASE IF EXISTS {PG_NAME} WITH (FORCE)")
        if not drop_only:
            conn.execute(f"CREATE DATABASE {PG_NAME}")


def sqlite_path() -> Path:
    return DATA / "alliances_bench.sqlite3"


def remove_sqlite():
    for suffix in ("", "-wal", "-shm"):
        Path(str(sqlite_path()) + suffix).unlink(missing_ok=True)


def configure_django(db: str):
    os.environ["ALLIANCE_BENCH_DB"] = db
    os.environ["ALLIANCE_BENCH_PG_NAME"] = PG_NAME
    os.environ["ALLIANCE_BENCH_SQLITE"] = str(sqlite_path())
    os.environ["DJANGO_SETTINGS_MODULE"] = "benchmarks.alliances_settings"
    if str(ROOT) not in sys.path:
        sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


# ---------------------------------------------------------------- measuring helpers


class QueryCounter:
    """Counts the SQL statements sent on the connection (cheaper than capturing them)."""

    def __init__(self):
        self.count = 0

    def __call__(self, execute, sql, params, many, context):
        self.count += 1
        return execute(sql, params, many, context)


@contextmanager
def counting():
    from django.db import connection

    counter = QueryCounter()
    with connection.execute_wrapper(counter):
        yield counter


def sign_in(user, client):
    """Signed in with the second factor verified, as after a whole sign-in: a
    professional's pages otherwise redirect to the second factor (ADR 0011)."""
    from benchmarks.loadtest_data import sign_in as verified_sign_in

    return verified_sign_in(user, client)


def p95(values):
    ordered = sorted(values)
    return ordered[max(0, math.ceil(0.95 * len(ordered)) - 1)]


def summary(values_ms):
    return statistics.median(values_ms), p95(values_ms), max(values_ms)


def ms(seconds):
    return seconds * 1000


def machine_note(db):
    from django.db import connection

    model = ""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    memory = ""
    try:
        kb = int(Path("/proc/meminfo").read_text().split()[1])
        memory = f", {kb / 1024 / 1024:.0f} GiB RAM"
    except (OSError, ValueError, IndexError):
        pass
    import django

    if db == "postgres":
        with connection.cursor() as cursor:
            cursor.execute("SHOW server_version")
            engine = (
                f"PostgreSQL {cursor.fetchone()[0].split()[0]} on the same machine (TCP 127.0.0.1)"
            )
    else:
        import sqlite3

        engine = f"SQLite {sqlite3.sqlite_version} (file, WAL)"
    return (
        f"{os.cpu_count()} cores ({model or platform.processor()}){memory}; {engine}; "
        f"Python {platform.python_version()}, Django {django.get_version()}"
    )


# ---------------------------------------------------------------- generation


def generate(n: int, busy: int, seed: int, log):
    from django.db import connection, transaction

    from benchmarks import alliances_data as data

    timings = {}
    started = time.perf_counter()
    orgs, pros, busy_user = data.create_organisations_and_professionals()
    accounts = data.Accounts(orgs, pros, busy_user)
    rng = random.Random(seed)
    k = min(SERVICE_BUILT, n)
    busy_set = set(rng.sample(range(k, n), min(busy, max(0, n - k))))
    planner = data.Planner(seed, busy_set)

    # a few alliances through the use cases, each compared with the same plan in bulk
    t = time.perf_counter()
    service_ids, mismatches = [], []

    class Rollback(Exception):
        pass

    for number in range(k):
        plan = planner.plan(number)
        alliance = data.build_through_services(plan, accounts)
        service_ids.append(alliance.pk)
    timings["services"] = time.perf_counter() - t
    service_rows = {aid: data.normalised(aid) for aid in service_ids}
    for number, aid in zip(range(k), service_ids, strict=True):
        try:
            with transaction.atomic():
                writer = data.BulkWriter(accounts, email_tag="clone-")
                clone_id = writer.add(planner.plan(number))
                writer.flush()
                diff = data.differences(service_rows[aid], data.normalised(clone_id))
                raise Rollback
        except Rollback:
            pass
        mismatches += [f"plan {number}{d}" for d in diff]
    if mismatches:
        log("The bulk path does not write what the use cases write:")
        for line in mismatches[:40]:
            log("  " + line)
        raise SystemExit(1)
    log(
        f"  {k} alliances built through the use cases in {timings['services']:.1f} s; "
        f"the same plans written in bulk give identical alliances"
    )

    # the volume, in bulk (benchmark data: see alliances_data.py)
    t = time.perf_counter()
    writer = data.BulkWriter(accounts)
    for start in range(k, n, CHUNK):
        with transaction.atomic():
            for number in range(start, min(n, start + CHUNK)):
                writer.add(planner.plan(number))
            writer.flush()
        done = min(n, start + CHUNK)
        if done % 1000 < CHUNK or done == n:
            log(f"  {done:>6} alliances, {time.perf_counter() - t:6.1f} s")
    data.reset_sequences(connection)
    timings["bulk"] = time.perf_counter() - t
    t = time.perf_counter()
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")  # as autovacuum would, before anyone reads
    timings["analyze"] = time.perf_counter() - t
    timings["total"] = time.perf_counter() - started
    return {
        "timings": timings,
        "service_ids": service_ids,
        "bulk_rows": writer.counts,
        "busy": busy_user,
        "checked": k,
    }


def corpus_shape(db):
    from django.db import connection
    from django.db.models import Count, Q

    from alliance.accounts.models import Organisation, User
    from alliance.alliances.models import Alliance, Ally, Charter, Statement, Vote

    per_alliance = list(
        Alliance.objects.annotate(
            n_statements=Count(
                "statements", filter=Q(statements__withdrawn_at__isnull=True), distinct=True
            ),
            n_allies=Count("allies", filter=Q(allies__status=Ally.Status.ACTIVE), distinct=True),
        ).values_list("n_statements", "n_allies")
    )
    statements = [s for s, _a in per_alliance]
    allies = [a for _s, a in per_alliance]
    shape = {
        "organisations": Organisation.objects.count(),
        "users": User.objects.count(),
        "professionals": User.objects.filter(kind=User.Kind.PROFESSIONAL).count(),
        "alliances": len(per_alliance),
        "allies": Ally.objects.count(),
        "statements": Statement.objects.count(),
        "votes": Vote.objects.count(),
        "charters": Charter.objects.count(),
        "signed charters": Charter.objects.filter(status=Charter.Status.SIGNED).count(),
        "live statements per alliance (median / max)": (
            f"{statistics.median(statements):.0f} / {max(statements)}"
        ),
        "active allies per alliance (min / median / max)": (
            f"{min(allies)} / {statistics.median(allies):.0f} / {max(allies)}"
        ),
    }
    if db == "postgres":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_size_pretty(pg_database_size(current_database()))")
            shape["database size"] = cursor.fetchone()[0]
    else:
        shape["database size"] = f"{sqlite_path().stat().st_size / 2**20:.0f} MB"
    return shape


# ---------------------------------------------------------------- measurements


def pick_sample(size, seed):
    from alliance.alliances.models import Alliance, Ally

    rng = random.Random(seed + 1)
    ids = list(Alliance.objects.values_list("pk", flat=True))
    chosen = rng.sample(ids, min(size, len(ids)))
    members = {}
    for ally in (
        Ally.objects.filter(alliance_id__in=chosen, status=Ally.Status.ACTIVE)
        .select_related("user")
        .order_by("pk")
    ):
        members.setdefault(ally.alliance_id, []).append(ally)
    return [(aid, rng.choice(members[aid])) for aid in chosen]


def measure_pages(sample):
    from django.test import Client
    from django.urls import reverse

    client = Client()
    # warm-up: templates compiled, translations loaded, connection open
    for aid, viewer in sample[:5]:
        sign_in(viewer.user, client)
        client.get(reverse("alliances:overview", args=[aid]))
    times, queries, sizes = [], set(), []
    gc.collect()
    for aid, viewer in sample:
        sign_in(viewer.user, client)
        url = reverse("alliances:overview", args=[aid])
        with counting() as counter:
            t = time.perf_counter()
            response = client.get(url)
            elapsed = time.perf_counter() - t
        if response.status_code != 200:
            raise SystemExit(f"{url} answered {response.status_code}")
        times.append(ms(elapsed))
        queries.add(counter.count)
        sizes.append(len(response.content))
    return {"times": times, "queries": sorted(queries), "bytes": statistics.median(sizes)}


def measure_selector(sample):
    from alliance.alliances import selectors
    from alliance.alliances.models import Alliance

    times, queries = [], set()
    alliances = Alliance.objects.in_bulk([aid for aid, _v in sample])
    for aid, viewer in sample[:5]:
        selectors.alliance_overview(alliances[aid], viewer)
    for aid, viewer in sample:
        alliance = alliances[aid]
        with counting() as counter:
            t = time.perf_counter()
            selectors.alliance_overview(alliance, viewer)
            times.append(ms(time.perf_counter() - t))
        queries.add(counter.count)
    return {"times": times, "queries": sorted(queries)}


def in_memory(alliance_ids):
    """What classify_all receives for each alliance, loaded once."""
    from alliance.alliances.models import Ally, Statement, Vote
    from alliance.consensus.common_ground import AllyFacts

    facts, statements, votes = {}, {}, {}
    for aid, pk, role in (
        Ally.objects.filter(alliance_id__in=alliance_ids, status=Ally.Status.ACTIVE)
        .values_list("alliance_id", "pk", "role")
        .iterator(chunk_size=20000)
    ):
        facts.setdefault(aid, {})[pk] = AllyFacts(
            speaks_for_person=role in ("person", "representative"),
            is_professional=role == "professional",
        )
    owner = {}
    for aid, pk, author in (
        Statement.objects.filter(alliance_id__in=alliance_ids, withdrawn_at__isnull=True)
        .values_list("alliance_id", "pk", "author_id")
        .iterator(chunk_size=20000)
    ):
        statements.setdefault(aid, []).append((pk, author))
        owner[pk] = aid
    for sid, ally, value in (
        Vote.objects.filter(statement__alliance_id__in=alliance_ids)
        .values_list("statement_id", "ally_id", "value")
        .iterator(chunk_size=50000)
    ):
        if sid in owner:
            votes.setdefault(owner[sid], {}).setdefault(sid, {})[ally] = value
    return facts, statements, votes


def time_classification(facts, statements, votes, aid, repeat=200):
    from alliance.consensus.common_ground import classify_all

    s, v, f = statements.get(aid, []), votes.get(aid, {}), facts.get(aid, {})
    runs = []
    for _ in range(repeat):
        t = time.perf_counter()
        classify_all(s, v, f)
        runs.append(time.perf_counter() - t)
    best = statistics.median(runs)
    n_votes = sum(len(x) for x in v.values())
    return {
        "statements": len(s),
        "allies": len(f),
        "votes": n_votes,
        "us_alliance": best * 1e6,
        "us_statement": best * 1e6 / max(1, len(s)),
    }


def measure_common_ground():
    from django.db.models import Count, Q

    from alliance.alliances.models import Alliance

    counts = list(
        Alliance.objects.annotate(
            n=Count("statements", filter=Q(statements__withdrawn_at__isnull=True))
        )
        .order_by("n", "pk")
        .values_list("pk", "n")
    )
    median_id = counts[len(counts) // 2][0]
    t = time.perf_counter()
    facts, statements, votes = in_memory([pk for pk, _n in counts])
    load = time.perf_counter() - t
    # the loaded data is long-lived: time the computation, not the collector walking it
    gc.collect()
    gc.freeze()
    try:
        return _classification_figures(facts, statements, votes, median_id, load)
    finally:
        gc.unfreeze()


def _classification_figures(facts, statements, votes, median_id, load):
    from alliance.consensus.common_ground import classify_all

    # the largest: most live statements × active allies
    largest = sorted(statements, key=lambda a: (len(statements[a]) * len(facts.get(a, {})), a))[
        -3:
    ][::-1]
    rows = [("largest", aid, time_classification(facts, statements, votes, aid)) for aid in largest]
    rows.append(("median", median_id, time_classification(facts, statements, votes, median_id)))
    t = time.perf_counter()
    n_statements = 0
    for aid, items in statements.items():
        classify_all(items, votes.get(aid, {}), facts.get(aid, {}))
        n_statements += len(items)
    whole = time.perf_counter() - t
    return {
        "rows": rows,
        "whole_s": whole,
        "whole_statements": n_statements,
        "whole_alliances": len(statements),
        "load_s": load,
        "largest_id": largest[0],
    }


def measure_page_of(alliance_id):
    from django.test import Client
    from django.urls import reverse

    from alliance.alliances.models import Ally

    viewer = (
        Ally.objects.filter(alliance_id=alliance_id, status=Ally.Status.ACTIVE, role="professional")
        .select_related("user")
        .first()
    )
    client = Client()
    sign_in(viewer.user, client)
    url = reverse("alliances:overview", args=[alliance_id])
    client.get(url)
    times, queries = [], set()
    for _ in range(20):
        with counting() as counter:
            t = time.perf_counter()
            response = client.get(url)
            times.append(ms(time.perf_counter() - t))
        assert response.status_code == 200
        queries.add(counter.count)
    return {"times": times, "queries": sorted(queries)}


def measure_home(user, repeat=20):
    from django.test import Client
    from django.urls import reverse

    from alliance.alliances.models import Ally

    client = Client()
    sign_in(user, client)
    client.get(reverse("home"))
    times, queries = [], set()
    for _ in range(repeat):
        with counting() as counter:
            t = time.perf_counter()
            response = client.get(reverse("home"))
            times.append(ms(time.perf_counter() - t))
        assert response.status_code == 200
        queries.add(counter.count)
    n = Ally.objects.filter(user=user).exclude(status=Ally.Status.REFUSED).count()
    return {"times": times, "queries": sorted(queries), "alliances": n}


def typical_users(busy):
    from django.db.models import Count

    from alliance.accounts.models import User

    pros = list(
        User.objects.filter(kind=User.Kind.PROFESSIONAL, is_org_admin=False)
        .exclude(pk=busy.pk)
        .annotate(n=Count("allies"))
        .order_by("n", "pk")
    )
    typical_pro = pros[len(pros) // 2]
    person = (
        User.objects.filter(
            kind=User.Kind.INDIVIDUAL, allies__role="person", allies__status="active"
        )
        .order_by("pk")
        .first()
    )
    return typical_pro, person


# ---------------------------------------------------------------- report


def fmt(value):
    return f"{value:.1f}" if value < 100 else f"{value:.0f}"


def report(args, db, gen, shape, pages, selector, cg, largest_page, homes, note, load):
    lines = []
    command = (
        f".venv/bin/python benchmarks/alliances_bench.py --alliances {args.alliances} --db {db}"
    )
    if args.sample != 200 or args.busy != 300 or args.seed != 1:
        command += f" --sample {args.sample} --busy {args.busy} --seed {args.seed}"
    lines += [
        f"### {'PostgreSQL' if db == 'postgres' else 'SQLite'}",
        "",
        f"Command: `{command}`  ",
        f"Machine: {note}.  ",
        f"Load average (1 min) when the measurements started / ended: {load[0]:.1f} / "
        f"{load[1]:.1f}"
        + (
            " — the machine was shared with other jobs (tests, browsers), "
            "so read the times as upper bounds."
            if max(load) > 1.5
            else "."
        ),
        "",
    ]
    t = gen["timings"]
    rows = sum(gen["bulk_rows"].values())
    lines += [
        f"**Generation**: {t['total']:.0f} s in all — {gen['checked']} alliances through the "
        f"use cases ({t['services']:.1f} s, {t['services'] / max(1, gen['checked']):.2f} s "
        f"each; written again in bulk from the same plans, they came out identical), the "
        f"rest with bulk_create ({t['bulk']:.0f} s for {rows:,} rows, "
        f"{rows / t['bulk']:,.0f} rows/s), then ANALYZE ({t['analyze']:.1f} s).",
        "",
        "| Data | |",
        "|---|---|",
    ]
    lines += [
        f"| {k} | {v:,} |" if isinstance(v, int) else f"| {k} | {v} |" for k, v in shape.items()
    ]
    lines += ["", "| Measure | median | p95 | max | SQL queries |", "|---|---:|---:|---:|---|"]
    med, high, top = summary(pages["times"])
    lines.append(
        f"| Alliance page (`alliances:overview`), {len(pages['times'])} random "
        f"alliances, signed in as a member — ms | {fmt(med)} | {fmt(high)} | "
        f"{fmt(top)} | {', '.join(map(str, pages['queries']))} per page |"
    )
    med, high, top = summary(largest_page["times"])
    lc = cg["rows"][0][2]
    lines.append(
        f"| Alliance page of the largest alliance ({lc['statements']} statements, "
        f"{lc['allies']} allies), 20 requests — ms | {fmt(med)} | {fmt(high)} | "
        f"{fmt(top)} | {', '.join(map(str, largest_page['queries']))} |"
    )
    med, high, top = summary(selector["times"])
    lines.append(
        f"| `selectors.alliance_overview` (database + classification), same sample "
        f"— ms | {fmt(med)} | {fmt(high)} | {fmt(top)} | "
        f"{', '.join(map(str, selector['queries']))} |"
    )
    for label, user_row in homes:
        med, high, top = summary(user_row["times"])
        lines.append(
            f"| Home page of {label} ({user_row['alliances']} alliances), 20 requests "
            f"— ms | {fmt(med)} | {fmt(high)} | {fmt(top)} | "
            f"{', '.join(map(str, user_row['queries']))} |"
        )
    lines += [
        "",
        "`common_ground.classify_all` alone, on in-memory data (median of 200 runs):",
        "",
        "| Alliance | live statements | active allies | votes | µs per alliance "
        "| µs per statement |",
        "|---|---:|---:|---:|---:|---:|",
    ]
    for label, aid, r in cg["rows"]:
        lines.append(
            f"| {label} (#{aid}) | {r['statements']} | {r['allies']} | {r['votes']} | "
            f"{r['us_alliance']:.0f} | {r['us_statement']:.1f} |"
        )
    lines.append(
        f"| every alliance, one pass | {cg['whole_statements']:,} | | | "
        f"{cg['whole_s'] * 1e6 / cg['whole_alliances']:.0f} (mean; "
        f"{cg['whole_s']:.2f} s in all) | "
        f"{cg['whole_s'] * 1e6 / cg['whole_statements']:.1f} |"
    )
    lines += [
        "",
        f"Page times are server-side (Django test Client: middleware, session, "
        f"gatekeeper, audit write, selector, template), without network or browser; "
        f"the median page is {pages['bytes'] / 1024:.0f} KiB of HTML.",
    ]
    return "\n".join(lines)


INTRO = """Made by `benchmarks/alliances_bench.py`: 10,000 synthetic alliances of the
shape of movement 1 (3–8 allies: the person, a representative or relatives, 1–3
professionals from 50 organisations, sometimes a peer; 5–60 statements each, most
allies voting on most of them; a charter for ~45%, signed for a part of them), written
with `bulk_create` after checking on a few plans that the bulk rows equal what the use
cases write (invitations by email answered by their invitee, approvals). Not
generated: the audit trail of those writes, the notifications and the invitations'
emails (no measured page reads them). Each run drops and recreates its own
database."""


def write_results(db, markdown):
    from benchmarks._results import write_section

    DATA.mkdir(exist_ok=True)
    (DATA / f"alliances_{db}.md").write_text(markdown)
    parts = [INTRO]
    for name in ("postgres", "sqlite"):
        path = DATA / f"alliances_{name}.md"
        if path.exists():
            parts.append(path.read_text())
    write_section(
        "alliances",
        "## Alliances: the alliance page and the common ground\n\n" + "\n\n".join(parts),
    )


# ---------------------------------------------------------------- main


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--alliances", type=int, default=10_000)
    parser.add_argument(
        "--db",
        choices=("sqlite", "postgres"),
        help="default: PostgreSQL if it answers, else SQLite",
    )
    parser.add_argument("--sample", type=int, default=200, help="alliance pages to time")
    parser.add_argument(
        "--busy",
        type=int,
        default=300,
        help="alliances of the busy professional whose home page is timed",
    )
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--keep", action="store_true", help="keep the database afterwards")
    parser.add_argument(
        "--no-results", action="store_true", help="print only, do not write benchmarks/RESULTS.md"
    )
    args = parser.parse_args()

    def log(message):
        print(message, flush=True)

    db = args.db or ("postgres" if postgres_reachable() else "sqlite")
    DATA.mkdir(exist_ok=True)
    if db == "postgres":
        recreate_postgres()
    else:
        remove_sqlite()
    log(f"Database: {db}")
    configure_django(db)
    from django.db import connection

    try:
        log(f"Generating {args.alliances:,} alliances…")
        gen = generate(args.alliances, args.busy, args.seed, log)
        shape = corpus_shape(db)
        for key, value in shape.items():
            log(f"  {key}: {value}")
        load = [os.getloadavg()[0]]
        sample = pick_sample(args.sample, args.seed)
        log("Alliance pages…")
        pages = measure_pages(sample)
        log("Selector…")
        selector = measure_selector(sample)
        log("Common ground in memory…")
        cg = measure_common_ground()
        log(f"  in-memory load of every alliance: {cg['load_s']:.1f} s")
        largest_page = measure_page_of(cg["largest_id"])
        log("Home pages…")
        typical_pro, person = typical_users(gen["busy"])
        homes = [
            ("the busy professional", measure_home(gen["busy"])),
            ("a median professional", measure_home(typical_pro)),
            ("a person", measure_home(person)),
        ]
        load.append(os.getloadavg()[0])
        markdown = report(
            args, db, gen, shape, pages, selector, cg, largest_page, homes, machine_note(db), load
        )
        print()
        print(markdown)
        if not args.no_results:
            write_results(db, markdown)
            log('\nWritten to benchmarks/RESULTS.md (section "alliances").')
    finally:
        connection.close()
        if not args.keep:
            if db == "postgres":
                recreate_postgres(drop_only=True)
            else:
                remove_sqlite()


if __name__ == "__main__":
    main()
