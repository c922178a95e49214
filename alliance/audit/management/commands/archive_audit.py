from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from alliance.audit.archive import ArchiveError, archive_audit


class Command(BaseCommand):
    help = (
        "PostgreSQL: creates the audit trail's partitions of the coming months, then "
        "writes each month past ALLIANCE_AUDIT_RETENTION_MONTHS to a compressed JSON "
        "Lines archive with its SHA-256, checks it, and detaches and drops that month. "
        "Never deletes a row. Run as the owner of the tables."
    )

    def add_arguments(self, parser):
        parser.add_argument("--directory", type=Path, default=None)
        parser.add_argument("--retention-months", type=int, default=None)

    def handle(self, *args, directory, retention_months, **options):
        try:
            report = archive_audit(
                Path(directory or settings.ALLIANCE_AUDIT_ARCHIVE_DIR),
                retention_months=retention_months or settings.ALLIANCE_AUDIT_RETENTION_MONTHS,
            )
        except ArchiveError as error:
            raise CommandError(str(error)) from error
        for name in report.created:
            self.stdout.write(f"created {name}")
        for archived in report.archived:
            self.stdout.write(
                f"archived {archived.partition}: {archived.rows} rows to {archived.path} "
                f"(sha256 {archived.sha256})"
            )
        if report.stranded:
            self.stderr.write(
                f"{report.stranded} rows past the retention are in the default partition: "
                "see docs/operations.md"
            )
