"""Archiving the months of the trail past their retention (PostgreSQL): each such
partition is written to a gzip-compressed JSON Lines file with its SHA-256 sum, the
file is read back and checked against the rows, and only then is the partition
detached and dropped, in one transaction with the trail's entry that says so. Rows
are never deleted (the trigger refuses it); a month leaves whole or not at all.

Run as the owner of the tables: the application's role may not drop anything."""

import dataclasses
import datetime
import gzip
import hashlib
import json
import os
from pathlib import Path

from django.db import DEFAULT_DB_ALIAS, connections, transaction
from django.utils import timezone

from .journal import record
from .models import Action
from .partitions import (
    DEFAULT_PARTITION,
    add_months,
    create_ahead,
    is_partitioned,
    month_start,
    partitions,
)
from .roles import AUDIT_TABLE

COLUMNS = (
    "id",
    "at",
    "actor_id",
    "actor_label",
    "action",
    "alliance_id",
    "organisation_id",
    "target_type",
    "target_id",
    "detail",
)
CHUNK = 2000


class ArchiveError(Exception):
    pass


@dataclasses.dataclass(frozen=True)
class Archived:
    partition: str
    rows: int
    path: Path
    sha256: str


def _lines(connection, partition):
    """The partition's rows as JSON lines, in the order of their ids."""
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT {', '.join(COLUMNS)} FROM {quote(partition)} ORDER BY id, at"  # noqa: S608
        )
        while rows := cursor.fetchmany(CHUNK):
            for row in rows:
                entry = dict(zip(COLUMNS, row, strict=True))
                entry["at"] = entry["at"].isoformat()
                if isinstance(entry["detail"], str):
                    entry["detail"] = json.loads(entry["detail"])
                yield (json.dumps(entry, ensure_ascii=False, sort_keys=True) + "\n").encode()


def _digest_of_rows(connection, partition):
    digest, count = hashlib.sha256(), 0
    for line in _lines(connection, partition):
        digest.update(line)
        count += 1
    return digest.hexdigest(), count


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as file:
        while block := file.read(1 << 20):
            digest.update(block)
    return digest.hexdigest()


def _sum_path(path: Path) -> Path:
    return path.with_name(path.name + ".sha256")


def verify(path: Path, *, rows_digest: str, rows: int) -> str:
    """Reads the archive back: its SHA-256 is the one written beside it, and its lines
    are the partition's rows, all of them. Returns the file's SHA-256."""
    written = _sum_path(path).read_text().split()[0]
    actual = file_sha256(path)
    if actual != written:
        raise ArchiveError(f"{path.name}: SHA-256 {actual} is not the one written ({written}).")
    digest, count = hashlib.sha256(), 0
    with gzip.open(path, "rb") as file:
        for line in file:
            digest.update(line)
            count += 1
    if (digest.hexdigest(), count) != (rows_digest, rows):
        raise ArchiveError(f"{path.name}: {count} lines do not match the {rows} rows.")
    return actual


def _write(connection, partition, path: Path):
    partial = path.with_name(path.name + ".partial")
    with partial.open("wb") as raw, gzip.GzipFile(fileobj=raw, mode="wb", mtime=0) as file:
        for line in _lines(connection, partition):
            file.write(line)
    with partial.open("rb") as file:
        os.fsync(file.fileno())
    os.replace(partial, path)
    _sum_path(path).write_text(f"{file_sha256(path)}  {path.name}\n")


def _owns(connection, partition) -> bool:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT pg_get_userbyid(relowner) = current_user FROM pg_class WHERE relname = %s",
            [partition],
        )
        row = cursor.fetchone()
    return bool(row and row[0])


def _require_owner(connection, table):
    if not _owns(connection, table):
        raise ArchiveError(
            "Archiving creates and drops partitions of the audit trail: run it as the "
            "owner of the tables (with the credentials `migrate` runs with), not as the "
            "application's role."
        )


def archive_one(connection, partition, directory: Path) -> Archived:
    _require_owner(connection, partition)
    path = directory / f"{partition}.jsonl.gz"
    quote = connection.ops.quote_name
    with transaction.atomic(using=connection.alias), connection.cursor() as cursor:
        # No row may arrive between writing the archive and dropping the partition. A
        # file left by an interrupted run is written again.
        cursor.execute(f"LOCK TABLE {quote(partition)} IN ACCESS EXCLUSIVE MODE")
        _write(connection, partition, path)
        rows_digest, rows = _digest_of_rows(connection, partition)
        sha256 = verify(path, rows_digest=rows_digest, rows=rows)
        # Deferred foreign-key checks of this transaction's inserts would forbid the drop.
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        cursor.execute(f"ALTER TABLE {quote(AUDIT_TABLE)} DETACH PARTITION {quote(partition)}")
        cursor.execute(f"DROP TABLE {quote(partition)}")
        record(
            None,
            Action.AUDIT_ARCHIVED,
            detail={
                "job": "archive_audit",
                "partition": partition,
                "rows": rows,
                "file": path.name,
                "sha256": sha256,
            },
        )
    return Archived(partition=partition, rows=rows, path=path, sha256=sha256)


@dataclasses.dataclass
class Report:
    created: list[str]
    archived: list[Archived]
    # Rows past the retention that the default partition holds (not archived).
    stranded: int


def archive_audit(
    directory: Path, *, retention_months: int, today: datetime.date | None = None, connection=None
) -> Report:
    """Creates the coming months' partitions, then archives and drops every monthly
    partition that ended more than `retention_months` months before this month."""
    connection = connection or connections[DEFAULT_DB_ALIAS]
    if connection.vendor != "postgresql":
        raise ArchiveError("The trail is partitioned on PostgreSQL only.")
    if retention_months < 1:
        raise ArchiveError("The retention is at least one month.")
    today = today or timezone.now().date()
    cutoff = add_months(month_start(today), -retention_months)
    directory.mkdir(parents=True, exist_ok=True)
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        if not is_partitioned(cursor):
            raise ArchiveError("The trail is not partitioned: run `alliance migrate` first.")
        _require_owner(connection, AUDIT_TABLE)
        with transaction.atomic(using=connection.alias):
            created = create_ahead(cursor, quote, today)
        due = sorted(name for name, month in partitions(cursor).items() if month and month < cutoff)
        cursor.execute(
            f"SELECT count(*) FROM {quote(DEFAULT_PARTITION)} WHERE at < %s",  # noqa: S608
            [f"{cutoff.isoformat()} 00:00:00+00"],
        )
        stranded = cursor.fetchone()[0]
    archived = [archive_one(connection, name, directory) for name in due]
    return Report(created=created, archived=archived, stranded=stranded)
