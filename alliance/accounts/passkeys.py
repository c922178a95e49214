"""Passkeys (WebAuthn) through django-otp-webauthn, for every account: a person
without email or password included (ADR 0011). A passkey is created on the owner's
own device, in their signed-in session; its private key never leaves that device."""

from django.http.request import split_domain_port
from django_otp_webauthn.helpers import WebAuthnHelper


def relying_party_id(request) -> str:
    """The domain the browser is on, as Django accepted it (ALLOWED_HOSTS)."""
    domain, _port = split_domain_port(request.get_host())
    return domain


class PasskeyHelper(WebAuthnHelper):
    def get_allowed_origins(self) -> list[str]:
        # The origin of this very request: Django has checked its host against
        # ALLOWED_HOSTS, and a passkey answers only for its own domain anyway.
        return [f"{self.request.scheme}://{self.request.get_host()}"]

    def get_credential_name(self, user) -> str:
        # What the phone shows in its list of passkeys: the email when there is one;
        # a person without email sees their own name.
        return user.email or user.display_name

    def get_credential_display_name(self, user) -> str:
        return user.display_name
