"""CPU per page, in process: what one request of each typical page costs the web
worker, measured with ``time.process_time()`` (CPU of this process only: neither the
PostgreSQL server's work nor the other jobs of a shared machine count), then profiled
with cProfile to name the top costs.

    .venv/bin/python benchmarks/pages_cpu.py [--requests 40] [--profile] [--no-write]

Production settings (benchmarks/loadtest_settings.py: DEBUG off, cached template
loader, HTTPS, PostgreSQL) on a fresh copy of the load test's database (3,000
alliances, benchmarks/loadtest_data.py), through Django's test Client, signed in as an
active ally with a verified second factor. Each page is requested on a sample of
alliances, after a warm-up (templates compiled, catalogues loaded, connection open).
Writes the "pages_cpu" section of benchmarks/RESULTS.md unless --no-write.
"""

from __future__ import annotations

import argparse
import cProfile
import gc
import io
import os
import pstats
import random
import resource
import statistics
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(ROOT))
TARGET_MS = 15.0


def load_average():
    try:
        return os.getloadavg()[0]
    except OSError:
        return float("nan")


def sample(n, seed):
    """`n` alliances, each with an active professional ally (their pages are the
    heaviest: second factor, every section), and journals where there are some."""
    from alliance.acting.models import JournalEntry
    from alliance.alliances.models import Ally, Role

    rng = random.Random(seed)
    journaled = set(JournalEntry.objects.values_list("alliance_id", flat=True))
    pros = list(
        Ally.objects.filter(status=Ally.Status.ACTIVE, role=Role.PROFESSIONAL)
        .select_related("user")
        .order_by("pk")
    )
    rng.shuffle(pros)
    by_alliance = {}
    for ally in pros:
        by_alliance.setdefault(ally.alliance_id, ally)
    chosen = list(by_alliance.values())[:n]
    with_journal = [a for a in by_alliance.values() if a.alliance_id in journaled][:n]
    return chosen, with_journal


def pages(chosen, with_journal):
    """(name, [(user, method, url, data, headers)]) for each measured page."""
    from django.urls import reverse

    from alliance.alliances.models import Statement
    from alliance.collectives.models import CollectiveMember

    def get(ally, name):
        return (ally.user, "get", reverse(name, args=[ally.alliance_id]), None, {})

    votes = []
    for ally in chosen:
        statement = (
            Statement.objects.filter(alliance_id=ally.alliance_id, withdrawn_at__isnull=True)
            .exclude(author=ally)
            .order_by("pk")
            .first()
        )
        if statement is not None:
            url = reverse("alliances:vote", args=[ally.alliance_id, statement.pk])
            votes.append((ally.user, "post", url, None, {"HTTP_HX_REQUEST": "true"}))
    members = list(
        CollectiveMember.objects.filter(status=CollectiveMember.Status.ACTIVE)
        .select_related("user")
        .order_by("pk")
    )
    return [
        ("home", [(a.user, "get", reverse("home"), None, {}) for a in chosen]),
        ("overview", [get(a, "alliances:overview") for a in chosen]),
        ("charter", [get(a, "alliances:charter") for a in chosen]),
        ("vote (htmx)", votes),
        ("journal", [get(a, "acting:journal") for a in with_journal]),
        ("weather", [get(a, "acting:weather") for a in chosen]),
        (
            "collective",
            [
                (m.user, "get", reverse("collectives:detail", args=[m.collective_id]), None, {})
                for m in members[: len(chosen)]
            ],
        ),
    ]


class Runner:
    """One signed-in client per user, kept across pages (as a browser keeps its
    session); votes alternate their value so that each one changes something."""

    VALUES = ("agree", "disagree", "unsure", "pass")

    def __init__(self):
        from benchmarks.loadtest_data import sign_in

        self.sign_in = sign_in
        self.clients = {}
        self.turn = 0

    def request(self, user, method, url, data, headers):
        client = self.clients.get(user.pk)
        if client is None:
            client = self.clients[user.pk] = self.sign_in(user)
        if method == "post":
            self.turn += 1
            data = {"value": self.VALUES[self.turn % 4]}
            response = client.post(url, data, secure=True, **headers)
        else:
            response = client.get(url, secure=True, **headers)
        if response.status_code != 200:
            raise SystemExit(f"{method.upper()} {url} answered {response.status_code}")
        return response


