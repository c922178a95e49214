"""The grouped queries of a report against a plain Python reading of the same rules,
on random data (SQLite and PostgreSQL), and their number constant with data size."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from alliance.reports import aggregates

from .data import build_world, expected_counts

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_database_counts_match_a_python_recount(seed):
    world = build_world(seed, alliances=40)
    ids = [o.pk for o in world.organisations]
    for start, end in [
        (datetime.date(2025, 7, 1), world.today),
        (datetime.date(2025, 1, 1), datetime.date(2025, 12, 31)),
    ]:
        for scope in (ids, ids[:1], ids[1:]):
            assert aggregates.counts(scope, start, end) == expected_counts(scope, start, end)


def test_the_number_of_queries_does_not_grow_with_the_data():
    start, end = datetime.date(2025, 7, 1), datetime.date(2026, 6, 30)
    small = build_world(4, organisations=2, alliances=3)
    with CaptureQueriesContext(connection) as few:
        aggregates.counts([o.pk for o in small.organisations], start, end)
    large = build_world(5, organisations=2, alliances=40)
    with CaptureQueriesContext(connection) as many:
        aggregates.counts([o.pk for o in large.organisations], start, end)
    assert len(few) == len(many) <= 12
