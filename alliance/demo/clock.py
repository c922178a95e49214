"""Replaying months of an alliance's life in a few seconds.

The demo is built with the same use-case functions as the views, and those date
what they record with `django.utils.timezone.now()`. To give a newcomer an
alliance that has lived for a year, each step of the story runs inside `as_of`,
which sets that clock back to the day the step happened; every moment handed out
inside one `as_of` block is a second later than the previous one, so the order of
the story is kept. Only the demo uses this: nothing in the product moves the clock.
"""

import datetime
from contextlib import contextmanager
from itertools import count
from unittest import mock

from django.utils import timezone


def days_ago(days: int, hour: int = 10) -> datetime.datetime:
    today = timezone.localdate()
    moment = datetime.datetime.combine(
        today - datetime.timedelta(days=days), datetime.time(hour=hour)
    )
    return timezone.make_aware(moment)


@contextmanager
def as_of(moment: datetime.datetime):
    if moment > timezone.now():
        raise ValueError("the demo replays the past, never the future")
    ticks = count()

    def now():
        return moment + datetime.timedelta(seconds=next(ticks))

    with mock.patch.object(timezone, "now", now):
        yield moment
