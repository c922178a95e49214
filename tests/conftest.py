"""Fixtures shared by every test. Browser fixtures live in tests/browser/conftest.py."""

import pytest
from django.core.cache import cache
from django.db import connection

from tests.factories import (
    OrganisationFactory,
    UserFactory,
    make_alliance_trio,
)


@pytest.fixture(autouse=True)
def _empty_cache():
    """The rate limits count in the cache: each test starts with none spent."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def organisation(db):
    return OrganisationFactory()


@pytest.fixture
def professional(organisation):
    return UserFactory(professional=True, organisation=organisation, display_name="Inès Morel")


@pytest.fixture
def org_admin(organisation):
    return UserFactory(org_admin=True, organisation=organisation, display_name="Anne Directrice")


@pytest.fixture
def individual(db):
    return UserFactory(individual=True)


@pytest.fixture
def decision_maker(db):
    return UserFactory(decision_maker=True)


@pytest.fixture
def alliance_trio(professional):
    """A professional's alliance with the person and a parent (legal representative),
    made through the services; all three are active."""
    return make_alliance_trio(professional=professional)


@pytest.fixture
def protected_trio(professional):
    """The same, for a minor or a protected adult: the parent may sign for them."""
    return make_alliance_trio(professional=professional, person_is_protected=True)


@pytest.fixture
def on_postgresql(db):
    return connection.vendor == "postgresql"


def pytest_collection_modifyitems(items):
    """A test that drives the browser is a browser test, marked or not, so that
    `-m "not browser"` never starts Chromium."""
    for item in items:
        if "browser" in getattr(item, "fixturenames", ()):
            item.add_marker(pytest.mark.browser)
