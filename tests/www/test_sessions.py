"""Sessions through the pages: not kept after the browser closes, ended after a while
without activity or after the absolute limit, listed on "my sessions" where the owner
signs one out or every other; no personal response is stored by a cache."""

from datetime import timedelta
from html import escape

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext

from alliance.accounts import sessions
from alliance.accounts.models import UserSession
from alliance.audit.models import Action, AuditEntry
from tests.factories import PASSWORD, UserFactory
from tests.mfa import pass_second_factor

from .scene import URL_KWARGS, build_scene

pytestmark = pytest.mark.django_db

FIREFOX_ANDROID = "Mozilla/5.0 (Android 14; Mobile; rv:128.0) Gecko/128.0 Firefox/128.0"
CHROME_WINDOWS = (
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 "
    "(KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36"
)


def fr(message, **params):
    with translation.override("fr"):
        return escape(gettext(message) % params if params else gettext(message))


def _browser(user, user_agent):
    """A browser that signed in with the password form, as a person would."""
    browser = Client(HTTP_USER_AGENT=user_agent)
    response = browser.post(
        reverse("accounts:sign_in"), {"email": user.email, "password": PASSWORD}
    )
    assert response.status_code == 302
    if user.is_professional:
        pass_second_factor(browser, user)
    return browser


def _age(client, **seconds):
    """Moves the session's clock back, as if time had passed since."""
    session = client.session
    for key, value in seconds.items():
        session[key] -= value
    session.save()


# ---------------------------------------------------------------- limits


def test_the_session_cookie_ends_with_the_browser(client):
    user = UserFactory(professional=True, email="ines@example.org")
    response = client.post(reverse("accounts:sign_in"), {"email": user.email, "password": PASSWORD})
    cookie = response.cookies["sessionid"]
    assert cookie["expires"] == "" and cookie["max-age"] == ""


@pytest.mark.parametrize(
    ("kind", "minutes", "ends"),
    [
        ("professional", 29, False),
        ("professional", 31, True),
        ("decision_maker", 31, True),
        ("individual", 31, False),
        ("individual", 121, True),
    ],
)
def test_a_session_ends_after_a_while_without_activity(client, kind, minutes, ends):
    user = UserFactory(**{kind: True})
    client.force_login(user)
    target = reverse("notifications:list")
    assert client.get(target).status_code == 200
    _age(client, **{sessions.LAST_SEEN: minutes * 60})
    response = client.get(target)
    if not ends:
        assert response.status_code == 200
        return
    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:sign_in") + "?next=%2Fnotifications%2F"
    assert "_auth_user_id" not in client.session
    page = client.get(response["Location"]).content.decode()
    assert (
        fr(
            "You were signed out after a while without activity, to protect your account. "
            "Sign in again to continue."
        )
        in page
    )
    assert f'name="next" value="{target}"' in page
    assert UserSession.objects.get(user=user).ended_at is not None


def test_the_idle_timeout_is_a_setting(client, settings):
    settings.ALLIANCE_IDLE_MINUTES_PROFESSIONAL = 5
    client.force_login(UserFactory(professional=True))
    client.get(reverse("home"))
    _age(client, **{sessions.LAST_SEEN: 6 * 60})
    assert client.get(reverse("home")).status_code == 302


def test_a_busy_session_still_ends_at_the_absolute_limit(client, settings):
    client.force_login(UserFactory(individual=True))
    client.get(reverse("home"))
    _age(client, **{sessions.SIGNED_IN_AT: (settings.ALLIANCE_SESSION_MAX_HOURS * 60 + 1) * 60})
    response = client.get(reverse("home"))
    assert response.status_code == 302
    assert (
        fr("Your session has ended. Sign in again to continue.")
        in client.get(response["Location"]).content.decode()
    )


def test_an_htmx_request_after_the_timeout_sends_the_whole_page_to_sign_in(client):
    client.force_login(UserFactory(professional=True))
    client.get(reverse("home"))
    _age(client, **{sessions.LAST_SEEN: 3600})
    response = client.get(reverse("notifications:list"), headers={"HX-Request": "true"})
    assert response["HX-Redirect"].startswith(reverse("accounts:sign_in"))


def test_activity_is_written_at_most_once_a_minute(client, django_assert_num_queries):
    user = UserFactory(professional=True)
    client.force_login(user)
    client.get(reverse("home"))
    row = UserSession.objects.get(user=user)
    _age(client, **{sessions.LAST_SEEN: 30})
    client.get(reverse("home"))
    assert UserSession.objects.get(pk=row.pk).last_seen_at == row.last_seen_at
    _age(client, **{sessions.LAST_SEEN: 61})
    client.get(reverse("home"))
    assert UserSession.objects.get(pk=row.pk).last_seen_at > row.last_seen_at


# ---------------------------------------------------------------- my sessions


def test_my_sessions_lists_each_browser_and_marks_this_one():
    user = UserFactory(professional=True, email="ines@example.org")
    phone = _browser(user, FIREFOX_ANDROID)
    desk = _browser(user, CHROME_WINDOWS)
    UserFactory(professional=True)  # someone else's sessions are not listed
    page = desk.get(reverse("accounts:sessions")).content.decode()
    assert fr("%(browser)s on %(system)s", browser="Firefox", system="Android") in page
    assert fr("%(browser)s on %(system)s", browser="Chrome", system="Windows") in page
    assert page.count(fr("This browser")) == 1
    assert page.index(fr("This browser")) > page.index("Chrome")
    assert phone.get(reverse("home")).status_code == 200
    assert not UserSession.objects.exclude(user=user).exists()


