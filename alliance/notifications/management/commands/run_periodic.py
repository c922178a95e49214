"""`alliance run_periodic <job>`: runs one periodic job now, in this process; for a
platform's cron (Scalingo's cron.json) instead of `alliance scheduler`."""

from django.core.management.base import BaseCommand

from alliance.notifications import periodic
from alliance.notifications.schedule import JOBS


class Command(BaseCommand):
    help = "Run one periodic job now: " + ", ".join(JOBS) + "."

    def add_arguments(self, parser):
        parser.add_argument("job", choices=sorted(JOBS))

    def handle(self, *args, job, **options):
        self.stdout.write(periodic.run_job(job))
