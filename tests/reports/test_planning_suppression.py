"""Suppression across periods (no database): an attacker who holds a trend and its
whole-period table, or two reports on nested periods of the same scope, combines
them. Each attack is run both ways: it recovers a small count from tables suppressed
one by one, and nothing from tables suppressed together (`suppress_linked`)."""

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from alliance.reports.suppression import (
    CountSeries,
    CountTable,
    Link,
    Refused,
    linked_exposures,
    suppress,
    suppress_linked,
)

K = 5


def alliance_trend(before: int, created: list[int]) -> tuple[CountSeries, CountTable, list]:
    """The `alliances` series of a period and its trend over sub-periods, built from
    the alliances existing before the period and those created in each sub-period,
    with the links any reader knows (computation._trend_links says the same)."""
    n = len(created)
    befores = [before + sum(created[:i]) for i in range(n)]
    whole = CountSeries.of([before, sum(created)], total=before + sum(created))
    trend = CountTable.of(
        [befores, created],
        row_totals=[befores[-1], sum(created)],
        column_totals=[b + c for b, c in zip(befores, created, strict=True)],
        grand_total=before + sum(created),
    )
    last = n - 1
    links = [
        Link(((0, ("cell", 0)),), (1, ("cell", 0, 0)), equal=True),
        Link(((0, ("cell", 1)),), (1, ("row_total", 1)), equal=True),
        Link(((0, ("total",)),), (1, ("grand_total",)), equal=True),
        Link(((0, ("total",)),), (1, ("column_total", last)), equal=True),
        Link(((1, ("cell", 0, last)),), (1, ("row_total", 0)), equal=True),
        *(
            Link(((1, ("column_total", j)),), (1, ("cell", 0, j + 1)), equal=True)
            for j in range(last)
        ),
    ]
    return whole, trend, links


def _true_and_small_enough(result, table):
    shown = [c.value for c in result._cells_in_order()]
    for value, true in zip(shown, table._values(), strict=True):
        assert value is None or value == true
        assert value is None or value == 0 or value >= K


def test_a_trend_and_its_total_suppressed_apart_give_away_a_small_count():
    whole, trend, links = alliance_trend(20, [3, 9, 11])
    apart = [suppress(whole, k=K), suppress(trend, k=K)]
    assert linked_exposures(apart, links) != []
    together = suppress_linked([whole, trend], links, k=K)
    assert linked_exposures(together, links) == []
    for result, table in zip(together, (whole, trend), strict=True):
        _true_and_small_enough(result, table)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    before=st.integers(0, 40),
    created=st.lists(st.integers(0, 12), min_size=1, max_size=6),
)
def test_no_trend_and_total_suppressed_together_reveal_a_small_count(before, created):
    whole, trend, links = alliance_trend(before, created)
    together = suppress_linked([whole, trend], links, k=K)
    assert linked_exposures(together, links) == []
    for result, table in zip(together, (whole, trend), strict=True):
        _true_and_small_enough(result, table)


def nested_periods(first_half: tuple[int, int], created_after: int):
    """`alliances` of a scope over January-June and over the whole year: the same
    start, so the same "before"; the year adds the alliances created after June."""
    before, during = first_half
    half = CountSeries.of([before, during])
    year = CountSeries.of([before, during + created_after])
    links = [
        Link(((0, ("cell", 0)),), (1, ("cell", 0)), equal=True),
        Link(((0, ("total",)),), (1, ("total",))),  # gap: created after June
        Link(((0, ("cell", 1)),), (1, ("cell", 1))),  # the same gap
    ]
    return half, year, links


def test_two_reports_on_nested_periods_suppressed_apart_give_away_a_small_count():
    half, year, links = nested_periods((40, 10), created_after=3)
    apart = [suppress(half, k=K), suppress(year, k=K)]
    exposed = linked_exposures(apart, links)
    assert {f.problem for f in exposed} == {"difference_exact"}
    # The year is computed after the half-year was published, which never changes.
    published = suppress(half, k=K)
    together = suppress_linked([half, year], links, k=K, published={0: published})
    assert together[0] is published
    assert linked_exposures(together, links) == []
    _true_and_small_enough(together[1], year)


def test_a_report_that_could_only_be_protected_by_a_published_one_is_refused():
    """When what must be hidden lies only in tables already published (here a small
    gap between two values a published report shows), the new report cannot fix it
    and is refused rather than published beside it."""
    published_table = CountSeries.of([6, 8])
    published = suppress(published_table, k=K)
    new = CountSeries.of([7, 9])
    links = [Link(((0, ("cell", 0)),), (0, ("cell", 1)))]  # a gap of 2
    with pytest.raises(Refused):
        suppress_linked([published_table, new], links, k=K, published={0: published})


def test_a_link_that_does_not_hold_is_refused():
    a, b = CountSeries.of([7, 8]), CountSeries.of([7, 9])
    with pytest.raises(ValueError, match="does not hold"):
        suppress_linked([a, b], [Link(((0, ("total",)),), (1, ("cell", 0)))], k=K)
    with pytest.raises(ValueError, match="does not hold"):
        suppress_linked([a, b], [Link(((0, ("total",)),), (1, ("total",)), equal=True)], k=K)
