"""`alliance worker`: the database worker that also writes the heartbeat /readyz reads."""

import time

import pytest
from django.core.cache import cache
from django.core.management import call_command
from django_tasks_db.models import DBTaskResult

from alliance.notifications import heartbeat
from alliance.notifications.outbox import send_later
from tests.factories import UserFactory

KEY = "alliance:worker:last_seen"


def test_the_heartbeat_writes_the_time_under_the_shared_key(settings):
    assert settings.ALLIANCE_WORKER_HEARTBEAT_KEY == KEY
    assert settings.ALLIANCE_WORKER_HEARTBEAT_SECONDS <= 30
    before = time.time()
    heartbeat.beat()
    assert before <= cache.get(KEY) <= time.time()


def test_the_heartbeat_thread_beats_until_stopped(settings):
    settings.ALLIANCE_WORKER_HEARTBEAT_SECONDS = 0.01
    stop = heartbeat.start()
    first = cache.get(KEY)
    deadline = time.time() + 5
    while cache.get(KEY) == first and time.time() < deadline:
        time.sleep(0.01)
    stop.set()
    assert cache.get(KEY) > first


@pytest.mark.django_db(transaction=True)
def test_the_worker_runs_the_queue_and_is_seen(settings, mailoutbox):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    UserFactory(email="nadia@example.org")
    send_later(kind="sign_in_code", params={"email": "nadia@example.org"})
    started = time.time()
    call_command("worker", "--batch", "--no-startup-delay", "--no-reload", verbosity=0)
    assert cache.get(KEY) >= started
    assert DBTaskResult.objects.get().status == "SUCCESSFUL"
    assert mailoutbox[0].to == ["nadia@example.org"]
