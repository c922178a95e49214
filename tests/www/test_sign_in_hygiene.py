"""Sign-in hygiene through the pages (issue 9, finding 7): one answer in one time for
every failed sign-in, rate limits, a delay instead of a lock, `next`, the password
change, session limits, and no-store on personal responses."""

import re
from datetime import timedelta
from html import escape

import pytest
from django.contrib.auth.hashers import MD5PasswordHasher
from django.test import Client
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext

from alliance.accounts.models import SignInSecret, User
from alliance.accounts.services import issue_sign_in_code, issue_sign_in_link
from alliance.audit.models import Action, AuditEntry
from alliance.notifications.models import Notification
from tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db

SIGN_IN = "accounts:sign_in"
FAILED = (
    "This email and password do not match, or there were too many attempts "
    "just now. Wait a moment and try again, or sign in with a code."
)
TOO_MANY = (
    "There were too many attempts in a short time. Nothing was done. "
    "Wait a few minutes, then try again."
)
NEW_PASSWORD = "une phrase assez longue 42"


def fr(message):
    with translation.override("fr"):
        return escape(gettext(message))


def fr_template(message):
    """A sentence written in a template: the translate tag does not escape it."""
    with translation.override("fr"):
        return gettext(message)


def _sign_in(client, email, password=PASSWORD, next=None, **meta):
    data = {"email": email, "password": password}
    if next is not None:
        data["next"] = next
    return client.post(reverse(SIGN_IN), data, **meta)


def _without_password(**fields):
    user = UserFactory(**fields)
    user.set_unusable_password()
    user.save(update_fields=["password"])
    return user


def _signed_in(client):
    return "_auth_user_id" in client.session


# ---------------------------------------------------------------- one answer, one time


@pytest.fixture
def hashings(monkeypatch):
    """How many passwords were hashed: the cost an answer's time reveals. (The tests'
    hasher checks a password by hashing it again with `encode`.)"""
    calls = []
    original = MD5PasswordHasher.encode

    def counted(self, *args, **kwargs):
        calls.append(1)
        return original(self, *args, **kwargs)

    monkeypatch.setattr(MD5PasswordHasher, "encode", counted)
    return calls


def test_unknown_known_delayed_and_inactive_accounts_get_the_same_answer_in_the_same_work(
    client, hashings
):
    known = UserFactory(professional=True, email="ines@example.org")
    UserFactory(
        professional=True,
        email="delayed@example.org",
        failed_sign_ins=9,
        sign_in_delayed_until=timezone.now() + timedelta(hours=1),
    )
    UserFactory(professional=True, email="gone@example.org", is_active=False)
    _without_password(email="nopassword@example.org")

    answers = {}
    for email in (
        "nobody@example.org",
        known.email,
        "delayed@example.org",
        "gone@example.org",
        "nopassword@example.org",
    ):
        hashings.clear()
        response = _sign_in(client, email, "not the password")
        answers[email] = (response.status_code, len(hashings))
        page = response.content.decode()
        assert fr(FAILED) in page
        assert "verrouill" not in page.lower() and "lock" not in page.lower()
    assert set(answers.values()) == {(400, 1)}, answers
    assert not _signed_in(client)


