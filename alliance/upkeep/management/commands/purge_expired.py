from django.core.management.base import BaseCommand

from alliance.upkeep.retention import purge_expired


class Command(BaseCommand):
    help = (
        "Deletes what is past its retention period: expired sessions, old task results, "
        "old read notifications, spent sign-in codes, activation letters and devices, "
        "expired cache rows. Safe to run again; the scheduler runs it daily."
    )

    def handle(self, *args, **options):
        counts = purge_expired()
        for kind, count in counts.items():
            self.stdout.write(f"{kind}: {count}")
