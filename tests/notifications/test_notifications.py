"""Notifications: in-app first, an email only as each user chose, and never more
in an email body than the user allowed."""

from html import unescape

import pytest
from django.core import mail
from django.urls import reverse

from alliance.audit.models import Action, AuditEntry
from alliance.notifications import services
from alliance.notifications.kinds import choosable_groups
from alliance.notifications.models import Delivery, Notification
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

CHOOSABLE = [group.value for group in choosable_groups()]
ALL_IMMEDIATE = dict.fromkeys(CHOOSABLE, Delivery.IMMEDIATE)


def _notify(*users, key="", **params):
    params = {"alliance": "Aller à l'école", "action": "Appeler l'école", **params}
    return services.notify(users, "action_due", url="/alliances/1/actions/", key=key, **params)


def test_a_notification_is_in_the_app_and_an_email_says_only_that_something_waits():
    user = UserFactory(email="lea@example.org")
    (notification,) = _notify(user)
    assert services.unread_count(user) == 1
    (email,) = mail.outbox
    assert email.to == ["lea@example.org"]
    assert "Quelque chose de nouveau vous attend" in email.body  # French by default
    assert "Une action arrive à échéance demain" in email.body
    assert "Appeler l'école" not in email.body and "Aller à l'école" not in email.body
    assert "/alliances/1/actions/" in email.body
    notification.refresh_from_db()
    assert notification.emailed_at is not None


def test_details_and_language_as_the_user_chose(client):
    user = UserFactory(email="lea@example.org")
    services.set_preferences(
        user=user,
        deliveries=ALL_IMMEDIATE,
        language="en",
        details_in_email=True,
        expected_version=1,
    )
    _notify(user)
    (email,) = mail.outbox
    assert "Something new waits for you in Alliance" in email.body
    assert "“Appeler l'école” in “Aller à l'école” is due tomorrow." in email.body


def test_in_app_only_sends_no_email_and_the_daily_digest_sends_one_for_all():
    quiet, daily = UserFactory(), UserFactory()
    services.set_preferences(
        user=quiet,
        deliveries=dict.fromkeys(CHOOSABLE, Delivery.IN_APP),
        language="fr",
        details_in_email=False,
        expected_version=1,
    )
    services.set_preferences(
        user=daily,
        deliveries=dict.fromkeys(CHOOSABLE, Delivery.DAILY),
        language="fr",
        details_in_email=False,
        expected_version=1,
    )
    _notify(quiet, daily)
    _notify(daily, action="Visiter")
    assert mail.outbox == []
    assert services.send_daily_digests() == 1
    (digest,) = mail.outbox
    assert digest.to == [daily.email]
    assert digest.body.count("Une action arrive à échéance demain") == 2
    assert services.send_daily_digests() == 0  # each notification is emailed once


def test_the_same_event_is_notified_once_and_a_user_without_email_gets_it_in_the_app():
    no_email = UserFactory(email=None)
    _notify(no_email, key="action_due:1")
    _notify(no_email, key="action_due:1")
    assert Notification.objects.filter(user=no_email).count() == 1
    assert mail.outbox == []


def test_stale_preferences_are_refused_and_nothing_changes(client):
    user = UserFactory()
    client.force_login(user)
    url = reverse("notifications:preferences")
    data = {"version": 1, "language": "fr", **{f"group_{g}": "daily" for g in CHOOSABLE}}
    assert client.post(url, data).status_code == 302
    response = client.post(url, {**data, "language": "en"})
    assert response.status_code == 409
    assert services.settings_of(user).language == "fr"
    assert "dans une autre fenêtre" in response.content.decode()
    bad = client.post(url, {**data, "version": 2, "group_actions": "pigeon"})
    assert bad.status_code == 400
    assert services.preferences_of(user)["actions"] == "daily"
    assert (
        AuditEntry.objects.filter(actor=user, action=Action.NOTIFICATION_SETTINGS_CHANGED).count()
        == 1
    )


def test_the_list_marks_read_one_or_all_and_nobody_reads_someone_elses(client):
    user, other = UserFactory(), UserFactory()
    first, second = _notify(user)[0], _notify(user, action="Visiter")[0]
    (theirs,) = _notify(other)
    client.force_login(user)
    page = unescape(client.get(reverse("notifications:list")).content.decode())
    assert "Appeler l'école" in page and "Visiter" in page
    assert "2 nouvelles" in client.get(reverse("home")).content.decode()

    response = client.post(reverse("notifications:read"), {"notification": first.pk, "open": "1"})
    assert response.status_code == 302 and response["Location"] == "/alliances/1/actions/"
    response = client.post(reverse("notifications:read"), {"notification": theirs.pk})
    assert response.status_code == 302
    theirs.refresh_from_db()
    assert theirs.read_at is None
    client.post(reverse("notifications:read"), {"all": "1"})
    second.refresh_from_db()
    assert second.read_at is not None
    assert services.unread_count(user) == 0


def test_the_notification_pages_cost_the_same_for_3_or_80_notifications(
    client, django_assert_max_num_queries
):
    counts = {}
    for n in (3, 80):
        user = UserFactory()
        for i in range(n):
            _notify(user, action=f"Action {i}")
        client.force_login(user)
        for name in ("notifications:list", "notifications:preferences"):
            client.get(reverse(name))  # warm the session
            with django_assert_max_num_queries(8) as captured:
                assert client.get(reverse(name)).status_code == 200
            counts.setdefault(name, set()).add(len(captured.captured_queries))
    assert all(len(c) == 1 for c in counts.values()), counts
