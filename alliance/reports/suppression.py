"""Small-count suppression for published count tables (DESIGN rule 4), no Django.

A report table counts distinct alliances: a 2-D table (for example need domain x
waiting-time band) with its row totals, column totals and grand total, or a 1-D
series (categories and their total). Before it is published:

1. **Primary suppression.** Every cell or margin with ``0 < count < k`` is
   hidden. Zeros are always shown (see "Zeros" below).
2. **Complementary suppression.** Every row or column (margins included) that
   holds a hidden value holds at least two of them, and then an audit solves
   the attacker's problem: from the published numbers, the table's linear
   structure, non-negativity, integrality and "a hidden value is at least 1",
   it computes by (integer) linear programming the feasible interval
   ``[low, high]`` of every hidden value. A hidden value passes when
   ``low < high`` (it cannot be recomputed) and ``high >= k`` (nobody can prove
   it is a small count). While some hidden value fails, one more published
   value is hidden: the smallest non-zero count on the lines of the failing
   value (ties: cells before margins, then position order), and the audit runs
   again. Hiding more only widens the intervals, and hiding every non-zero
   value always passes, so the loop ends.
3. **Differencing.** Two reports whose scopes are nested (the larger one adds
   one organisation) let an attacker subtract them. ``suppress_related`` audits
   every declared pair with one joint program over both tables (plus
   ``larger >= smaller`` cell by cell and the line structure of the difference)
   and, while a difference whose true value is in ``1..k-1`` has a feasible
   interval that stays below ``k``, or a hidden value of either table fails in
   the joint program, hides one more value in the *larger* table (the
   difference cell itself when it is published there, otherwise the smallest
   non-zero count near it), then re-runs complementary suppression.

Zeros: a zero is shown and never used as a complementary cell. "Nobody in this
cell" is the most useful thing a report says about unmet needs, a zero puts
nobody at risk, and hiding zeros would blank out most of a sparse table. The
price: a hidden value always means "at least one alliance", and the audit gives
the attacker that knowledge (hidden values have a lower bound of 1).

Margins of distinct counts need not be sums (an alliance with needs in two
domains counts once in its organisation's total). Each line (a row, a column,
the row of column totals, the column of row totals) is treated as
``total == sum(members)`` when that holds in the data, and otherwise as
``each member <= total <= sum(members)``, which is what any reader knows about
distinct counts. Using the equality wherever it happens to hold is
conservative: it gives the attacker at least what they can know.

The reasons (primary, complementary, differencing) are for the people who run
reports and for the audit trail. They must never be shown to readers: knowing
that a hidden value is *primary* tells that it is below ``k``. Render every
hidden value the same way; ``published()`` returns the numbers without reasons.
"""

from __future__ import annotations

import math
from abc import ABC, abstractmethod
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from numbers import Integral
from typing import NamedTuple

import numpy as np
from scipy.optimize import Bounds, LinearConstraint, linprog, milp

DEFAULT_THRESHOLD = 5
MIN_THRESHOLD = 3

Position = tuple  # ("cell", i, j) | ("row_total", i) | ("column_total", j) | ("grand_total",)
#                   1-D: ("cell", j) | ("total",)


class Refused(RuntimeError):
    """Protecting the tables would need a table already published to hide more."""


class Reason(StrEnum):
    PRIMARY = "primary"
    COMPLEMENTARY = "complementary"
    DIFFERENCING = "differencing"


@dataclass(frozen=True, slots=True)
class Cell:
    """A published count, or a hidden one (``value is None``) with why it is hidden."""

    value: int | None
    reason: Reason | None = None

    @property
    def hidden(self) -> bool:
        return self.value is None


class Interval(NamedTuple):
    """What an attacker can prove about a hidden value: ``low <= value <= high``."""

    low: float
    high: float  # math.inf when nothing bounds it from above

    @property
    def pinned(self) -> bool:
        return self.low == self.high


@dataclass(frozen=True, slots=True)
class Finding:
    """A protection failure found by ``audit`` or ``differencing_exposures``."""

    position: Position
    problem: str  # published_small | single_hidden_in_line | pinned | below_threshold
    #               | difference_exact | difference_small
    interval: Interval | None = None


def check_threshold(k) -> int:
    if isinstance(k, bool) or not isinstance(k, Integral):
        raise ValueError(f"The suppression threshold must be a whole number, not {k!r}.")
    if k < MIN_THRESHOLD:
        raise ValueError(f"The suppression threshold must be at least {MIN_THRESHOLD} (got {k}).")
    return int(k)


# --------------------------------------------------------------------------- layout