def measure(runner, requests, rounds):
    # warm-up: every client signed in, templates compiled
    for request in requests[:3]:
        runner.request(*request)
    for request in requests:
        if request[0].pk not in runner.clients:
            runner.request(*request)
    gc.collect()
    cpu, sizes, faults = [], [], []
    for _ in range(rounds):
        for request in requests:
            # Page faults show what cProfile cannot: CPython 3.11 mapping and unmapping
            # frame chunks (alliance/upkeep/stack.py); a few per request is normal.
            faulted = resource.getrusage(resource.RUSAGE_SELF).ru_minflt
            start = time.process_time()
            response = runner.request(*request)
            cpu.append((time.process_time() - start) * 1000)
            faults.append(resource.getrusage(resource.RUSAGE_SELF).ru_minflt - faulted)
            sizes.append(len(response.content))
    return {
        "cpu": cpu,
        "median": statistics.median(cpu),
        "mean": statistics.fmean(cpu),
        "p95": sorted(cpu)[int(0.95 * (len(cpu) - 1))],
        "kb": statistics.median(sizes) / 1024,
        "faults": statistics.median(faults),
    }


def profile(runner, requests, top=14):
    """The functions of the product below the middlewares by cumulative time, then
    every function by own time: where a page's CPU goes."""
    profiler = cProfile.Profile(time.process_time)  # CPU, not the waits on the database
    profiler.enable()
    for request in requests:
        runner.request(*request)
    profiler.disable()
    out = io.StringIO()
    stats = pstats.Stats(profiler, stream=out).strip_dirs()
    below_middlewares = r"^(?!middleware|base\.py|exception|deprecation)"
    stats.sort_stats("cumulative").print_stats(below_middlewares, 40)
    stats.sort_stats("tottime").print_stats(top)
    return "\n".join(
        line for line in out.getvalue().splitlines() if "(" in line or "ncalls" in line
    )


def quiet_logs():
    """Production writes one JSON access line per request on stdout: the lines are
    still formatted (their CPU counts, about 40 µs a request), but written to
    /dev/null, so that this script's output stays readable."""
    import logging

    for handler in logging.getLogger().handlers:
        if isinstance(handler, logging.StreamHandler):
            handler.setStream(open(os.devnull, "w"))  # noqa: SIM115 (open for the process)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--alliances", type=int, default=20, help="sample of alliances")
    parser.add_argument("--rounds", type=int, default=2, help="requests per alliance and page")
    parser.add_argument("--profile", action="store_true", help="print each page's top costs")
    parser.add_argument("--no-write", action="store_true")
    parser.add_argument("--only", help="one page, by name")
    parser.add_argument("--reuse-db", action="store_true", help="skip the fresh copy")
    args = parser.parse_args()

    from benchmarks import loadtest_data

    if not args.reuse_db:
        loadtest_data.ensure_database()
    loadtest_data.setup_django()
    loadtest_data.ensure_static()
    quiet_logs()
    from django.conf import settings

    loaders = settings.TEMPLATES[0]["OPTIONS"].get("loaders") or "default (cached)"
    load_before = load_average()
    chosen, with_journal = sample(args.alliances, seed=3)
    runner = Runner()
    results, profiles = [], {}
    for name, requests in pages(chosen, with_journal):
        if args.only and name != args.only:
            continue
        figures = measure(runner, requests, args.rounds)
        results.append((name, len(figures["cpu"]), figures))
        print(
            f"{name:<14} {figures['median']:7.1f} ms CPU median, {figures['mean']:7.1f} mean, "
            f"{figures['p95']:7.1f} p95, {figures['kb']:6.1f} KB, "
            f"{figures['faults']:5.0f} page faults  ({len(figures['cpu'])} requests)",
            flush=True,
        )
        if args.profile:
            profiles[name] = profile(runner, requests)
            print(profiles[name], flush=True)
    load_after = load_average()
    if args.no_write or args.only:
        return
    rows = "\n".join(
        f"| {name} | {n} | {f['median']:.1f} | {f['mean']:.1f} | {f['p95']:.1f} | {f['kb']:.1f} | "
        f"{'yes' if f['median'] <= TARGET_MS else 'no'} |"
        for name, n, f in results
    )
    from benchmarks._results import write_section

    write_section(
        "pages_cpu",
        "## CPU per page\n\n"
        "Made by `benchmarks/pages_cpu.py` (in process, Django test Client, production "
        "settings on PostgreSQL, 3,000 alliances, signed in as an active professional "
        f"with a verified second factor; template loaders: {loaders}). CPU of the web "
        "process only (`time.process_time()`), so the figures hold on a shared machine; "
        f"load average {load_before:.1f} before, {load_after:.1f} after.\n\n"
        f"Command: `.venv/bin/python benchmarks/pages_cpu.py --alliances {args.alliances} "
        f"--rounds {args.rounds}`\n\n"
        "| Page | requests | CPU ms median | mean | p95 | KB | ≤ 15 ms |\n"
        "|---|---:|---:|---:|---:|---:|---|\n" + rows,
    )


if __name__ == "__main__":
    main()
