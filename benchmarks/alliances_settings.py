"""Settings for ``alliances_bench.py``: the product's base settings on a database of
the benchmark's own (PostgreSQL ``alliance_bench`` or a SQLite file under
benchmarks/.data/), chosen by the script through environment variables."""

import os

from alliance.settings.base import *  # noqa: F403

DEBUG = False
ALLOWED_HOSTS = ["testserver", "127.0.0.1", "localhost"]
# The benchmark's professionals sign in with force_login: no password is ever checked,
# so a fast hasher keeps the few service-built accounts cheap.
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}

if os.environ.get("ALLIANCE_BENCH_DB", "sqlite") == "postgres":
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.postgresql",
            "NAME": os.environ.get("ALLIANCE_BENCH_PG_NAME", "alliance_bench"),
            "USER": os.environ.get("ALLIANCE_PG_USER", "alliance"),
            "HOST": os.environ.get("ALLIANCE_PG_HOST", "127.0.0.1"),
            "PORT": os.environ.get("ALLIANCE_PG_PORT", "5432"),
            "CONN_MAX_AGE": 60,  # as in production settings
        }
    }
else:
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": os.environ["ALLIANCE_BENCH_SQLITE"],
            "OPTIONS": {
                "init_command": "PRAGMA journal_mode=WAL;",
                "transaction_mode": "IMMEDIATE",
            },
        }
    }
