"""The second factor (ADR 0011): authenticator apps (TOTP), recovery codes and passkeys,
through django-otp and django-otp-webauthn, and what a session knows of them.

Who may receive what:
- the key of a new authenticator app and the recovery codes are shown once, on the
  page of the signed-in owner who asked for them (a recent authentication required,
  `reauthentication_required`), and are stored only on that owner's devices;
- nobody can add, list or remove the devices of another account: every function here
  takes the signed-in user and acts on that user's devices only."""

import time

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from django_otp import login as otp_login
from django_otp import match_token, user_has_device
from django_otp.oath import TOTP
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice
from django_otp.util import random_hex
from django_otp_webauthn.models import WebAuthnCredential

from alliance.audit.journal import record_account_event
from alliance.audit.models import Action

from . import factors, sessions

# How the session's second factor was verified without one of our devices: by the
# provider (ProConnect with a multi-factor `amr`), or a demo persona's button.
VERIFIED_WITHOUT_DEVICE = "alliance_second_factor"
PROCONNECT, DEMO = "proconnect", "demo"
REAUTHENTICATED_AT = "alliance_reauthenticated_at"
# The key of an authenticator app being set up, until its first code confirms it.
PENDING_TOTP_KEY = "alliance_pending_totp_key"

TOTP_NAME = "authenticator"
RECOVERY_NAME = "recovery"


def needs_second_factor(user) -> bool:
    return user.is_authenticated and (user.is_professional or user.is_decision_maker)


def is_verified(request) -> bool:
    user = request.user
    if getattr(user, "is_verified", None) and user.is_verified():
        return True
    how = request.session.get(VERIFIED_WITHOUT_DEVICE)
    return how == PROCONNECT or (how == DEMO and settings.ALLIANCE_DEMO_MODE)


def has_device(user) -> bool:
    return user_has_device(user, confirmed=True)


def verify_session(request, device) -> None:
    """The owner has just used `device`: the session's second factor is verified, and
    counts as a fresh authentication."""
    otp_login(request, device)
    note_reauthentication(request)


def verify_session_without_device(request, how: str) -> None:
    request.session[VERIFIED_WITHOUT_DEVICE] = how


def note_reauthentication(request) -> None:
    request.session[REAUTHENTICATED_AT] = int(time.time())


def is_recently_authenticated(request) -> bool:
    session = request.session
    stamps = [session.get(sessions.SIGNED_IN_AT), session.get(REAUTHENTICATED_AT)]
    last = max((stamp for stamp in stamps if stamp is not None), default=None)
    return factors.is_recent(last, time.time(), settings.ALLIANCE_REAUTHENTICATION_MINUTES)


# ---------------------------------------------------------------- the user's devices


def authenticators_of(user):
    return TOTPDevice.objects.filter(user=user, confirmed=True).order_by("pk")


def passkeys_of(user):
    return WebAuthnCredential.objects.filter(user=user, confirmed=True).order_by("pk")


def recovery_codes_left(user) -> int:
    return StaticToken.objects.filter(device__user=user, device__confirmed=True).count()


def factor_count(user) -> int:
    """Authenticator apps and passkeys: the ways to confirm one's identity on their
    own. Recovery codes are a spare, not a factor to keep."""
    return authenticators_of(user).count() + passkeys_of(user).count()


def new_totp_key() -> str:
    return random_hex(20)


def totp_config_url(*, user, key: str) -> str:
    """What the QR code holds, shown only to `user` setting up their own app."""
    device = TOTPDevice(user=user, key=key, name=TOTP_NAME)
    return device.config_url


def _totp_accepts(key: str, token: str) -> bool:
    try:
        value = int(token)
    except ValueError:
        return False
    totp = TOTP(bytes.fromhex(key), step=30, digits=6)
    # One step of tolerance either way, as django-otp allows: a phone's clock drifts.
    for drift in (-1, 0, 1):
        totp.drift = drift
        if totp.token() == value:
            return True
    return False


def add_authenticator(*, user, key: str, token: str) -> tuple[TOTPDevice, list[str]]:
    """Confirms a new authenticator app by its first code. Returns the device and, the
    first time, the recovery codes to show once."""
    token = "".join(token.split())
    if not _totp_accepts(key, token):
        raise ValidationError(
            {"code": _("This code does not match. Check the time of your phone and try again.")}
        )
    with transaction.atomic():
        device = TOTPDevice.objects.create(user=user, key=key, name=TOTP_NAME, confirmed=True)
        record_account_event(
            user, Action.SECOND_FACTOR_ADDED, account=user, detail={"kind": "authenticator"}
        )
        codes = [] if recovery_codes_left(user) else _new_recovery_codes(user)
    return device, codes


def note_passkey_added(*, user, device) -> None:
    """django-otp-webauthn saved the passkey; the trail says so."""
    record_account_event(user, Action.SECOND_FACTOR_ADDED, account=user, detail={"kind": "passkey"})


def _new_recovery_codes(user) -> list[str]:
    device, _created = StaticDevice.objects.get_or_create(
        user=user, name=RECOVERY_NAME, defaults={"confirmed": True}
    )
    device.token_set.all().delete()
    codes = [StaticToken.random_token() for _ in range(settings.ALLIANCE_RECOVERY_CODES)]
    StaticToken.objects.bulk_create(StaticToken(device=device, token=code) for code in codes)
    return codes


def regenerate_recovery_codes(*, user) -> list[str]:
    """New recovery codes replace the old ones, which stop working."""
    with transaction.atomic():
        codes = _new_recovery_codes(user)
        record_account_event(user, Action.RECOVERY_CODES_REGENERATED, account=user)
    return codes


def remove_device(*, user, device) -> None:
    """Removes one of the user's authenticator apps or passkeys. A professional or a
    decision maker keeps at least one: the last one is refused."""
    if device.user_id != user.pk:
        raise ValidationError(_("This device is not yours."))
    with transaction.atomic():
        if (user.is_professional or user.is_decision_maker) and factor_count(user) <= 1:
            raise ValidationError(
                _(
                    "This is your last way to confirm your identity: add another one "
                    "before removing it."
                )
            )
        kind = "passkey" if isinstance(device, WebAuthnCredential) else "authenticator"
        device.delete()
        record_account_event(
            user, Action.SECOND_FACTOR_REMOVED, account=user, detail={"kind": kind}
        )


def check_code(*, user, token: str):
    """The device (authenticator app or recovery code) that accepts `token`, or None.
    A recovery code works once. django-otp slows down repeated failures per device."""
    token = "".join(token.split())
    if not token:
        return None
    return match_token(user, token)
