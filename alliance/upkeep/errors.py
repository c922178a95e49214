"""Error reports to Sentry, when SENTRY_DSN is set, with nothing that names anyone.

What leaves: the exception's type, its message and stack with emails masked, the
code's lines without their local variables, the request's method, the view's dotted name, the
request id (to find the log lines), the environment and the release. Not the URL (ids,
tokens), the query string, the body, the cookies, the headers, the user, the local
variables or the breadcrumbs' data (SQL parameters, log records' fields)."""

import sentry_sdk
import structlog
from sentry_sdk.integrations.django import DjangoIntegration
from sentry_sdk.integrations.logging import LoggingIntegration

from .logs import EMAIL, MASKED_EMAIL

KEPT_REQUEST_KEYS = {"method"}


def _mask(value):
    if isinstance(value, str):
        return EMAIL.sub(MASKED_EMAIL, value)
    if isinstance(value, dict):
        return {key: _mask(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [_mask(item) for item in value]
    return value


def _frames(event):
    for section in ("exception", "threads"):
        for value in (event.get(section) or {}).get("values") or []:
            yield from (value.get("stacktrace") or {}).get("frames") or []


def scrub(event, hint):
    """Sentry's `before_send`: runs on every event before it is sent."""
    request = event.get("request") or {}
    event["request"] = {key: request[key] for key in KEPT_REQUEST_KEYS if key in request}
    event.pop("user", None)
    for frame in _frames(event):
        frame.pop("vars", None)
    for crumb in (event.get("breadcrumbs") or {}).get("values") or []:
        crumb.pop("data", None)
    event.pop("extra", None)
    tags = event.setdefault("tags", {})
    request_id = structlog.contextvars.get_contextvars().get("request_id")
    if request_id:
        tags["request_id"] = request_id
    return _mask(event)


def init_sentry(*, dsn, environment, release, traces_sample_rate=0.0, transport=None):
    sentry_sdk.init(
        dsn=dsn,
        environment=environment,
        release=release or None,
        # `send_default_pii` (False by default) is deprecated in favour of this:
        # collect nothing of the user, the cookies, the headers, the bodies, the
        # query string, the SQL parameters or the frames' variables.
        data_collection={
            "user_info": False,
            "cookies": {"mode": "off"},
            "http_headers": {"request": {"mode": "off"}},
            "http_bodies": [],
            "url_query_params": {"mode": "off"},
            "database_query_data": False,
            "queues": False,
            "stack_frame_variables": False,
        },
        include_local_variables=False,
        max_request_body_size="never",
        traces_sample_rate=traces_sample_rate,
        before_send=scrub,
        before_send_transaction=scrub,
        integrations=[
            # Names transactions by the view's dotted path (never the URL with its ids).
            DjangoIntegration(transaction_style="function_name"),
            # Log records neither become events nor breadcrumbs: Django's request
            # records hold the path, before our handler's filter removes it.
            LoggingIntegration(level=None, event_level=None),
        ],
        transport=transport,
    )
