"""How a report's period is split into the sub-periods of its trends (ADR 0035).
Plain Python: no Django import.

The rule: the smallest calendar unit (month, quarter, half-year, year) that cuts the
period into at most `MAX_PERIODS` pieces. Pieces follow the calendar (a planner
compares "2025-Q3" with last year's, not "days 92 to 183 of my report") and are
clipped to the period, so the first and last ones may be shorter. A year is split
into quarters, two years into quarters, three or four years into half-years. More
pieces would make each of them small, and small counts are hidden anyway."""

import datetime
from dataclasses import dataclass

MAX_PERIODS = 8
# (unit, months per piece)
UNITS = (("month", 1), ("quarter", 3), ("half", 6), ("year", 12))


@dataclass(frozen=True)
class Period:
    key: str  # "2025-07" (month), "2025-Q3", "2025-S2" (half-year), "2025"
    start: datetime.date
    end: datetime.date  # inclusive

    def as_dict(self) -> dict:
        return {"key": self.key, "start": self.start.isoformat(), "end": self.end.isoformat()}


def _key(unit: str, year: int, month: int) -> str:
    if unit == "month":
        return f"{year}-{month:02d}"
    if unit == "quarter":
        return f"{year}-Q{(month - 1) // 3 + 1}"
    if unit == "half":
        return f"{year}-S{(month - 1) // 6 + 1}"
    return str(year)


def _pieces(start: datetime.date, end: datetime.date, unit: str, months: int) -> list[Period]:
    # First month of the calendar piece that holds `start`.
    month = (start.month - 1) // months * months + 1
    year = start.year
    pieces = []
    while True:
        piece_start = datetime.date(year, month, 1)
        if piece_start > end:
            return pieces
        next_month = month + months
        next_year = year + (next_month - 1) // 12
        next_month = (next_month - 1) % 12 + 1
        piece_end = datetime.date(next_year, next_month, 1) - datetime.timedelta(days=1)
        pieces.append(Period(_key(unit, year, month), max(piece_start, start), min(piece_end, end)))
        year, month = next_year, next_month


def split(start: datetime.date, end: datetime.date) -> list[Period]:
    """The sub-periods of [start, end] (both days included), in order; they cover the
    period exactly, without overlap."""
    if end < start:
        raise ValueError("A period cannot end before it starts.")
    for unit, months in UNITS:
        pieces = _pieces(start, end, unit, months)
        if len(pieces) <= MAX_PERIODS or unit == "year":
            return pieces
    raise AssertionError("unreachable: years always return")
