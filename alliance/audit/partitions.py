"""PostgreSQL: the audit trail is a table partitioned by month of `at` (migration
0007), so that a month past its retention leaves as a whole: archived to a file, then
detached and dropped, never deleted row by row (the trigger refuses DELETE, ADR 0008).

A default partition takes the rows of a month that has no partition yet, so that a
late `audit_partitions` never stops the application from writing its trail; the
partitions are created ahead, by the migration and then by `alliance audit_partitions`
(daily), as the owner of the tables."""

import datetime
import re

from django.conf import settings

from .roles import AUDIT_TABLE, role_exists

DEFAULT_PARTITION = f"{AUDIT_TABLE}_default"
MONTHLY = re.compile(rf"^{AUDIT_TABLE}_y(\d{{4}})m(\d{{2}})$")
MONTHS_AHEAD = 3


def month_start(day: datetime.date) -> datetime.date:
    return day.replace(day=1)


def add_months(month: datetime.date, count: int) -> datetime.date:
    index = month.year * 12 + month.month - 1 + count
    return datetime.date(index // 12, index % 12 + 1, 1)


def partition_name(month: datetime.date) -> str:
    return f"{AUDIT_TABLE}_y{month.year:04d}m{month.month:02d}"


def partitions(cursor) -> dict[str, datetime.date | None]:
    """The partitions of the trail: monthly ones by their first day, the default by
    None."""
    cursor.execute(
        "SELECT child.relname FROM pg_inherits "
        "JOIN pg_class parent ON parent.oid = pg_inherits.inhparent "
        "JOIN pg_class child ON child.oid = pg_inherits.inhrelid "
        "WHERE parent.relname = %s",
        [AUDIT_TABLE],
    )
    found = {}
    for (name,) in cursor.fetchall():
        match = MONTHLY.match(name)
        if match:
            found[name] = datetime.date(int(match[1]), int(match[2]), 1)
        elif name == DEFAULT_PARTITION:
            found[name] = None
    return found


def is_partitioned(cursor) -> bool:
    cursor.execute(
        "SELECT 1 FROM pg_partitioned_table JOIN pg_class ON pg_class.oid = partrelid "
        "WHERE relname = %s",
        [AUDIT_TABLE],
    )
    return cursor.fetchone() is not None


def _bound(month: datetime.date) -> str:
    return f"{month.isoformat()} 00:00:00+00"


def revoke_from_app_role(cursor, quote, name):
    """Partitions are reached through the trail only, where the app role may read and
    add: on the partition itself it gets nothing (the default privileges would give it
    UPDATE and DELETE there)."""
    role = settings.ALLIANCE_PG_APP_ROLE
    if role and role_exists(cursor.db, role):
        cursor.execute(f"REVOKE ALL ON {quote(name)} FROM {quote(role)}")


def create_month(cursor, quote, month: datetime.date) -> bool:
    """Creates the partition of `month` unless it exists; False when the default
    partition already holds rows of that month (then they stay there)."""
    name = partition_name(month)
    if name in partitions(cursor):
        return False
    start, end = month, add_months(month, 1)
    cursor.execute(
        f"SELECT 1 FROM {quote(DEFAULT_PARTITION)} WHERE at >= %s AND at < %s LIMIT 1",  # noqa: S608
        [_bound(start), _bound(end)],
    )
    if cursor.fetchone():
        return False
    cursor.execute(
        f"CREATE TABLE {quote(name)} PARTITION OF {quote(AUDIT_TABLE)} "
        f"FOR VALUES FROM ('{_bound(start)}') TO ('{_bound(end)}')"
    )
    revoke_from_app_role(cursor, quote, name)
    return True


def create_ahead(cursor, quote, today: datetime.date, ahead=MONTHS_AHEAD) -> list[str]:
    """This month's partition and the next `ahead` months'. Returns those created."""
    first = month_start(today)
    return [
        partition_name(add_months(first, n))
        for n in range(ahead + 1)
        if create_month(cursor, quote, add_months(first, n))
    ]
