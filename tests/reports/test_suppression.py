"""Small-count suppression (DESIGN rule 4, issue 5 "Reports").

The guarantee tested on random tables, with an attacker written here
independently of the module (its own integer program over every position):

* no published cell or margin is in 1..k-1; published values are the true ones;
  zeros are always shown;
* no row or column (margins included) holds exactly one hidden value;
* for every hidden value, the attacker's feasible interval [low, high] over
  non-negative integers consistent with everything published (hidden values
  are at least 1, since zeros are shown) has low < high (never recomputed
  exactly) and high >= k (never proven to be a small count);
* for two reports whose scopes differ by one organisation, suppressed together,
  every difference whose true value is in 1..k-1 has a joint feasible interval
  that reaches k, and the hidden values keep the guarantee above in the joint
  program;
* the input is not changed.
"""

import copy
import math

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from scipy.optimize import linprog

from alliance.reports.suppression import (
    Cell,
    CountSeries,
    CountTable,
    Reason,
    SuppressedTable,
    audit,
    check_threshold,
    difference_intervals,
    differencing_exposures,
    feasible_intervals,
    suppress,
    suppress_related,
    suppress_series,
    suppress_table,
)

FAST = settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])


# ----------------------------------------------------------------- independent attacker


def flat_2d(published: dict):
    """Every position of a published 2-D table as a list, and its lines."""
    cells = published["cells"]
    m, n = len(cells), len(cells[0])
    values = [v for row in cells for v in row]
    values += published["row_totals"] + published["column_totals"] + [published["grand_total"]]
    R, C, G = m * n, m * n + m, m * n + m + n
    lines = [([i * n + j for j in range(n)], R + i) for i in range(m)]
    lines += [([i * n + j for i in range(m)], C + j) for j in range(n)]
    lines += [([C + j for j in range(n)], G), ([R + i for i in range(m)], G)]
    return values, lines


def flat_1d(published: dict):
    values = [*published["cells"], published["total"]]
    return values, [(list(range(len(values) - 1)), len(values) - 1)]


def true_2d(counts, row_totals=None, column_totals=None, grand_total=None):
    rt = row_totals or [sum(r) for r in counts]
    ct = column_totals or [sum(c) for c in zip(*counts, strict=True)]
    gt = sum(ct) if grand_total is None else grand_total
    return flat_2d({"cells": counts, "row_totals": rt, "column_totals": ct, "grand_total": gt})


class Attacker:
    """Integer program with one variable per position of each table: published
    ones fixed, hidden ones >= 1. A line is an equality where the reader knows the
    table is additive, else member <= total <= sum of members."""

    def __init__(self):
        self.bounds, self.eq, self.ub = [], [], []

    def table(self, values, lines, additive):
        base = len(self.bounds)
        self.bounds += [(1, None) if v is None else (v, v) for v in values]
        for (members, total), add in zip(lines, additive, strict=True):
            self.line([base + i for i in members], base + total, add)
        return base

    def line(self, members, total, add, minus=None):
        """Constraint on x (or on x - x[minus offset] when minus is given)."""

        def term(i, w):
            return [(i, w)] if minus is None else [(i, w), (i - minus, -w)]

        if add:
            self.eq.append([t for i in members for t in term(i, 1)] + term(total, -1))
        else:
            for i in members:
                self.ub.append(term(i, 1) + term(total, -1))
            self.ub.append(term(total, 1) + [t for i in members for t in term(i, -1)])

    def _matrix(self, rows):
        if not rows:
            return None, None
        a = np.zeros((len(rows), len(self.bounds)))
        for r, row in enumerate(rows):
            for i, w in row:
                a[r, i] += w
        return a, np.zeros(len(rows))

    def interval(self, objective):
        """(min, max) over integers of sum(w * x[i]) for (i, w) in objective."""
        a_eq, b_eq = self._matrix(self.eq)
        a_ub, b_ub = self._matrix(self.ub)
        out = []
        for sign in (1, -1):
            c = np.zeros(len(self.bounds))
            for i, w in objective:
                c[i] += sign * w
            program = {
                "A_ub": a_ub,
                "b_ub": b_ub,
                "A_eq": a_eq,
                "b_eq": b_eq,
                "bounds": self.bounds,
            }
            relaxed = linprog(c, **program, method="highs")
            if relaxed.status == 2:
                # The true tables are a feasible point: HiGHS's presolve misread an
                # unbounded program, as the product's audit also meets
                # (alliance/reports/suppression.py). Solve again without it.
                relaxed = linprog(c, **program, method="highs", options={"presolve": False})
            if relaxed.status == 3:
                out.append(-math.inf)
                continue
            assert relaxed.status == 0, relaxed.message
            if np.allclose(relaxed.x, np.round(relaxed.x), atol=1e-7):
                out.append(round(relaxed.fun))  # integral vertex: the integer optimum
                continue
            res = linprog(
                c,
                A_ub=a_ub,
                b_ub=b_ub,
                A_eq=a_eq,
                b_eq=b_eq,
                bounds=self.bounds,
                method="highs",
                integrality=np.ones(len(self.bounds)),
                options={"mip_rel_gap": 0},
            )
            assert res.status == 0, res.message
            out.append(round(res.fun))
        return out[0], -out[1]


