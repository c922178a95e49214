"""On SQLite, as on PostgreSQL (0002), the database itself refuses UPDATE and DELETE
of the audit table: the ORM's escape hatches (an upsert through
`bulk_create(update_conflicts=True)`, `QuerySet._raw_delete`, raw SQL) all end in an
UPDATE or a DELETE statement, which these triggers abort. SQLite has no roles, so a
connection may still drop a trigger: that needs deliberate DDL, never a query."""

from django.db import migrations

CREATE = [
    f"""
    CREATE TRIGGER audit_entry_no_{operation.lower()}
    BEFORE {operation} ON audit_auditentry
    BEGIN
        SELECT RAISE(ABORT, 'the audit trail is append-only ({operation} refused)');
    END
    """
    for operation in ("UPDATE", "DELETE")
]

DROP = [
    "DROP TRIGGER IF EXISTS audit_entry_no_update",
    "DROP TRIGGER IF EXISTS audit_entry_no_delete",
]


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor == "sqlite":
        for statement in CREATE:
            schema_editor.execute(statement, params=None)


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor == "sqlite":
        for statement in DROP:
            schema_editor.execute(statement, params=None)


class Migration(migrations.Migration):
    dependencies = [("audit", "0005_action_without_choices")]
    operations = [migrations.RunPython(forwards, backwards)]
