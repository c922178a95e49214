"""Once a day: reminders that depend on the date (actions due tomorrow or late,
reviews due) and the daily digest emails. Safe to run more than once a day. The
scheduler's "reminders" job runs this command by name (notifications sit below
acting and cannot import it)."""

from django.core.management.base import BaseCommand

from alliance.acting.reminders import send_reminders
from alliance.notifications.services import send_daily_digests


class Command(BaseCommand):
    help = "Notify actions due tomorrow or late and reviews due; send the daily digests."

    def handle(self, *args, **options):
        counts = send_reminders()
        digests = send_daily_digests()
        self.stdout.write(
            f"{counts['actions']} action and {counts['reviews']} review notifications, "
            f"{digests} daily digests."
        )