@dataclass(frozen=True)
class _Layout:
    """Positions of a table in a fixed order, and its lines (members, total)."""

    shape: tuple[int, ...]
    positions: tuple[Position, ...]
    lines: tuple[tuple[tuple[int, ...], int], ...]
    index: dict = field(compare=False, repr=False)
    lines_of: tuple[tuple[int, ...], ...] = field(compare=False, repr=False)
    rank: tuple[int, ...] = field(compare=False, repr=False)  # cells 0, totals 1, grand 2

    @classmethod
    def build(cls, shape, positions, lines, rank):
        index = {p: i for i, p in enumerate(positions)}
        lines_of = [[] for _ in positions]
        for n, (members, total) in enumerate(lines):
            for i in (*members, total):
                lines_of[i].append(n)
        return cls(
            tuple(shape),
            tuple(positions),
            tuple(lines),
            index,
            tuple(tuple(x) for x in lines_of),
            tuple(rank),
        )


def _layout_2d(m: int, n: int) -> _Layout:
    positions = [("cell", i, j) for i in range(m) for j in range(n)]
    positions += [("row_total", i) for i in range(m)]
    positions += [("column_total", j) for j in range(n)]
    positions.append(("grand_total",))
    rank = [0] * (m * n) + [1] * (m + n) + [2]
    R, C, G = m * n, m * n + m, m * n + m + n
    lines = [(tuple(i * n + j for j in range(n)), R + i) for i in range(m)]
    lines += [(tuple(i * n + j for i in range(m)), C + j) for j in range(n)]
    lines.append((tuple(C + j for j in range(n)), G))
    lines.append((tuple(R + i for i in range(m)), G))
    return _Layout.build((m, n), positions, lines, rank)


def _layout_1d(n: int) -> _Layout:
    positions = [("cell", j) for j in range(n)] + [("total",)]
    return _Layout.build((n,), positions, [(tuple(range(n)), n)], [0] * n + [2])


# --------------------------------------------------------------------------- input


def _count(value, what: str) -> int:
    if isinstance(value, bool) or not isinstance(value, Integral):
        raise ValueError(f"{what} must be a whole number, not {value!r}.")
    if value < 0:
        raise ValueError(f"{what} cannot be negative (got {value}).")
    return int(value)


def _additivity(layout: _Layout, values: Sequence[int]) -> tuple[bool, ...]:
    flags = []
    for members, total in layout.lines:
        parts = [values[i] for i in members]
        t = values[total]
        if t == sum(parts):
            flags.append(True)
        elif max(parts) <= t <= sum(parts):
            flags.append(False)  # distinct counts with overlap
        else:
            raise ValueError(
                f"The total at {layout.positions[total]} ({t}) must lie between the largest "
                f"({max(parts)}) and the sum ({sum(parts)}) of the counts it covers."
            )
    return tuple(flags)


@dataclass(frozen=True)
class CountTable:
    """A 2-D table of counts of distinct alliances with its margins."""

    counts: tuple[tuple[int, ...], ...]
    row_totals: tuple[int, ...]
    column_totals: tuple[int, ...]
    grand_total: int

    @classmethod
    def of(cls, counts, *, row_totals=None, column_totals=None, grand_total=None):
        rows = [list(r) for r in counts]
        if not rows or not rows[0]:
            raise ValueError("A table needs at least one row and one column.")
        n = len(rows[0])
        if any(len(r) != n for r in rows):
            raise ValueError("Every row of the table must have the same number of columns.")
        cells = tuple(
            tuple(_count(v, f"The count at row {i}, column {j}") for j, v in enumerate(r))
            for i, r in enumerate(rows)
        )
        rt = (
            tuple(sum(r) for r in cells)
            if row_totals is None
            else tuple(_count(v, f"Row total {i}") for i, v in enumerate(row_totals))
        )
        ct = (
            tuple(sum(r[j] for r in cells) for j in range(n))
            if column_totals is None
            else tuple(_count(v, f"Column total {j}") for j, v in enumerate(column_totals))
        )
        if len(rt) != len(cells) or len(ct) != n:
            raise ValueError("There must be one row total per row and one column total per column.")
        gt = sum(ct) if grand_total is None else _count(grand_total, "The grand total")
        table = cls(cells, rt, ct, gt)
        _additivity(table._layout(), table._values())  # validates margins
        return table

    @property
    def shape(self) -> tuple[int, int]:
        return len(self.counts), len(self.counts[0])

    def _layout(self) -> _Layout:
        return _layout_2d(*self.shape)

    def _values(self) -> tuple[int, ...]:
        return (
            *(v for r in self.counts for v in r),
            *self.row_totals,
            *self.column_totals,
            self.grand_total,
        )


@dataclass(frozen=True)
class CountSeries:
    """A 1-D series of counts of distinct alliances (categories) with its total."""

    counts: tuple[int, ...]
    total: int

    @classmethod
    def of(cls, counts, *, total=None):
        cells = tuple(_count(v, f"The count at position {j}") for j, v in enumerate(counts))
        if not cells:
            raise ValueError("A series needs at least one category.")
        t = sum(cells) if total is None else _count(total, "The total")
        series = cls(cells, t)
        _additivity(series._layout(), series._values())
        return series

    @property
    def shape(self) -> tuple[int]:
        return (len(self.counts),)

    def _layout(self) -> _Layout:
        return _layout_1d(len(self.counts))

    def _values(self) -> tuple[int, ...]:
        return (*self.counts, self.total)


