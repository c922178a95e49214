"""PostgreSQL: the application connects as a role that owns nothing, so that even a
bug or an injection in the application cannot empty the trail (TRUNCATE), switch off
its trigger (ALTER TABLE … DISABLE TRIGGER), drop it, or change a row. The owner role
runs the migrations, then grants the application role what it needs: reading and
writing every table, but only reading and adding to the audit trail (and nothing on
its monthly partitions, reached through it). The grants are
applied again after every `migrate` (see apps.py) and, through default privileges,
cover the tables the owner creates later."""

from django.db import connections

AUDIT_TABLE = "audit_auditentry"
PSEUDONYM_TABLE = "audit_auditpseudonym"


def role_exists(connection, role) -> bool:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_roles WHERE rolname = %s", [role])
        return cursor.fetchone() is not None


def grant_app_role(role, *, using="default"):
    """Gives `role` the application's rights on every table and sequence of the
    schema, with only SELECT and INSERT on the audit trail. Run as the owner of the
    tables; running it again changes nothing."""
    connection = connections[using]
    if connection.vendor != "postgresql":
        raise ValueError("Roles exist on PostgreSQL only.")
    with connection.cursor() as cursor:
        cursor.execute("SELECT current_user, current_schema()")
        owner, schema = cursor.fetchone()
        if role == owner:
            raise ValueError(f"The application role must not be the owner of the tables ({owner}).")
        quote = connection.ops.quote_name
        role, schema = quote(role), quote(schema)
        for statement in (
            f"GRANT USAGE ON SCHEMA {schema} TO {role}",
            f"GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA {schema} TO {role}",
            f"GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA {schema} TO {role}",
            f"REVOKE UPDATE, DELETE, TRUNCATE, REFERENCES, TRIGGER ON {quote(AUDIT_TABLE)} "
            f"FROM {role}",
            # The pseudonyms the trail trusts (ADR 0033): added, never changed.
            f"REVOKE UPDATE, DELETE, TRUNCATE, REFERENCES, TRIGGER ON {quote(PSEUDONYM_TABLE)} "
            f"FROM {role}",
            # Tables and sequences the owner creates later, in later migrations.
            f"ALTER DEFAULT PRIVILEGES IN SCHEMA {schema} "
            f"GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO {role}",
            f"ALTER DEFAULT PRIVILEGES IN SCHEMA {schema} "
            f"GRANT USAGE, SELECT ON SEQUENCES TO {role}",
        ):
            cursor.execute(statement)
        # The monthly partitions of the trail on PostgreSQL (migration 0007): the role
        # reaches them through the trail only, whose rights are checked alone; on a
        # partition itself it gets nothing, or UPDATE would be one query away.
        cursor.execute(
            "SELECT inhrelid::regclass::text FROM pg_inherits WHERE inhparent = %s::regclass",
            [AUDIT_TABLE],
        )
        for (partition,) in cursor.fetchall():
            cursor.execute(f"REVOKE ALL ON {partition} FROM {role}")
