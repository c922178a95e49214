"""Production: every secret and every address comes from the environment, and the
process refuses to start without the ones it needs (docs/deploy.md lists them)."""

import os
from pathlib import Path
from urllib.parse import urlsplit

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

from .base import *  # noqa: F403
from .base import MIDDLEWARE, PROJECT_DIR


def _env(name, default=""):
    """An empty variable counts as unset (compose passes `${X:-}` as "")."""
    return os.environ.get(name, "").strip() or default


def _required(name):
    value = _env(name)
    if not value:
        raise ImproperlyConfigured(f"Set {name} (docs/deploy.md lists the variables).")
    return value


def _flag(name, default):
    return _env(name, default).lower() in {"1", "true", "yes", "on"}


SECRET_KEY = _required("DJANGO_SECRET_KEY")
ALLIANCE_DEMO_MODE = False
DEBUG = False

# The address people reach the product at: the links of every email and letter start
# with it, and the browser's Origin must match it for a form to be accepted.
ALLIANCE_SITE_URL = _required("ALLIANCE_SITE_URL").rstrip("/")
_site = urlsplit(ALLIANCE_SITE_URL)
if _site.scheme != "https" or not _site.hostname:
    raise ImproperlyConfigured("ALLIANCE_SITE_URL must be an https:// address.")
CSRF_TRUSTED_ORIGINS = [f"{_site.scheme}://{_site.netloc}"]
ALLOWED_HOSTS = [
    host.strip()
    for host in _env("ALLIANCE_ALLOWED_HOSTS", _site.hostname).split(",")
    if host.strip()
]

# Two PostgreSQL roles (scripts/ensure_postgres.sh and deploy/postgres-init.sh make both):
# - the application connects with DATABASE_URL as a role that owns nothing
#   (`alliance_app`): it reads and writes the tables but may only read and add to the
#   audit trail, and cannot TRUNCATE it, disable or drop its trigger, or change its rows;
# - the migrations run as the owner of the tables (`alliance`), whose address,
#   ALLIANCE_MIGRATE_DATABASE_URL, is given to the release phase only: a process that
#   has it connects as the owner. `deploy/entrypoint.sh` removes it from the
#   environment of the web, worker and scheduler processes, for the platforms (Scalingo)
#   that give every process the same environment.
#   After migrating, the owner grants the application role (ALLIANCE_PG_APP_ROLE, by
#   default the user of DATABASE_URL) its rights on every table, new ones included
#   (alliance/audit/roles.py; `alliance grant_app_role` does the same on demand).
# A second alias (DATABASES["owner"]) would have kept the owner's password in the
# running application's environment, where a flaw of the application could use it.
_app_database = dj_database_url.parse(_required("DATABASE_URL"))
_owner_url = _env("ALLIANCE_MIGRATE_DATABASE_URL")
DATABASES = {
    "default": {
        **(dj_database_url.parse(_owner_url) if _owner_url else _app_database),
        "CONN_MAX_AGE": int(_env("ALLIANCE_DB_CONN_MAX_AGE", "60")),
        "CONN_HEALTH_CHECKS": True,
    }
}
if DATABASES["default"]["ENGINE"] != "django.db.backends.postgresql":
    raise ImproperlyConfigured("DATABASE_URL must be a postgres:// address.")
ALLIANCE_PG_APP_ROLE = _env("ALLIANCE_PG_APP_ROLE", _app_database["USER"])

# The reverse proxy adds the client's address to X-Forwarded-For: the rate limits
# count per client, not per proxy.
ALLIANCE_PROXY_COUNT = int(_env("ALLIANCE_PROXY_COUNT", "1"))

SECURE_SSL_REDIRECT = True
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_HSTS_SECONDS = 60 * 60 * 24 * 365
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
ALLIANCE_DEVICE_COOKIE_SECURE = True  # "keep this device signed in" (ADR 0013)
ALLIANCE_SMS_BACKEND = "alliance.notifications.sms.BrevoBackend"
SESSION_COOKIE_NAME = "__Host-sessionid"
CSRF_COOKIE_NAME = "__Host-csrftoken"

EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
EMAIL_HOST = _env("ALLIANCE_SMTP_HOST", "localhost")
EMAIL_PORT = int(_env("ALLIANCE_SMTP_PORT", "587"))
EMAIL_HOST_USER = _env("ALLIANCE_SMTP_USER")
EMAIL_HOST_PASSWORD = _env("ALLIANCE_SMTP_PASSWORD")
# STARTTLS on 587 by default; implicit TLS (port 465) with ALLIANCE_SMTP_SSL=true.
EMAIL_USE_SSL = _flag("ALLIANCE_SMTP_SSL", "false")
EMAIL_USE_TLS = not EMAIL_USE_SSL and _flag("ALLIANCE_SMTP_TLS", "true")
EMAIL_TIMEOUT = int(_env("ALLIANCE_SMTP_TIMEOUT", "10"))
DEFAULT_FROM_EMAIL = _env("ALLIANCE_FROM_EMAIL", DEFAULT_FROM_EMAIL)  # noqa: F405
SERVER_EMAIL = DEFAULT_FROM_EMAIL
# ALLIANCE_BREVO_API_KEY and ALLIANCE_SMS_SENDER are read in base.py.

# Static files: whitenoise serves them from the process, compressed (gzip and Brotli)
# and under names that carry a hash of their content, so browsers keep them for a year
# (WHITENOISE_MAX_AGE applies to the others). `collectstatic` runs at build time.
MIDDLEWARE = [
    *MIDDLEWARE[: MIDDLEWARE.index("django.middleware.security.SecurityMiddleware") + 1],
    "whitenoise.middleware.WhiteNoiseMiddleware",
    *MIDDLEWARE[MIDDLEWARE.index("django.middleware.security.SecurityMiddleware") + 1 :],
]
STATIC_ROOT = Path(_env("ALLIANCE_STATIC_ROOT", str(PROJECT_DIR / "staticfiles")))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
WHITENOISE_MAX_AGE = 60 * 60  # files without a hash in their name

# Read replica (ops, docs/scaling.md): the report and results pages read from it.
if _env("ALLIANCE_REPLICA_DATABASE_URL"):
    DATABASES["replica"] = {
        **dj_database_url.parse(os.environ["ALLIANCE_REPLICA_DATABASE_URL"]),
        "CONN_MAX_AGE": 60,
    }
    ALLIANCE_READ_REPLICA = "replica"