def test_the_owner_signs_one_session_out():
    user = UserFactory(professional=True, email="ines@example.org")
    phone = _browser(user, FIREFOX_ANDROID)
    desk = _browser(user, CHROME_WINDOWS)
    row = UserSession.objects.get(device__startswith="Firefox")
    response = desk.post(reverse("accounts:end_session", args=[row.pk]))
    assert response.status_code == 302
    response = phone.get(reverse("home"))
    assert response.status_code == 302 and response["Location"].startswith(
        reverse("accounts:sign_in")
    )
    assert "_auth_user_id" not in phone.session
    assert desk.get(reverse("home")).status_code == 200
    entry = AuditEntry.objects.get(action=Action.SESSION_ENDED)
    assert (entry.actor_id, entry.target_id, entry.detail["device"]) == (
        user.pk,
        user.pk,
        row.device,
    )


def test_nobody_signs_out_a_session_that_is_not_theirs():
    user = UserFactory(professional=True, email="ines@example.org")
    other = UserFactory(professional=True, email="paul@example.org")
    theirs = _browser(other, FIREFOX_ANDROID)
    mine = _browser(user, CHROME_WINDOWS)
    row = UserSession.objects.get(user=other)
    assert mine.post(reverse("accounts:end_session", args=[row.pk])).status_code == 404
    own = UserSession.objects.get(user=user)  # this browser: that is "sign out"
    assert mine.post(reverse("accounts:end_session", args=[own.pk])).status_code == 404
    assert theirs.get(reverse("home")).status_code == 200
    assert mine.get(reverse("home")).status_code == 200
    assert not AuditEntry.objects.filter(action=Action.SESSION_ENDED).exists()


def test_sign_out_everywhere_else(alliance_trio):
    user = alliance_trio.professional.user
    user.email = "ines@example.org"
    user.save()
    others = [_browser(user, FIREFOX_ANDROID), _browser(user, FIREFOX_ANDROID)]
    desk = _browser(user, CHROME_WINDOWS)
    assert desk.post(reverse("accounts:end_other_sessions")).status_code == 302
    for browser in others:
        assert browser.get(reverse("home")).status_code == 302
    assert desk.get(reverse("home")).status_code == 200
    page = desk.get(reverse("accounts:sessions")).content.decode()
    assert "Firefox" not in page
    entries = AuditEntry.objects.filter(action=Action.OTHER_SESSIONS_ENDED)
    assert set(entries.values_list("alliance_id", flat=True)) == {None, alliance_trio.alliance.pk}


def test_signing_out_ends_the_row(client):
    user = UserFactory(professional=True, email="ines@example.org")
    browser = _browser(user, FIREFOX_ANDROID)
    browser.post(reverse("accounts:sign_out"))
    assert UserSession.objects.get(user=user).ended_at is not None


@pytest.mark.parametrize(
    ("user_agent", "device"),
    [
        (FIREFOX_ANDROID, "Firefox on Android"),
        (CHROME_WINDOWS, "Chrome on Windows"),
        (
            "Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 "
            "(KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1",
            "Safari on iPhone",
        ),
        (CHROME_WINDOWS + " Edg/131.0.0.0", "Edge on Windows"),
        ("curl/8.5.0", "Unknown browser"),
        ("", "Unknown browser"),
    ],
)
def test_a_device_is_described_in_a_few_words(user_agent, device):
    with translation.override("en"):
        assert sessions.describe_device(user_agent) == device


# ---------------------------------------------------------------- caches


def _assert_no_store(response):
    assert "no-store" in response["Cache-Control"]
    assert response["Pragma"] == "no-cache"


def test_no_personal_page_or_export_is_kept_by_a_cache(client):
    scene = build_scene()
    client.force_login(scene.user("professional_ally"))
    for name in ("home", "alliances:overview", "accounts:sessions", "reports:export"):
        response = client.get(reverse(name, kwargs=URL_KWARGS[name](scene)))
        assert response.status_code == 200, name
        _assert_no_store(response)
    response = client.get(reverse("reports:export", kwargs=URL_KWARGS["reports:export"](scene)))
    assert response["Content-Type"].startswith("text/csv")


def test_public_pages_keep_their_ordinary_caching(client):
    response = client.get(reverse("accounts:sign_in"))
    assert response.status_code == 200
    assert "no-store" not in response.get("Cache-Control", "")


def test_signing_in_again_in_the_same_browser_replaces_its_row():
    user = UserFactory(professional=True, email="ines@example.org")
    browser = _browser(user, FIREFOX_ANDROID)
    browser.post(reverse("accounts:sign_in"), {"email": user.email, "password": PASSWORD})
    assert UserSession.objects.filter(user=user, ended_at__isnull=True).count() == 1
    assert UserSession.objects.filter(user=user).count() == 2


def test_a_session_left_idle_is_no_longer_listed():
    user = UserFactory(professional=True, email="ines@example.org")
    _browser(user, FIREFOX_ANDROID)
    desk = _browser(user, CHROME_WINDOWS)
    UserSession.objects.filter(device__startswith="Firefox").update(
        last_seen_at=timezone.now() - timedelta(minutes=45)
    )
    page = desk.get(reverse("accounts:sessions")).content.decode()
    assert "Firefox" not in page and "Chrome" in page
