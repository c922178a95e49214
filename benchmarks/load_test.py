"""Load test: gunicorn with production settings on PostgreSQL, signed-in users
browsing and writing, at several numbers of users.

    .venv/bin/python benchmarks/load_test.py [--users 50,100,200] [--duration 120]

On a fresh copy of the 3,000-alliance database (benchmarks/loadtest_data.py;
generated once, then kept as a template), for each number of users in turn:

- gunicorn (production's deploy/gunicorn.conf.py with 4 sync workers, loopback only,
  benchmarks/loadtest_settings.py: the production settings) serves the product;
- locust (benchmarks/locustfile.py, headless, one process) runs that many users, each
  a signed-in ally of its own alliance browsing (home, overview, charter, journal,
  weather) and writing (htmx votes, journal entries) with 1–3 s between actions,
  ramped up at --spawn-rate users/s, then stops by itself after --duration seconds;
- every write the server acknowledged is looked up in the database: a journal entry
  by its unique words, a vote by the value of the last vote acknowledged for that
  ally and statement.

Prints requests/s, p50/p95/p99, errors and the check, and writes the "load_test"
section of benchmarks/RESULTS.md (with the load average: the machine may be shared).
A run takes about levels × (duration + 30 s), plus the generation the first time.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import signal
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(ROOT))
SETTINGS = "benchmarks.loadtest_settings"
BIN = Path(sys.executable).parent


def load_average():
    return "{:.1f} / {:.1f} / {:.1f}".format(*os.getloadavg())


def prepare_personas(count: int, path: Path):
    """Fresh database, then `count` signed-in allies written to `path`."""
    from benchmarks import loadtest_data

    loadtest_data.ensure_database()
    loadtest_data.setup_django()
    loadtest_data.ensure_static()
    from django.conf import settings
    from django.db import connections
    from django.middleware.csrf import CSRF_ALLOWED_CHARS, CSRF_SECRET_LENGTH
    from django.utils.crypto import get_random_string

    from alliance.accounts.models import User

    personas = loadtest_data.personas(count)
    users = User.objects.in_bulk([p["user"] for p in personas])
    for p in personas:
        client = loadtest_data.sign_in(users[p["user"]])
        p["session_cookie"] = settings.SESSION_COOKIE_NAME
        p["session"] = client.cookies[settings.SESSION_COOKIE_NAME].value
        p["csrf_cookie"] = settings.CSRF_COOKIE_NAME
        p["csrf"] = get_random_string(CSRF_SECRET_LENGTH, CSRF_ALLOWED_CHARS)
    path.write_text(json.dumps(personas))
    connections.close_all()
    return personas


def start_gunicorn(port: int, workers: int, log: Path):
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": SETTINGS, "PYTHONPATH": str(ROOT)}
    process = subprocess.Popen(
        [  # production's configuration, on loopback with the workers asked for
            str(BIN / "gunicorn"),
            "--config",
            str(ROOT / "deploy" / "gunicorn.conf.py"),
            "--workers",
            str(workers),
            "--bind",
            f"127.0.0.1:{port}",
            "--no-control-socket",
        ],
        cwd=ROOT,
        env=env,
        stdout=log.open("w"),
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            request = urllib.request.Request(
                f"http://127.0.0.1:{port}/sign-in/", headers={"X-Forwarded-Proto": "https"}
            )
            with urllib.request.urlopen(request, timeout=5) as response:  # noqa: S310 (http only)
                if response.status == 200:
                    return process
        except OSError:
            time.sleep(0.5)
        if process.poll() is not None:
            break
    stop(process)
    raise SystemExit(f"gunicorn did not answer; see {log}")


def server_cpu_seconds(master_pid: int) -> float:
    """User + system CPU of gunicorn's master and workers so far (Linux /proc): the
    server's own cost per request, whatever else the machine runs."""
    tick = os.sysconf("SC_CLK_TCK")
    total = 0
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            fields = Path(f"/proc/{entry}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(entry) == master_pid:  # with the workers it recycled (max_requests)
            total += sum(int(f) for f in fields[11:15])  # utime, stime, cutime, cstime
        elif int(fields[1]) == master_pid:  # fields[1]: ppid
            total += int(fields[11]) + int(fields[12])
    return total / tick


def stop(process):
    if process.poll() is None:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()


def run_locust(users, spawn_rate, duration, port, personas, acks, prefix):
    env = {
        **os.environ,
        "LOADTEST_PERSONAS": str(personas),
        "LOADTEST_ACKS": str(acks),
        "LOADTEST_RUN": f"u{users}-{int(time.time())}",
    }
    subprocess.run(
        [
            str(BIN / "locust"),
            "-f",
            str(HERE / "locustfile.py"),
            "--headless",
            "--users",
            str(users),
            "--spawn-rate",
            str(spawn_rate),
            "--run-time",
            f"{duration}s",
            "--stop-timeout",
            "10",
            "--host",
            f"http://127.0.0.1:{port}",
            "--csv",
            str(prefix),
            "--only-summary",
            "--loglevel",
            "WARNING",
        ],
        cwd=ROOT,
        env=env,
        timeout=duration + 120,
        check=False,
    )
    with open(f"{prefix}_stats.csv") as f:
        rows = {row["Name"]: row for row in csv.DictReader(f)}
    return rows


def check_writes(acks_path: Path):
    """Every acknowledged write, looked up in the database."""
    from benchmarks import loadtest_data

    loadtest_data.setup_django()
    from django.db import connections

    from alliance.acting.models import JournalEntry
    from alliance.alliances.models import Vote

    acks = json.loads(acks_path.read_text())
    markers = [m for _ally, m in acks["journal"]]
    entries = JournalEntry.objects.filter(happened__in=markers)
    found = set(entries.values_list("happened", flat=True))
    last = {}
    for ally, statement, value in acks["votes"]:
        last[ally, statement] = value
    stored = {
        (a, s): v
        for a, s, v in Vote.objects.filter(
            ally_id__in={a for a, _s in last}, statement_id__in={s for _a, s in last}
        ).values_list("ally_id", "statement_id", "value")
    }
    votes_ok = sum(1 for key, value in last.items() if stored.get(key) == value)
    connections.close_all()
    return {
        "journal_acked": len(markers),
        "journal_found": len(found & set(markers)),
        "votes_acked": len(acks["votes"]),
        "vote_pairs": len(last),
        "vote_pairs_ok": votes_ok,
    }


def fnum(value):
    return f"{float(value):.0f}" if value not in ("", "N/A") else "–"


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--users", default="50,100,200", help="comma-separated levels")
    parser.add_argument("--duration", type=int, default=120, help="seconds per level")
    parser.add_argument("--spawn-rate", type=float, default=20)
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--port", type=int, default=8765)
    parser.add_argument("--no-write", action="store_true")
    args = parser.parse_args()
    levels = [int(u) for u in args.users.split(",")]

    work = Path(tempfile.mkdtemp(prefix="alliance-loadtest-"))
    personas_path = work / "personas.json"
    print(f"Preparing {max(levels)} signed-in allies on a fresh database…", flush=True)
    prepare_personas(max(levels), personas_path)
    results = []
    for users in levels:
        acks = work / f"acks-{users}.json"
        load_before = load_average()
        gunicorn = start_gunicorn(args.port, args.workers, work / f"gunicorn-{users}.log")
        try:
            print(f"{users} users for {args.duration} s…", flush=True)
            cpu_before = server_cpu_seconds(gunicorn.pid)
            rows = run_locust(
                users,
                args.spawn_rate,
                args.duration,
                args.port,
                personas_path,
                acks,
                work / f"locust-{users}",
            )
            server_cpu = server_cpu_seconds(gunicorn.pid) - cpu_before
        finally:
            stop(gunicorn)
        check = check_writes(acks)
        total = rows["Aggregated"]
        result = {
            "users": users,
            "rps": float(total["Requests/s"]),
            "requests": int(total["Request Count"]),
            "errors": int(total["Failure Count"]),
            "p50": fnum(total["50%"]),
            "p95": fnum(total["95%"]),
            "p99": fnum(total["99%"]),
            "pages": {
                name: (fnum(row["50%"]), fnum(row["95%"]), int(row["Request Count"]))
                for name, row in rows.items()
                if name != "Aggregated"
            },
            "check": check,
            "cpu_ms": 1000 * server_cpu / max(1, int(total["Request Count"])),
            "load": f"{load_before} → {load_average()}",
        }
        results.append(result)
        lost = (check["journal_acked"] - check["journal_found"]) + (
            check["vote_pairs"] - check["vote_pairs_ok"]
        )
        print(
            f"  {result['rps']:.1f} req/s, {result['requests']} requests, "
            f"p50 {result['p50']} ms, p95 {result['p95']} ms, p99 {result['p99']} ms, "
            f"{result['errors']} errors, {result['cpu_ms']:.1f} ms server CPU per request; "
            f"acknowledged writes: {check['journal_acked']} "
            f"journal entries ({check['journal_found']} found), {check['votes_acked']} votes "
            f"({check['vote_pairs_ok']}/{check['vote_pairs']} final values found); "
            f"lost: {lost}; load {result['load']}",
            flush=True,
        )
    print(f"Logs and CSV under {work}")
    if not args.no_write:
        write_results(args, results)


def write_results(args, results):
    from benchmarks._results import write_section

    command = (
        f".venv/bin/python benchmarks/load_test.py --users {args.users} --duration {args.duration}"
    )
    lines = [
        "## Load test: gunicorn, production settings, PostgreSQL",
        "",
        "Made by `benchmarks/load_test.py` (locust, headless, loopback): gunicorn with "
        f"production's deploy/gunicorn.conf.py and {args.workers} sync workers, the production "
        "settings "
        "(benchmarks/loadtest_settings.py) on PostgreSQL, 3,000 generated alliances; each "
        "user is a signed-in ally of its own alliance (professionals with a verified second "
        "factor, persons, relatives) browsing home, overview, charter, journal and weather "
        "and writing htmx votes and journal entries, 1–3 s between actions; ramp-up "
        f"{args.spawn_rate:g} users/s, {args.duration} s per level. Locust runs on the same "
        "two cores as gunicorn and PostgreSQL. Server CPU per request: user + system CPU of "
        "gunicorn's processes during the level, divided by the requests (what the web tier "
        "costs, whatever else runs on the machine).",
        "",
        f"Command: `{command}`",
        "",
        "| users | req/s | requests | p50 ms | p95 ms | p99 ms | errors | server CPU ms per "
        "request | acknowledged writes found in the database | load average before → after |",
        "|---:|---:|---:|---:|---:|---:|---:|---:|---|---|",
    ]
    for r in results:
        c = r["check"]
        lines.append(
            f"| {r['users']} | {r['rps']:.1f} | {r['requests']} | {r['p50']} | {r['p95']} | "
            f"{r['p99']} | {r['errors']} | {r['cpu_ms']:.1f} | "
            f"journal {c['journal_found']}/{c['journal_acked']}, "
            f"votes {c['vote_pairs_ok']}/{c['vote_pairs']} (final value of each ally and "
            f"statement, {c['votes_acked']} votes) | {r['load']} |"
        )
    lines += ["", "p50 / p95 ms (requests) per page:", ""]
    names = sorted({n for r in results for n in r["pages"]})
    lines.append("| page | " + " | ".join(f"{r['users']} users" for r in results) + " |")
    lines.append("|---|" + "---|" * len(results))
    for name in names:
        cells = [
            "{} / {} ({})".format(*r["pages"][name]) if name in r["pages"] else "–" for r in results
        ]
        lines.append(f"| {name} | " + " | ".join(cells) + " |")
    write_section("load_test", "\n".join(lines))


if __name__ == "__main__":
    main()
