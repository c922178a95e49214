"""When to try an email or a text message again (ADR 0015). Plain Python, no Django:
the worker asks these two questions after a failed attempt."""

import smtplib
import socket

# SMTP replies 4xx are "try again later" (RFC 5321 §4.2.1); 5xx are final.
_TRANSIENT_SMTP = (smtplib.SMTPServerDisconnected, smtplib.SMTPConnectError)


def _smtp_code(error: BaseException) -> int | None:
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        codes = [code for code, _message in error.recipients.values()]
        return min(codes) if codes else None
    return getattr(error, "smtp_code", None)


def is_transient(error: BaseException) -> bool:
    """A failure that may pass by itself: the server is down or slow, or answered
    "later". A refused address, a rejected message or a bug is not retried."""
    transient = getattr(error, "transient", None)
    if transient is not None:  # the SMS gateway says it itself
        return bool(transient)
    if isinstance(error, _TRANSIENT_SMTP):
        return True
    code = _smtp_code(error)
    if code is not None:
        return 400 <= code < 500
    return isinstance(error, (ConnectionError, TimeoutError, socket.gaierror))


def delay_before_next(attempts_done: int, delays: tuple[int, ...], max_attempts: int) -> int | None:
    """Seconds to wait before the next attempt once `attempts_done` failed, or None
    when no attempt is left. Past the end of `delays`, the last delay repeats."""
    if attempts_done >= max_attempts or not delays:
        return None
    return delays[min(attempts_done, len(delays)) - 1]


def error_label(error: BaseException) -> str:
    """What the operator sees of a failure: its kind and the SMTP or HTTP code, never
    its message, which may quote an address or a number."""
    code = _smtp_code(error) or getattr(error, "status", None)
    name = type(error).__name__
    return f"{name} {code}" if code else name