def additive_flags(true_values, lines):
    return [true_values[t] == sum(true_values[i] for i in m) for m, t in lines]


def check_single(true_values, lines, published_values, k):
    """The tested guarantee on one table. Returns the hidden positions."""
    hidden = [i for i, v in enumerate(published_values) if v is None]
    for i, v in enumerate(published_values):
        if v is not None:
            assert v == true_values[i]
            assert not 0 < v < k, f"published small value {v} at {i}"
        else:
            assert true_values[i] > 0, "zeros are always shown"
    for members, total in lines:
        line = [*members, total]
        assert sum(published_values[i] is None for i in line) != 1
    attacker = Attacker()
    attacker.table(published_values, lines, additive_flags(true_values, lines))
    for i in hidden:
        low, high = attacker.interval([(i, 1)])
        assert low <= true_values[i] <= high
        assert low < high, f"hidden value at {i} is recomputed exactly ({low})"
        assert high >= k, f"hidden value at {i} is proven below {k}: [{low}, {high}]"
    return hidden


# ----------------------------------------------------------------- strategies

counts = st.one_of(st.integers(0, 40), st.integers(0, 7))
thresholds = st.integers(3, 7)


@st.composite
def tables(draw, max_side=6):
    m = draw(st.integers(1, max_side))
    n = draw(st.integers(1, max_side))
    return draw(st.lists(st.lists(counts, min_size=n, max_size=n), min_size=m, max_size=m))


@st.composite
def overlapping(draw):
    """Need domain x organisation from simulated alliances: each alliance belongs to
    one organisation and has one or more need domains, so an organisation's total
    (distinct alliances) can be less than the sum of its column."""
    m = draw(st.integers(1, 4))
    n = draw(st.integers(1, 4))
    alliances = draw(
        st.lists(
            st.tuples(st.integers(0, n - 1), st.sets(st.integers(0, m - 1), min_size=1)),
            max_size=80,
        )
    )
    cells = [[0] * n for _ in range(m)]
    col = [0] * n
    for org, domains in alliances:
        col[org] += 1
        for d in domains:
            cells[d][org] += 1
    rows = [sum(r) for r in cells]
    return cells, rows, col, len(alliances)


# ----------------------------------------------------------------- properties


@FAST
@given(tables(), thresholds)
def test_random_tables_are_protected(table, k):
    original = copy.deepcopy(table)
    result = suppress_table(table, k=k)
    assert table == original
    values, lines = flat_2d(result.published())
    check_single(true_2d(table)[0], lines, values, k)
    assert audit(result) == []


@FAST
@given(overlapping(), thresholds)
def test_distinct_count_margins_are_protected(data, k):
    cells, rows, cols, grand = data
    result = suppress_table(cells, row_totals=rows, column_totals=cols, grand_total=grand, k=k)
    values, lines = flat_2d(result.published())
    check_single(true_2d(cells, rows, cols, grand)[0], lines, values, k)
    assert audit(result) == []


