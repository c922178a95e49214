"""The professional's caseload page (issue 12) with 300 and 3,000 alliances.

    .venv/bin/python benchmarks/caseload.py [--sizes 300 3000] [--db sqlite|postgres]

Builds, in bulk, a professional in N small alliances (a person in each, a review
date in every third, a late action in every third, one closed in ten, trail
entries), then times the caseload page through Django's test Client: the first
page unfiltered, a search, and the late-actions filter sorted by last activity.
Prints the figures (server time, SQL statements) and writes the "caseload" section
of benchmarks/RESULTS.md. Runs on a test database of its own (SQLite in memory, or
PostgreSQL's test database named by ALLIANCE_PG_TEST_NAME).
"""

from __future__ import annotations

import argparse
import datetime
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

QUERIES = {
    "first page": {},
    "search": {"q": "personne 001"},
    "late, by activity": {"late": "on", "sort": "activity"},
}
RUNS = 5


def build(professional, n):
    from django.utils import timezone

    from alliance.accounts.models import User
    from alliance.acting.models import Action, ReviewPlan
    from alliance.alliances.models import Alliance, Ally, Role
    from alliance.audit.models import Action as Audit
    from alliance.audit.models import AuditEntry

    today = timezone.localdate()
    alliances = Alliance.objects.bulk_create(
        Alliance(
            title=f"Accompagnement {i:05d}",
            created_by=professional,
            organisation=professional.organisation,
            closed_at=timezone.now() if i % 10 == 9 else None,
        )
        for i in range(n)
    )
    people = [User(display_name=f"Personne {i:05d}") for i in range(n)]
    for user in people:
        user.set_unusable_password()
    people = User.objects.bulk_create(people)
    Ally.objects.bulk_create(
        [
            Ally(alliance=a, user=professional, role=Role.PROFESSIONAL, status=Ally.Status.ACTIVE)
            for a in alliances
        ]
        + [
            Ally(alliance=a, user=u, role=Role.PERSON, status=Ally.Status.ACTIVE)
            for a, u in zip(alliances, people, strict=True)
        ]
    )
    mine = dict(Ally.objects.filter(user=professional).values_list("alliance_id", "pk"))
    ReviewPlan.objects.bulk_create(
        ReviewPlan(alliance=a, next_review_on=today + datetime.timedelta(days=i % 90 - 45))
        for i, a in enumerate(alliances)
        if i % 3 == 0
    )
    Action.objects.bulk_create(
        Action(
            alliance=a,
            title="Appeler la MDPH",
            due_date=today - datetime.timedelta(days=3),
            domain_label="Vie sociale",
            created_by_id=mine[a.pk],
        )
        for i, a in enumerate(alliances)
        if i % 3 == 1
    )
    AuditEntry.objects.bulk_create(
        AuditEntry(
            actor=professional,
            actor_label=professional.display_name,
            action=action,
            alliance_id=a.pk,
            organisation_id=a.organisation_id,
        )
        for a in alliances
        for action in (Audit.STATEMENT_WRITTEN, Audit.ALLIANCE_VIEWED, Audit.VOTE_GIVEN)
    )


def measure(sizes):
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from django.urls import reverse
    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from alliance.accounts.models import Organisation, User

    rows = []
    for n in sizes:
        organisation = Organisation.objects.create(name=f"Service {n}")
        professional = User.objects.create_user(
            email=f"pro{n}@example.org",
            display_name=f"Professionnelle {n}",
            kind=User.Kind.PROFESSIONAL,
            organisation=organisation,
        )
        started = time.perf_counter()
        build(professional, n)
        built = time.perf_counter() - started
        client = Client()
        client.force_login(professional)
        # A professional's session is verified by a second factor (ADR 0011).
        device = TOTPDevice.objects.create(user=professional, name="bench", confirmed=True)
        session = client.session
        session[DEVICE_ID_SESSION_KEY] = device.persistent_id
        session.save()
        for label, params in QUERIES.items():
            times = []
            for _run in range(RUNS):
                with CaptureQueriesContext(connection) as queries:
                    started = time.perf_counter()
                    response = client.get(reverse("caseload:list"), params)
                    times.append(time.perf_counter() - started)
                assert response.status_code == 200, response.status_code
            rows.append((n, label, statistics.median(times) * 1000, len(queries), built))
    return rows


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[300, 3000])
    parser.add_argument("--db", choices=["sqlite", "postgres"], default="sqlite")
    args = parser.parse_args()
    os.environ["DJANGO_SETTINGS_MODULE"] = "alliance.settings.test"
    os.environ["ALLIANCE_TEST_DB"] = args.db
    os.environ.setdefault("ALLIANCE_PG_TEST_NAME", "caseload_bench")
    import django

    django.setup()
    from django.db import connection
    from django.test.utils import setup_test_environment

    from benchmarks._results import write_section

    setup_test_environment()
    name = connection.creation.create_test_db(verbosity=0)
    try:
        rows = measure(args.sizes)
    finally:
        connection.creation.destroy_test_db(name, verbosity=0)
    lines = [
        f"Caseload page (`/caseload/`, 25 a page) on {args.db}: median of {RUNS} requests "
        "through Django's test Client, server side only.",
        "",
        "| alliances | request | median (ms) | SQL statements |",
        "|---:|---|---:|---:|",
    ]
    for n, label, median, queries, _built in rows:
        lines.append(f"| {n:,} | {label} | {median:.0f} | {queries} |")
        print(f"{n:>6} alliances  {label:<18} {median:7.1f} ms  {queries} queries")
    lines += [
        "",
        "The number of statements is the same at every size: the rows are annotated in "
        "one query (person, next review, late actions, last activity), plus the count.",
    ]
    write_section(f"caseload-{args.db}", "\n".join(lines))


if __name__ == "__main__":
    main()
