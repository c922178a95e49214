"""Settings for ``easy_read.py``: the product's base settings in demo mode, on a SQLite
file of the benchmark's own under benchmarks/.data/, quiet logs."""

import os

from alliance.settings.base import *  # noqa: F403

DEBUG = False
ALLIANCE_DEMO_MODE = True
ALLOWED_HOSTS = ["testserver", "127.0.0.1", "localhost"]
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
DATABASES = {
    "default": {
        "ENGINE": "django.db.backends.sqlite3",
        "NAME": os.environ["ALLIANCE_BENCH_SQLITE"],
        "OPTIONS": {"init_command": "PRAGMA journal_mode=WAL;"},
    }
}
LOGGING = logging_config(fmt="console", level="WARNING")  # noqa: F405