# --------------------------------------------------------------------------- output


class _Published(ABC):
    k: int
    _additive: tuple[bool, ...]

    @abstractmethod
    def _layout(self) -> _Layout: ...

    @abstractmethod
    def _cells_in_order(self) -> tuple[Cell, ...]: ...

    def cell(self, position: Position) -> Cell:
        return self._cells_in_order()[self._layout().index[tuple(position)]]

    def hidden(self) -> dict[Position, Reason]:
        """Every hidden position with its reason (internal use, never for readers)."""
        layout = self._layout()
        return {
            layout.positions[i]: c.reason for i, c in enumerate(self._cells_in_order()) if c.hidden
        }


@dataclass(frozen=True)
class SuppressedTable(_Published):
    k: int
    cells: tuple[tuple[Cell, ...], ...]
    row_totals: tuple[Cell, ...]
    column_totals: tuple[Cell, ...]
    grand_total: Cell
    _additive: tuple[bool, ...] = field(repr=False)

    @property
    def shape(self) -> tuple[int, int]:
        return len(self.cells), len(self.cells[0])

    def _layout(self) -> _Layout:
        return _layout_2d(*self.shape)

    def _cells_in_order(self) -> tuple[Cell, ...]:
        return (
            *(c for r in self.cells for c in r),
            *self.row_totals,
            *self.column_totals,
            self.grand_total,
        )

    def published(self) -> dict:
        """What readers may see: numbers, ``None`` where hidden, no reasons."""
        return {
            "cells": [[c.value for c in r] for r in self.cells],
            "row_totals": [c.value for c in self.row_totals],
            "column_totals": [c.value for c in self.column_totals],
            "grand_total": self.grand_total.value,
        }


@dataclass(frozen=True)
class SuppressedSeries(_Published):
    k: int
    cells: tuple[Cell, ...]
    total: Cell
    _additive: tuple[bool, ...] = field(repr=False)

    @property
    def shape(self) -> tuple[int]:
        return (len(self.cells),)

    def _layout(self) -> _Layout:
        return _layout_1d(len(self.cells))

    def _cells_in_order(self) -> tuple[Cell, ...]:
        return (*self.cells, self.total)

    def published(self) -> dict:
        return {"cells": [c.value for c in self.cells], "total": self.total.value}


# --------------------------------------------------------------------------- work state


class _Work:
    """Mutable suppression state of one table: true values and reasons (None = shown)."""

    def __init__(self, table: CountTable | CountSeries, k: int):
        self.table = table
        self.k = k
        self.layout = table._layout()
        self.values = table._values()
        self.additive = _additivity(self.layout, self.values)
        self.reasons: list[Reason | None] = [None] * len(self.values)
        # Values of a table already published cannot be hidden any more.
        self.mutable = [True] * len(self.values)
        # A difference between linked values that is k or more needs no protection.
        self.exempt = [False] * len(self.values)

    def is_hidden(self, i: int) -> bool:
        return self.reasons[i] is not None

    def hide(self, i: int, reason: Reason) -> None:
        assert self.reasons[i] is None and self.values[i] > 0
        self.reasons[i] = reason

    def known(self) -> list[int | None]:
        return [
            None if r is not None else v for v, r in zip(self.values, self.reasons, strict=True)
        ]

    def result(self) -> SuppressedTable | SuppressedSeries:
        cells = [
            Cell(None, r) if r is not None else Cell(v)
            for v, r in zip(self.values, self.reasons, strict=True)
        ]
        if isinstance(self.table, CountSeries):
            n = len(self.table.counts)
            return SuppressedSeries(self.k, tuple(cells[:n]), cells[n], self.additive)
        m, n = self.table.shape
        mn = m * n
        return SuppressedTable(
            self.k,
            tuple(tuple(cells[i * n : (i + 1) * n]) for i in range(m)),
            tuple(cells[mn : mn + m]),
            tuple(cells[mn + m : mn + m + n]),
            cells[-1],
            self.additive,
        )


# --------------------------------------------------------------------------- the attacker's program


