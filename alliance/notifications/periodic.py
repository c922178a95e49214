"""Running the periodic jobs of `schedule.JOBS`: what each does, and the enqueuing
of those due, once per period even when two schedulers run (ADR 0015)."""

import io
import logging

from django.core.management import call_command, get_commands
from django.db import IntegrityError, transaction
from django.utils import timezone
from django_tasks import task

from .models import PeriodicRun
from .schedule import JOBS

logger = logging.getLogger("alliance.periodic")


def _command(name: str):
    """A management command that an app above notifications provides (the reminders
    of acting, the retention commands): run by name, its report kept, and reported
    as missing rather than crashing."""

    def run() -> str:
        if name not in get_commands():
            logger.error("Periodic job %s: command not installed", name)
            return f"{name}: not installed."
        out = io.StringIO()
        call_command(name, stdout=out)
        return out.getvalue().strip() or f"{name}: done."

    return run


def _requeue_stalled() -> str:
    from .outbox import requeue_stalled

    return f"{requeue_stalled()} stalled messages enqueued again."


RUNNERS = {
    "reminders": _command("notify_due"),
    "purge_expired": _command("purge_expired"),
    "apply_retention": _command("apply_retention"),
    "requeue_stalled": _requeue_stalled,
    "close_report_requests": _command("close_report_requests"),
}
assert RUNNERS.keys() == JOBS.keys()


def run_job(name: str) -> str:
    report = RUNNERS[name]()
    logger.info("Periodic job %s: %s", name, report)
    return report


def claim(name: str, now) -> bool:
    """Records that the current period of job `name` is taken; False when another
    scheduler (or a cron run) took it first. Call inside the transaction that
    enqueues or runs the job."""
    try:
        with transaction.atomic():
            PeriodicRun.objects.create(job=name, period=JOBS[name].period(now))
    except IntegrityError:
        return False
    return True


def enqueue_due(now=None) -> list[str]:
    """Enqueues every job whose current period has not been taken yet; returns their
    names. The row and the task commit together: a scheduler that loses the race for
    a period's row enqueues nothing."""

    now = now or timezone.now()
    enqueued = []
    for name in JOBS:
        with transaction.atomic():
            if claim(name, now):
                run_periodic_job.enqueue(name)
                enqueued.append(name)
    return enqueued


@task()
def run_periodic_job(name: str):
    return run_job(name)
