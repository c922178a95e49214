"""`alliance scheduler`: enqueues each periodic job of alliance.notifications.schedule
when it falls due, then sleeps until the next one. Two schedulers may run (one per
machine): each period of a job is enqueued once."""

import logging
import time

from django.core.management.base import BaseCommand
from django.db import DatabaseError, close_old_connections
from django.utils import timezone

from alliance.notifications import periodic, schedule

logger = logging.getLogger("alliance.periodic")

# Wakes at least this often, so that a changed clock is caught up soon.
MAX_SLEEP_SECONDS = 60


class Command(BaseCommand):
    help = "Enqueue the periodic jobs (reminders, digests, retention) at their times."

    def add_arguments(self, parser):
        parser.add_argument(
            "--once", action="store_true", help="Enqueue what is due now, then exit."
        )

    def handle(self, *args, once=False, **options):
        while True:
            now = timezone.now()
            try:
                for name in periodic.enqueue_due(now):
                    self.stdout.write(f"{now:%Y-%m-%d %H:%M:%S} enqueued {name}")
            except DatabaseError:
                if once:
                    raise
                # The database is away for a moment: the next wake catches up.
                logger.exception("Scheduler could not enqueue the due jobs")
            self.stdout.flush()  # a long-running process: its log shows at once
            if once:
                return
            wait = (schedule.next_wake(now) - timezone.now()).total_seconds()
            time.sleep(min(max(wait, 1), MAX_SLEEP_SECONDS))
            close_old_connections()  # a connection dropped while asleep is reopened
