"""When a review (point d'étape) is due, as plain Python (no Django).

The law asks for a review of the personalised project at least once a year. The
next review falls on the date the allies set; without one, twelve months after the
last review, or after the charter's first signature by every ally. A review is
"due" from `DUE_SOON` days before that date, and "overdue" after it."""

import calendar
import datetime
from enum import StrEnum

MONTHS_BETWEEN_REVIEWS = 12
DUE_SOON = datetime.timedelta(days=30)


class ReviewState(StrEnum):
    NONE = "none"  # no signed charter yet: nothing to review
    LATER = "later"
    DUE = "due"
    OVERDUE = "overdue"


def add_months(day: datetime.date, months: int) -> datetime.date:
    """The same day `months` later, or the month's last day when it has no such day."""
    month0 = day.month - 1 + months
    year, month = day.year + month0 // 12, month0 % 12 + 1
    return datetime.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def next_review_on(
    *,
    planned: datetime.date | None,
    last_review: datetime.date | None,
    first_signed: datetime.date | None,
) -> datetime.date | None:
    if planned is not None:
        return planned
    start = last_review or first_signed
    return add_months(start, MONTHS_BETWEEN_REVIEWS) if start else None


def state(next_on: datetime.date | None, today: datetime.date) -> ReviewState:
    if next_on is None:
        return ReviewState.NONE
    if next_on < today:
        return ReviewState.OVERDUE
    if next_on - today <= DUE_SOON:
        return ReviewState.DUE
    return ReviewState.LATER


def latest_allowed(today: datetime.date) -> datetime.date:
    """Allies may push the next review back, but never beyond a year from today."""
    return add_months(today, MONTHS_BETWEEN_REVIEWS)


def counted_from_between(
    start: datetime.date, end: datetime.date
) -> tuple[datetime.date, datetime.date]:
    """The first and the last day a review or a first signature may fall on for the
    review it sets (twelve months later, `next_review_on`) to fall due between `start`
    and `end`, both included. A report compares the stored day with these two in the
    database instead of adding months there, which SQLite and PostgreSQL do
    differently at a month's end. Empty (first after last) when `end` < `start`."""
    step = datetime.timedelta(days=1)
    first = start - datetime.timedelta(days=400)
    while add_months(first, MONTHS_BETWEEN_REVIEWS) < start:
        first += step
    last = end - datetime.timedelta(days=400)
    while add_months(last + step, MONTHS_BETWEEN_REVIEWS) <= end:
        last += step
    return first, last
