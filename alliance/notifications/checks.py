"""The outbox enqueues in the transaction of the event (ADR 0015): that holds only
when the queue is in the same database. Another backend would send the email of an
event that rolls back, or lose it: refuse to start with one."""

from django.core import checks

# Tests run tasks at once (immediate) or not at all (dummy), on purpose.
TEST_BACKENDS = (
    "django_tasks.backends.immediate.ImmediateBackend",
    "django_tasks.backends.dummy.DummyBackend",
)


@checks.register()
def queue_is_transactional(app_configs=None, **kwargs):
    from django_tasks_db.backend import DatabaseBackend

    from .outbox import deliver_message

    backend = deliver_message.get_backend()
    path = f"{type(backend).__module__}.{type(backend).__qualname__}"
    if isinstance(backend, DatabaseBackend) or path in TEST_BACKENDS:
        return []
    return [
        checks.Error(
            "Emails and text messages need the task queue in the default database.",
            hint="Use django_tasks_db.DatabaseBackend for TASKS['default'] (ADR 0015).",
            id="alliance.E015",
        )
    ]
