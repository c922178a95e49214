"""Scales and ticks: a fixed value scale, and a time axis whose ticks are hours,
days, weeks, months or years depending on the span of the data.

Dates and datetimes may be mixed: a date counts as midnight. An aware datetime is
read on its own wall clock (its tzinfo is dropped): convert it to the time zone
the reader lives in (Django's `localtime()`) before handing it over.
"""

import math
from dataclasses import dataclass
from datetime import date, datetime, timedelta


@dataclass(frozen=True)
class Scale:
    """The fixed value scale of a chart, e.g. 0–10 or an indicator's min–max."""

    low: float = 0
    high: float = 10

    def __post_init__(self):
        for bound in (self.low, self.high):
            if isinstance(bound, bool) or not isinstance(bound, int | float):
                raise ValueError(f"scale bound {bound!r} is not a number")
            if not math.isfinite(bound):
                raise ValueError(f"scale bound {bound!r} is not finite")
        if self.low >= self.high:
            raise ValueError(f"scale low {self.low} must be below high {self.high}")

    def clamp(self, value: float) -> float:
        return min(max(value, self.low), self.high)

    def fraction(self, value: float) -> float:
        """Where `value` sits on the scale, 0 at low and 1 at high (clamped)."""
        return (self.clamp(value) - self.low) / (self.high - self.low)

    def ticks(self, max_intervals: int = 6) -> list[float]:
        """Round values from low to high, at most `max_intervals` + 1 of them."""
        span = self.high - self.low
        magnitude = 10 ** math.floor(math.log10(span / max_intervals))
        for factor in (1, 2, 2.5, 5, 10, 20, 25, 50):
            step = factor * magnitude
            if span / step <= max_intervals:
                break
        first = math.ceil(self.low / step - 1e-9)
        last = math.floor(self.high / step + 1e-9)
        values = [round(k * step, 10) for k in range(first, last + 1)]
        return [int(v) if float(v).is_integer() else v for v in values]


def as_datetime(when: date | datetime) -> datetime:
    """A naive datetime for `when` (a date is midnight; an aware datetime keeps its
    wall clock)."""
    if isinstance(when, datetime):
        return when.replace(tzinfo=None)
    if isinstance(when, date):
        return datetime(when.year, when.month, when.day)
    raise ValueError(f"{when!r} is not a date or a datetime")


def seconds(when: datetime) -> float:
    """Seconds since 0001-01-01 of a naive datetime: a linear position in time."""
    return (when - datetime.min).total_seconds()


# Tick units from the finest to the coarsest: (unit, step, approximate length).
_HOUR, _DAY = timedelta(hours=1), timedelta(days=1)
_CANDIDATES = (
    [("hour", n, n * _HOUR) for n in (1, 2, 3, 6, 12)]
    + [("day", n, n * _DAY) for n in (1, 2, 7, 14)]
    + [("month", n, n * 30.44 * _DAY) for n in (1, 2, 3, 6)]
    + [("year", n, n * 365.25 * _DAY) for n in (1, 2, 5, 10, 20, 50, 100, 200, 500, 1000)]
)


@dataclass(frozen=True)
class TimeTicks:
    unit: str  # "hour", "day", "month" or "year"
    ticks: tuple[datetime, ...]


def time_ticks(
    start: datetime, end: datetime, *, max_ticks: int = 6, dates_only: bool = False
) -> TimeTicks:
    """Aligned ticks inside [start, end]: the finest unit giving 2 to `max_ticks`
    ticks (hours are skipped when the data are dates). With no such unit (a span
    under an hour, or a single instant) the ticks are the start and the end."""
    if end < start:
        raise ValueError("the end of a time axis is before its start")
    span = end - start
    for unit, step, length in _CANDIDATES:
        if dates_only and unit == "hour":
            continue
        if span / length > max_ticks + 1:
            continue  # too many ticks: do not even generate them
        ticks = _aligned(unit, step, start, end)
        if 2 <= len(ticks) <= max_ticks:
            return TimeTicks(unit, tuple(ticks))
    unit = "day" if dates_only or span >= _DAY else "hour"
    return TimeTicks(unit, (start,) if start == end else (start, end))


def _aligned(unit: str, step: int, start: datetime, end: datetime) -> list[datetime]:
    ticks = []
    if unit in ("hour", "day"):
        delta = step * (_HOUR if unit == "hour" else _DAY)
        midnight = datetime(start.year, start.month, start.day)
        if unit == "hour":
            current = midnight + math.ceil((start - midnight) / delta) * delta
        else:
            current = midnight if midnight == start else midnight + _DAY
        while current <= end:
            ticks.append(current)
            if current > datetime.max - delta:
                break
            current += delta
        return ticks
    if unit == "month":
        year, month = start.year, start.month
        month0 = (month - 1) // step * step  # 0-based, aligned on the step
        while True:
            if month0 >= 12:
                year, month0 = year + 1, month0 - 12
            if year > datetime.max.year:
                return ticks
            current = datetime(year, month0 + 1, 1)
            if current > end:
                return ticks
            if current >= start:
                ticks.append(current)
            month0 += step
    year = start.year // step * step
    while year <= end.year:
        if year >= 1:
            current = datetime(year, 1, 1)
            if start <= current <= end:
                ticks.append(current)
        year += step
    return ticks
