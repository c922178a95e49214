"""Settings shared by every environment. Safe defaults only: nothing here reads a
secret or crashes when an environment variable is missing."""

import os
from pathlib import Path

from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent
PROJECT_DIR = BASE_DIR.parent
VAR_DIR = Path(os.environ.get("ALLIANCE_VAR_DIR", PROJECT_DIR / "var"))

SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", "dev-only-not-secret-" + "x" * 40)
DEBUG = False
ALLOWED_HOSTS = ["127.0.0.1", "localhost"]

# Demo mode shows one sign-in button per demo persona. It must stay off in production.
ALLIANCE_DEMO_MODE = False

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django_htmx",
    "template_partials",
    "django_tasks",
    "django_tasks_db",
    "alliance.audit",
    "alliance.accounts",
    "alliance.alliances",
    "alliance.acting",
    "alliance.collectives",
    "alliance.linking",
    "alliance.reports",
    "alliance.documents",
    "alliance.attachments",
    "alliance.interop",
    "alliance.privacy",
    "alliance.notifications",
    "alliance.operations",
    "alliance.www",
    "alliance.demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "alliance.www.middleware.ContentSecurityPolicyMiddleware",
    # /healthz and /readyz, answered before sessions, sign-in and the trail (ADR 0014).
    "alliance.operations.middleware.ProbesMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "alliance.www.middleware.FrenchUnlessChosenMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    # An empty 400/403/404/405 gets the product's error page, in the reader's language.
    "alliance.www.middleware.ErrorPagesMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "alliance.www.middleware.SessionLimitsMiddleware",
    "alliance.www.middleware.NoStoreMiddleware",
    "alliance.www.middleware.CollectiveReadsMiddleware",
    "django_ratelimit.middleware.RatelimitMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
]

ROOT_URLCONF = "alliance.www.urls"
WSGI_APPLICATION = "alliance.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "alliance.www.context_processors.product",
                "alliance.www.context_processors.reading",
            ],
            # Replaces Django's `date` filter ("1er avril" in French) and adds the
            # `french` typography filter to every template (ADR 0027).
            "builtins": [
                "alliance.www.templatetags.dates",
                "alliance.www.templatetags.typography",
            ],
        },
    }
]

DATABASES = {
    "default": {
        "ENGINE": "django.db.backends.sqlite3",
        "NAME": VAR_DIR / "alliance.sqlite3",
        "OPTIONS": {"init_command": "PRAGMA journal_mode=WAL;", "transaction_mode": "IMMEDIATE"},
    }
}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = ["alliance.accounts.backends.LockoutAwareEmailBackend"]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "accounts:sign_in"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "accounts:sign_in"

# Repeated failed password sign-ins slow the account down instead of locking it
# (ADR 0010): after the free failures, each attempt waits twice as long as the last,
# up to the cap. The owner can always sign in with a code sent to their own email.
ALLIANCE_SIGN_IN_FREE_FAILURES = 3
ALLIANCE_SIGN_IN_DELAY_SECONDS = 1
ALLIANCE_SIGN_IN_MAX_DELAY_SECONDS = 300
ALLIANCE_INVITATION_DAYS = 14
# Invitations to collectives (issue 14, ADR 0040): how many one account sends in 24
# hours, by one or from a file, so that a taken-over account cannot flood addresses;
# how many one file may invite, how long and how large it may be, and how long a list
# read from a file waits for its confirmation.
ALLIANCE_MEMBER_INVITATIONS_PER_DAY = 300
ALLIANCE_INVITATION_BATCH_MAX = 200
ALLIANCE_INVITATION_FILE_MAX_LINES = 1000
ALLIANCE_INVITATION_FILE_MAX_BYTES = 200_000
ALLIANCE_INVITATION_BATCH_HOURS = 24
# ASVS 2.7.2: a code sent out of band expires after 10 minutes.
ALLIANCE_SIGN_IN_CODE_MINUTES = 10

