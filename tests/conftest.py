"""Fixtures shared by every test. Browser fixtures live in tests/browser/conftest.py."""

import importlib

import pytest
from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.utils import translation

from tests.factories import (
    OrganisationFactory,
    UserFactory,
    make_alliance_trio,
)


@pytest.fixture(scope="session", autouse=True)
def _the_test_runner_may_empty_the_trail_on_sqlite():
    """After a transactional test (the browser's), the runner empties every table: on
    PostgreSQL with TRUNCATE, which the owner may do; on SQLite with DELETE, which the
    trail's triggers refuse. Only the runner's flush lifts them, for its own statements."""
    if connection.vendor != "sqlite":
        yield
        return
    from django.db.backends.sqlite3.base import DatabaseOperations

    triggers = importlib.import_module("alliance.audit.migrations.0006_sqlite_append_only_triggers")
    flush = DatabaseOperations.execute_sql_flush

    def execute_sql_flush(self, sql_list):
        with self.connection.cursor() as cursor:
            for statement in triggers.DROP:
                cursor.execute(statement)
        try:
            flush(self, sql_list)
        finally:
            with self.connection.cursor() as cursor:
                for statement in triggers.CREATE:
                    cursor.execute(statement)

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(DatabaseOperations, "execute_sql_flush", execute_sql_flush)
        yield


@pytest.fixture(autouse=True)
def _each_test_starts_in_the_default_language():
    """A request in English leaves English active in its thread (LocaleMiddleware does
    not switch back): the next test of that worker must not inherit it."""
    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.activate(settings.LANGUAGE_CODE)


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


# ---------------------------------------------------------------- second factor (ADR 0011)

TEST_DEVICE = "test authenticator"


@pytest.fixture
def unverified_second_factor():
    """Asked for by tests of the second factor itself: `force_login` then gives a
    session whose second factor is not verified, as a password sign-in does."""


@pytest.fixture(autouse=True)
def _force_login_verifies_the_second_factor(request, monkeypatch):
    """`client.force_login(user)` stands for a whole sign-in: for a professional or a
    decision maker, the password and then the second factor, here an authenticator
    app of theirs that verified the session (so every page costs what it costs in
    use, django-otp's device look-up included)."""
    if "unverified_second_factor" in request.fixturenames:
        return
    from django.test import Client
    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.plugins.otp_totp.models import TOTPDevice

    force_login = Client.force_login

    def force_login_verified(self, user, backend=None):
        force_login(self, user, backend)
        if user.is_professional or user.is_decision_maker:
            device, _created = TOTPDevice.objects.get_or_create(
                user=user, name=TEST_DEVICE, defaults={"confirmed": True}
            )
            session = self.session
            session[DEVICE_ID_SESSION_KEY] = device.persistent_id
            session.save()

    monkeypatch.setattr(Client, "force_login", force_login_verified)


@pytest.fixture(autouse=True)
def _empty_sms_outbox():
    """Text messages sent by the locmem backend (alliance.notifications.sms), per test."""
    from alliance.notifications import sms

    sms.outbox.clear()
    yield
    sms.outbox.clear()


@pytest.fixture(autouse=True)
def _opinion_models(tmp_path_factory, settings):
    """Each test's consultations leave their opinion models in a folder of their own,
    and no worker-process cache of live results outlives a test (ids are reused)."""
    from alliance.collectives import results

    settings.ALLIANCE_OPINION_MODEL_DIR = tmp_path_factory.mktemp("opinion-models")
    results._LIVE.clear()
    yield
    results._LIVE.clear()
