"""An error reaches Sentry without the personal data around it: not the body posted,
the cookies, the headers, the query string, the URL's ids, the user, the local
variables, nor an email address in the exception's message."""

import json

import pytest
import sentry_sdk
from sentry_sdk.transport import Transport

from alliance.upkeep.errors import init_sentry, scrub


class CapturingTransport(Transport):
    events = []

    def capture_envelope(self, envelope):
        for item in envelope.items:
            if item.headers.get("type") == "event":
                self.events.append(item.payload.json)


@pytest.fixture
def sentry_events():
    CapturingTransport.events = []
    init_sentry(
        dsn="https://public@sentry.invalid/1",
        environment="test-env",
        release="alliance@1.2.3",
        transport=CapturingTransport,
    )
    try:
        yield CapturingTransport.events
    finally:
        sentry_sdk.get_client().close()
        sentry_sdk.init()


@pytest.mark.django_db
@pytest.mark.urls("tests.upkeep.urls")
def test_an_error_reaches_sentry_without_personal_data(client, sentry_events, professional):
    client.raise_request_exception = False
    client.force_login(professional)
    client.cookies["tracking"] = "ines.morel@example.org"

    response = client.post(
        "/failing/424242/?email=ines.morel@example.org",
        {"email": "ines.morel@example.org", "name": "Inès Morel"},
        headers={"Authorization": "Bearer s3cr3t-t0ken", "X-Request-ID": "req-0123456789"},
    )

    assert response.status_code == 500
    [event] = sentry_events
    sent = json.dumps(event, ensure_ascii=False)
    for secret in ("ines.morel", "example.org", "Inès", "Morel", "s3cr3t", "424242", "sessionid"):
        assert secret not in sent, secret
    assert set(event["request"]) <= {"method"}
    assert "user" not in event
    [exception] = event["exception"]["values"]
    assert exception["type"] == "RuntimeError"
    assert exception["value"] == "('could not invite [email]', 10)"
    frames = exception["stacktrace"]["frames"]
    assert any(frame["function"] == "failing" for frame in frames)
    assert not any("vars" in frame for frame in frames)
    assert event["environment"] == "test-env"
    assert event["release"] == "alliance@1.2.3"
    assert event["tags"]["request_id"] == "req-0123456789"
    assert event["transaction"] == "tests.upkeep.urls.failing"


def test_nothing_is_sent_without_a_dsn(sentry_events):
    sentry_sdk.get_client().close()
    sentry_sdk.init()

    sentry_sdk.capture_message("hello")

    assert sentry_events == []


def test_the_scrubber_removes_what_a_collector_would_have_added():
    """`scrub` is the last guard, whatever an integration collected."""
    event = {
        "request": {
            "method": "POST",
            "url": "https://alliance.example/alliances/424242/",
            "query_string": "email=jean@example.org",
            "data": {"email": "jean@example.org"},
            "cookies": {"sessionid": "abc"},
            "headers": {"Authorization": "Bearer s3cr3t", "Cookie": "sessionid=abc"},
            "env": {"REMOTE_ADDR": "192.0.2.1"},
        },
        "user": {"id": 7, "email": "jean@example.org", "ip_address": "192.0.2.1"},
        "extra": {"name": "Jean Dupont"},
        "exception": {
            "values": [
                {
                    "type": "ValueError",
                    "value": "duplicate jean@example.org",
                    "stacktrace": {"frames": [{"function": "f", "vars": {"name": "Jean"}}]},
                }
            ]
        },
        "breadcrumbs": {"values": [{"message": "mail to jean@example.org", "data": {"x": 1}}]},
    }

    sent = json.dumps(scrub(event, {}))

    for secret in ("jean", "424242", "s3cr3t", "sessionid", "192.0.2.1", "Dupont"):
        assert secret not in sent.lower(), secret
    assert '"method": "POST"' in sent
