"""Production: every secret comes from the environment, and the process refuses
to start without them."""

import os

from .base import *  # noqa: F403

SECRET_KEY = os.environ["DJANGO_SECRET_KEY"]
ALLOWED_HOSTS = os.environ["ALLIANCE_ALLOWED_HOSTS"].split(",")
ALLIANCE_DEMO_MODE = False
DEBUG = False

# Two PostgreSQL roles (scripts/ensure_postgres.sh makes both):
# - the application connects as ALLIANCE_PG_USER (`alliance_app`), a role that owns
#   nothing: it reads and writes the tables but may only read and add to the audit
#   trail, and cannot TRUNCATE it, disable or drop its trigger, or change its rows;
# - the migrations run as the owner of the tables (`alliance`), whose credentials are
#   given to the `migrate` invocation only, never to the running application:
#       ALLIANCE_PG_MIGRATE_USER=alliance ALLIANCE_PG_MIGRATE_PASSWORD=… alliance migrate
#   After migrating, the owner grants the application role (ALLIANCE_PG_APP_ROLE, by
#   default ALLIANCE_PG_USER) its rights on every table, new ones included
#   (alliance/audit/roles.py; `alliance grant_app_role` does the same on demand).
# A second alias (DATABASES["owner"]) would have kept the owner's password in the
# running application's environment, where a flaw of the application could use it.
_APP_USER = os.environ.get("ALLIANCE_PG_USER", "alliance_app")
_MIGRATE_USER = os.environ.get("ALLIANCE_PG_MIGRATE_USER", "")
ALLIANCE_PG_APP_ROLE = os.environ.get("ALLIANCE_PG_APP_ROLE", _APP_USER)

DATABASES = {
    "default": {
        "ENGINE": "django.db.backends.postgresql",
        "NAME": os.environ.get("ALLIANCE_PG_NAME", "alliance"),
        "USER": _MIGRATE_USER or _APP_USER,
        "PASSWORD": os.environ.get(
            "ALLIANCE_PG_MIGRATE_PASSWORD" if _MIGRATE_USER else "ALLIANCE_PG_PASSWORD", ""
        ),
        "HOST": os.environ.get("ALLIANCE_PG_HOST", "127.0.0.1"),
        "PORT": os.environ.get("ALLIANCE_PG_PORT", "5432"),
        "CONN_MAX_AGE": 60,
    }
}

# The reverse proxy adds the client's address to X-Forwarded-For: the rate limits
# count per client, not per proxy.
ALLIANCE_PROXY_COUNT = int(os.environ.get("ALLIANCE_PROXY_COUNT", "1"))

SECURE_SSL_REDIRECT = True
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_HSTS_SECONDS = 60 * 60 * 24 * 365
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
ALLIANCE_DEVICE_COOKIE_SECURE = True  # "keep this device signed in" (ADR 0013)
ALLIANCE_SMS_BACKEND = "alliance.accounts.sms.BrevoBackend"
SESSION_COOKIE_NAME = "__Host-sessionid"
CSRF_COOKIE_NAME = "__Host-csrftoken"

EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
EMAIL_HOST = os.environ.get("ALLIANCE_SMTP_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("ALLIANCE_SMTP_PORT", "587"))
EMAIL_HOST_USER = os.environ.get("ALLIANCE_SMTP_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("ALLIANCE_SMTP_PASSWORD", "")
EMAIL_USE_TLS = True
DEFAULT_FROM_EMAIL = os.environ.get("ALLIANCE_FROM_EMAIL", DEFAULT_FROM_EMAIL)  # noqa: F405

# Read replica (ops, docs/scaling.md): the report and results pages read from it.
if os.environ.get("ALLIANCE_REPLICA_DATABASE_URL"):
    import dj_database_url

    DATABASES["replica"] = {
        **dj_database_url.parse(os.environ["ALLIANCE_REPLICA_DATABASE_URL"]),
        "CONN_MAX_AGE": 60,
    }
    ALLIANCE_READ_REPLICA = "replica"
