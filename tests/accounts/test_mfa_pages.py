"""The second factor through the pages (ADR 0011): professionals and decision makers
set it up or use it before anything personal; recovery codes; devices; passkeys for
everyone; re-authentication before sensitive actions; the demo's buttons."""

import time

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import translation
from django.utils.html import escape
from django.utils.http import urlencode
from django.utils.translation import gettext
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from alliance.accounts import mfa, sessions
from alliance.accounts.models import User
from alliance.audit.models import Action, AuditEntry
from tests.factories import PASSWORD, UserFactory
from tests.mfa import current_code
from tests.www.scene import build_scene, report_of

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("unverified_second_factor")]


def fr(message):
    with translation.override("fr"):
        return escape(gettext(message))


def _signed_in_with_password(user):
    client = Client()
    response = client.post(reverse("accounts:sign_in"), {"email": user.email, "password": PASSWORD})
    assert response.status_code == 302
    return client


def _to(name, target):
    return f"{reverse(name)}?{urlencode({'next': target})}"


def _entries(action, user):
    return AuditEntry.objects.filter(action=action, target_id=user.pk, alliance_id=None)


def _age(client, seconds):
    """As if the session had signed in (or confirmed it was its owner) long ago."""
    session = client.session
    for key in (sessions.SIGNED_IN_AT, mfa.REAUTHENTICATED_AT):
        if key in session:
            session[key] -= seconds
    session[sessions.LAST_SEEN] = int(time.time())
    session.save()


# ---------------------------------------------------------------- the gate


@pytest.mark.parametrize("kind", ["professional", "decision_maker", "org_admin"])
def test_without_a_second_factor_every_personal_page_sends_to_its_set_up(kind):
    user = UserFactory(**{kind: True})
    client = _signed_in_with_password(user)
    for name in ("home", "notifications:list", "accounts:sessions", "mfa:devices"):
        response = client.get(reverse(name))
        assert response.status_code == 302, name
        assert response["Location"] == _to("mfa:setup", reverse(name))
    response = client.get(reverse("notifications:list"), headers={"HX-Request": "true"})
    assert response["HX-Redirect"].startswith(reverse("mfa:setup"))


def test_the_allow_list_stays_open_before_the_second_factor():
    client = _signed_in_with_password(UserFactory(professional=True))
    assert client.get(reverse("mfa:setup")).status_code == 200
    assert client.get(reverse("mfa:passkeys")).status_code == 200
    assert client.post(reverse("set_language"), {"language": "en"}).status_code == 302
    assert client.post(reverse("accounts:sign_out")).status_code == 302
    assert client.get(reverse("home")).status_code == 302  # now signed out


def test_persons_and_relatives_need_no_second_factor():
    user = UserFactory(individual=True)
    client = _signed_in_with_password(user)
    assert client.get(reverse("home")).status_code == 200


def test_setting_up_an_authenticator_app_then_recovery_codes_once():
    user = UserFactory(professional=True)
    client = _signed_in_with_password(user)
    page = client.get(reverse("mfa:setup"), {"next": "/notifications/"})
    assert page.status_code == 200
    text = page.content.decode()
    assert "<svg" in text and 'class="secret-key"' in text
    key = client.session[mfa.PENDING_TOTP_KEY]
    # The key stays the same across reloads until it is confirmed.
    client.get(reverse("mfa:setup"))
    assert client.session[mfa.PENDING_TOTP_KEY] == key

    wrong = client.post(reverse("mfa:setup"), {"code": "000000"})
    assert wrong.status_code == 400
    assert not TOTPDevice.objects.filter(user=user).exists()

    probe = TOTPDevice(key=key)
    response = client.post(
        reverse("mfa:setup"), {"code": current_code(probe), "next": "/notifications/"}
    )
    assert response.status_code == 200
    codes = list(StaticToken.objects.filter(device__user=user).values_list("token", flat=True))
    assert len(codes) == 10
    text = response.content.decode()
    assert all(code in text for code in codes)
    assert 'href="/notifications/"' in text
    assert TOTPDevice.objects.get(user=user).confirmed
    assert _entries(Action.SECOND_FACTOR_ADDED, user).count() == 1
    # The session is verified: personal pages open.
    assert client.get(reverse("notifications:list")).status_code == 200
    # The codes are never shown again.
    assert not any(code in client.get(reverse("mfa:devices")).content.decode() for code in codes)


