"""Each request writes one JSON line on stdout with its request id, which the response
returns; no line carries an email address, a name, a path or a code."""

import io
import json
import logging

import pytest
import structlog
from django.urls import reverse

from alliance.upkeep.logs import MASKED_EMAIL


@pytest.fixture
def log_lines():
    """The lines the configured stdout handler would write, captured from every
    logger for the duration of the test."""
    configured = next(
        handler
        for handler in logging.getLogger().handlers
        if isinstance(handler.formatter, structlog.stdlib.ProcessorFormatter)
    )
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(configured.formatter)
    for log_filter in configured.filters:
        handler.addFilter(log_filter)
    root = logging.getLogger()
    access = logging.getLogger("alliance.access")
    previous = access.level
    access.setLevel(logging.INFO)
    root.addHandler(handler)
    try:
        yield lambda: [json.loads(line) for line in stream.getvalue().splitlines()]
    finally:
        root.removeHandler(handler)
        access.setLevel(previous)


@pytest.mark.django_db
def test_a_request_writes_a_json_access_line_with_its_request_id(client, log_lines):
    response = client.get(reverse("accounts:sign_in"))

    request_id = response["X-Request-ID"]
    assert len(request_id) == 32
    [line] = [line for line in log_lines() if line["logger"] == "alliance.access"]
    assert line["request_id"] == request_id
    assert line["route"] == "accounts:sign_in"
    assert line["method"] == "GET"
    assert line["status"] == 200
    assert line["duration_ms"] >= 0
    assert line["authenticated"] is False
    assert line["level"] == "info"
    assert "timestamp" in line


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("incoming", "reused"),
    [
        ("3f2b8c1e-4d5a-4e6f-8a9b-0c1d2e3f4a5b", True),
        ("short", False),
        ("x" * 65, False),
        ("abc123456\ninjected", False),
        ("jean.dupont@example.org", False),
    ],
)
def test_an_incoming_request_id_is_reused_only_when_it_looks_like_one(
    client, log_lines, incoming, reused
):
    response = client.get(reverse("accounts:sign_in"), headers={"X-Request-ID": incoming})

    assert (response["X-Request-ID"] == incoming) is reused
    assert all(line["request_id"] == response["X-Request-ID"] for line in log_lines())


@pytest.mark.django_db
def test_no_personal_data_in_the_logs_of_a_sign_in(client, log_lines, professional):
    professional.email = "ines.morel@example.org"
    professional.save()
    client.post(
        reverse("accounts:sign_in"),
        {"email": "ines.morel@example.org", "password": "not-her-password-123"},
    )
    client.post(reverse("accounts:request_code"), {"email": "ines.morel@example.org"})
    client.post(reverse("accounts:sign_in_code"), {"code": "ABCDE-FGHJK"})
    client.get(reverse("accounts:sign_in_link", kwargs={"token": "secret-token-in-the-path"}))
    client.get("/alliances/987654/no-such-page/")

    lines = log_lines()
    text = "\n".join(json.dumps(line) for line in lines)
    assert len([line for line in lines if line["logger"] == "alliance.access"]) == 5
    for secret in ("ines.morel", "Morel", "Inès", "not-her-password", "ABCDE", "secret-token"):
        assert secret not in text
    assert "987654" not in text
    assert "/alliances/" not in text
    assert "/sign-in/" not in text


def test_django_request_messages_keep_their_reason_not_the_path(log_lines):
    logging.getLogger("django.request").warning("%s: %s", "Not Found", "/sign-in/link/abc/")

    logging.getLogger("django.server").info(
        '"%s" %s %s', "GET /sign-in/link/abc/ HTTP/1.1", "200", "512"
    )

    first, second = log_lines()
    assert first["event"] == "Not Found"
    assert second["event"] == "200"


def test_an_email_address_in_a_message_or_a_traceback_is_masked(log_lines):
    try:
        raise ValueError("Key (email)=(jean.dupont@example.org) already exists.")
    except ValueError:
        logging.getLogger("alliance.somewhere").exception("could not add jean@example.org")

    [line] = log_lines()
    assert "example.org" not in json.dumps(line)
    assert line["event"] == f"could not add {MASKED_EMAIL}"
    assert MASKED_EMAIL in line["exception"]


def test_fields_outside_the_allowed_ones_are_dropped(log_lines):
    logging.getLogger("alliance.somewhere").warning(
        "saved", extra={"status": 200, "email": "a@b.fr", "display_name": "Inès"}
    )

    [line] = log_lines()
    assert line["status"] == 200
    assert "email" not in line
    assert "display_name" not in line
