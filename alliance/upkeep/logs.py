"""Logs as one JSON object per line on stdout, for the platform's log collector.

Privacy by construction: a record keeps only its message, its level, its logger, the
request id and the fields named in `FIELDS`; every other attribute a library attaches
(Django's `request`, a form's data…) is dropped, and any email address left in a
message or a traceback is masked. Django's own request messages carry the path
(sign-in links hold a token there): their path is removed too."""

import logging
import re

import structlog

# The only extra fields a log line may carry (see RequestLogMiddleware).
FIELDS = {"method", "route", "status", "duration_ms", "authenticated", "job", "counts"}
REQUEST_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{7,63}$")
EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)*\.[A-Za-z]{2,}")
MASKED_EMAIL = "[email]"
# Django's loggers that put the request's path in their message ("Not Found: /…").
PATH_LOGGERS = ("django.request", "django.server", "django.security")


def _mask(value):
    if isinstance(value, str):
        return EMAIL.sub(MASKED_EMAIL, value)
    return value


def hide_paths(record: logging.LogRecord) -> bool:
    """A logging filter: Django's request loggers say "<reason>: <path>", keep the
    reason; runserver's says '"<request line>" <status> <size>', keep the status.
    Always lets the record through."""
    if (
        record.name.startswith(PATH_LOGGERS)
        and isinstance(record.args, tuple)
        and record.args
        and not getattr(record, "path_hidden", False)  # each handler sees the record
    ):
        kept = record.args[1] if record.name == "django.server" else record.args[0]
        record.msg, record.args, record.path_hidden = "%s", (kept,), True
    return True


def mask_personal_data(logger, method_name, event_dict):
    """The last guard before a line is written: an email address anywhere in the
    message, the exception or a field becomes `[email]`."""
    return {key: _mask(value) for key, value in event_dict.items()}


def _pre_chain():
    return [
        structlog.contextvars.merge_contextvars,
        structlog.stdlib.add_log_level,
        structlog.stdlib.add_logger_name,
        structlog.processors.TimeStamper(fmt="iso", utc=True),
        structlog.stdlib.ExtraAdder(allow=sorted(FIELDS)),
    ]


def logging_config(*, fmt="json", level="INFO"):
    """The LOGGING setting: everything (Django, gunicorn, ours) through one handler on
    stdout, as JSON lines, or as readable lines for `make run` (fmt="console")."""
    renderer = (
        structlog.dev.ConsoleRenderer(colors=False)
        if fmt == "console"
        else structlog.processors.JSONRenderer()
    )
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "filters": {
            "hide_paths": {"()": "django.utils.log.CallbackFilter", "callback": hide_paths}
        },
        "formatters": {
            "structured": {
                "()": structlog.stdlib.ProcessorFormatter,
                "foreign_pre_chain": _pre_chain(),
                "processors": [
                    structlog.stdlib.ProcessorFormatter.remove_processors_meta,
                    structlog.processors.format_exc_info,
                    mask_personal_data,
                    renderer,
                ],
            }
        },
        "handlers": {
            "stdout": {
                "class": "logging.StreamHandler",
                "stream": "ext://sys.stdout",
                "formatter": "structured",
                "filters": ["hide_paths"],
            }
        },
        "root": {"handlers": ["stdout"], "level": "WARNING"},
        "loggers": {
            "alliance": {"level": level},
            # Named without handlers: Django's own (console, mail to admins) are removed,
            # and its records reach the one handler above.
            "django": {"level": "INFO"},
            "django.db.backends": {"level": "WARNING"},
        },
    }
