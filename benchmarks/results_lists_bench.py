"""A consultation's results page with long lists: server time and bytes of HTML of
the results page (standard and easy-read), its list pages, the poster and the PDF,
for a consultation of 2,000 statements (1,000 common ground, 1,000 divisive).

The lists come from a finished computation written as the worker writes it
(tests/collectives/factories.py `long_results`), on a SQLite file of the bench's
own; pages through Django's test Client, signed in as a member, median of
``--rounds`` requests after one warm-up.

    .venv/bin/python benchmarks/results_lists_bench.py [--statements 2000] [--rounds 5]
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
DATA = HERE / ".data"
SQLITE = DATA / "results_lists.sqlite3"


def configure_django() -> None:
    DATA.mkdir(exist_ok=True)
    for suffix in ("", "-wal", "-shm"):
        Path(str(SQLITE) + suffix).unlink(missing_ok=True)
    os.environ["ALLIANCE_BENCH_SQLITE"] = str(SQLITE)
    os.environ["DJANGO_SETTINGS_MODULE"] = "benchmarks.easy_read_settings"
    if str(ROOT) not in sys.path:
        sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def measure(client, url, rounds):
    client.get(url)
    times, size = [], 0
    for _ in range(rounds):
        start = time.perf_counter()
        response = client.get(url)
        times.append(time.perf_counter() - start)
        assert response.status_code == 200, (url, response.status_code)
        size = len(response.content)
    return statistics.median(times), size


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--statements", type=int, default=2000)
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()
    configure_django()
    from django.test import Client
    from django.urls import NoReverseMatch, reverse

    from alliance.www.reading import EASY, SESSION_KEY, STANDARD
    from tests.collectives.factories import long_results, make_circle

    half = args.statements // 2
    circle = make_circle(members=1, seeds=args.statements)
    long_results(circle, common=half, divisive=args.statements - half)
    ids = [circle.collective.pk, circle.consultation.pk]
    client = Client()
    client.force_login(circle.members[0].user)
    print(f"{args.statements} statements ({half} common ground), median of {args.rounds}")
    print("| page | reading | ms | HTML bytes |")
    print("|---|---|---|---|")
    for name in ("results:results", "results:common_ground", "results:divisive", "results:poster"):
        try:
            url = reverse(name, args=ids)
        except NoReverseMatch:
            continue
        for reading in ("standard", "easy"):
            session = client.session
            session[SESSION_KEY] = EASY if reading == "easy" else STANDARD
            session.save()
            seconds, size = measure(client, url, args.rounds)
            print(f"| `{name}` | {reading} | {seconds * 1000:.0f} | {size:,} |")
    seconds, size = measure(client, reverse("results:report_pdf", args=ids), 1)
    print(f"| `results:report_pdf` | — | {seconds * 1000:.0f} | {size:,} (PDF) |")


if __name__ == "__main__":
    main()