LANGUAGE_CODE = "fr"
LANGUAGES = [("fr", _("French")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Europe/Paris"
# Our named date formats for French and English (ADR 0027).
FORMAT_MODULE_PATH = ["alliance.formats"]
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
# The session cookie ends with the browser; the server also ends a session after a
# while without activity, and in any case after ALLIANCE_SESSION_MAX_HOURS
# (alliance.www.middleware.SessionLimitsMiddleware).
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
ALLIANCE_IDLE_MINUTES_PROFESSIONAL = 30  # professionals and decision makers
ALLIANCE_IDLE_MINUTES_INDIVIDUAL = 120  # persons and relatives
ALLIANCE_SESSION_MAX_HOURS = 12
SESSION_COOKIE_AGE = 60 * 60 * ALLIANCE_SESSION_MAX_HOURS
CSRF_COOKIE_SAMESITE = "Lax"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
# No inline script or style anywhere: every script is a static file. Voice notes
# (ADR 0019) play from our own address; the recorder lets its author hear a recording
# before sending it, from the browser's memory (a blob: address, sounds only).
CONTENT_SECURITY_POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "media-src 'self' blob:; "
    "font-src 'self'; connect-src 'self'; form-action 'self'; frame-ancestors 'none'; "
    "base-uri 'none'; object-src 'none'"
)

EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
DEFAULT_FROM_EMAIL = "Alliance <ne-pas-repondre@alliance.invalid>"

# A table in the database, so that every worker process shares the rate limits
# (ADR 0010). Created by the migration accounts 0004.
CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.db.DatabaseCache",
        "LOCATION": "alliance_cache",
    }
}
# Rate limits of every way in and of every email or SMS a visitor can trigger
# (alliance.accounts.limits): per client IP and per account (the email typed, or
# the account itself), "count/period". A scope that is not listed gets "default".
# IP limits are generous: a whole service or workshop may share one address.
ALLIANCE_RATE_LIMITS = {
    "default": {"ip": "30/5m", "account": "10/5m"},
    "password": {"ip": "30/5m", "account": "10/5m"},
    "code": {"ip": "20/5m"},
    "link": {"ip": "20/5m"},
    "code_email": {"ip": "10/h", "account": "3/15m"},
    "password_change": {"account": "5/15m"},
    # Reading or sending a file of people to invite to a collective (ADR 0040).
    "member_invitation_file": {"ip": "30/5m", "account": "10/5m"},
}
# How many reverse proxies in front of the application add themselves to
# X-Forwarded-For; 0 means the client's address is REMOTE_ADDR.
ALLIANCE_PROXY_COUNT = 0
RATELIMIT_VIEW = "alliance.www.accounts.views.too_many_attempts"

TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}

ALLIANCE_SITE_URL = "http://127.0.0.1:8000"
# PostgreSQL only: the role the application connects as, which owns nothing; after each
# `migrate` the owner grants it its rights (alliance/audit/roles.py). Empty: no grants.
ALLIANCE_PG_APP_ROLE = ""

# Emails are unique case-insensitively (a database constraint on Lower(email)), and
# persons without an email have NULL there, which the plain `unique=True` check of
# auth.W004 cannot express.
SILENCED_SYSTEM_CHECKS = ["auth.W004"]

