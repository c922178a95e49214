from django.core.management.base import BaseCommand

from alliance.privacy.retention import apply_retention, plan


class Command(BaseCommand):
    help = (
        "Applies the retention policy (ALLIANCE_RETENTION_POLICY): erases the closed "
        "alliances past their keep_until and pseudonymises the accounts whose erasure is "
        "due. With --dry-run, says what it would do and changes nothing. Daily."
    )

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help="Change nothing.")

    def handle(self, *args, dry_run=False, **options):
        if dry_run:
            planned = plan()
            for alliance in planned.alliances:
                self.stdout.write(
                    f"would erase alliance {alliance.pk} "
                    f"(closed {alliance.closed_at:%Y-%m-%d}, kept until {alliance.keep_until})"
                )
            for user in planned.accounts:
                self.stdout.write(f"would pseudonymise account {user.pk}")
            counts = planned.counts()
        else:
            counts = apply_retention()
        for kind, count in counts.items():
            self.stdout.write(f"{kind}: {count}")
