"""Text messages through a gateway chosen by settings.ALLIANCE_SMS_BACKEND (a dotted
path), the way Django chooses its email backend:

- `alliance.notifications.sms.ConsoleBackend` (development): prints the message;
- `alliance.notifications.sms.LocmemBackend` (tests): keeps it in `sms.outbox`;
- `alliance.notifications.sms.BrevoBackend` (production): Brevo's transactional SMS API,
  with the key in the environment (ALLIANCE_BREVO_API_KEY) and the sender name in
  ALLIANCE_SMS_SENDER.

Who may make a message sent (and so where a code can go) is decided by the callers
(alliance.accounts.activation); this module only delivers."""

import json
import sys
import urllib.error
import urllib.request
from dataclasses import dataclass

from django.conf import settings
from django.utils.module_loading import import_string

# What the tests read, like django.core.mail.outbox.
outbox: list["TextMessage"] = []


class SmsError(Exception):
    """The gateway did not take the message. `transient`: it may take it later (it
    is down, slow or overloaded), as opposed to refusing this message or number."""

    def __init__(self, message: str, *, transient: bool = False, status: int | None = None):
        super().__init__(message)
        self.transient = transient
        self.status = status


@dataclass(frozen=True)
class TextMessage:
    to: str  # international form, +33…
    body: str


class ConsoleBackend:
    def send(self, message: TextMessage) -> None:
        sys.stdout.write(f"SMS to {message.to}:\n{message.body}\n\n")
        sys.stdout.flush()


class LocmemBackend:
    def send(self, message: TextMessage) -> None:
        outbox.append(message)


class BrevoBackend:
    """https://developers.brevo.com/reference/sendtransacsms"""

    def __init__(self):
        self.url = settings.ALLIANCE_BREVO_SMS_URL
        self.api_key = settings.ALLIANCE_BREVO_API_KEY
        self.sender = settings.ALLIANCE_SMS_SENDER
        self.timeout = settings.ALLIANCE_SMS_TIMEOUT_SECONDS

    def send(self, message: TextMessage) -> None:
        if not self.api_key:
            raise SmsError("ALLIANCE_BREVO_API_KEY is not set")
        payload = {
            "sender": self.sender,
            "recipient": message.to.lstrip("+"),
            "content": message.body,
            "type": "transactional",
        }
        request = urllib.request.Request(  # noqa: S310 - the URL comes from settings
            self.url,
            data=json.dumps(payload).encode(),
            method="POST",
            headers={
                "api-key": self.api_key,
                "accept": "application/json",
                "content-type": "application/json",
            },
        )
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as response:  # noqa: S310
                if response.status >= 300:
                    raise SmsError(f"Brevo answered {response.status}", status=response.status)
        except urllib.error.HTTPError as error:
            # 429 and 5xx: Brevo is overloaded or down; other 4xx: this message is refused.
            raise SmsError(
                f"Brevo answered {error.code}",
                transient=error.code == 429 or error.code >= 500,
                status=error.code,
            ) from error
        except (urllib.error.URLError, TimeoutError, ConnectionError) as error:
            raise SmsError(type(error).__name__, transient=True) from error


def get_backend():
    return import_string(settings.ALLIANCE_SMS_BACKEND)()


def send_sms(*, to: str, body: str) -> None:
    get_backend().send(TextMessage(to=to, body=body))