class _Program:
    """Integer linear program over the hidden values of one or two tables.

    Each table contributes its line constraints; hidden values are variables
    with a lower bound of 1 (zeros are always shown), published ones constants.
    """

    def __init__(self):
        self.n = 0
        self.eq: list[tuple[dict[int, float], float]] = []
        self.le: list[tuple[dict[int, float], float]] = []
        self.lower: list[float] = []
        self._matrices = None

    def add_table(self, layout: _Layout, known: Sequence[int | None], additive, lower=None) -> list:
        """Add one table; return, per position, an affine expression (coefs, constant).
        A hidden value is at least 1 (zeros are shown) unless `lower` says otherwise."""
        exprs = []
        for i, v in enumerate(known):
            if v is None:
                exprs.append(({self.n: 1.0}, 0.0))
                self.lower.append(1.0 if lower is None else lower[i])
                self.n += 1
            else:
                exprs.append(({}, float(v)))
        for (members, total), add in zip(layout.lines, additive, strict=True):
            parts = [exprs[i] for i in members]
            if add:
                self._constrain(self.eq, [*((p, 1.0) for p in parts), (exprs[total], -1.0)])
            else:
                self._line_inequalities(parts, exprs[total])
        return exprs

    def _line_inequalities(self, parts, total) -> None:
        for p in parts:  # member <= total
            self._constrain(self.le, [(p, 1.0), (total, -1.0)])
        self._constrain(self.le, [(total, 1.0), *((p, -1.0) for p in parts)])  # total <= sum

    @staticmethod
    def combine(terms) -> tuple[dict[int, float], float]:
        coefs: dict[int, float] = {}
        const = 0.0
        for (c, k0), w in terms:
            for i, a in c.items():
                coefs[i] = coefs.get(i, 0.0) + w * a
            const += w * k0
        return {i: a for i, a in coefs.items() if a != 0.0}, const

    def _constrain(self, rows, terms) -> None:
        coefs, const = self.combine(terms)
        if coefs:  # rows without variables hold in the true data
            rows.append((coefs, -const))
            self._matrices = None

    def _build(self):
        if self._matrices is None:

            def dense(rows):
                if not rows:
                    return None, None
                a = np.zeros((len(rows), self.n))
                for r, (coefs, _) in enumerate(rows):
                    for i, v in coefs.items():
                        a[r, i] = v
                return a, np.array([b for _, b in rows])

            self._matrices = (*dense(self.eq), *dense(self.le))
        return self._matrices

    def _minimum(self, coefs: dict[int, float]) -> float:
        """Smallest integer value of sum(coefs[i] * x[i]) over the feasible set."""
        a_eq, b_eq, a_ub, b_ub = self._build()
        c = np.zeros(self.n)
        for i, v in coefs.items():
            c[i] = v
        lower = np.array(self.lower)
        bounds = [(low, None) for low in self.lower]
        res = linprog(
            c,
            A_ub=a_ub,
            b_ub=b_ub,
            A_eq=a_eq,
            b_eq=b_eq,
            bounds=bounds,
            method="highs",
        )
        if res.status == 2:
            # The true table is always a feasible point, so "infeasible" is HiGHS's
            # presolve misreading an unbounded program (seen when the largest value
            # of a distinct total is asked for): solve again without presolve.
            res = linprog(
                c,
                A_ub=a_ub,
                b_ub=b_ub,
                A_eq=a_eq,
                b_eq=b_eq,
                bounds=bounds,
                method="highs",
                options={"presolve": False},
            )
        if res.status == 3:
            return -math.inf
        if res.status != 0:
            raise RuntimeError(f"Suppression audit: program not solved ({res.message}).")
        x = res.x
        if not np.allclose(x, np.round(x), atol=1e-7):
            # The attacker knows counts are integers: the relaxation may be too generous.
            cons = []
            if a_eq is not None:
                cons.append(LinearConstraint(a_eq, b_eq, b_eq))
            if a_ub is not None:
                cons.append(LinearConstraint(a_ub, -np.inf, b_ub))
            res = milp(
                c,
                integrality=np.ones(self.n),
                bounds=Bounds(lower, np.inf),
                constraints=cons,
                options={"mip_rel_gap": 0.0},
            )
            if res.status != 0:
                raise RuntimeError(f"Suppression audit: integer program failed ({res.message}).")
            x = np.round(res.x)
        return float(round(float(c @ x)))

    def interval(self, expr) -> Interval:
        coefs, const = expr
        if not coefs:
            return Interval(const, const)
        low = self._minimum(coefs) + const
        high = -self._minimum({i: -v for i, v in coefs.items()}) + const
        return Interval(low, high)

    def high(self, expr) -> float:
        coefs, const = expr
        return -self._minimum({i: -v for i, v in coefs.items()}) + const if coefs else const

    def low(self, expr) -> float:
        coefs, const = expr
        return self._minimum(coefs) + const if coefs else const


def _protected(program: _Program, expr, true_value: int, k: int) -> bool:
    """Interval reaches k and is not a single point (true value is always feasible)."""
    high = program.high(expr)
    if high < k:
        return False
    if high > true_value:
        return True
    return program.low(expr) < true_value


# --------------------------------------------------------------------------- suppression steps


def _primary(work: _Work) -> None:
    for i, v in enumerate(work.values):
        if 0 < v < work.k and work.mutable[i] and not work.is_hidden(i):
            work.hide(i, Reason.PRIMARY)