@FAST
@given(st.lists(counts, min_size=1, max_size=8), thresholds)
def test_random_series_are_protected(series, k):
    original = list(series)
    result = suppress_series(series, k=k)
    assert series == original
    values, lines = flat_1d(result.published())
    check_single([*series, sum(series)], lines, values, k)
    assert audit(result) == []


def check_pair(small_true, large_true, lines, small_pub, large_pub, k):
    attacker = Attacker()
    a = attacker.table(small_pub, lines, additive_flags(small_true, lines))
    b = attacker.table(large_pub, lines, additive_flags(large_true, lines))
    n = len(small_true)
    for i in range(n):  # the larger scope counts at least as much
        attacker.ub.append([(a + i, 1), (b + i, -1)])
    for (members, total), add in zip(lines, additive_flags(large_true, lines), strict=True):
        if not add:
            attacker.line([b + i for i in members], b + total, add, minus=b - a)
    for i in range(n):
        d = large_true[i] - small_true[i]
        if 0 < d < k:
            low, high = attacker.interval([(b + i, 1), (a + i, -1)])
            assert high >= k, f"difference {d} at {i} is proven small: [{low}, {high}]"
        for base, pub, true in ((a, small_pub, small_true), (b, large_pub, large_true)):
            if pub[i] is None:
                low, high = attacker.interval([(base + i, 1)])
                assert low <= true[i] <= high
                assert low < high and high >= k


@st.composite
def nested_pair(draw):
    """Scope A, and scope A plus one small organisation (its own table D)."""
    a = draw(tables(max_side=4))
    m, n = len(a), len(a[0])
    d = draw(st.lists(st.lists(st.integers(0, 6), min_size=n, max_size=n), min_size=m, max_size=m))
    return a, [[x + y for x, y in zip(ra, rd, strict=True)] for ra, rd in zip(a, d, strict=True)]


@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(nested_pair(), thresholds)
def test_related_reports_resist_differencing(pair, k):
    a, b = pair
    original = copy.deepcopy(pair)
    ra, rb = suppress_related([CountTable.of(a), CountTable.of(b)], k=k)
    assert (a, b) == original
    va, lines = flat_2d(ra.published())
    vb, _ = flat_2d(rb.published())
    ta, tb = true_2d(a)[0], true_2d(b)[0]
    check_single(ta, lines, va, k)
    check_single(tb, lines, vb, k)
    check_pair(ta, tb, lines, va, vb, k)
    assert differencing_exposures(ra, rb) == []
    assert ra == suppress(CountTable.of(a), k=k), "only the larger report pays"


# ----------------------------------------------------------------- typical cases


def test_nothing_small_nothing_hidden():
    result = suppress_table([[5, 6], [7, 8]])
    assert result.published() == {
        "cells": [[5, 6], [7, 8]],
        "row_totals": [11, 15],
        "column_totals": [12, 14],
        "grand_total": 26,
    }
    assert result.hidden() == {}


def test_one_small_cell_needs_a_rectangle():
    result = suppress_table([[2, 10], [10, 10]])
    assert result.published()["cells"] == [[None, None], [None, None]]
    assert result.published()["row_totals"] == [12, 20]
    assert result.cells[0][0] == Cell(None, Reason.PRIMARY)
    assert result.cells[1][1] == Cell(None, Reason.COMPLEMENTARY)
    intervals = feasible_intervals(result)
    assert intervals[("cell", 0, 0)] == (1, 11)  # could be anything from 1 to 11


def test_complementary_cells_close_a_cycle_with_the_smallest_counts():
    result = suppress_table([[2, 10, 12], [8, 9, 15], [20, 1, 7]])
    assert result.hidden() == {
        ("cell", 0, 0): Reason.PRIMARY,
        ("cell", 2, 1): Reason.PRIMARY,
        ("cell", 0, 1): Reason.COMPLEMENTARY,
        ("cell", 2, 0): Reason.COMPLEMENTARY,
    }
    assert audit(result) == []