# ---------------------------------------------------------------- second factor, passkeys,
# re-authentication and ProConnect (issue 9, ADR 0011)
INSTALLED_APPS += [
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "django_otp_webauthn",
    "mozilla_django_oidc",
]
# After the authentication middleware and the session limits: django-otp tells which
# device verified the session, then professionals and decision makers without a
# verified second factor are sent to set one up or to use it.
MIDDLEWARE.insert(
    MIDDLEWARE.index("alliance.www.middleware.SessionLimitsMiddleware") + 1,
    "django_otp.middleware.OTPMiddleware",
)
MIDDLEWARE.insert(
    MIDDLEWARE.index("django_otp.middleware.OTPMiddleware") + 1,
    "alliance.www.middleware.SecondFactorMiddleware",
)
AUTHENTICATION_BACKENDS += [
    # Passwordless sign-in with a passkey (a discoverable credential).
    "django_otp_webauthn.backends.WebAuthnBackend",
    # ProConnect: links to an existing professional account, never creates one.
    "alliance.accounts.proconnect.ProConnectBackend",
]
OTP_TOTP_ISSUER = "Alliance"
OTP_WEBAUTHN_RP_NAME = "Alliance"
OTP_WEBAUTHN_HELPER_CLASS = "alliance.accounts.passkeys.PasskeyHelper"
# The relying party is the site the browser is on (a host Django accepts,
# ALLOWED_HOSTS): the passkeys of a site are bound to its domain.
OTP_WEBAUTHN_RP_ID_CALLABLE = "alliance.accounts.passkeys.relying_party_id"
# Not read: PasskeyHelper answers with the request's own origin. Set only because
# django-otp-webauthn's system check wants a value here.
OTP_WEBAUTHN_ALLOWED_ORIGINS = ["https://alliance.invalid"]
# Minutes after which a sensitive action (password, second factor, publishing a report)
# asks for the password or a second factor again.
ALLIANCE_REAUTHENTICATION_MINUTES = 10
ALLIANCE_RECOVERY_CODES = 10
ALLIANCE_RATE_LIMITS.update(
    {
        # A code of an authenticator app or a recovery code: a few tries per account.
        "second_factor": {"ip": "30/5m", "account": "5/5m"},
        "reauthentication": {"ip": "30/5m", "account": "5/5m"},
        "passkey": {"ip": "30/5m"},
        "proconnect": {"ip": "30/5m"},
    }
)

# ProConnect (OpenID Connect), off unless its client and its provider are set. The
# endpoints are read from the environment, so another OIDC provider can stand in.
ALLIANCE_PROCONNECT_CLIENT_ID = os.environ.get("ALLIANCE_PROCONNECT_CLIENT_ID", "")
ALLIANCE_PROCONNECT_CLIENT_SECRET = os.environ.get("ALLIANCE_PROCONNECT_CLIENT_SECRET", "")
ALLIANCE_PROCONNECT_ISSUER = os.environ.get("ALLIANCE_PROCONNECT_ISSUER", "").rstrip("/")
ALLIANCE_PROCONNECT_ENABLED = all(
    (ALLIANCE_PROCONNECT_CLIENT_ID, ALLIANCE_PROCONNECT_CLIENT_SECRET, ALLIANCE_PROCONNECT_ISSUER)
)
OIDC_RP_CLIENT_ID = ALLIANCE_PROCONNECT_CLIENT_ID
OIDC_RP_CLIENT_SECRET = ALLIANCE_PROCONNECT_CLIENT_SECRET
OIDC_OP_AUTHORIZATION_ENDPOINT = os.environ.get(
    "ALLIANCE_PROCONNECT_AUTHORIZATION_ENDPOINT", f"{ALLIANCE_PROCONNECT_ISSUER}/authorize"
)
OIDC_OP_TOKEN_ENDPOINT = os.environ.get(
    "ALLIANCE_PROCONNECT_TOKEN_ENDPOINT", f"{ALLIANCE_PROCONNECT_ISSUER}/token"
)
OIDC_OP_USER_ENDPOINT = os.environ.get(
    "ALLIANCE_PROCONNECT_USER_ENDPOINT", f"{ALLIANCE_PROCONNECT_ISSUER}/userinfo"
)
OIDC_OP_JWKS_ENDPOINT = os.environ.get(
    "ALLIANCE_PROCONNECT_JWKS_ENDPOINT", f"{ALLIANCE_PROCONNECT_ISSUER}/jwks"
)
OIDC_RP_SIGN_ALGO = "RS256"
OIDC_RP_SCOPES = "openid email given_name usual_name"
OIDC_USE_PKCE = True
OIDC_CREATE_USER = False
OIDC_AUTHENTICATION_CALLBACK_URL = "accounts:proconnect_callback"
# ProConnect states the methods of authentication (`amr`) only when asked for them.
OIDC_AUTH_REQUEST_EXTRA_PARAMS = {
    "claims": '{"id_token": {"amr": {"essential": true}}}',
    "acr_values": "eidas1",
}
# ---------------------------------------------------------------- end of issue 9 second factor
# ---- Activation letters, devices kept signed in, text messages (issue 9, ADR 0013) ----
AUTHENTICATION_BACKENDS = [
    *AUTHENTICATION_BACKENDS,
    "alliance.accounts.backends.DeviceCredentialBackend",
]
MIDDLEWARE.insert(
    MIDDLEWARE.index("alliance.www.middleware.SessionLimitsMiddleware") + 1,
    "alliance.www.middleware.DeviceSignInMiddleware",
)
# The device cookie is Secure in production (settings/prod.py sets it True).
ALLIANCE_DEVICE_COOKIE_SECURE = False
# How text messages leave: console in development, locmem in tests, Brevo in production.
ALLIANCE_SMS_BACKEND = "alliance.notifications.sms.ConsoleBackend"
ALLIANCE_BREVO_SMS_URL = "https://api.brevo.com/v3/transactionalSMS/send"
ALLIANCE_BREVO_API_KEY = os.environ.get("ALLIANCE_BREVO_API_KEY", "")
ALLIANCE_SMS_SENDER = os.environ.get("ALLIANCE_SMS_SENDER", "Alliance")
ALLIANCE_SMS_TIMEOUT_SECONDS = 10
ALLIANCE_RATE_LIMITS.update(
    {
        # The activation page: per client and per account a code matched.
        "activation": {"ip": "20/5m", "account": "5/15m"},
        # Codes by text message: per account that receives, per ally who sends.
        "activation_sms": {"ip": "20/h", "account": "3/h"},
        "activation_sms_sender": {"account": "10/h"},
    }
)
# ---- end of activation letters ----
# ---- Deployment and operations (issue 10, ADR 0014) ----
# /readyz fails when the worker's heartbeat is older than this, or when a task ready to
# run has waited longer than that.
ALLIANCE_READYZ_WORKER_SECONDS = 120
ALLIANCE_READYZ_QUEUE_SECONDS = 300
# The load balancer probes over plain HTTP: no redirect to HTTPS for the probes.
SECURE_REDIRECT_EXEMPT = [r"^healthz$", r"^readyz$"]
# ---- end of deployment and operations ----
# ---- delivery and periodic jobs (ADR 0015) ----
# An email or text message that fails for a transient reason is tried again after
# these waits (seconds: 1 min, 5 min, 30 min, 2 h, 12 h), at most this many times
# in all; then it shows in `alliance failed_deliveries`.
ALLIANCE_DELIVERY_RETRY_DELAYS = (60, 300, 1800, 7200, 43200)
ALLIANCE_DELIVERY_MAX_ATTEMPTS = 6