def test_signing_in_again_asks_for_a_code_or_a_recovery_code():
    user = UserFactory(decision_maker=True)
    device = TOTPDevice.objects.create(user=user, name="phone", confirmed=True)
    recovery = mfa.regenerate_recovery_codes(user=user)
    client = _signed_in_with_password(user)
    response = client.get(reverse("notifications:list"))
    assert response["Location"] == _to("mfa:verify", reverse("notifications:list"))
    # A new factor cannot be added before one of the old ones is used.
    assert client.get(reverse("mfa:setup"))["Location"].startswith(reverse("mfa:verify"))

    wrong = client.post(reverse("mfa:verify"), {"code": "123456"})
    assert wrong.status_code == 400
    assert fr("This code does not work. Type the code shown now, or an unused recovery code.") in (
        wrong.content.decode()
    )
    _unthrottle(user)
    right = client.post(
        reverse("mfa:verify"), {"code": current_code(device), "next": "/notifications/"}
    )
    assert right["Location"] == "/notifications/"
    assert client.get(reverse("notifications:list")).status_code == 200

    # A recovery code works once.
    for expected in (302, 400):
        other = _signed_in_with_password(user)
        assert other.post(reverse("mfa:verify"), {"code": recovery[0]}).status_code == expected
        _unthrottle(user)


def _unthrottle(user):
    """django-otp makes a device wait a moment after a failure: not what is tested."""
    for model in (TOTPDevice, StaticDevice):
        for device in model.objects.filter(user=user):
            device.throttle_reset()


def test_codes_are_rate_limited_per_account():
    user = UserFactory(professional=True)
    TOTPDevice.objects.create(user=user, name="phone", confirmed=True)
    client = _signed_in_with_password(user)
    statuses = [
        client.post(reverse("mfa:verify"), {"code": "999999"}).status_code for _ in range(6)
    ]
    assert statuses == [400] * 5 + [429]


def test_devices_removed_but_never_the_last_one():
    user = UserFactory(professional=True)
    client = Client()
    client.force_login(user)
    first = TOTPDevice.objects.create(user=user, name="phone", confirmed=True)
    second = TOTPDevice.objects.create(user=user, name="tablet", confirmed=True)
    _verify(client, first)
    page = client.get(reverse("mfa:devices")).content.decode()
    assert reverse("mfa:remove_device", args=["authenticator", second.pk]) in page
    client.post(reverse("mfa:remove_device", args=["authenticator", second.pk]))
    assert not TOTPDevice.objects.filter(pk=second.pk).exists()
    assert _entries(Action.SECOND_FACTOR_REMOVED, user).count() == 1
    refused = client.post(reverse("mfa:remove_device", args=["authenticator", first.pk]))
    assert refused.status_code == 302
    assert TOTPDevice.objects.filter(pk=first.pk).exists()
    assert _entries(Action.SECOND_FACTOR_REMOVED, user).count() == 1
    # Nobody removes another's device, nor names an unknown kind.
    stranger = UserFactory(professional=True)
    theirs = TOTPDevice.objects.create(user=stranger, name="phone", confirmed=True)
    url = reverse("mfa:remove_device", args=["authenticator", theirs.pk])
    assert client.post(url).status_code == 404
    assert client.post(reverse("mfa:remove_device", args=["sms", first.pk])).status_code == 404


def _verify(client, device):
    from django_otp import DEVICE_ID_SESSION_KEY

    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()


def test_new_recovery_codes_replace_the_old_ones():
    user = UserFactory(professional=True)
    device = TOTPDevice.objects.create(user=user, name="phone", confirmed=True)
    old = mfa.regenerate_recovery_codes(user=user)
    client = Client()
    client.force_login(user)
    _verify(client, device)
    response = client.post(reverse("mfa:recovery_codes"))
    new = list(StaticToken.objects.filter(device__user=user).values_list("token", flat=True))
    assert len(new) == 10 and not set(new) & set(old)
    assert all(code in response.content.decode() for code in new)
    assert _entries(Action.RECOVERY_CODES_REGENERATED, user).count() == 2


# ---------------------------------------------------------------- re-authentication


def test_a_stale_session_confirms_with_the_password_before_changing_it():
    user = UserFactory(individual=True)
    client = Client()
    client.force_login(user)
    _age(client, 11 * 60)
    response = client.get(reverse("accounts:password"))
    assert response["Location"] == _to("mfa:reauthenticate", reverse("accounts:password"))
    page = client.get(response["Location"]).content.decode()
    assert 'name="password"' in page and 'name="code"' not in page
    wrong = client.post(reverse("mfa:reauthenticate"), {"password": "nope", "next": "/"})
    assert wrong.status_code == 400
    right = client.post(
        reverse("mfa:reauthenticate"),
        {"password": PASSWORD, "next": reverse("accounts:password")},
    )
    assert right["Location"] == reverse("accounts:password")
    assert client.get(reverse("accounts:password")).status_code == 200


def test_the_minutes_are_a_setting(settings):
    settings.ALLIANCE_REAUTHENTICATION_MINUTES = 30
    client = Client()
    client.force_login(UserFactory(individual=True))
    _age(client, 11 * 60)
    assert client.get(reverse("accounts:password")).status_code == 200
    _age(client, 20 * 60)
    assert client.get(reverse("accounts:password")).status_code == 302


