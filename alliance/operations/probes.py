"""The measurements behind /readyz. Each returns a Verdict and never raises: a failed
measurement is a failed check, named in the answer."""

import time

from django.conf import settings
from django.core.cache import cache
from django.db import DEFAULT_DB_ALIAS, connections
from django.db.migrations.executor import MigrationExecutor
from django.db.models import Case, F, Min, When
from django.utils import timezone
from django_tasks_db.models import DBTaskResult, get_date_max

from .readiness import (
    WORKER_KEY,
    Verdict,
    migrations_verdict,
    queue_verdict,
    worker_verdict,
)

# Once every migration of this code is applied, it stays so until the next release,
# which restarts the processes: the migration graph is read once, not at every probe.
_migrations_applied = False


def database() -> Verdict:
    with connections[DEFAULT_DB_ALIAS].cursor() as cursor:
        cursor.execute("SELECT 1")
    return Verdict(True, "reachable")


def migrations() -> Verdict:
    global _migrations_applied
    if _migrations_applied:
        return Verdict(True, "all applied")
    executor = MigrationExecutor(connections[DEFAULT_DB_ALIAS])
    plan = executor.migration_plan(executor.loader.graph.leaf_nodes())
    verdict = migrations_verdict([f"{m.app_label}.{m.name}" for m, _backwards in plan])
    _migrations_applied = verdict.ok
    return verdict


def worker() -> Verdict:
    return worker_verdict(
        cache.get(WORKER_KEY), time.time(), settings.ALLIANCE_READYZ_WORKER_SECONDS
    )


def queue() -> Verdict:
    # A task enqueued without a date is ready since it was enqueued; otherwise since
    # its run_after.
    ready_since = Case(
        When(run_after=get_date_max(), then=F("enqueued_at")), default=F("run_after")
    )
    oldest = DBTaskResult.objects.ready().aggregate(oldest=Min(ready_since))["oldest"]
    age = None if oldest is None else (timezone.now() - oldest).total_seconds()
    return queue_verdict(age, settings.ALLIANCE_READYZ_QUEUE_SECONDS)


CHECKS = {"database": database, "migrations": migrations, "worker": worker, "queue": queue}


def run_checks() -> dict[str, Verdict]:
    verdicts = {}
    for name, check in CHECKS.items():
        try:
            verdicts[name] = check()
        except Exception as error:  # any failure is a failed check, named in the answer
            verdicts[name] = Verdict(False, f"{type(error).__name__}")
    return verdicts
