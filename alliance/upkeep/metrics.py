"""Prometheus metrics: requests by route and status (counted by RequestLogMiddleware),
and, read at each scrape, the task queue's depth and the age of the worker's
heartbeat.

Under gunicorn each worker is a process with its own counters. With
PROMETHEUS_MULTIPROC_DIR set (an empty directory, writable, emptied at each start;
see docs/operations.md) every process writes its counters there and a scrape adds
them up; gunicorn's `child_exit` hook must call `worker_exited`."""

import os
import time

from prometheus_client import (
    REGISTRY,
    CollectorRegistry,
    Counter,
    Histogram,
    generate_latest,
    multiprocess,
)
from prometheus_client.core import GaugeMetricFamily

HEARTBEAT_KEY = "alliance:worker:last_seen"
METHODS = {"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"}

REQUESTS = Counter(
    "alliance_requests",
    "Requests answered, by route name and status.",
    ["method", "route", "status"],
)
DURATION = Histogram(
    "alliance_request_duration_seconds",
    "Time to answer a request, by route name.",
    ["route"],
    buckets=(0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10),
)


def observe_request(method, route, status, seconds):
    # An unknown method would be a new label value each time: one bucket for them.
    method = method if method in METHODS else "other"
    REQUESTS.labels(method=method, route=route, status=str(status)).inc()
    DURATION.labels(route=route).observe(seconds)


def worker_exited(server, worker):
    """gunicorn's `child_exit` hook, in multi-process mode."""
    multiprocess.mark_process_dead(worker.pid)


class StateCollector:
    """What the database and the cache say at the time of the scrape."""

    def collect(self):
        from django.core.cache import cache
        from django_tasks.base import TaskResultStatus
        from django_tasks_db.models import DBTaskResult

        tasks = GaugeMetricFamily(
            "alliance_tasks", "Background tasks waiting or failed, by status.", labels=["status"]
        )
        for status in (TaskResultStatus.READY, TaskResultStatus.FAILED):
            count = DBTaskResult.objects.filter(status=status).count()
            tasks.add_metric([status.lower()], count)
        yield tasks
        last_seen = cache.get(HEARTBEAT_KEY)
        yield GaugeMetricFamily(
            "alliance_worker_seen",
            "1 when a worker has written its heartbeat.",
            value=int(last_seen is not None),
        )
        if last_seen is not None:
            yield GaugeMetricFamily(
                "alliance_worker_heartbeat_age_seconds",
                "Seconds since a worker last wrote its heartbeat.",
                value=max(0.0, time.time() - float(last_seen)),
            )


def exposition() -> bytes:
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        requests = CollectorRegistry()
        multiprocess.MultiProcessCollector(requests)
    else:
        requests = REGISTRY
    state = CollectorRegistry()
    state.register(StateCollector())
    return generate_latest(requests) + generate_latest(state)
