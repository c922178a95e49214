import json
import time

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from alliance.audit.models import AuditEntry
from alliance.operations import probes
from alliance.operations.middleware import PROBE_PATHS
from alliance.operations.readiness import (
    WORKER_KEY,
    migrations_verdict,
    queue_verdict,
    worker_verdict,
)
from tests.factories import UserFactory


def test_worker_verdict():
    assert not worker_verdict(None, 1000.0, 120).ok
    assert worker_verdict(950.0, 1000.0, 120).ok
    late = worker_verdict(800.0, 1000.0, 120)
    assert not late.ok
    assert "200 s" in late.detail


def test_queue_verdict():
    assert queue_verdict(None, 300).ok
    assert queue_verdict(299, 300).ok
    assert not queue_verdict(301, 300).ok


def test_migrations_verdict():
    assert migrations_verdict([]).ok
    verdict = migrations_verdict(["accounts.0007_x"])
    assert not verdict.ok
    assert "accounts.0007_x" in verdict.detail


@pytest.mark.django_db
def test_healthz_answers_without_the_database(client, settings):
    settings.ALLOWED_HOSTS = ["alliance.example.org"]
    settings.SECURE_SSL_REDIRECT = True
    with CaptureQueriesContext(connection) as queries:
        # Plain HTTP and an internal address as Host: what a load balancer sends.
        response = client.get("/healthz", HTTP_HOST="10.0.0.7")
    assert response.status_code == 200
    assert response.content == b"ok"
    assert len(queries) == 0
    assert "no-cache" in response["Cache-Control"]


def _readyz(client):
    response = client.get("/readyz")
    return response.status_code, json.loads(response.content)


@pytest.mark.django_db
def test_readyz_is_ready_with_a_recent_worker_and_a_moving_queue(client):
    cache.set(WORKER_KEY, time.time() - 10)
    status, body = _readyz(client)
    assert status == 200, body
    assert body["status"] == "ok"
    assert body["failed"] == []
    assert set(body["checks"]) == {"database", "migrations", "worker", "queue"}


@pytest.mark.django_db
def test_readyz_names_a_worker_not_seen_recently(client):
    status, body = _readyz(client)
    assert status == 503
    assert body["failed"] == ["worker"]
    assert body["checks"]["worker"]["detail"] == "never seen"
    cache.set(WORKER_KEY, time.time() - 600)
    status, body = _readyz(client)
    assert status == 503
    assert body["failed"] == ["worker"]


@pytest.mark.django_db
def test_readyz_names_a_stuck_queue(client):
    cache.set(WORKER_KEY, time.time())
    late = timezone.now() - timezone.timedelta(minutes=10)
    DBTaskResult.objects.create(
        args_kwargs={"args": [], "kwargs": {}},
        task_path="alliance.notifications.outbox.nothing",
        backend_name="default",
        queue_name="default",
        run_after=late,
    )
    status, body = _readyz(client)
    assert status == 503
    assert body["failed"] == ["queue"]
    # A task planned for later is not late.
    DBTaskResult.objects.update(run_after=timezone.now() + timezone.timedelta(hours=1))
    status, body = _readyz(client)
    assert status == 200, body


@pytest.mark.django_db
def test_readyz_names_a_failing_database_without_raising(client, monkeypatch):
    cache.set(WORKER_KEY, time.time())

    def unreachable():
        raise OSError("connection refused")

    monkeypatch.setitem(probes.CHECKS, "database", unreachable)
    status, body = _readyz(client)
    assert status == 503
    assert body["failed"] == ["database"]
    assert body["checks"]["database"]["detail"] == "OSError"


@pytest.mark.django_db
def test_unapplied_migrations_are_named(monkeypatch):
    monkeypatch.setattr(probes, "_migrations_applied", False)

    class Executor:
        def __init__(self, connection):
            self.loader = type("Loader", (), {"graph": type("G", (), {"leaf_nodes": list})()})()

        def migration_plan(self, targets):
            return [(type("M", (), {"app_label": "operations", "name": "0001_x"})(), False)]

    monkeypatch.setattr(probes, "MigrationExecutor", Executor)
    verdict = probes.migrations()
    assert not verdict.ok
    assert "operations.0001_x" in verdict.detail


@pytest.mark.django_db
@pytest.mark.usefixtures("unverified_second_factor")
def test_probes_skip_the_second_factor_and_the_trail(client):
    """A professional whose second factor is not verified is sent to it from any other
    page; a probe answers, and writes nothing to the trail."""
    cache.set(WORKER_KEY, time.time())
    client.force_login(UserFactory(professional=True))
    assert client.get("/").status_code == 302
    before = AuditEntry.objects.count()
    assert client.get("/healthz").status_code == 200
    assert client.get("/readyz").status_code == 200
    assert AuditEntry.objects.count() == before


def test_the_probe_paths_are_the_probe_urls():
    assert {reverse("operations:healthz"), reverse("operations:readyz")} == PROBE_PATHS
