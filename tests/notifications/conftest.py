import datetime

import pytest
from django.utils import timezone

from tests.notifications import flaky
from tests.notifications.queue import DATABASE_QUEUE


class Clock:
    def __init__(self, start):
        self.now = start

    def advance(self, **delta):
        self.now += datetime.timedelta(**delta)


@pytest.fixture
def clock(monkeypatch):
    """Time that moves only when the test says (the queue's `run_after` and the
    outbox read it): retries are driven without sleeping."""
    found = Clock(timezone.now())
    monkeypatch.setattr(timezone, "now", lambda: found.now)
    return found


@pytest.fixture
def database_queue(settings):
    settings.TASKS = DATABASE_QUEUE


@pytest.fixture
def flaky_transports(settings):
    settings.EMAIL_BACKEND = "tests.notifications.flaky.FlakyEmailBackend"
    settings.ALLIANCE_SMS_BACKEND = "tests.notifications.flaky.FlakySmsBackend"
    flaky.failures.clear()
    yield flaky.failures
    flaky.failures.clear()
