"""French mobile numbers (pure) and the SMS gateways, the Brevo adapter against a
local fake HTTP server."""

import json
import threading
from http.server import BaseHTTPRequestHandler, HTTPServer

import pytest

from alliance.accounts import phones
from alliance.notifications import sms


@pytest.mark.parametrize(
    "typed",
    [
        "06 12 34 56 78",
        "06.12.34.56.78",
        "0612345678",
        "+33 6 12 34 56 78",
        "0033612345678",
        "+33 (0)6 12 34 56 78",
        "06-12-34-56-78",
    ],
)
def test_french_mobiles_are_normalised(typed):
    assert phones.normalise_mobile(typed) == "+33612345678"


@pytest.mark.parametrize(
    "typed",
    [
        "",
        "01 23 45 67 89",
        "09 12 34 56 78",
        "06 12 34 56",
        "+44 7700 900123",
        "06123456789",
        "06 12 34 56 7a",
        "0" * 40,
    ],
)
def test_anything_else_is_refused(typed):
    with pytest.raises(phones.InvalidPhone):
        phones.normalise_mobile(typed)


def test_a_page_shows_a_masked_number():
    assert phones.display_mobile("+33712345678") == "07 12 34 56 78"
    assert phones.masked_mobile("+33712345678") == "07 •• •• •• 78"


class FakeBrevo(BaseHTTPRequestHandler):
    received: list = []
    status = 201

    def do_POST(self):
        body = self.rfile.read(int(self.headers["Content-Length"]))
        FakeBrevo.received.append((self.path, self.headers, json.loads(body)))
        self.send_response(FakeBrevo.status)
        self.send_header("Content-Type", "application/json")
        self.end_headers()
        self.wfile.write(b'{"messageId": 1}')

    def log_message(self, *args):
        pass


@pytest.fixture
def brevo(settings):
    server = HTTPServer(("127.0.0.1", 0), FakeBrevo)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    FakeBrevo.received, FakeBrevo.status = [], 201
    settings.ALLIANCE_SMS_BACKEND = "alliance.notifications.sms.BrevoBackend"
    settings.ALLIANCE_BREVO_SMS_URL = (
        f"http://127.0.0.1:{server.server_port}/v3/transactionalSMS/send"
    )
    settings.ALLIANCE_BREVO_API_KEY = "test-key"
    settings.ALLIANCE_SMS_SENDER = "Alliance"
    yield FakeBrevo
    server.shutdown()
    server.server_close()


def test_brevo_receives_the_message(brevo):
    sms.send_sms(to="+33612345678", body="Bonjour")
    path, headers, payload = brevo.received[0]
    assert path == "/v3/transactionalSMS/send"
    assert headers["api-key"] == "test-key"
    assert payload == {
        "sender": "Alliance",
        "recipient": "33612345678",
        "content": "Bonjour",
        "type": "transactional",
    }


def test_a_refusal_by_brevo_is_an_sms_error(brevo):
    brevo.status = 400
    with pytest.raises(sms.SmsError):
        sms.send_sms(to="+33612345678", body="Bonjour")


def test_brevo_without_a_key_sends_nothing(brevo, settings):
    settings.ALLIANCE_BREVO_API_KEY = ""
    with pytest.raises(sms.SmsError):
        sms.send_sms(to="+33612345678", body="Bonjour")
    assert not brevo.received


def test_the_locmem_backend_keeps_messages_for_the_tests():
    sms.send_sms(to="+33612345678", body="Bonjour")
    assert sms.outbox == [sms.TextMessage(to="+33612345678", body="Bonjour")]


@pytest.mark.django_db
def test_the_migration_marks_accounts_in_use_as_activated():
    """Accounts with a password of their own or a past sign-in are in use: no first
    letter for them (ADR 0013); an account nobody used stays open to its letter."""
    from importlib import import_module

    from django.apps import apps
    from django.utils import timezone

    from alliance.accounts.models import User

    migration = import_module("alliance.accounts.migrations.0006_activation_letters_devices")
    with_password = User.objects.create_user(
        email="a@example.org", password="x" * 12, display_name="A"
    )
    signed_in = User.objects.create_user(display_name="B")
    User.objects.filter(pk=signed_in.pk).update(last_login=timezone.now())
    unused = User.objects.create_user(display_name="C")
    User.objects.update(activated_at=None)
    migration.mark_used_accounts_activated(apps, None)
    activated = set(User.objects.filter(activated_at__isnull=False).values_list("pk", flat=True))
    assert activated == {with_password.pk, signed_in.pk}
    assert unused.pk not in activated