def test_asking_for_a_code_does_the_same_work_for_known_and_unknown_addresses(
    client, settings, mailoutbox
):
    """The lookup and the email happen in the task worker: the request only queues the
    address, whoever owns it, so its time says nothing of who has an account."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext
    from django_tasks import task_backends

    from alliance.notifications.models import OutgoingMessage

    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    known = UserFactory(email="nadia@example.org")
    UserFactory(email="gone@example.org", is_active=False)
    url = reverse("accounts:request_code")
    work = {}
    for email in ("nobody@example.org", known.email, "gone@example.org"):
        client.post(url, {"email": email})  # warm the session and the caches
        with CaptureQueriesContext(connection) as queries:
            response = client.post(url, {"email": email})
        work[email] = (response.status_code, [q["sql"].split(" ")[0] for q in queries])
    assert len(set(map(repr, work.values()))) == 1, work
    queued = task_backends["default"].results
    # The task carries the outbox message's id; the message, the address as typed.
    messages = OutgoingMessage.objects.order_by("pk")
    assert [result.args for result in queued] == [[m.pk] for m in messages]
    assert [m.params["email"] for m in messages] == [
        email for email in ("nobody@example.org", known.email, "gone@example.org") for _ in "12"
    ]
    assert mailoutbox == [] and not SignInSecret.objects.exists()

    for result in queued:
        result.task.call(*result.args)
    assert [message.to for message in mailoutbox] == [[known.email], [known.email]]


def test_a_delayed_account_refuses_even_the_right_password_and_says_nothing_more(client):
    user = UserFactory(professional=True, email="ines@example.org")
    for _attempt in range(4):
        _sign_in(client, user.email, "not the password")
    user.refresh_from_db()
    assert user.is_sign_in_delayed()
    response = _sign_in(client, user.email)
    assert response.status_code == 400 and fr(FAILED) in response.content.decode()
    assert not _signed_in(client)
    # Once the delay is over, the owner gets in.
    User.objects.filter(pk=user.pk).update(sign_in_delayed_until=timezone.now())
    assert _sign_in(client, user.email).status_code == 302
    user.refresh_from_db()
    assert (user.failed_sign_ins, user.sign_in_delayed_until) == (0, None)


def test_a_stranger_cannot_shut_the_owner_out(client, settings, mailoutbox):
    """Fifty wrong passwords from many addresses delay the account a few minutes at
    most, and the owner still signs in at once with a code sent to their own email."""
    settings.ALLIANCE_RATE_LIMITS = {**settings.ALLIANCE_RATE_LIMITS, "password": {}}
    owner = UserFactory(professional=True, email="ines@example.org")
    for n in range(50):
        User.objects.filter(pk=owner.pk).update(sign_in_delayed_until=None)
        _sign_in(client, owner.email, f"guess {n}", REMOTE_ADDR=f"10.0.{n}.1")
    owner.refresh_from_db()
    cap = timedelta(seconds=settings.ALLIANCE_SIGN_IN_MAX_DELAY_SECONDS)
    assert owner.sign_in_delayed_until <= timezone.now() + cap
    assert settings.ALLIANCE_SIGN_IN_MAX_DELAY_SECONDS <= 600

    owners_browser = Client()
    owners_browser.post(reverse("accounts:request_code"), {"email": owner.email})
    code = re.search(r"[A-Z0-9]{5}-[A-Z0-9]{5}", mailoutbox[-1].body).group(0)
    assert mailoutbox[-1].to == [owner.email]
    response = owners_browser.post(reverse("accounts:sign_in_code"), {"code": code})
    assert response.status_code == 302
    assert owners_browser.session["_auth_user_id"] == str(owner.pk)


# ---------------------------------------------------------------- rate limits


def _limit(settings, scope, **rates):
    settings.ALLIANCE_RATE_LIMITS = {**settings.ALLIANCE_RATE_LIMITS, scope: rates}


def _assert_limited(response):
    assert response.status_code == 429
    assert fr_template(TOO_MANY) in response.content.decode()
    assert int(response["Retry-After"]) > 0


def test_password_spraying_from_one_address_is_limited(client, settings):
    _limit(settings, "password", ip="5/5m")
    UserFactory(professional=True, email="ines@example.org")
    for n in range(5):
        assert _sign_in(client, f"person{n}@example.org", "Printemps2026!").status_code == 400
    # The limit is reached: even the right password of a real account changes nothing.
    _assert_limited(_sign_in(client, "ines@example.org"))
    assert not _signed_in(client)
    # Another address is not concerned.
    assert _sign_in(client, "ines@example.org", REMOTE_ADDR="10.1.2.3").status_code == 302


def test_guessing_one_account_from_many_addresses_is_limited(client, settings):
    _limit(settings, "password", ip="100/5m", account="3/5m")
    user = UserFactory(professional=True, email="ines@example.org")
    settings.ALLIANCE_SIGN_IN_FREE_FAILURES = 100
    for n in range(3):
        _sign_in(client, user.email.upper(), "no", REMOTE_ADDR=f"10.0.0.{n}")
    _assert_limited(_sign_in(client, user.email, REMOTE_ADDR="10.0.0.9"))
    # The same limit for an address without an account: nothing to learn from it.
    for n in range(3):
        _sign_in(client, "nobody@example.org", "no", REMOTE_ADDR=f"10.0.1.{n}")
    _assert_limited(_sign_in(client, "nobody@example.org", REMOTE_ADDR="10.0.1.9"))


def test_codes_cannot_be_guessed_at_speed(client, settings):
    _limit(settings, "code", ip="3/5m")
    user = _without_password(email=None)
    code = issue_sign_in_code(user=user)
    for _attempt in range(3):
        client.post(reverse("accounts:sign_in_code"), {"code": "ABCDE-FGHJK"})
    _assert_limited(client.post(reverse("accounts:sign_in_code"), {"code": code}))
    assert SignInSecret.objects.get().used_at is None
    assert not _signed_in(client)


def test_sign_in_links_cannot_be_tried_at_speed(client, settings):
    _limit(settings, "link", ip="2/5m")
    link = issue_sign_in_link(user=_without_password(email=None))
    for _attempt in range(2):
        client.post(reverse("accounts:sign_in_link", args=["not-a-token"]))
    _assert_limited(client.post(link))
    assert SignInSecret.objects.get().used_at is None


def test_code_emails_are_limited_per_address_and_per_client(client, settings, mailoutbox):
    user = UserFactory(email="nadia@example.org")
    url = reverse("accounts:request_code")
    for n in range(3):
        client.post(url, {"email": "Nadia@example.org"}, REMOTE_ADDR=f"10.0.0.{n}")
    assert len(mailoutbox) == 3
    _assert_limited(client.post(url, {"email": user.email}, REMOTE_ADDR="10.0.0.9"))
    assert len(mailoutbox) == 3
    assert SignInSecret.objects.filter(user=user).count() == 3

    _limit(settings, "code_email", ip="2/h", account="100/h")
    other = Client()
    for n in range(2):
        other.post(url, {"email": f"someone{n}@example.org"}, REMOTE_ADDR="10.9.9.9")
    _assert_limited(other.post(url, {"email": "x@example.org"}, REMOTE_ADDR="10.9.9.9"))


def test_behind_the_proxy_each_client_is_counted_apart(client, settings):
    _limit(settings, "password", ip="2/5m")
    settings.ALLIANCE_PROXY_COUNT = 1
    user = UserFactory(professional=True, email="ines@example.org")
    proxy = {"REMOTE_ADDR": "10.0.0.1"}
    for _attempt in range(2):
        _sign_in(client, "a@example.org", "no", HTTP_X_FORWARDED_FOR="198.51.100.7", **proxy)
    spoofed = "203.0.113.1, 198.51.100.7"  # a client cannot choose its own address
    _assert_limited(_sign_in(client, user.email, HTTP_X_FORWARDED_FOR=spoofed, **proxy))
    response = _sign_in(client, user.email, HTTP_X_FORWARDED_FOR="198.51.100.8", **proxy)
    assert response.status_code == 302


def test_a_limited_request_is_a_french_page_that_needs_no_sign_in(client, settings):
    _limit(settings, "code", ip="0/5m")
    response = client.post(reverse("accounts:sign_in_code"), {"code": "ABCDE-FGHJK"})
    _assert_limited(response)
    assert '<html lang="fr">' in response.content.decode()


# ---------------------------------------------------------------- next


@pytest.mark.parametrize(
    "target",
    ["https://evil.example/", "//evil.example/x", "x:y", "javascript:alert(1)", "home", "/\\evil"],
)
def test_an_unsafe_next_is_ignored_never_a_500(client, target):
    user = UserFactory(professional=True, email="ines@example.org")
    response = _sign_in(client, user.email, next=target)
    assert response.status_code == 302
    assert response["Location"] == reverse("home")


def test_the_middlewares_next_goes_through_every_way_in(client, mailoutbox):
    UserFactory(demo_persona="nadia")
    target = reverse("notifications:list") + "?page=2"
    response = client.get(target)
    assert response.status_code == 302
    sign_in_page = client.get(response["Location"]).content.decode()
    hidden = f'<input type="hidden" name="next" value="{escape(target)}">'
    # Code, code by email, passkey, password, demo persona.
    assert sign_in_page.count(hidden) == 5

    user = UserFactory(professional=True, email="ines@example.org")
    assert _sign_in(client, user.email, next=target)["Location"] == target

    for way in ("code", "link"):
        client.logout()
        individual = _without_password(email=None)
        if way == "code":
            url = reverse("accounts:sign_in_code")
            data = {"code": issue_sign_in_code(user=individual), "next": target}
        else:
            url, data = issue_sign_in_link(user=individual), {"next": target}
            assert hidden in client.get(url, {"next": target}).content.decode()
        assert client.post(url, data)["Location"] == target

    client.logout()
    response = client.post(
        reverse("accounts:request_code"), {"email": "a@example.org", "next": target}
    )
    assert hidden in client.get(response["Location"]).content.decode()


# ---------------------------------------------------------------- password change


def test_changing_the_password_needs_the_current_one(client):
    user = UserFactory(professional=True, email="ines@example.org")
    client.force_login(user)
    url = reverse("accounts:password")
    for data in (
        {"password": NEW_PASSWORD},
        {"current_password": "wrong", "password": NEW_PASSWORD},
    ):
        response = client.post(url, data)
        assert response.status_code == 400
    assert fr("This is not your current password.") in response.content.decode()
    user.refresh_from_db()
    assert user.check_password(PASSWORD)
    assert not AuditEntry.objects.filter(action=Action.PASSWORD_CHANGED).exists()


def test_a_password_change_is_told_to_the_owner_written_down_and_ends_other_sessions(
    client, alliance_trio, mailoutbox
):
    user = alliance_trio.professional.user
    elsewhere = Client()
    elsewhere.force_login(user)
    assert elsewhere.get(reverse("home")).status_code == 200
    client.force_login(user)
    mailoutbox.clear()

    response = client.post(
        reverse("accounts:password"), {"current_password": PASSWORD, "password": NEW_PASSWORD}
    )
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.check_password(NEW_PASSWORD)
    assert client.get(reverse("home")).status_code == 200  # this session stays
    assert elsewhere.get(reverse("home")).status_code == 302  # the other ends
    assert Notification.objects.filter(user=user, kind="password_changed").count() == 1
    [email] = mailoutbox
    assert email.to == [user.email]
    assert not re.search(r"[A-Z0-9]{5}-[A-Z0-9]{5}|/sign-in/link/", email.body)
    entries = AuditEntry.objects.filter(action=Action.PASSWORD_CHANGED, target_id=user.pk)
    assert set(entries.values_list("alliance_id", flat=True)) == {None, alliance_trio.alliance.pk}


def test_the_owner_who_signs_out_of_notifications_still_hears_of_a_password_change(
    client, mailoutbox
):
    from alliance.notifications import services as notifications

    user = UserFactory(professional=True, email="ines@example.org")
    notifications.set_preferences(
        user=user,
        deliveries=dict.fromkeys(notifications.preferences_of(user), "in_app"),
        language="fr",
        details_in_email=False,
        expected_version=1,
    )
    client.force_login(user)
    mailoutbox.clear()
    client.post(
        reverse("accounts:password"), {"current_password": PASSWORD, "password": NEW_PASSWORD}
    )
    assert [m.to for m in mailoutbox] == [[user.email]]


def test_an_account_without_a_password_chooses_its_first_from_its_own_session(client):
    user = _without_password(email=None)
    client.force_login(user)
    page = client.get(reverse("accounts:password")).content.decode()
    assert 'name="current_password"' not in page
    response = client.post(reverse("accounts:password"), {"password": NEW_PASSWORD})
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.check_password(NEW_PASSWORD)


def test_guessing_the_current_password_from_an_open_session_is_limited(client, settings):
    _limit(settings, "password_change", account="3/15m")
    user = UserFactory(professional=True, email="ines@example.org")
    client.force_login(user)
    for n in range(3):
        client.post(
            reverse("accounts:password"), {"current_password": f"guess {n}", "password": "x"}
        )
    _assert_limited(
        client.post(
            reverse("accounts:password"), {"current_password": PASSWORD, "password": NEW_PASSWORD}
        )
    )
    user.refresh_from_db()
    assert user.check_password(PASSWORD)
