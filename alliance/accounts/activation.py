"""Activation letters and devices kept signed in: how a person without email gets
in, on their own device (ADR 0013).

Who receives a code. An activation letter carries a short code that opens one
account, once, for 72 hours. It is made only for an account without email, and
only by someone the alliance rules allow (alliance.alliances.perms):

- while the account has never been used (`User.activated_at` is empty): the ally
  who invited it, that is the professional who created the alliance for the person
  or the ally who invited a relative without email, and nobody else;
- once it was used: only through a re-issue of access (AccessReissue), asked by the
  person's approved legal representative, or by one ally and approved by a second
  who is not their colleague.

The code is shown once, on the letter handed over in person (the page and its PDF
answer only the one who made it), or sent by text message to the number that
person types. It is stored hashed; a new letter voids the previous one.

The code never travels in a URL that signs in: the QR code opens /activate/ with
the code in the fragment (never sent to the server), a small script copies it into
the form, and only the POST of that form signs in.

Once in, the owner chooses their own way back in, from that session only: a
passkey, a device kept signed in (a long-lived random token in a cookie of that
browser, stored hashed, revocable), or a password."""

import secrets
from datetime import timedelta

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from alliance.audit.journal import record_account_event
from alliance.audit.models import Action

from .models import ActivationLetter, DeviceCredential, User, hash_secret
from .services import CODE_ALPHABET, CODE_LENGTH, format_code, normalise_code
from .sessions import describe_device

LETTER_HOURS = 72
DEVICE_DAYS = 400
DEVICE_COOKIE = "alliance_device"
# The session of a fresh activation may choose a way back in for this long.
FRESHLY_ACTIVATED = "alliance_activated_at"
CHOOSE_MINUTES = 30


def new_code() -> str:
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))


def make_letter(*, user: User, issued_by: User, delivery=ActivationLetter.Delivery.PAPER) -> str:
    """A new letter for `user`, voiding the previous ones; returns its code, grouped.
    The caller has checked who may make it (see the module's docstring) and writes
    nothing else: the entry in the trail of every alliance of the account is here."""
    code = new_code()
    now = timezone.now()
    with transaction.atomic():
        ActivationLetter.objects.filter(
            user=user, used_at__isnull=True, voided_at__isnull=True
        ).update(voided_at=now)
        ActivationLetter.objects.create(
            user=user,
            code_hash=hash_secret(code),
            delivery=delivery,
            issued_by=issued_by,
            expires_at=now + timedelta(hours=LETTER_HOURS),
        )
        record_account_event(
            issued_by,
            Action.ACTIVATION_LETTER_ISSUED
            if delivery == ActivationLetter.Delivery.PAPER
            else Action.ACTIVATION_CODE_TEXTED,
            account=user,
        )
    return format_code(code)


def letter_for_code(*, code: str, issued_by: User, user: User) -> ActivationLetter | None:
    """The usable letter with this code that `issued_by` made for `user` (to print
    it again as a PDF), or None: the code alone answers no one else."""
    letter = ActivationLetter.objects.filter(
        code_hash=hash_secret(normalise_code(code)), issued_by=issued_by, user=user
    ).first()
    return letter if letter is not None and letter.is_usable() else None


def redeem_letter(*, code: str) -> User:
    """Spends the letter and marks its account activated; one error for a code that
    is unknown, expired, voided or spent."""
    now = timezone.now()
    with transaction.atomic():
        letter = (
            ActivationLetter.objects.select_for_update()
            .select_related("user")
            .filter(code_hash=hash_secret(normalise_code(code)))
            .first()
        )
        if letter is None or not letter.is_usable(now) or not letter.user.is_active:
            raise ValidationError(
                _(
                    "This code does not open anything. Check it, or ask the person "
                    "who gave you the letter for a new one."
                ),
                code="invalid_code",
            )
        letter.used_at = now
        letter.save(update_fields=["used_at"])
        user = letter.user
        if user.activated_at is None:
            user.activated_at = now
            user.save(update_fields=["activated_at"])
        record_account_event(user, Action.ACCOUNT_ACTIVATED, account=user)
    return user


def mark_freshly_activated(request) -> None:
    request.session[FRESHLY_ACTIVATED] = int(timezone.now().timestamp())


def is_freshly_activated(request) -> bool:
    """Only the session opened by the letter chooses a way back in, for a while: a
    session left open somewhere else cannot add a device or a password without the
    current one."""
    stamp = request.session.get(FRESHLY_ACTIVATED)
    return (
        request.user.is_authenticated
        and isinstance(stamp, int)
        and timezone.now().timestamp() - stamp < CHOOSE_MINUTES * 60
    )


def keep_device_signed_in(*, user: User, request) -> str:
    """The owner, from the session their letter opened, keeps this browser signed
    in; returns the token for its cookie (only its hash is stored)."""
    if not is_freshly_activated(request) or request.user.pk != user.pk:
        raise PermissionDenied
    token = secrets.token_urlsafe(32)
    with transaction.atomic():
        device = DeviceCredential.objects.create(
            user=user,
            token_hash=hash_secret(token),
            device=describe_device(request.headers.get("User-Agent", ""))[:80],
            expires_at=timezone.now() + timedelta(days=DEVICE_DAYS),
        )
        record_account_event(
            user, Action.DEVICE_KEPT_SIGNED_IN, account=user, detail={"device": device.device}
        )
    return token


def user_for_device_token(token: str) -> User | None:
    """The owner of a device cookie still valid, or None."""
    if not token or len(token) > 100:
        return None
    now = timezone.now()
    device = (
        DeviceCredential.objects.select_related("user")
        .filter(token_hash=hash_secret(token))
        .first()
    )
    if device is None or not device.is_usable(now) or not device.user.is_active:
        return None
    DeviceCredential.objects.filter(pk=device.pk).update(last_used_at=now)
    return device.user


def devices_of(user: User):
    return DeviceCredential.objects.filter(
        user=user, revoked_at__isnull=True, expires_at__gt=timezone.now()
    )


def revoke_device(*, user: User, device_id: int) -> DeviceCredential:
    """The owner stops keeping one of their devices signed in."""
    with transaction.atomic():
        device = devices_of(user).select_for_update().filter(pk=device_id).first()
        if device is None:
            raise PermissionDenied
        device.revoked_at = timezone.now()
        device.save(update_fields=["revoked_at"])
        record_account_event(
            user, Action.DEVICE_REVOKED, account=user, detail={"device": device.device}
        )
    return device


def forget_this_device(request) -> None:
    """Signing out on a device kept signed in ends its credential too: otherwise its
    cookie would sign the owner back in at the next page."""
    token = request.COOKIES.get(DEVICE_COOKIE)
    if token and request.user.is_authenticated:
        devices_of(request.user).filter(token_hash=hash_secret(token)).update(
            revoked_at=timezone.now()
        )


def revoke_every_device(user: User) -> int:
    return devices_of(user).update(revoked_at=timezone.now())


def device_cookie_settings() -> dict:
    return {
        "max_age": DEVICE_DAYS * 24 * 3600,
        "secure": settings.ALLIANCE_DEVICE_COOKIE_SECURE,
        "httponly": True,
        "samesite": "Lax",
    }