def test_zeros_are_shown_and_small_margins_hidden():
    result = suppress_table([[0, 0, 0], [1, 1, 0], [9, 8, 7]])
    pub = result.published()
    assert pub["cells"][0] == [0, 0, 0] and pub["row_totals"][0] == 0
    assert pub["row_totals"][1] is None  # 2 alliances: under the threshold
    assert result.row_totals[1].reason is Reason.PRIMARY
    assert audit(result) == []


def test_threshold_is_configurable():
    assert suppress_series([3, 4, 10], k=3).published() == {"cells": [3, 4, 10], "total": 17}
    assert suppress_series([3, 4, 10], k=5).published() == {"cells": [None, None, 10], "total": 17}


@pytest.mark.parametrize("k", [2, 1, 0, -5, 2.5, "5", True, None])
def test_threshold_under_three_is_refused(k):
    with pytest.raises(ValueError, match="threshold"):
        suppress_table([[5, 6]], k=k)
    with pytest.raises(ValueError, match="threshold"):
        suppress_series([5, 6], k=k)
    with pytest.raises(ValueError, match="threshold"):
        suppress_related([CountTable.of([[5]]), CountTable.of([[6]])], k=k)
    with pytest.raises(ValueError):
        check_threshold(k)


@pytest.mark.parametrize(
    "kwargs",
    [
        {"counts": [[1, -1]]},
        {"counts": [[1, 2], [3]]},
        {"counts": []},
        {"counts": [[1.5]]},
        {"counts": [[2, 3]], "row_totals": [6]},  # more than the sum
        {"counts": [[2, 3]], "row_totals": [2]},  # less than the largest member
        {"counts": [[2, 3]], "column_totals": [2]},  # wrong length
    ],
)
def test_bad_input_is_refused(kwargs):
    counts = kwargs.pop("counts")
    with pytest.raises(ValueError):
        suppress_table(counts, **kwargs)


def test_deterministic_tie_breaking():
    table = [[2, 10, 10], [10, 10, 10], [10, 10, 10]]
    first = suppress_table(table)
    assert all(suppress_table(table) == first for _ in range(3))
    assert set(first.hidden()) == {("cell", 0, 0), ("cell", 0, 1), ("cell", 1, 0), ("cell", 1, 1)}


def test_published_form_has_no_reasons():
    result = suppress_table([[2, 10], [10, 10]])
    assert "primary" not in repr(result.published())
    assert isinstance(result, SuppressedTable)


def test_distinct_count_margins():
    # 3 need domains x 2 organisations; organisation 0 has 6 alliances, one of
    # which has needs in two domains (column sums to 7).
    result = suppress_table([[3, 6], [2, 5], [2, 9]], column_totals=[6, 20], k=5)
    pub = result.published()
    assert pub["column_totals"] == [6, 20] and pub["grand_total"] == 26
    assert audit(result) == []


# ----------------------------------------------------------------- 1-D


def test_series_hides_the_smallest_complement():
    result = suppress_series([3, 10, 12, 0, 7])
    assert result.published() == {"cells": [None, 10, 12, 0, None], "total": 32}
    assert result.cells[0].reason is Reason.PRIMARY
    assert result.cells[4].reason is Reason.COMPLEMENTARY
    assert feasible_intervals(result) == {("cell", 0): (1, 9), ("cell", 4): (1, 9)}


def test_series_all_small_hides_everything():
    assert suppress_series([1, 2]).published() == {"cells": [None, None], "total": None}
    assert suppress_series([2]).published() == {"cells": [None], "total": None}
    assert suppress_series([7]).published() == {"cells": [7], "total": 7}
    assert suppress_series([0, 0]).published() == {"cells": [0, 0], "total": 0}


def test_series_complement_must_reach_the_threshold():
    # The 1 is hidden with the smallest other count, 5: from 1 + x = 6 the
    # reader only learns that the 1 lies in [1, 5], which reaches k = 5.
    result = suppress_series([1, 5, 30], k=5)
    assert audit(result) == []
    assert result.published()["cells"][2] == 30


