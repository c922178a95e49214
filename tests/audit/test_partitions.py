"""PostgreSQL: the trail is partitioned by month (audit 0007). The guarantees of ADR
0008 hold on every partition, and a month past its retention leaves as a verified
archive, then a dropped partition, never through a DELETE."""

import datetime
import gzip
import hashlib
import json

import psycopg
import pytest
from django.core.management import call_command
from django.db import DEFAULT_DB_ALIAS, DatabaseError, connection, connections, transaction

from alliance.audit import archive as archive_module
from alliance.audit.archive import ArchiveError, archive_audit
from alliance.audit.journal import record
from alliance.audit.models import Action, AuditEntry
from alliance.audit.partitions import (
    DEFAULT_PARTITION,
    add_months,
    create_month,
    month_start,
    partition_name,
    partitions,
)
from alliance.audit.roles import AUDIT_TABLE
from tests.audit.test_roles import app_role, as_app  # noqa: F401

pytestmark = [pytest.mark.postgres_only, pytest.mark.django_db]

OLD_MONTH = datetime.date(2024, 1, 1)
THIS_MONTH = month_start(datetime.date.today())


def _quote(name):
    return connection.ops.quote_name(name)


def _partitions():
    with connection.cursor() as cursor:
        return partitions(cursor)


def _insert(at, label="someone", detail="{}"):
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {AUDIT_TABLE} (at, actor_label, action, target_type, detail) "
            "VALUES (%s, %s, 'sign_in', '', %s) RETURNING id",
            [at, label, detail],
        )
        return cursor.fetchone()[0]


def _old_month_with_rows(count=3):
    with connection.cursor() as cursor:
        assert create_month(cursor, _quote, OLD_MONTH)
    at = datetime.datetime(2024, 1, 15, 12, tzinfo=datetime.UTC)
    return [
        _insert(at + datetime.timedelta(hours=n), f"ally {n}", json.dumps({"n": n, "é": "à"}))
        for n in range(count)
    ]


def test_the_trail_is_partitioned_with_a_default_and_the_coming_months():
    found = _partitions()

    assert found[DEFAULT_PARTITION] is None
    for ahead in range(4):
        assert partition_name(add_months(THIS_MONTH, ahead)) in found
    entry = record(None, Action.SIGN_IN)
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT tableoid::regclass::text FROM {AUDIT_TABLE} WHERE id = %s", [entry.pk]
        )
        assert cursor.fetchone()[0] == partition_name(THIS_MONTH)


def test_every_partition_has_the_append_only_trigger_new_ones_included():
    with connection.cursor() as cursor:
        create_month(cursor, _quote, OLD_MONTH)
        cursor.execute(
            "SELECT c.relname FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid "
            "WHERE t.tgname = 'audit_entry_no_update_delete'"
        )
        with_trigger = {name for (name,) in cursor.fetchall()}
    assert set(_partitions()) | {AUDIT_TABLE} <= with_trigger
    assert partition_name(OLD_MONTH) in with_trigger


