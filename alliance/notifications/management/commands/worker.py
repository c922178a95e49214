"""`alliance worker`: django_tasks_db's `db_worker` (same options), plus the
heartbeat that /readyz reads (alliance.notifications.heartbeat)."""

from django_tasks_db.management.commands.db_worker import Command as DbWorkerCommand

from alliance.notifications import heartbeat


class Command(DbWorkerCommand):
    help = "Run the background task worker (emails, text messages, periodic jobs, reports)."

    def handle(self, *args, **options):
        stop = heartbeat.start()
        try:
            return super().handle(*args, **options)
        finally:
            stop.set()