# ----------------------------------------------------------------- differencing attack

SCOPE_A = [[10, 8, 12], [9, 15, 6], [20, 11, 7]]
# The same territory plus one small organisation with 2 alliances, both with a
# need in domain 0 and in band 0.
SCOPE_A_PLUS_ONE = [[12, 8, 12], [9, 15, 6], [20, 11, 7]]


def test_differencing_attack_succeeds_without_protection():
    ra = suppress_table(SCOPE_A)
    rb = suppress_table(SCOPE_A_PLUS_ONE)
    assert ra.hidden() == {} and rb.hidden() == {}  # each one alone is fine
    # The attacker subtracts the two published reports.
    assert rb.published()["cells"][0][0] - ra.published()["cells"][0][0] == 2
    exposed = {f.position: f for f in differencing_exposures(ra, rb)}
    assert exposed[("cell", 0, 0)].problem == "difference_exact"
    assert exposed[("cell", 0, 0)].interval == (2, 2)
    assert ("grand_total",) in exposed  # the organisation's size, too


def test_differencing_attack_fails_with_protection():
    ra, rb = suppress_related([CountTable.of(SCOPE_A), CountTable.of(SCOPE_A_PLUS_ONE)])
    assert differencing_exposures(ra, rb) == []
    assert ra.hidden() == {}  # the smaller report is unchanged
    assert rb.cells[0][0] == Cell(None, Reason.DIFFERENCING)
    assert rb.grand_total == Cell(None, Reason.DIFFERENCING)
    low, high = difference_intervals(ra, rb)[("cell", 0, 0)]
    assert low == 0 and high >= 5
    assert audit(rb) == []
    values_a, lines = flat_2d(ra.published())
    values_b, _ = flat_2d(rb.published())
    check_pair(true_2d(SCOPE_A)[0], true_2d(SCOPE_A_PLUS_ONE)[0], lines, values_a, values_b, 5)


def test_differencing_through_hidden_cells():
    # Cell (0,0) is hidden in both; the totals still differ by 1. Subtracting the
    # row totals would give the new organisation's single alliance.
    a = [[3, 10], [10, 10]]
    b = [[4, 10], [10, 10]]
    plain = [suppress_table(a), suppress_table(b)]
    assert any(f.position == ("row_total", 0) for f in differencing_exposures(*plain))
    ra, rb = suppress_related([CountTable.of(a), CountTable.of(b)])
    assert differencing_exposures(ra, rb) == []
    values_a, lines = flat_2d(ra.published())
    values_b, _ = flat_2d(rb.published())
    check_pair(true_2d(a)[0], true_2d(b)[0], lines, values_a, values_b, 5)


def test_related_series_and_chain():
    base = [10, 20, 30]
    one_more = [11, 20, 30]
    two_more = [11, 27, 30]
    results = suppress_related(
        [
            suppress_series_input(base),
            suppress_series_input(one_more),
            suppress_series_input(two_more),
        ]
    )
    assert differencing_exposures(results[0], results[1]) == []
    assert differencing_exposures(results[1], results[2]) == []
    assert results[0].published() == {"cells": [10, 20, 30], "total": 60}


def suppress_series_input(values):
    return CountSeries.of(values)


def test_related_tables_must_be_nested_and_alike():
    with pytest.raises(ValueError, match="at least as many"):
        suppress_related([CountTable.of([[5, 6]]), CountTable.of([[4, 6]])])
    with pytest.raises(ValueError, match="same layout"):
        suppress_related([CountTable.of([[5, 6]]), CountTable.of([[5, 6, 1]])])


def test_an_unbounded_distinct_total_is_not_taken_for_an_infeasible_program():
    """HiGHS's presolve once called "infeasible" the question "how large can this
    distinct total be?" when nothing bounds it; the audit must read it as unbounded."""
    result = suppress_series([0, 3, 0, 0, 0, 0, 0, 1, 4], total=5, k=7)
    assert result.published() == {"cells": [0, None, 0, 0, 0, 0, 0, None, None], "total": None}
