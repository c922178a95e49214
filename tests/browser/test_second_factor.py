"""The second factor in Chromium (ADR 0011): a professional signs in with a password
then an authenticator app's code; a person registers a passkey with Chromium's
virtual authenticator and comes back with it, without a password."""

import base64

import pytest
from django.urls import reverse
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from alliance.accounts.models import User
from alliance.audit.models import Action, AuditEntry
from tests.browser.helpers import assert_accessible, assert_unique_ids
from tests.factories import PASSWORD, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("unverified_second_factor")]


def _sign_in_with_password(page, user):
    page.goto(reverse("accounts:sign_in"))
    page.fill("#id_email", user.email)
    page.fill("#id_password", PASSWORD)
    page.locator("#id_password").press("Enter")


def _code(key: bytes, drift=0) -> str:
    return f"{totp(key, drift=drift):06d}"


def test_a_professional_sets_up_then_uses_an_authenticator_app(new_context):
    user = UserFactory(professional=True, display_name="Inès Morel")
    page = new_context().new_page()
    _sign_in_with_password(page, user)
    page.wait_for_url("**" + reverse("mfa:setup") + "**")
    assert page.locator(".qr-code svg").count() == 1
    assert_accessible(page)
    assert_unique_ids(page)
    # The key as typed by hand in an app, read from the page.
    typed = page.locator(".secret-key").inner_text().replace(" ", "")
    key = base64.b32decode(typed + "=" * (-len(typed) % 8))
    page.fill("#id_code", _code(key))
    page.locator("#id_code").press("Enter")
    page.wait_for_selector(".recovery-codes")
    assert page.locator(".recovery-codes li").count() == 10
    assert_accessible(page)
    page.get_by_role("link", name="Je les ai gardés, continuer").click()
    page.wait_for_url(lambda url: url.endswith(reverse("home")))

    page.get_by_role("button", name="Me déconnecter (Inès Morel)").click()
    page.wait_for_url("**" + reverse("accounts:sign_in"))
    _sign_in_with_password(page, user)
    page.wait_for_url("**" + reverse("mfa:verify") + "**")
    assert_accessible(page)
    assert_unique_ids(page)
    device = TOTPDevice.objects.get(user=user)
    assert device.bin_key == key
    # The code of the next 30 seconds: the one of now was used at the set-up.
    page.fill("#id_code", _code(device.bin_key, drift=1))
    page.locator("#id_code").press("Enter")
    page.wait_for_url(lambda url: reverse("mfa:verify") not in url)
    page.goto(reverse("notifications:list"))
    assert page.url.endswith(reverse("notifications:list"))


def _virtual_authenticator(page):
    cdp = page.context.new_cdp_session(page)
    cdp.send("WebAuthn.enable")
    cdp.send(
        "WebAuthn.addVirtualAuthenticator",
        {
            "options": {
                "protocol": "ctap2",
                "transport": "internal",
                "hasResidentKey": True,
                "hasUserVerification": True,
                "isUserVerified": True,
            }
        },
    )
    return cdp


def test_a_person_without_email_registers_a_passkey_and_comes_back_with_it(new_context):
    person = User.objects.create_user(email=None, display_name="Jade Martin")
    page = new_context(person).new_page()
    _virtual_authenticator(page)
    page.goto(reverse("mfa:passkeys"))
    assert_accessible(page)
    page.get_by_role("button", name="Ajouter une clé d'accès sur cet appareil").click()
    page.get_by_role("button", name="Retirer la clé d'accès 1").wait_for()
    assert person.webauthncredential_set.count() == 1
    assert AuditEntry.objects.filter(
        action=Action.SECOND_FACTOR_ADDED, target_id=person.pk, detail__kind="passkey"
    ).exists()
    assert_accessible(page)

    page.get_by_role("button", name="Me déconnecter (Jade Martin)").click()
    page.wait_for_url("**" + reverse("accounts:sign_in"))
    page.get_by_role("button", name="Utiliser ma clé d'accès").click()
    page.wait_for_url(lambda url: reverse("accounts:sign_in") not in url)
    page.goto(reverse("home"))
    assert "Jade Martin" in page.content()
    assert AuditEntry.objects.filter(action=Action.SIGN_IN, actor=person).exists()
