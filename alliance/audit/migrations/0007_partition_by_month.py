"""PostgreSQL: the audit trail becomes a table partitioned by month of `at`, so that a
month past its retention is archived, then detached and dropped as a whole, never
deleted row by row (alliance/audit/partitions.py, ADR 0016). Nothing changes for the
ORM: same name, same columns, the same append-only trigger, now on every partition.

The primary key becomes (id, at), since a partitioned table's unique keys include the
partition key; ids still come from one sequence. The table's other indexes and its
foreign key are copied as they were. No-op on SQLite.

Backwards, nothing is undone: the earlier migrations' model is served as well by the
partitioned table."""



from django.db import migrations
from django.utils import timezone

from alliance.audit.partitions import DEFAULT_PARTITION, add_months, create_month, month_start

TABLE = "audit_auditentry"
OLD = "audit_auditentry_unpartitioned"
COLUMNS = (
    "id, at, actor_label, action, alliance_id, organisation_id, target_type, target_id, "
    "detail, actor_id"
)
APPEND_ONLY_TRIGGER = (
    "CREATE TRIGGER audit_entry_no_update_delete BEFORE UPDATE OR DELETE ON audit_auditentry "
    "FOR EACH ROW EXECUTE FUNCTION audit_entry_append_only()"
)


def forwards(apps, schema_editor):
    connection = schema_editor.connection
    if connection.vendor != "postgresql":
        return
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        cursor.execute(f"LOCK TABLE {TABLE} IN ACCESS EXCLUSIVE MODE")
        # What to rebuild on the new table: its indexes (but the primary key) and its
        # foreign keys, as PostgreSQL states them.
        cursor.execute(
            "SELECT indexdef FROM pg_indexes WHERE tablename = %s AND indexname <> %s",
            [TABLE, f"{TABLE}_pkey"],
        )
        indexes = [row[0] for row in cursor.fetchall()]
        cursor.execute(
            "SELECT conname, pg_get_constraintdef(oid) FROM pg_constraint "
            "WHERE conrelid = %s::regclass AND contype = 'f'",
            [TABLE],
        )
        foreign_keys = cursor.fetchall()
        cursor.execute(f"SELECT coalesce(max(id), 0) + 1, min(at) FROM {TABLE}")
        next_id, oldest = cursor.fetchone()

        cursor.execute(f"ALTER TABLE {TABLE} RENAME TO {OLD}")
        cursor.execute(f"ALTER INDEX {TABLE}_pkey RENAME TO {OLD}_pkey")
        # Frees the name of the identity's sequence for the new table's.
        cursor.execute(f"ALTER TABLE {OLD} ALTER COLUMN id DROP IDENTITY")
        cursor.execute(
            f"""
            CREATE TABLE {TABLE} (
                id bigint NOT NULL,
                at timestamp with time zone NOT NULL,
                actor_label varchar(200) NOT NULL,
                action varchar(40) NOT NULL,
                alliance_id bigint NULL,
                organisation_id bigint NULL,
                target_type varchar(40) NOT NULL,
                target_id bigint NULL,
                detail jsonb NOT NULL,
                actor_id bigint NULL,
                CONSTRAINT {TABLE}_pkey PRIMARY KEY (id, at)
            ) PARTITION BY RANGE (at)
            """
        )
        # An identity column cannot be partitioned before PostgreSQL 17: a sequence
        # owned by the column serves (Django finds it with pg_get_serial_sequence).
        cursor.execute(f"CREATE SEQUENCE {TABLE}_id_seq OWNED BY {TABLE}.id START {next_id}")
        cursor.execute(
            f"ALTER TABLE {TABLE} ALTER COLUMN id SET DEFAULT nextval('{TABLE}_id_seq')"
        )
        cursor.execute(f"CREATE TABLE {DEFAULT_PARTITION} PARTITION OF {TABLE} DEFAULT")
        today = timezone.now().date()
        month = month_start(oldest.date()) if oldest else month_start(today)
        while month <= add_months(month_start(today), 3):
            create_month(cursor, quote, month)
            month = add_months(month, 1)
        cursor.execute(f"INSERT INTO {TABLE} ({COLUMNS}) SELECT {COLUMNS} FROM {OLD}")  # noqa: S608
        cursor.execute(f"DROP TABLE {OLD}")
        for definition in indexes:
            cursor.execute(definition.replace(f" ON public.{TABLE} ", f" ON {TABLE} "))
        for name, definition in foreign_keys:
            cursor.execute(f"ALTER TABLE {TABLE} ADD CONSTRAINT {quote(name)} {definition}")
        # On the partitioned table, PostgreSQL puts it on every partition, later ones too.
        cursor.execute(APPEND_ONLY_TRIGGER)


class Migration(migrations.Migration):
    dependencies = [("audit", "0006_sqlite_append_only_triggers")]
    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
