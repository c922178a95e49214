"""Email and SMS backends that fail a set number of times, then deliver."""

import smtplib

from django.core.mail.backends.locmem import EmailBackend

from alliance.notifications import sms

# How the next sendings fail: a list of exceptions, used up one per attempt.
failures: list[BaseException] = []


def smtp_down() -> BaseException:
    return smtplib.SMTPServerDisconnected("Connection unexpectedly closed")


def address_refused(address="x@example.org") -> BaseException:
    return smtplib.SMTPRecipientsRefused(
        {address: (550, b"5.1.1 No such user " + address.encode())}
    )


class FlakyEmailBackend(EmailBackend):
    def send_messages(self, messages):
        if failures:
            raise failures.pop(0)
        return super().send_messages(messages)


class FlakySmsBackend(sms.LocmemBackend):
    def send(self, message):
        if failures:
            raise failures.pop(0)
        super().send(message)
