"""Test settings: PostgreSQL when ALLIANCE_TEST_DB=postgres, SQLite otherwise."""

import os

from .base import *  # noqa: F403

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")  # Playwright + live_server


class InvalidTemplateVariable(str):
    """Make a template that reads a missing variable fail the test instead of
    rendering an empty string."""

    def __mod__(self, other):
        raise NameError(f"Invalid template variable: {other}")


TEMPLATES[0]["OPTIONS"]["string_if_invalid"] = InvalidTemplateVariable("%s")  # noqa: F405
ALLIANCE_DEMO_MODE = True
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]  # speed only
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
# One process: a cache in memory, emptied before each test (tests/conftest.py).
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}

if os.environ.get("ALLIANCE_TEST_DB", "sqlite") == "postgres":
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.postgresql",
            "NAME": os.environ.get("ALLIANCE_PG_NAME", "alliance"),
            "USER": os.environ.get("ALLIANCE_PG_USER", "alliance"),
            "HOST": os.environ.get("ALLIANCE_PG_HOST", "127.0.0.1"),
            "PORT": os.environ.get("ALLIANCE_PG_PORT", "5432"),
            # Several people (or runs) on one server: give each its own test database.
            "TEST": {"NAME": os.environ.get("ALLIANCE_PG_TEST_NAME", "test_alliance")},
        }
    }
else:
    DATABASES = {"default": {"ENGINE": "django.db.backends.sqlite3", "NAME": ":memory:"}}
ALLIANCE_SMS_BACKEND = "alliance.notifications.sms.LocmemBackend"
# A read replica that mirrors the test database (tests/upkeep/test_replica.py turns the
# routing on with ALLIANCE_READ_REPLICA; off, nothing reads from it).
DATABASES["replica"] = {**DATABASES["default"], "TEST": {"MIRROR": "default"}}