def _choose(work: _Work, candidates: Iterable[int]) -> int | None:
    """The published non-zero value whose hiding costs least: first the one that
    starts the fewest new lines needing a second hidden value (each would cost at
    least one more), then the smallest count, then cells before margins, then
    position order."""
    pool = [
        i for i in candidates if work.mutable[i] and not work.is_hidden(i) and work.values[i] > 0
    ]
    if not pool:
        return None

    def opens(i: int) -> int:
        return sum(
            not any(work.is_hidden(j) for j in (*work.layout.lines[n][0], work.layout.lines[n][1]))
            for n in work.layout.lines_of[i]
        )

    def dead_end(i: int) -> bool:
        """Hiding i would leave a line with one hidden value and nothing left to hide
        in it (possible when other values are published already, `suppress_linked`)."""
        for n in work.layout.lines_of[i]:
            members, total = work.layout.lines[n]
            line = (*members, total)
            if any(work.is_hidden(j) and not work.exempt[j] for j in line):
                continue
            if not any(
                j != i and work.mutable[j] and work.values[j] > 0 and not work.is_hidden(j)
                for j in line
            ):
                return True
        return False

    return min(pool, key=lambda i: (dead_end(i), opens(i), work.values[i], work.layout.rank[i], i))


def _line_rule(work: _Work, reason: Reason = Reason.COMPLEMENTARY) -> None:
    """No line may hold exactly one hidden value."""
    changed = True
    while changed:
        changed = False
        for members, total in work.layout.lines:
            line = (*members, total)
            if sum(work.is_hidden(i) and not work.exempt[i] for i in line) == 1:
                pick = _choose(work, line)
                if pick is None:
                    # In one table, cannot happen (a hidden value > 0 implies another
                    # > 0); across tables, the others may be published already.
                    single = next(i for i in line if work.is_hidden(i) and not work.exempt[i])
                    raise Refused(
                        "no complementary value available in the line of "
                        f"{work.layout.positions[single]}: "
                        f"{[(work.layout.positions[i], work.values[i]) for i in line]}"
                    )
                work.hide(pick, reason)
                changed = True


def _near(work: _Work, start: int) -> int:
    """Smallest non-zero published value on the lines of ``start``, widening along
    lines through hidden values until one is found."""
    seen_lines: set[int] = set()
    frontier = {start}
    seen = {start}
    while frontier:
        lines = {n for i in frontier for n in work.layout.lines_of[i]} - seen_lines
        seen_lines |= lines
        members = {i for n in lines for i in (*work.layout.lines[n][0], work.layout.lines[n][1])}
        pick = _choose(work, sorted(members))
        if pick is not None:
            return pick
        frontier = {i for i in members if work.is_hidden(i)} - seen
        seen |= frontier
    pick = _choose(work, range(len(work.values)))
    if pick is None:
        raise Refused("nothing left to hide, yet the audit fails")
    return pick


def _protect(work: _Work, verified: set[int]) -> None:
    """Complementary suppression until every hidden value of the table passes."""
    _line_rule(work)
    while True:
        program = _Program()
        exprs = program.add_table(work.layout, work.known(), work.additive)
        failing = None
        for i, v in enumerate(work.values):
            if work.is_hidden(i) and not work.exempt[i] and i not in verified:
                if _protected(program, exprs[i], v, work.k):
                    verified.add(i)  # hiding more only widens intervals: stays verified
                else:
                    failing = i
                    break
        if failing is None:
            return
        work.hide(_near(work, failing), Reason.COMPLEMENTARY)
        _line_rule(work)


def _joint(small: _Work | _Published, large: _Work | _Published):
    """Program over two nested tables; returns it with expressions per position for
    the smaller table, the larger one and their difference."""
    if isinstance(small, _Work):
        s_layout, s_known, s_add = small.layout, small.known(), small.additive
        l_layout, l_known, l_add = large.layout, large.known(), large.additive
    else:
        s_layout, s_known, s_add = small._layout(), _known(small), small._additive
        l_layout, l_known, l_add = large._layout(), _known(large), large._additive
    program = _Program()
    s = program.add_table(s_layout, s_known, s_add)
    big = program.add_table(l_layout, l_known, l_add)
    diff = [program.combine([(b, 1.0), (a, -1.0)]) for a, b in zip(s, big, strict=True)]
    for d in diff:  # a larger scope counts at least as many alliances
        program._constrain(program.le, [(d, -1.0)])
    for (members, total), add in zip(l_layout.lines, l_add, strict=True):
        if not add:  # the added alliances are distinct counts too
            program._line_inequalities([diff[i] for i in members], diff[total])
    return program, s, big, diff


def _known(result: _Published) -> list[int | None]:
    return [c.value for c in result._cells_in_order()]


# --------------------------------------------------------------------------- public API


def suppress(table: CountTable | CountSeries, *, k: int = DEFAULT_THRESHOLD):
    """Primary and complementary suppression of one table or series."""
    k = check_threshold(k)
    work = _Work(table, k)
    _primary(work)
    _protect(work, set())
    return work.result()


def suppress_table(
    counts, *, row_totals=None, column_totals=None, grand_total=None, k: int = DEFAULT_THRESHOLD
) -> SuppressedTable:
    """Suppress a 2-D table. Margins default to the sums of the counts; pass them
    when they are distinct counts that are not sums."""
    k = check_threshold(k)
    return suppress(
        CountTable.of(
            counts, row_totals=row_totals, column_totals=column_totals, grand_total=grand_total
        ),
        k=k,
    )