# Attached files (ADR 0026): the largest file kept. A body larger than this (and its
# form's few fields) is refused before it is read.
ALLIANCE_ATTACHMENT_MAX_BYTES = 10 * 1024 * 1024
# `alliance worker` writes time.time() under this cache key this often; /readyz reads it.
ALLIANCE_WORKER_HEARTBEAT_KEY = "alliance:worker:last_seen"
ALLIANCE_WORKER_HEARTBEAT_SECONDS = 15
# ---- end of delivery and periodic jobs ----

# ---- Operations: logs, error reports, metrics, retention, audit archives (ops, ADR 0016) ----
INSTALLED_APPS += ["alliance.upkeep"]
# Early in the chain: every log line of a request, the next middlewares' included,
# carries its request id, and the access line measures the whole request. The probes
# answer before it: a load balancer's calls every few seconds are neither
# logged nor counted.
MIDDLEWARE.insert(
    MIDDLEWARE.index("alliance.operations.middleware.ProbesMiddleware") + 1,
    "alliance.upkeep.middleware.RequestLogMiddleware",
)
# Before everything: the whole request runs in one large chunk of Python frames (the
# module says why: CPython 3.11 maps and unmaps a chunk at each crossing of a boundary).
MIDDLEWARE.insert(0, "alliance.upkeep.stack.OneStackChunkMiddleware")
from alliance.upkeep.logs import logging_config  # noqa: E402

