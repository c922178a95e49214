"""`alliance run_periodic <job>`: runs one periodic job now, in this process; for a
platform's cron (Scalingo's cron.json) instead of `alliance scheduler`. It takes the
job's current period like the scheduler does, so a cron line beside a scheduler does
not run a job twice; `--force` runs it anyway (by hand)."""

from django.core.management.base import BaseCommand
from django.utils import timezone

from alliance.notifications import periodic
from alliance.notifications.schedule import JOBS


class Command(BaseCommand):
    help = "Run one periodic job now: " + ", ".join(JOBS) + "."

    def add_arguments(self, parser):
        parser.add_argument("job", choices=sorted(JOBS))
        parser.add_argument(
            "--force", action="store_true", help="Run even if this period already ran."
        )

    def handle(self, *args, job, force=False, **options):
        now = timezone.now()
        if not (periodic.claim(job, now) or force):
            self.stdout.write(f"{job}: already run for {JOBS[job].period(now)}.")
            return
        self.stdout.write(periodic.run_job(job))