def suppress_series(counts, *, total=None, k: int = DEFAULT_THRESHOLD) -> SuppressedSeries:
    """Suppress a 1-D series of categories and its total."""
    k = check_threshold(k)
    return suppress(CountSeries.of(counts, total=total), k=k)


def suppress_related(
    tables: Sequence[CountTable | CountSeries],
    pairs: Iterable[tuple[int, int]] | None = None,
    *,
    k: int = DEFAULT_THRESHOLD,
) -> list:
    """Suppress tables that will be published together, so that subtracting two of
    them does not reveal a small count.

    ``pairs`` lists ``(smaller, larger)`` indexes of tables with the same layout
    whose scopes are nested, typically a scope and the same scope plus one
    organisation; by default the tables form a chain ``(0, 1), (1, 2), ...``.
    Each pair is audited on its own (not three tables at once). Extra values
    are only ever hidden in the larger table of a failing pair.
    """
    k = check_threshold(k)
    tables = list(tables)
    pairs = (
        [(i, i + 1) for i in range(len(tables) - 1)]
        if pairs is None
        else [(int(a), int(b)) for a, b in pairs]
    )
    for a, b in pairs:
        if not (0 <= a < len(tables) and 0 <= b < len(tables)) or a == b:
            raise ValueError(f"Invalid pair of tables {(a, b)}.")
        ta, tb = tables[a], tables[b]
        if type(ta) is not type(tb) or ta.shape != tb.shape:
            raise ValueError(f"Tables {a} and {b} must have the same layout to be compared.")
        if any(x > y for x, y in zip(ta._values(), tb._values(), strict=True)):
            raise ValueError(
                f"Table {b} must count at least as many as table {a} everywhere: "
                "the scope of the larger report must contain the smaller one."
            )
    works = [_Work(t, k) for t in tables]
    verified_single = [set() for _ in works]
    verified_pair: dict[tuple[int, int], set] = {p: set() for p in pairs}
    # Smaller scopes first, so that the larger table knows what the smaller one shows.
    for t in _smaller_first(len(works), pairs):
        large = works[t]
        _primary(large)
        for a, b in pairs:
            if b != t:
                continue
            small = works[a]
            for i, (x, y) in enumerate(zip(small.values, large.values, strict=True)):
                # Shown in both with a small difference: subtracting gives it exactly.
                if 0 < y - x < k and not small.is_hidden(i) and not large.is_hidden(i):
                    large.hide(i, Reason.DIFFERENCING)
        _protect(large, verified_single[t])
    changed = True
    while changed:
        changed = False
        for a, b in pairs:
            small, large = works[a], works[b]
            failing = _pair_failure(small, large, verified_pair[(a, b)])
            if failing is not None:
                if not large.is_hidden(failing):
                    large.hide(failing, Reason.DIFFERENCING)
                else:
                    large.hide(_near(large, failing), Reason.DIFFERENCING)
                _line_rule(large)
                _protect(large, verified_single[b])
                changed = True
                break
    return [w.result() for w in works]


def _smaller_first(count: int, pairs: Sequence[tuple[int, int]]) -> list[int]:
    """Table indexes with every smaller scope before the larger ones (index order
    otherwise)."""
    before = {t: {a for a, b in pairs if b == t} for t in range(count)}
    order: list[int] = []
    while len(order) < count:
        ready = [t for t in range(count) if t not in order and before[t] <= set(order)]
        order.append(ready[0] if ready else min(set(range(count)) - set(order)))
    return order


def _pair_failure(small: _Work, large: _Work, verified: set) -> int | None:
    program, s, big, diff = _joint(small, large)
    k = small.k
    checks = []
    for i, (x, y) in enumerate(zip(small.values, large.values, strict=True)):
        if 0 < y - x < k:
            checks.append((("d", i), diff[i], y - x))
    checks += [(("s", i), s[i], v) for i, v in enumerate(small.values) if small.is_hidden(i)]
    checks += [(("l", i), big[i], v) for i, v in enumerate(large.values) if large.is_hidden(i)]
    for key, expr, value in checks:
        if key in verified:
            continue
        if _protected(program, expr, value, k):
            verified.add(key)
        else:
            return key[1]
    return None


def feasible_intervals(result: SuppressedTable | SuppressedSeries) -> dict[Position, Interval]:
    """The attacker's interval for every hidden value, from the published table only."""
    program = _Program()
    layout = result._layout()
    known = _known(result)
    exprs = program.add_table(layout, known, result._additive)
    return {
        layout.positions[i]: program.interval(exprs[i]) for i, v in enumerate(known) if v is None
    }


