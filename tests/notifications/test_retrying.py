"""Which failures are tried again, and when (pure)."""

import smtplib
import socket

import pytest

from alliance.notifications.retrying import delay_before_next, error_label, is_transient
from alliance.notifications.sms import SmsError

DELAYS = (60, 300, 1800, 7200, 43200)


@pytest.mark.parametrize(
    ("error", "transient"),
    [
        (smtplib.SMTPServerDisconnected("closed"), True),
        (smtplib.SMTPConnectError(421, b"busy"), True),
        (ConnectionRefusedError(), True),
        (TimeoutError(), True),
        (socket.gaierror(), True),
        (smtplib.SMTPResponseException(451, b"try later"), True),
        (smtplib.SMTPRecipientsRefused({"a@x.org": (450, b"greylisted")}), True),
        (smtplib.SMTPRecipientsRefused({"a@x.org": (550, b"no such user")}), False),
        (smtplib.SMTPSenderRefused(553, b"no", "n@x.org"), False),
        (smtplib.SMTPAuthenticationError(535, b"bad credentials"), False),
        (SmsError("503", transient=True, status=503), True),
        (SmsError("400", status=400), False),
        (ValueError("a bug"), False),
    ],
)
def test_only_failures_that_may_pass_are_transient(error, transient):
    assert is_transient(error) is transient


def test_the_waits_grow_then_stop_at_the_last_attempt():
    waits = [delay_before_next(n, DELAYS, 6) for n in range(1, 7)]
    assert waits == [60, 300, 1800, 7200, 43200, None]
    assert delay_before_next(7, DELAYS, 9) == 43200  # past the list, the last wait
    assert delay_before_next(1, DELAYS, 1) is None


def test_the_label_names_the_failure_never_its_text():
    refused = smtplib.SMTPRecipientsRefused({"a@x.org": (550, b"no such user a@x.org")})
    assert error_label(refused) == "SMTPRecipientsRefused 550"
    assert error_label(SmsError("Brevo answered 400 for +336", status=400)) == "SmsError 400"
    assert error_label(ValueError("a@x.org")) == "ValueError"
