"""Live consultation results at scale: from a vote's commit to the page, and the full
computation against the rank-2 SVD floor.

On a synthetic consultation of ``consensus_synthetic.py`` (planted groups), in one
process, as a task worker would run it:

1. the full computation: ``VoteMatrix.from_votes`` + ``compute`` (as
   ``consensus_bench.py`` times it), then writing its model file (``save_base``),
   against the floor (sparse matrix, centring, ``scipy.sparse.linalg.svds`` rank 2,
   run by ``consensus_bench.py``'s child in a fresh process);
2. reading the model file back (what a worker does once per full computation);
3. the product's incremental path, end to end through Django on a database of its
   own (PostgreSQL ``alliance_live_bench``, or a SQLite file): a consultation
   with the same number of statements whose last full computation is the
   synthetic one (its snapshot row and its model file), then members cast votes
   through the vote use case; the time from the vote's commit to
   ``results_view`` (what the page reads) showing it. The task backend is the
   immediate one: the fold runs right after the commit, as a worker that is
   waiting for work runs it (a ``worker`` polls the queue every ``--interval``
   seconds when idle, which adds at most that);
4. the first fold of a fresh worker process (after a deploy or a restart, or a
   worker that never served this consultation): a child process that has imported
   the product but holds no model in memory casts one vote and reads the page, so
   its fold opens the model file.

    .venv/bin/python benchmarks/live_results_bench.py --size 20000x500      # develop
    .venv/bin/python benchmarks/live_results_bench.py                       # 200,000 × 2,000
    .venv/bin/python benchmarks/live_results_bench.py --db sqlite           # no PostgreSQL

Writes its section (``live_results``) of benchmarks/RESULTS.md unless --no-write.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
DATA = HERE / ".data"
FAKE_USERS = 10**9  # participant ids of the synthetic voters: no account has them
PG_NAME = os.environ.get("ALLIANCE_LIVE_BENCH_PG_NAME", "alliance_live_bench")
PG = {
    "user": os.environ.get("ALLIANCE_PG_USER", "alliance"),
    "host": os.environ.get("ALLIANCE_PG_HOST", "127.0.0.1"),
    "port": os.environ.get("ALLIANCE_PG_PORT", "5432"),
}
SQLITE = DATA / "live_results.sqlite3"


def reset_database(db: str) -> None:
    if db == "postgres":
        import psycopg

        with psycopg.connect(dbname="postgres", autocommit=True, **PG) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{PG_NAME}" WITH (FORCE)')
            conn.execute(f'CREATE DATABASE "{PG_NAME}"')
    else:
        for suffix in ("", "-wal", "-shm"):
            Path(str(SQLITE) + suffix).unlink(missing_ok=True)


def configure_django(db: str) -> None:
    os.environ["ALLIANCE_BENCH_DB"] = db
    os.environ["ALLIANCE_BENCH_PG_NAME"] = PG_NAME
    os.environ["ALLIANCE_BENCH_SQLITE"] = str(SQLITE)
    os.environ["ALLIANCE_OPINION_MODEL_DIR"] = str(DATA / "opinion-models")
    os.environ["DJANGO_SETTINGS_MODULE"] = "benchmarks.alliances_settings"
    import django

    django.setup()


def floor_seconds(path: Path) -> float:
    out = subprocess.run(
        [sys.executable, str(HERE / "consensus_bench.py"), "--child", "floor", str(path)],
        check=True,
        capture_output=True,
        text=True,
        cwd=ROOT,
    )
    return json.loads(out.stdout.strip().splitlines()[-1])["seconds"]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--size", default="200000x2000")
    parser.add_argument("--votes", type=int, default=20, help="members who vote, one by one")
    parser.add_argument("--db", choices=("postgres", "sqlite"), default="postgres")
    parser.add_argument("--no-write", action="store_true", help="do not touch RESULTS.md")
    parser.add_argument("--child-first-fold", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    sys.path.insert(0, str(ROOT))
    if args.child_first_fold:
        return child_first_fold(args.db, json.loads(args.child_first_fold))
    n, m = (int(x) for x in args.size.split("x"))
    command = " ".join(["benchmarks/live_results_bench.py", *(argv or sys.argv[1:])])

    import numpy as np

    from benchmarks.consensus_synthetic import cached, load

    path = cached(DATA, n, m)
    print(f"== {n:,} × {m:,}: floor", flush=True)
    floor = floor_seconds(path)
    print(f"   floor {floor:.2f} s", flush=True)

    reset_database(args.db)
    configure_django(args.db)
    from django.conf import settings
    from django.core.management import call_command
    from django.db import transaction
    from django.utils import timezone

    from alliance.charts.opinion_map import FIRST_GRID
    from alliance.collectives import results, services
    from alliance.collectives.models import ConsultationStatement, OpinionSnapshot
    from alliance.consensus import live
    from alliance.consensus.opinion_groups import VoteMatrix, compute
    from alliance.consensus.publication import snapshot_data
    from tests.factories import UserFactory

    call_command("migrate", verbosity=0)
    creator = UserFactory(professional=True, display_name="Animatrice")
    collective = services.create_collective(creator=creator, name="Grand débat", kind="other")
    facilitator = collective.members.get()
    consultation = services.create_consultation(
        by=facilitator,
        question="Que faire ?",
        seed_statements=[f"Proposition {j}" for j in range(m)],
    )
    consultation = services.open_consultation(
        by=facilitator, consultation=consultation, expected_version=consultation.version
    )
    statement_ids = list(
        consultation.statements.filter(status=ConsultationStatement.Status.ACCEPTED)
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    assert len(statement_ids) == m

    print("   full computation", flush=True)
    d = load(path)
    started = timezone.now()
    t = time.perf_counter()
    matrix = VoteMatrix.from_votes(d.pop("rows"), d.pop("cols"), d.pop("votes"), shape=(n, m))
    result = compute(matrix)
    compute_s = time.perf_counter() - t
    participants = [FAKE_USERS + i for i in range(n)]
    snapshot = OpinionSnapshot.objects.create(consultation=consultation)
    model_file = results.model_path(consultation.pk, snapshot.pk)
    t = time.perf_counter()
    state = live.save_base(result, participants, statement_ids, model_file)
    save_s = time.perf_counter() - t
    size_mb = model_file.stat().st_size / 1e6
    pids = [results.pseudonym(consultation.pk, u) for u in participants]
    data, places = results.split_places(snapshot_data(result, matrix, pids, statement_ids))
    # binned as the chart bins it (vectorised: the chart's loop takes seconds here)
    points = live.map_points(state, max_points=results.MAP_POINTS, first_grid=FIRST_GRID)
    data["summary"]["map"] = [list(p) for p in points]
    data["moderated_out"] = []
    t = time.perf_counter()
    with transaction.atomic():  # as run_snapshot stores it
        results.insert_places(snapshot.pk, places)
        OpinionSnapshot.objects.filter(pk=snapshot.pk).update(
            status=OpinionSnapshot.Status.DONE,
            started_at=started,
            finished_at=timezone.now(),
            votes_counted=matrix.n_votes,
            result=data,
        )
    places_s = time.perf_counter() - t
    result_mb = len(json.dumps(data)) / 1e6
    del data, matrix, result, points, places, state
    t = time.perf_counter()
    live.load_base(model_file)
    load_s = time.perf_counter() - t

    print("   votes", flush=True)
    rng = np.random.default_rng(7)
    latencies, folds, pages, first = [], [], [], None
    for i in range(args.votes + 1):
        seconds, fold_seconds = vote_to_page(
            facilitator, consultation, statement_ids, rng, i, n_votes_expected(snapshot, i)
        )
        if first is None:
            first = seconds  # this worker reads the model file first
        else:
            latencies.append(seconds)
            folds.append(fold_seconds)
            pages.append(seconds - fold_seconds)
    print("   first fold in a fresh process", flush=True)
    fresh, fresh_fold = first_fold_in_fresh_process(
        args.db,
        consultation=consultation.pk,
        facilitator=facilitator.pk,
        index=args.votes + 1,
        expected=n_votes_expected(snapshot, args.votes + 1),
    )
    load = ", ".join(f"{x:.1f}" for x in os.getloadavg())
    median, worst = statistics.median(latencies), max(latencies)
    fold_s, page_s = statistics.median(folds), statistics.median(pages)
    print(f"   first {first:.3f} s, then median {median:.3f} s, max {worst:.3f} s", flush=True)
    print(f"   of which fold {fold_s:.3f} s, page reads {page_s:.3f} s", flush=True)
    print(f"   fresh process: {fresh:.3f} s, of which fold {fresh_fold:.3f} s", flush=True)

    text = (
        "Synthetic consultation (`consensus_synthetic.py`: planted groups 50/30/20 %), "
        "one process on this 2-core machine shared with other work. Full computation: "
        "`from_votes` + `compute` as in the `consensus` section, plus writing the model "
        "file the folds read and every participant's place (`OpinionPlace`, one row "
        "each, in the transaction that stores the result); floor: sparse matrix, "
        "centring and rank-2 `svds` in a fresh process. Vote → page: a member casts 10 "
        f"votes through the vote use case ({DB_LABEL[args.db]}, immediate task backend); from the "
        "commit to `results_view` showing them (the fold: reading the new votes, "
        "`update`, the summary and the map, writing the live row and the voter's "
        "place; then the page's reads: the summary of the stored result, whose size "
        "does not grow with the participants, and the viewer's place, one indexed "
        "row). Fresh process: the same for one vote in a child process that imported "
        "the product but holds no model in memory (a worker after a deploy or a "
        "restart); the model file is in the OS page cache, as it is on a host that "
        "wrote or read it lately. A `worker` waiting for work adds its polling "
        "interval (`--interval`, 1 s by default; see docs/consensus.md)."
        f"\n\n`{command}`"
        "\n\n"
        "| size | votes | full computation s | model file write s | places write s | "
        "floor s | full / floor | stored result MB | model file MB | model load s | "
        "vote → page, first fold s | vote → page, median s | of which fold s | "
        "of which page reads s | vote → page, max s | fresh process: vote → page s | "
        "of which fold s |\n"
        "|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|\n"
        f"| {n:,} × {m:,} | {snapshot_votes(snapshot):,} | {compute_s:.2f} | {save_s:.2f} | "
        f"{places_s:.2f} | {floor:.2f} | {(compute_s + save_s + places_s) / floor:.2f}× | "
        f"{result_mb:.2f} | {size_mb:.0f} | {load_s:.2f} | "
        f"{first:.3f} | {median:.3f} | {fold_s:.3f} | {page_s:.3f} | {worst:.3f} | "
        f"{fresh:.3f} | {fresh_fold:.3f} |\n"
        "\n"
        f"Load average at the end of the run: {load} on {os.cpu_count()} cores (the "
        "floor is the yardstick of how busy the machine was: compare it with the "
        "`consensus` section's)."
    )
    print(text)
    print(f"model dir: {settings.ALLIANCE_OPINION_MODEL_DIR}")
    if not args.no_write:
        from benchmarks._results import write_section

        write_section("live_results", text)
    return 0


def vote_to_page(facilitator, consultation, statement_ids, rng, i, expected) -> tuple:
    """A new member casts 10 votes; seconds from their commit to the page showing
    them, and of those the fold's (run by the commit's callbacks)."""
    from django.db import transaction

    from alliance.collectives import results, services

    member = services.add_member(by=facilitator, display_name=f"Votant {i}")
    chosen = rng.choice(statement_ids, size=10, replace=False)
    values = {int(s): int(v) for s, v in zip(chosen, rng.integers(-1, 2, 10), strict=True)}
    committed = []
    with transaction.atomic():
        # registered first: runs at the commit, before the fold is asked for
        transaction.on_commit(lambda stamps=committed: stamps.append(time.perf_counter()))
        services.cast_votes(member=member, consultation=consultation, values=values)
    folded = time.perf_counter()  # the commit's callbacks ran the fold
    view = results.results_view(consultation, member)
    seconds = time.perf_counter() - committed[0]
    assert view.incremental and view.you is not None, "the vote is not on the page"
    assert view.votes_shown == expected, (view.votes_shown, expected)
    return seconds, folded - committed[0]


def first_fold_in_fresh_process(db: str, **job) -> tuple[float, float]:
    out = subprocess.run(
        [sys.executable, __file__, "--db", db, "--child-first-fold", json.dumps(job)],
        check=True,
        capture_output=True,
        text=True,
        cwd=ROOT,
    )
    seconds = json.loads(out.stdout.strip().splitlines()[-1])
    return seconds["page"], seconds["fold"]


def child_first_fold(db: str, job: dict) -> int:
    import numpy as np

    configure_django(db)
    from alliance.collectives import results
    from alliance.collectives.models import CollectiveMember, Consultation, ConsultationStatement

    consultation = Consultation.objects.get(pk=job["consultation"])
    facilitator = CollectiveMember.objects.get(pk=job["facilitator"])
    statement_ids = list(
        consultation.statements.filter(status=ConsultationStatement.Status.ACCEPTED)
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    assert not results._LIVE
    page, fold = vote_to_page(
        facilitator,
        consultation,
        statement_ids,
        np.random.default_rng(job["index"]),
        job["index"],
        job["expected"],
    )
    print(json.dumps({"page": page, "fold": fold}))
    return 0


DB_LABEL = {"postgres": "PostgreSQL", "sqlite": "SQLite"}


def snapshot_votes(snapshot) -> int:
    from alliance.collectives.models import OpinionSnapshot

    return OpinionSnapshot.objects.get(pk=snapshot.pk).votes_counted


def n_votes_expected(snapshot, i: int) -> int:
    return snapshot_votes(snapshot) + 10 * (i + 1)


if __name__ == "__main__":
    sys.exit(main())