# JSON lines on stdout; `console` for readable lines (settings/dev.py).
LOGGING = logging_config(
    fmt=os.environ.get("ALLIANCE_LOG_FORMAT", "json"),
    level=os.environ.get("ALLIANCE_LOG_LEVEL", "INFO"),
)
# The Prometheus endpoint /metrics answers only with this bearer token; unset: 404.
ALLIANCE_METRICS_TOKEN = os.environ.get("ALLIANCE_METRICS_TOKEN", "")
# ---- end of operations ----
# ---- Error reports (ops, ADR 0016): to Sentry when SENTRY_DSN is set, scrubbed ----
SENTRY_DSN = os.environ.get("SENTRY_DSN", "")
if SENTRY_DSN:
    from alliance.upkeep.errors import init_sentry

    init_sentry(
        dsn=SENTRY_DSN,
        environment=os.environ.get("SENTRY_ENVIRONMENT", "production"),
        release=os.environ.get("SENTRY_RELEASE", ""),
        traces_sample_rate=float(os.environ.get("SENTRY_TRACES_SAMPLE_RATE", "0")),
    )
# ---- end of error reports ----
# ---- Retention (ops, ADR 0016, docs/operations.md): `alliance purge_expired`, daily ----
# Finished tasks hold email addresses and ids in their arguments: kept long enough to
# answer "was my email sent?", no longer. Failed ones stay longer, for the operator.
ALLIANCE_RETENTION_TASK_RESULT_DAYS = 14
ALLIANCE_RETENTION_FAILED_TASK_DAYS = 90
# A read notification has served; a year keeps the "recent news" of a yearly review.
# A reminder of something still pending after that may be notified again.
ALLIANCE_RETENTION_READ_NOTIFICATION_DAYS = 365
# Used, voided, revoked or expired sign-in codes and links, activation letters,
# devices kept signed in, ended sessions: 30 days after, for a support question
# ("my code did not work"); the audit trail keeps the events themselves.
ALLIANCE_RETENTION_SPENT_CREDENTIAL_DAYS = 30
# An archive of a person's data (ADR 0032) may be downloaded for 7 days after it is
# ready, then the daily purge deletes it: a copy of everything about someone should
# not wait in the database; asking again makes a fresh one.
ALLIANCE_DATA_ARCHIVE_DAYS = 7
# A closed alliance is read-only and kept this many years after closing (ADR 0023),
# as an ESSMS keeps the file of a person it supported after the end of support; a
# later retention job deletes it once `keep_until` is past.
ALLIANCE_CLOSED_ALLIANCE_RETENTION_YEARS = int(
    os.environ.get("ALLIANCE_CLOSED_ALLIANCE_RETENTION_YEARS", "5")
)
# ---- end of retention ----
# ---- Audit trail archives (ops, ADR 0016): `alliance archive_audit`, as the owner ----
# Months of the trail kept in the database; older months are archived to files, then
# their partitions are dropped. 12 months: the CNIL's recommendation on access traces
# (6 months to 1 year) for the reads; the ESSMS file's longer retention is served by
# the archives, which the organisation keeps under its own archiving rules.
ALLIANCE_AUDIT_RETENTION_MONTHS = int(os.environ.get("ALLIANCE_AUDIT_RETENTION_MONTHS", "12"))
ALLIANCE_AUDIT_ARCHIVE_DIR = Path(
    os.environ.get("ALLIANCE_AUDIT_ARCHIVE_DIR", VAR_DIR / "audit-archives")
)
# ---- end of audit trail archives ----
# ---- Retention policy per kind of data (ADR 0033, docs/data-protection.md) ----
# One line per kind: how long it is kept, from when, what happens then, and which job
# does it. `alliance apply_retention` (daily) does "erase" and "pseudonymise";
# `purge_expired` and `archive_audit` do theirs with the settings above, read here so
# that the two never disagree. tests/privacy/test_retention_policy.py checks that
# docs/data-protection.md lists every kind with these values.
ALLIANCE_RETENTION_POLICY = {
    "closed_alliance": {
        "keep": (ALLIANCE_CLOSED_ALLIANCE_RETENTION_YEARS, "years"),
        "from": "closing",
        "then": "erase",
        "job": "apply_retention",
    },
    "erased_account": {
        "keep": (0, "days"),
        "from": "end of the retention of every alliance of the account",
        "then": "pseudonymise",
        "job": "apply_retention",
    },
    "account_without_alliance": {
        "keep": (0, "days"),
        "from": "erasure of its last alliance (persons and relatives, closed accounts)",
        "then": "pseudonymise",
        "job": "apply_retention",
    },
    "finished_task": {
        "keep": (ALLIANCE_RETENTION_TASK_RESULT_DAYS, "days"),
        "from": "end of the task",
        "then": "delete",
        "job": "purge_expired",
    },
    "failed_task": {
        "keep": (ALLIANCE_RETENTION_FAILED_TASK_DAYS, "days"),
        "from": "failure of the task",
        "then": "delete",
        "job": "purge_expired",
    },
    "read_notification": {
        "keep": (ALLIANCE_RETENTION_READ_NOTIFICATION_DAYS, "days"),
        "from": "reading",
        "then": "delete",
        "job": "purge_expired",
    },
    "spent_credential": {
        "keep": (ALLIANCE_RETENTION_SPENT_CREDENTIAL_DAYS, "days"),
        "from": "use, expiry or revocation",
        "then": "delete",
        "job": "purge_expired",
    },
    "audit_trail_month": {
        "keep": (ALLIANCE_AUDIT_RETENTION_MONTHS, "months"),
        "from": "end of the month",
        "then": "archive",
        "job": "archive_audit",
    },
}
# ---- end of retention policy ----
# ---- Read replica (ops, docs/scaling.md): report and results pages may read from it ----
DATABASE_ROUTERS = ["alliance.db_routers.ReplicaRouter"]
MIDDLEWARE.insert(
    MIDDLEWARE.index("alliance.upkeep.middleware.RequestLogMiddleware") + 1,
    "alliance.db_routers.ReplicaMiddleware",
)
# The alias of the replica in DATABASES; empty: everything on the primary. The
# production settings add the alias from ALLIANCE_REPLICA_DATABASE_URL.
ALLIANCE_READ_REPLICA = ""
# After a write, the same browser reads from the primary this long: more than the
# replica's usual lag, so that a person sees at once what they just did.
ALLIANCE_REPLICA_STICKY_SECONDS = 30
# ---- end of read replica ----

