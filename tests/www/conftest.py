"""The scene of the permission matrix, built once per module: building it through the
use cases costs more than most of the requests made against it."""

import copy

import pytest
from django.db import transaction

from .scene import build_scene


@pytest.fixture(scope="module")
def _module_scene(django_db_setup, django_db_blocker):
    """The scene, in a transaction held open for the module and rolled back after its
    last test; each test then runs in a savepoint inside it (pytest-django's `db`),
    rolled back after the test, so a POST in one test changes nothing the next one
    sees. Not for a module with transactional tests (their flush would empty it)."""
    with django_db_blocker.unblock():
        held = transaction.atomic()
        held.__enter__()
        try:
            base = build_scene()
        except BaseException:
            transaction.set_rollback(True)
            held.__exit__(None, None, None)
            raise
    yield base
    with django_db_blocker.unblock():
        transaction.set_rollback(True)
        held.__exit__(None, None, None)


@pytest.fixture
def scene(_module_scene, db):
    """A fresh scene for each test: the rows of the module's scene, and Python objects
    of its own, so that what a test builds on demand (acting_objects(), …) or changes
    on an object does not outlive it."""
    return copy.deepcopy(_module_scene)
