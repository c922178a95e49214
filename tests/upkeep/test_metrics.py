"""/metrics: not found without a configured token, refused without the right one,
and with it the request counts by route, the queue's depth and the worker's
heartbeat age."""

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone
from django_tasks.base import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from alliance.upkeep.metrics import HEARTBEAT_KEY

TOKEN = "a-long-random-scraper-token"


def _scrape(client, authorization=None):
    headers = {"Authorization": authorization} if authorization else {}
    return client.get(reverse("metrics"), headers=headers)


@pytest.mark.django_db
def test_not_found_when_no_token_is_configured(client, settings):
    settings.ALLIANCE_METRICS_TOKEN = ""

    assert _scrape(client, f"Bearer {TOKEN}").status_code == 404


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("authorization", "status"),
    [
        (None, 401),
        ("Bearer", 401),
        (f"Basic {TOKEN}", 401),
        ("Bearer wrong", 403),
        (f"Bearer {TOKEN}x", 403),
        (f"Bearer {TOKEN[:-1]}", 403),
    ],
)
def test_refused_without_the_right_token(client, settings, authorization, status):
    settings.ALLIANCE_METRICS_TOKEN = TOKEN

    response = _scrape(client, authorization)

    assert response.status_code == status
    assert b"alliance_" not in response.content


@pytest.mark.django_db
def test_a_signed_in_administrator_without_the_token_is_refused(client, settings, org_admin):
    settings.ALLIANCE_METRICS_TOKEN = TOKEN
    client.force_login(org_admin)

    assert _scrape(client).status_code == 401


def _enqueue(status):
    return DBTaskResult.objects.create(
        status=status,
        task_path="alliance.example.task",
        args_kwargs={"args": [], "kwargs": {}},
        priority=0,
        queue_name="default",
        backend_name="default",
        run_after=timezone.now(),
    )


@pytest.mark.django_db
def test_the_scrape_reports_requests_queue_and_heartbeat(client, settings):
    settings.ALLIANCE_METRICS_TOKEN = TOKEN
    client.get(reverse("accounts:sign_in"))
    for _ in range(3):
        _enqueue(TaskResultStatus.READY)
    _enqueue(TaskResultStatus.FAILED)
    _enqueue(TaskResultStatus.SUCCESSFUL)
    cache.set(HEARTBEAT_KEY, time.time() - 42)

    response = _scrape(client, f"Bearer {TOKEN}")

    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/plain")
    text = response.content.decode()
    assert 'alliance_requests_total{method="GET",route="accounts:sign_in",status="200"}' in text
    assert 'alliance_request_duration_seconds_bucket{le="0.01",route="accounts:sign_in"}' in text
    assert 'alliance_tasks{status="ready"} 3.0' in text
    assert 'alliance_tasks{status="failed"} 1.0' in text
    assert "alliance_worker_seen 1.0" in text
    [age] = [line for line in text.splitlines() if line.startswith("alliance_worker_heartbeat_age")]
    assert 42 <= float(age.split()[1]) < 60


@pytest.mark.django_db
def test_no_worker_seen(client, settings):
    settings.ALLIANCE_METRICS_TOKEN = TOKEN

    text = _scrape(client, f"Bearer {TOKEN}").content.decode()

    assert "alliance_worker_seen 0.0" in text
    assert "alliance_worker_heartbeat_age_seconds" not in text


def test_gunicorn_workers_add_up_through_the_multiprocess_directory(tmp_path):
    """With PROMETHEUS_MULTIPROC_DIR, each process writes its counters to files and a
    scrape by any of them adds up every worker's (docs/operations.md)."""
    env = {**os.environ, "PROMETHEUS_MULTIPROC_DIR": str(tmp_path)}
    worker = (
        "from alliance.upkeep import metrics\nmetrics.observe_request('GET', 'home', 200, 0.01)\n"
    )
    scrape = (
        "from prometheus_client import CollectorRegistry, generate_latest, multiprocess\n"
        "registry = CollectorRegistry()\n"
        "multiprocess.MultiProcessCollector(registry)\n"
        "print(generate_latest(registry).decode())\n"
    )
    for _ in range(3):
        _python(worker, env)

    text = _python(scrape, env)

    assert 'alliance_requests_total{method="GET",route="home",status="200"} 3.0' in text


def _python(code, env):
    # The interpreter running the tests, on code of this file.
    return subprocess.run(  # noqa: S603
        [sys.executable, "-c", code],
        env=env,
        cwd=Path(__file__).resolve().parents[2],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
