from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import DEFAULT_DB_ALIAS, connections

from alliance.audit.roles import grant_app_role, role_exists


class Command(BaseCommand):
    help = (
        "Grants the application's PostgreSQL role its rights on every table (only SELECT "
        "and INSERT on the audit trail). Run by the owner of the tables; `migrate` does it "
        "by itself when ALLIANCE_PG_APP_ROLE is set."
    )

    def add_arguments(self, parser):
        parser.add_argument("role", nargs="?", default=settings.ALLIANCE_PG_APP_ROLE)
        parser.add_argument("--database", default=DEFAULT_DB_ALIAS)

    def handle(self, *args, role, database, **options):
        connection = connections[database]
        if connection.vendor != "postgresql":
            raise CommandError("Roles exist on PostgreSQL only.")
        if not role:
            raise CommandError("Name the role, or set ALLIANCE_PG_APP_ROLE.")
        if not role_exists(connection, role):
            raise CommandError(f"The role {role} does not exist: see scripts/ensure_postgres.sh.")
        try:
            grant_app_role(role, using=database)
        except ValueError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(f"Granted {role} its rights on the tables.")