def audit(result: SuppressedTable | SuppressedSeries) -> list[Finding]:
    """Check a published table: nothing shown in 1..k-1, no line with a single
    hidden value, and every hidden value has ``low < high`` and ``high >= k``."""
    k = result.k
    layout = result._layout()
    known = _known(result)
    findings = [
        Finding(layout.positions[i], "published_small")
        for i, v in enumerate(known)
        if v is not None and 0 < v < k
    ]
    for members, total in layout.lines:
        hidden = [i for i in (*members, total) if known[i] is None]
        if len(hidden) == 1:
            findings.append(Finding(layout.positions[hidden[0]], "single_hidden_in_line"))
    for position, interval in feasible_intervals(result).items():
        if interval.pinned:
            findings.append(Finding(position, "pinned", interval))
        elif interval.high < k:
            findings.append(Finding(position, "below_threshold", interval))
    return findings


def difference_intervals(
    smaller: SuppressedTable | SuppressedSeries, larger: SuppressedTable | SuppressedSeries
) -> dict[Position, Interval]:
    """What subtracting two published reports with nested scopes proves about the
    alliances in the larger scope only, position by position."""
    if type(smaller) is not type(larger) or smaller.shape != larger.shape:
        raise ValueError("Both reports must have the same layout to be compared.")
    program, _, _, diff = _joint(smaller, larger)
    layout = larger._layout()
    return {p: program.interval(diff[i]) for i, p in enumerate(layout.positions)}


def differencing_exposures(
    smaller: SuppressedTable | SuppressedSeries, larger: SuppressedTable | SuppressedSeries
) -> list[Finding]:
    """Positions where the difference between two published reports is proven to be
    a small count: exactly a value in 1..k-1 (``difference_exact``), or somewhere
    inside 1..k-1 (``difference_small``)."""
    k = max(smaller.k, larger.k)
    findings = []
    for position, interval in difference_intervals(smaller, larger).items():
        if interval.low >= 1 and interval.high <= k - 1:
            problem = "difference_exact" if interval.pinned else "difference_small"
            findings.append(Finding(position, problem, interval))
    return findings


# --------------------------------------------------------------------------- linked tables


Place = tuple  # (table index, position)


@dataclass(frozen=True)
class Link:
    """A relation between values of several tables that a reader can know: `whole`
    counts everyone `parts` count (disjoint populations), plus a population of its own
    (the gap, ``whole - sum(parts)``). With one part and no gap, the two values are
    the same number shown in two places: the whole-period table and the last column
    of a trend, two reports on periods that end on the same day. With a gap, the gap
    is what subtracting them reveals (the alliances created between two period ends):
    it is protected like a hidden value when it is below k."""

    parts: tuple[Place, ...]
    whole: Place
    # The reader knows that the gap is 0: the same number in two places.
    equal: bool = False


def _gap(tables, link: Link) -> int:
    def value(place):
        t, position = place
        table = tables[t]
        return table._values()[table._layout().index[tuple(position)]]

    gap = value(link.whole) - sum(value(p) for p in link.parts)
    if gap < 0:
        raise ValueError(f"{link} does not hold: the whole counts fewer than its parts.")
    return gap


def _combined(works: list[_Work], tables, links: Sequence[Link], k: int) -> _Work:
    """One work state over several tables and the gaps of their links, so that the
    suppression steps and the attacker's program see them as one table whose lines
    are every table's lines plus one line per link."""
    offsets, n = [], 0
    for w in works:
        offsets.append(n)
        n += len(w.values)
    positions = [(t, *p) for t, w in enumerate(works) for p in w.layout.positions]
    lines = [
        (tuple(offsets[t] + i for i in members), offsets[t] + total)
        for t, w in enumerate(works)
        for members, total in w.layout.lines
    ]
    additive = [flag for w in works for flag in w.additive]
    rank = [r for w in works for r in w.layout.rank]
    values = [v for w in works for v in w.values]
    reasons = [r for w in works for r in w.reasons]
    mutable = [m for w in works for m in w.mutable]
    exempt = [False] * len(values)

    def index(place):
        t, position = place
        return offsets[t] + works[t].layout.index[tuple(position)]

    for number, link in enumerate(links):
        members = [index(p) for p in link.parts]
        gap = _gap(tables, link)
        if gap and link.equal:
            raise ValueError(f"{link} does not hold: the values differ.")
        if gap:
            positions.append(("gap", number))
            members.append(len(values))
            values.append(gap)
            reasons.append(Reason.DIFFERENCING)  # never published: the reader computes it
            mutable.append(False)
            exempt.append(gap >= k)
            rank.append(3)
        lines.append((tuple(members), index(link.whole)))
        additive.append(True)
    joint = _Work.__new__(_Work)
    joint.table, joint.k = None, k
    joint.layout = _Layout.build((len(values),), positions, lines, rank)
    joint.values, joint.additive = tuple(values), tuple(additive)
    joint.reasons, joint.mutable, joint.exempt = reasons, mutable, exempt
    joint.offsets = offsets
    return joint