@pytest.mark.parametrize("statement", ["UPDATE {p} SET actor_label = 'x'", "DELETE FROM {p}"])
def test_the_owner_cannot_change_a_row_through_a_partition(statement):
    _insert(datetime.datetime.now(datetime.UTC))
    partition = partition_name(THIS_MONTH)

    with (
        pytest.raises(DatabaseError, match="append-only"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute(statement.format(p=partition))


def test_an_upsert_on_the_whole_key_reaches_the_trigger():
    entry = record(None, Action.SIGN_IN)

    with (
        pytest.raises(DatabaseError, match="append-only"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute(
            f"INSERT INTO {AUDIT_TABLE} (id, at, actor_label, action, target_type, detail) "
            "VALUES (%s, %s, 'someone else', 'sign_in', '', '{}') "
            "ON CONFLICT (id, at) DO UPDATE SET actor_label = EXCLUDED.actor_label",
            [entry.pk, entry.at],
        )
    assert AuditEntry.objects.get(pk=entry.pk).actor_label == entry.actor_label


PARTITION_ATTEMPTS = {
    "read a partition": "SELECT count(*) FROM {p}",
    "add to a partition": (
        "INSERT INTO {p} (id, at, actor_label, action, target_type, detail) "
        "VALUES (-1, now(), 'x', 'sign_in', '', '{{}}')"
    ),
    "update a partition": "UPDATE {p} SET actor_label = 'x'",
    "delete from a partition": "DELETE FROM {p}",
    "truncate a partition": "TRUNCATE {p}",
    "disable its trigger": "ALTER TABLE {p} DISABLE TRIGGER ALL",
    "detach it": f"ALTER TABLE {AUDIT_TABLE} DETACH PARTITION {{p}}",
    "drop it": "DROP TABLE {p}",
    "drop the default partition": f"DROP TABLE {DEFAULT_PARTITION}",
    "attach a table of its own": (
        f"CREATE TABLE mine (LIKE {AUDIT_TABLE}); "
        f"ALTER TABLE {AUDIT_TABLE} ATTACH PARTITION mine FOR VALUES FROM ('2001-01-01') "
        "TO ('2001-02-01')"
    ),
}


@pytest.mark.parametrize("attempt", sorted(PARTITION_ATTEMPTS))
def test_the_application_role_gets_nothing_on_a_partition(as_app, attempt):  # noqa: F811
    statement = PARTITION_ATTEMPTS[attempt].format(p=partition_name(THIS_MONTH))

    with pytest.raises(psycopg.errors.InsufficientPrivilege):
        as_app.execute(statement)


def test_the_application_role_still_reads_and_adds_through_the_trail(as_app):  # noqa: F811
    as_app.execute(
        f"INSERT INTO {AUDIT_TABLE} (at, actor_label, action, target_type, detail) "
        "VALUES (now(), 'app', 'sign_in', '', '{}')"
    )
    [(count,)] = as_app.execute(f"SELECT count(*) FROM {AUDIT_TABLE} WHERE actor_label = 'app'")
    assert count >= 1


def test_a_new_partition_gives_the_application_role_nothing(app_role, settings):  # noqa: F811
    settings.ALLIANCE_PG_APP_ROLE = app_role
    with connection.cursor() as cursor:
        create_month(cursor, _quote, OLD_MONTH)
        cursor.execute(
            "SELECT has_table_privilege(%s, %s, 'SELECT, INSERT, UPDATE, DELETE, TRUNCATE')",
            [app_role, partition_name(OLD_MONTH)],
        )
        assert cursor.fetchone()[0] is False


def test_a_month_past_its_retention_is_archived_then_dropped(tmp_path):
    ids = _old_month_with_rows()
    recent = record(None, Action.SIGN_IN)

    report = archive_audit(tmp_path, retention_months=12)

    [archived] = report.archived
    assert archived.partition == partition_name(OLD_MONTH)
    assert archived.rows == 3
    assert archived.path == tmp_path / "audit_auditentry_y2024m01.jsonl.gz"
    written = (tmp_path / "audit_auditentry_y2024m01.jsonl.gz.sha256").read_text()
    assert (
        written
        == f"{hashlib.sha256(archived.path.read_bytes()).hexdigest()}  {archived.path.name}\n"
    )
    assert archived.sha256 == written.split()[0]
    with gzip.open(archived.path, "rt", encoding="utf-8") as file:
        lines = [json.loads(line) for line in file]
    assert [line["id"] for line in lines] == ids
    assert lines[2]["detail"] == {"n": 2, "é": "à"}
    assert lines[0]["actor_label"] == "ally 0"
    assert lines[0]["at"] == "2024-01-15T12:00:00+00:00"
    assert partition_name(OLD_MONTH) not in _partitions()
    assert not AuditEntry.objects.filter(pk__in=ids).exists()
    assert AuditEntry.objects.filter(pk=recent.pk).exists()
    entry = AuditEntry.objects.get(action=Action.AUDIT_ARCHIVED)
    assert entry.actor is None
    assert entry.detail == {
        "job": "archive_audit",
        "partition": "audit_auditentry_y2024m01",
        "rows": 3,
        "file": "audit_auditentry_y2024m01.jsonl.gz",
        "sha256": archived.sha256,
    }


def test_months_within_the_retention_stay(tmp_path):
    with connection.cursor() as cursor:
        create_month(cursor, _quote, add_months(THIS_MONTH, -12))
    before = set(_partitions())

    report = archive_audit(tmp_path, retention_months=12)

    assert report.archived == []
    assert set(_partitions()) >= before
    assert list(tmp_path.iterdir()) == []


def test_an_archive_that_does_not_match_keeps_the_partition(tmp_path, monkeypatch):
    ids = _old_month_with_rows()
    lines = archive_module._lines

    def one_line_lost(connection, partition):
        yield from list(lines(connection, partition))[1:]

    monkeypatch.setattr(archive_module, "_write", _losing_writer(one_line_lost))

    with pytest.raises(ArchiveError, match="do not match"):
        archive_audit(tmp_path, retention_months=12)

    assert partition_name(OLD_MONTH) in _partitions()
    assert AuditEntry.objects.filter(pk__in=ids).count() == 3
    assert not AuditEntry.objects.filter(action=Action.AUDIT_ARCHIVED).exists()


def _losing_writer(lines):
    def write(connection, partition, path):
        with gzip.open(path, "wb") as file:
            for line in lines(connection, partition):
                file.write(line)
        path.with_name(path.name + ".sha256").write_text(
            f"{hashlib.sha256(path.read_bytes()).hexdigest()}  {path.name}\n"
        )

    return write


def test_rows_of_a_month_without_partition_wait_in_the_default(tmp_path):
    _insert(datetime.datetime(2020, 5, 1, tzinfo=datetime.UTC))

    report = archive_audit(tmp_path, retention_months=12)

    assert report.stranded == 1
    assert report.archived == []
    with connection.cursor() as cursor:
        assert create_month(cursor, _quote, datetime.date(2020, 5, 1)) is False


def test_the_command_reports_what_it_did(tmp_path, capsys):
    _old_month_with_rows(count=2)

    call_command("archive_audit", directory=tmp_path, retention_months=12)

    out = capsys.readouterr().out
    assert "archived audit_auditentry_y2024m01: 2 rows" in out


def test_the_application_role_cannot_archive(app_role, tmp_path):  # noqa: F811
    owner = connections[DEFAULT_DB_ALIAS]
    app_connection = type(owner)({**owner.settings_dict, "USER": app_role}, alias="as_app")
    try:
        with pytest.raises(ArchiveError, match="owner of the tables"):
            archive_audit(tmp_path, retention_months=12, connection=app_connection)
    finally:
        app_connection.close()  # never registered: the test runner does not know it
    assert list(tmp_path.iterdir()) == []
