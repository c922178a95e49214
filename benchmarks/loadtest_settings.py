"""Settings of the load test and of ``pages_cpu.py``: the production settings, with
the environment they refuse to start without, on the benchmark's own PostgreSQL
database (``alliance_loadtest`` unless ALLIANCE_LOADTEST_DB names another).

Everything else is production's: DEBUG off, the cached template loader, HTTPS only
(the load test sends ``X-Forwarded-Proto: https`` as the reverse proxy would), secure
``__Host-`` cookies, the database cache and task queue."""

import os
from pathlib import Path

# What an operator's environment gives production; only defaults, never secrets of a
# real deployment (this database holds generated data only).
_NAME = os.environ.get("ALLIANCE_LOADTEST_DB", "alliance_loadtest")
_HOST = os.environ.get("ALLIANCE_PG_HOST", "127.0.0.1")
_PORT = os.environ.get("ALLIANCE_PG_PORT", "5432")
_USER = os.environ.get("ALLIANCE_LOADTEST_PG_USER", "alliance")
for key, value in {
    "DJANGO_SECRET_KEY": "loadtest-only-not-secret-" + "y" * 40,
    "ALLIANCE_ALLOWED_HOSTS": "127.0.0.1,localhost,testserver",
    "ALLIANCE_SITE_URL": "https://127.0.0.1",
    "DATABASE_URL": f"postgres://{_USER}@{_HOST}:{_PORT}/{_NAME}",
    # collected by loadtest_data.ensure_static, as the build of a release does
    "ALLIANCE_STATIC_ROOT": str(Path(__file__).resolve().parent / ".data" / "loadtest-static"),
}.items():
    os.environ.setdefault(key, value)

from alliance.settings.prod import *  # noqa: E402, F403

# The table owner: the generated data is written by the same process that migrates.
DATABASES["default"].update(  # noqa: F405
    NAME=_NAME, USER=_USER, PASSWORD="", HOST=_HOST, PORT=_PORT, CONN_MAX_AGE=60
)
ALLIANCE_PG_APP_ROLE = ""
# Nothing leaves the machine: no email or text message is sent by a vote or a journal
# entry anyway, but a generated invitation would otherwise try SMTP.
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
ALLIANCE_SMS_BACKEND = "alliance.accounts.sms.LocmemBackend"
# Generated accounts are signed in by a prepared session, never by password: a fast
# hasher keeps the generation's service-built accounts cheap.
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
# Loopback clients all share one address: the per-IP limits of the sign-in pages
# would otherwise count 200 users as one (no measured page is rate limited).
ALLIANCE_PROXY_COUNT = 0