def suppress_linked(
    tables: Sequence[CountTable | CountSeries],
    links: Sequence[Link],
    *,
    k: int = DEFAULT_THRESHOLD,
    published: dict | None = None,
    hidden: dict | None = None,
) -> list:
    """Suppress tables published together whose values are linked (`Link`): a trend
    and its whole-period table, tables whose totals count the same alliances, two
    reports on nested periods of the same scope. One attacker's program covers them
    all, so that nothing can be recovered by combining them.

    ``published``: {index: result} for tables already published (their true counts
    in ``tables``): never changed; if protecting the others is not enough, raises
    ``Refused``. ``hidden``: {index: positions} to hide from the start (what the
    protection of nested scopes already hides)."""
    k = check_threshold(k)
    published, hidden = published or {}, hidden or {}
    works = []
    for t, table in enumerate(tables):
        work = _Work(table, k)
        if t in published:
            shown = _known(published[t])
            for i, v in enumerate(work.values):
                # A value hidden then but 0 now is known to be 0 now.
                if shown[i] is None and v > 0:
                    work.reasons[i] = Reason.COMPLEMENTARY
            work.mutable = [False] * len(work.values)
        for position in hidden.get(t, ()):
            i = work.layout.index[tuple(position)]
            if not work.is_hidden(i) and work.values[i] > 0:
                work.hide(i, Reason.DIFFERENCING)
        works.append(work)
    joint = _combined(works, tables, links, k)
    _fix_published_twins(joint)
    _primary(joint)
    _protect(joint, set())
    results = []
    for t, (work, offset) in enumerate(zip(works, joint.offsets, strict=True)):
        if t in published:
            results.append(published[t])
            continue
        work.reasons = joint.reasons[offset : offset + len(work.values)]
        results.append(work.result())
    return results


def _fix_published_twins(joint: _Work) -> None:
    """A value that published tables already give away (equal to one they show, or
    the last unknown of a line that adds up) is public: it stays shown, since hiding
    it would protect nothing and could ask a published table to hide more; and so
    do the values that follow from it."""

    def public(i: int) -> bool:
        return joint.values[i] == 0 or (not joint.mutable[i] and not joint.is_hidden(i))

    changed = True
    while changed:
        changed = False
        for (members, total), additive in zip(joint.layout.lines, joint.additive, strict=True):
            if not additive:
                continue
            unknown = [i for i in (*members, total) if not public(i)]
            if len(unknown) != 1:
                continue
            (i,) = unknown
            if joint.mutable[i] and not 0 < joint.values[i] < joint.k:
                joint.reasons[i] = None
                joint.mutable[i] = False
                changed = True


def linked_exposures(results: Sequence, links: Sequence[Link]) -> list[Finding]:
    """What a reader who holds every published table and knows the links can prove:
    a hidden value pinned or below k (``pinned``, ``below_threshold``), or the gap of
    a link inside 1..k-1 (``difference_exact``, ``difference_small``). Gaps may be 0
    for the reader (nothing tells them that something happened between two dates)."""
    k = max(r.k for r in results)
    program = _Program()
    exprs, offsets = [], []
    for r in results:
        offsets.append(len(exprs))
        exprs += program.add_table(r._layout(), _known(r), r._additive)
    exposures, gaps = [], []
    for number, link in enumerate(links):
        parts = [exprs[offsets[t] + results[t]._layout().index[tuple(p)]] for t, p in link.parts]
        t, p = link.whole
        whole = exprs[offsets[t] + results[t]._layout().index[tuple(p)]]
        if link.equal:
            program._constrain(program.eq, [*((e, 1.0) for e in parts), (whole, -1.0)])
            continue
        gap = ({program.n: 1.0}, 0.0)
        program.lower.append(0.0)
        program.n += 1
        program._constrain(program.eq, [*((e, 1.0) for e in parts), (gap, 1.0), (whole, -1.0)])
        gaps.append((number, gap))
    for number, gap in gaps:  # once every link is known
        interval = program.interval(gap)
        if interval.low >= 1 and interval.high <= k - 1:
            problem = "difference_exact" if interval.pinned else "difference_small"
            exposures.append(Finding(("gap", number), problem, interval))
    for t, r in enumerate(results):
        layout = r._layout()
        for i, v in enumerate(_known(r)):
            if v is None:
                interval = program.interval(exprs[offsets[t] + i])
                if interval.pinned:
                    exposures.append(Finding((t, *layout.positions[i]), "pinned", interval))
                elif interval.high < k:
                    exposures.append(
                        Finding((t, *layout.positions[i]), "below_threshold", interval)
                    )
    return exposures


def as_published(table: CountTable | CountSeries, shown: Sequence[int | None], k: int):
    """The result a report published for `table` (its true counts now), from the
    values it shows (``None`` where hidden, in position order), for
    ``suppress_linked(published=...)``."""
    work = _Work(table, check_threshold(k))
    for i, (value, true) in enumerate(zip(shown, work.values, strict=True)):
        if value is None and true > 0:
            work.reasons[i] = Reason.COMPLEMENTARY
    return work.result()
