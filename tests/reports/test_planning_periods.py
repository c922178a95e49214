"""How a report's period is split into the sub-periods of its trends (no database)."""

import datetime
import itertools

import pytest
from hypothesis import given
from hypothesis import strategies as st

from alliance.reports.periods import MAX_PERIODS, split

D = datetime.date


@pytest.mark.parametrize(
    ("start", "end", "keys"),
    [
        (D(2025, 7, 1), D(2025, 9, 30), ["2025-07", "2025-08", "2025-09"]),
        (D(2025, 7, 1), D(2026, 6, 30), ["2025-Q3", "2025-Q4", "2026-Q1", "2026-Q2"]),
        (D(2024, 1, 1), D(2026, 12, 31), ["2024-S1", "2024-S2", "2025-S1", "2025-S2",
                                          "2026-S1", "2026-S2"]),
        (D(2020, 3, 15), D(2026, 2, 1), [str(y) for y in range(2020, 2027)]),
    ],
)  # fmt: skip
def test_the_smallest_calendar_unit_with_at_most_eight_pieces(start, end, keys):
    assert [p.key for p in split(start, end)] == keys


def test_pieces_are_clipped_to_the_period():
    pieces = split(D(2025, 8, 15), D(2026, 5, 10))
    assert (pieces[0].key, pieces[0].start, pieces[0].end) == (
        "2025-Q3",
        D(2025, 8, 15),
        D(2025, 9, 30),
    )
    assert (pieces[-1].key, pieces[-1].start, pieces[-1].end) == (
        "2026-Q2",
        D(2026, 4, 1),
        D(2026, 5, 10),
    )


@given(
    start=st.dates(D(2000, 1, 1), D(2030, 12, 31)),
    days=st.integers(0, 7 * 365),  # beyond, years: one piece a year
)
def test_pieces_cover_the_period_in_order_without_overlap(start, days):
    end = start + datetime.timedelta(days=days)
    pieces = split(start, end)
    assert pieces[0].start == start and pieces[-1].end == end
    for before, after in itertools.pairwise(pieces):
        assert after.start == before.end + datetime.timedelta(days=1)
    assert len(pieces) <= MAX_PERIODS
    assert len({p.key for p in pieces}) == len(pieces)


def test_a_period_that_ends_before_it_starts_is_refused():
    with pytest.raises(ValueError, match="cannot end before"):
        split(D(2025, 2, 1), D(2025, 1, 31))