# ---------------------------------------------------------------- performance (issue 10)
# Plain inputs and selects written in Python rather than one template per option
# (alliance/www/form_renderer.py): the same HTML, without a template include per option.
FORM_RENDERER = "alliance.www.form_renderer.FormRenderer"
# ---- API (ADR 0029) ----
# The longest a personal access token may live: a forgotten token stops by itself.
ALLIANCE_API_TOKEN_MAX_DAYS = 365
# The access token an organisation's DUI software gets with its client credentials.
ALLIANCE_API_CLIENT_TOKEN_SECONDS = 3600
# The API's rate limits (ADR 0029): per token, whoever holds it (and, far higher, per
# address, so that made-up tokens cannot flood the look-ups), and per address on the
# token endpoint, where client secrets could be guessed.
ALLIANCE_RATE_LIMITS.update(
    {
        "api": {
            "account": os.environ.get("ALLIANCE_API_RATE", "300/m"),
            "ip": os.environ.get("ALLIANCE_API_IP_RATE", "1200/m"),
        },
        "oauth_token": {"ip": os.environ.get("ALLIANCE_OAUTH_TOKEN_RATE", "10/m")},
    }
)
# ---- end of API ----

# Aggregate reports: the smallest count a report shows (DESIGN rule 4). A platform
# setting; a page may ask for more, never for less, and never below 5.
ALLIANCE_REPORT_THRESHOLD = int(os.environ.get("ALLIANCE_REPORT_THRESHOLD", "5"))

# Live consultation results: each full computation of the opinion groups leaves its
# model here (one file per snapshot, replaced by the next); the workers that fold new
# votes in read it. Shared by the worker hosts, or else a fold on another host runs a
# full computation instead (alliance/collectives/results.py).
ALLIANCE_OPINION_MODEL_DIR = Path(
    os.environ.get("ALLIANCE_OPINION_MODEL_DIR", VAR_DIR / "opinion-models")
)
