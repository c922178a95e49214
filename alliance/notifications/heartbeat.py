"""The worker's sign of life: `time.time()` in the default cache under
ALLIANCE_WORKER_HEARTBEAT_KEY, written by a thread of `alliance worker` every
ALLIANCE_WORKER_HEARTBEAT_SECONDS; /readyz reads it. A thread, so that a long task
does not make a working worker look dead; it stops with the worker's main thread."""

import logging
import threading
import time

from django.conf import settings
from django.core.cache import cache
from django.db import close_old_connections

logger = logging.getLogger("alliance.worker")


def beat() -> None:
    cache.set(settings.ALLIANCE_WORKER_HEARTBEAT_KEY, time.time(), timeout=None)


def _beat_until(stop: threading.Event, interval: float) -> None:
    main = threading.main_thread()
    while main.is_alive() and not stop.wait(interval):
        try:
            beat()
        except Exception:
            # The cache (the database) is away for a moment: /readyz will say so.
            logger.exception("Worker heartbeat not written")
        finally:
            close_old_connections()


def start() -> threading.Event:
    """Beats now and then every interval until the returned event is set."""
    beat()  # at once: the worker is seen from its start
    stop = threading.Event()
    threading.Thread(
        target=_beat_until,
        args=(stop, settings.ALLIANCE_WORKER_HEARTBEAT_SECONDS),
        name="alliance-heartbeat",
        daemon=True,
    ).start()
    return stop
