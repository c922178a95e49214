"""The operators' page of failed deliveries: staff only, no recipient nor content,
a constant number of queries, and a retry that sends again."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from alliance.notifications.models import OutgoingMessage
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db
URL = reverse("notifications:failed_deliveries")


def failed_message(**params):
    return OutgoingMessage.objects.create(
        kind="sign_in_code",
        channel="email",
        params=params or {"email": "secret-owner@example.org"},
        language="fr",
        status="failed",
        attempts=6,
        last_error="SMTPServerDisconnected",
        next_attempt_at=timezone.now(),
        finished_at=timezone.now(),
    )


@pytest.fixture
def operator(client):
    user = UserFactory(individual=True, is_staff=True)
    client.force_login(user)
    return user


def test_staff_see_failures_without_recipient_at_a_constant_cost(client, operator):
    failed_message()
    with CaptureQueriesContext(connection) as one:
        response = client.get(URL)
    page = response.content.decode()
    assert response.status_code == 200
    assert "sign_in_code" in page and "SMTPServerDisconnected" in page
    assert "secret-owner" not in page
    for _ in range(5):
        failed_message()
    with CaptureQueriesContext(connection) as six:
        client.get(URL)
    assert len(one) == len(six) <= 5


def test_staff_send_a_failed_message_again(client, operator, mailoutbox):
    UserFactory(email="nadia@example.org")
    message = failed_message(email="nadia@example.org")
    response = client.post(URL, {"message": message.pk})
    assert response.status_code == 302
    message.refresh_from_db()
    assert message.status == "sent"  # the tests' queue runs the task at once
    assert mailoutbox[0].to == ["nadia@example.org"]
    assert client.post(URL, {"message": "nope"}).status_code == 302
    assert OutgoingMessage.objects.get().status == "sent"


def test_a_signed_in_user_who_is_not_staff_is_refused(client):
    client.force_login(UserFactory(individual=True))
    assert client.get(URL).status_code == 403