def test_a_stale_session_confirms_with_a_code_before_changing_its_factors():
    user = UserFactory(professional=True)
    device = TOTPDevice.objects.create(user=user, name="phone", confirmed=True)
    client = Client()
    client.force_login(user)
    _verify(client, device)
    _age(client, 11 * 60)
    for name in ("mfa:setup", "mfa:passkeys"):
        assert client.get(reverse(name))["Location"].startswith(reverse("mfa:reauthenticate"))
    for url in (
        reverse("mfa:recovery_codes"),
        reverse("mfa:remove_device", args=["authenticator", device.pk]),
    ):
        response = client.post(url)
        assert response["Location"] == _to("mfa:reauthenticate", reverse("mfa:devices"))
    assert TOTPDevice.objects.filter(pk=device.pk).exists()
    assert not StaticToken.objects.filter(device__user=user).exists()
    done = client.post(reverse("mfa:reauthenticate"), {"code": current_code(device)})
    assert done["Location"] == reverse("home")
    assert client.get(reverse("mfa:setup")).status_code == 200


def test_publishing_a_report_in_a_stale_session_confirms_first():
    scene = build_scene()
    report = report_of(scene)
    admin = scene.user("org_admin")
    device = TOTPDevice.objects.create(user=admin, name="phone", confirmed=True)
    client = Client()
    client.force_login(admin)
    _verify(client, device)
    _age(client, 11 * 60)
    published = AuditEntry.objects.filter(action=Action.REPORT_PUBLISHED).count()
    response = client.post(
        reverse("reports:publish", args=[report.pk]),
        {"recipients": [scene.user("decision_maker").pk]},
    )
    detail = reverse("reports:detail", args=[report.pk])
    assert response["Location"] == _to("mfa:reauthenticate", detail)
    assert AuditEntry.objects.filter(action=Action.REPORT_PUBLISHED).count() == published


def test_an_account_with_no_way_to_confirm_is_told_to_sign_in_again():
    user = User.objects.create_user(email=None, display_name="Jade")
    client = Client()
    client.force_login(user)
    _age(client, 11 * 60)
    page = client.get(reverse("mfa:reauthenticate")).content.decode()
    assert 'name="password"' not in page and 'name="code"' not in page
    assert reverse("accounts:sign_out") in page


# ---------------------------------------------------------------- passkeys for everyone


def test_a_person_without_email_or_password_opens_the_passkeys_page_after_activation():
    person = User.objects.create_user(email=None, display_name="Jade")
    assert not person.has_usable_password()
    client = Client()
    client.force_login(person)  # what an activation does, then it sends here
    page = client.get(reverse("mfa:passkeys"))
    assert page.status_code == 200
    assert 'id="passkey-registration-placeholder"' in page.content.decode()
    options = client.post(reverse("otp_webauthn:credential-registration-begin"))
    assert options.status_code == 200
    assert options.json()["user"]["displayName"] == "Jade"
    # Nobody else's options: an anonymous visitor is sent to sign in.
    anonymous = Client().post(reverse("otp_webauthn:credential-registration-begin"))
    assert anonymous.status_code == 302


def test_adding_a_passkey_in_a_stale_session_is_refused():
    client = Client()
    client.force_login(User.objects.create_user(email=None, display_name="Jade"))
    _age(client, 11 * 60)
    response = client.post(reverse("otp_webauthn:credential-registration-begin"))
    assert response.status_code == 403
    assert response.json()["code"] == "reauthentication_required"


def test_the_sign_in_page_offers_a_passkey():
    page = Client().get(reverse("accounts:sign_in")).content.decode()
    assert 'id="passkey-verification-placeholder"' in page
    assert reverse("otp_webauthn:credential-authentication-begin") in page


# ---------------------------------------------------------------- demo mode


def test_the_demo_buttons_verify_a_professional_only_in_demo_mode(settings):
    UserFactory(professional=True, demo_persona="ines")
    client = Client()
    response = client.post(reverse("accounts:sign_in_demo", args=["ines"]))
    assert response.status_code == 302
    assert client.get(reverse("notifications:list")).status_code == 200

    settings.ALLIANCE_DEMO_MODE = False
    # A session verified by a demo button is no longer verified outside demo mode…
    assert client.get(reverse("notifications:list"))["Location"].startswith(reverse("mfa:setup"))
    # …and the buttons are not found.
    assert Client().post(reverse("accounts:sign_in_demo", args=["ines"])).status_code == 404


def test_passkey_sign_ins_are_rate_limited_per_client(settings):
    settings.ALLIANCE_RATE_LIMITS = {**settings.ALLIANCE_RATE_LIMITS, "passkey": {"ip": "3/5m"}}
    client = Client()
    url = reverse("otp_webauthn:credential-authentication-begin")
    assert [client.post(url).status_code for _ in range(4)] == [200, 200, 200, 429]
