"""ProConnect sign-in end to end, against a real OpenID Connect provider (node
oidc-provider, tests/accounts/oidc/provider.mjs) started by the test: the browser is
a `requests` session that follows every redirect, types in the provider's sign-in
page, and comes back signed in (or not) to Django's live server."""

import os
import re
import socket
import subprocess
import tempfile
from pathlib import Path
from urllib.parse import urljoin

import pytest
import requests
from django.urls import reverse

from alliance.accounts.models import ProConnectIdentity
from alliance.audit.models import Action, AuditEntry
from tests.factories import UserFactory

PROJECT = Path(__file__).resolve().parents[2]
PROVIDER = Path(__file__).resolve().parent / "oidc" / "provider.mjs"
PROVIDER_PASSWORD = "provider-password"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def oidc_provider(live_server, settings):
    """Starts the provider with Alliance under test as its client, and points the
    ProConnect settings at it."""
    port = _free_port()
    issuer = f"http://127.0.0.1:{port}"
    redirect_uri = live_server.url + reverse("accounts:proconnect_callback")
    env = {**os.environ, "PORT": str(port), "REDIRECT_URI": redirect_uri}
    with tempfile.TemporaryFile("w+") as errors:
        process = subprocess.Popen(  # noqa: S603
            ["node", str(PROVIDER)],  # noqa: S607
            cwd=PROJECT,
            env=env,
            stdout=subprocess.PIPE,
            stderr=errors,
            text=True,
        )
        try:
            ready = process.stdout.readline()
            if not ready.startswith("ready"):
                errors.seek(0)
                pytest.fail(f"The OIDC provider did not start: {errors.read()}")
            settings.ALLIANCE_PROCONNECT_ENABLED = True
            settings.OIDC_RP_CLIENT_ID = "alliance-test"
            settings.OIDC_RP_CLIENT_SECRET = "alliance-test-secret"
            settings.OIDC_OP_AUTHORIZATION_ENDPOINT = f"{issuer}/auth"
            settings.OIDC_OP_TOKEN_ENDPOINT = f"{issuer}/token"
            settings.OIDC_OP_USER_ENDPOINT = f"{issuer}/me"
            settings.OIDC_OP_JWKS_ENDPOINT = f"{issuer}/jwks"
            yield issuer
        finally:
            process.terminate()
            process.wait(timeout=10)
            process.stdout.close()


def _sign_in_with_proconnect(live_server, issuer, *, email, code=""):
    """Clicks "Sign in with ProConnect", types in the provider's page, and follows
    the redirects back. Returns the last response."""
    browser = requests.Session()
    page = browser.get(live_server.url + reverse("accounts:sign_in"))
    start = reverse("accounts:proconnect_start")
    assert f'href="{start}"' in page.text
    provider_page = browser.get(live_server.url + start, timeout=10)
    assert provider_page.url.startswith(f"{issuer}/interaction/"), provider_page.url
    action = re.search(r'<form method="post" action="([^"]+)"', provider_page.text)[1]
    data = {"email": email, "password": PROVIDER_PASSWORD, "otp": code}
    response = browser.post(urljoin(provider_page.url, action), data=data, timeout=10)
    return browser, response


@pytest.mark.django_db(transaction=True)
def test_a_professional_signs_in_with_proconnect_and_its_two_factors(live_server, oidc_provider):
    ines = UserFactory(professional=True, email="Ines.Morel@example.org", display_name="Inès M")
    _browser, response = _sign_in_with_proconnect(
        live_server, oidc_provider, email="ines.morel@example.org", code="123456"
    )
    # The provider checked two factors (amr pwd + otp): straight to the home page.
    assert response.status_code == 200
    assert response.url == live_server.url + reverse("home")
    assert "Inès M" in response.text
    identity = ProConnectIdentity.objects.get()
    assert (identity.user, identity.sub) == (ines, "pc-0001-ines")
    linked = AuditEntry.objects.filter(action=Action.PROCONNECT_LINKED)
    assert [(e.actor_id, e.target_id) for e in linked] == [(ines.pk, ines.pk)]
    assert AuditEntry.objects.filter(action=Action.SIGN_IN, actor=ines).count() == 1

    # The second time, the identity is found by its `sub`, whatever the email says.
    ines.email = "ines.morel@nouveau.example.org"
    ines.save()
    _browser, response = _sign_in_with_proconnect(
        live_server, oidc_provider, email="ines.morel@example.org", code="123456"
    )
    assert response.url == live_server.url + reverse("home")
    assert ProConnectIdentity.objects.count() == 1


@pytest.mark.django_db(transaction=True)
def test_one_factor_at_the_provider_still_needs_ours(live_server, oidc_provider):
    UserFactory(professional=True, email="ines.morel@example.org")
    browser, response = _sign_in_with_proconnect(
        live_server, oidc_provider, email="ines.morel@example.org"
    )
    # Signed in (amr: pwd only), but sent to set up a second factor before any page.
    assert response.url.startswith(live_server.url + reverse("mfa:setup"))
    assert browser.get(live_server.url + reverse("notifications:list")).url.startswith(
        live_server.url + reverse("mfa:setup")
    )


@pytest.mark.django_db(transaction=True)
def test_an_unknown_email_is_refused_and_no_account_is_created(live_server, oidc_provider):
    UserFactory(professional=True, email="ines.morel@example.org")
    # An individual's account with the provider's email is not a professional's.
    UserFactory(individual=True, email="inconnu@example.org")
    accounts = sorted(UserFactory._meta.model.objects.values_list("pk", flat=True))
    browser, response = _sign_in_with_proconnect(
        live_server, oidc_provider, email="inconnu@example.org", code="123456"
    )
    assert response.url == live_server.url + reverse("accounts:sign_in")
    assert "Aucun compte professionnel ne correspond" in response.text
    assert sorted(UserFactory._meta.model.objects.values_list("pk", flat=True)) == accounts
    assert not ProConnectIdentity.objects.exists()
    home = browser.get(live_server.url + reverse("home"))
    assert home.url.startswith(live_server.url + reverse("accounts:sign_in"))


def test_proconnect_is_off_unless_set_up(client, settings, db):
    settings.ALLIANCE_PROCONNECT_ENABLED = False
    assert client.get(reverse("accounts:proconnect_start")).status_code == 404
    assert client.get(reverse("accounts:proconnect_callback")).status_code == 404
    page = client.get(reverse("accounts:sign_in")).content.decode()
    assert reverse("accounts:proconnect_start") not in page
