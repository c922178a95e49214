"""Once a day: reminders that depend on the date (actions due tomorrow or late,
reviews due) and the daily digest emails. Safe to run more than once a day. The
scheduler runs the same job ("reminders"); this command stays for a manual run."""

from django.core.management.base import BaseCommand

from alliance.notifications.periodic import run_job


class Command(BaseCommand):
    help = "Notify actions due tomorrow or late and reviews due; send the daily digests."

    def handle(self, *args, **options):
        self.stdout.write(run_job("reminders"))
