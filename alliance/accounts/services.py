"""Use cases of accounts and organisations: sign-in secrets, the delay after failed
passwords, passwords, sessions, professionals."""

import secrets
from datetime import timedelta

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from alliance.audit.journal import record, record_account_event
from alliance.audit.models import Action

from .limits import progressive_delay
from .models import SignInSecret, User, hash_secret
from .sessions import end_sessions

# No 0/O, 1/I/L: the code is often read aloud or copied from paper.
CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
CODE_LENGTH = 10


def normalise_code(raw: str) -> str:
    return "".join(ch for ch in raw.upper() if ch.isalnum())


def format_code(code: str) -> str:
    return "-".join(code[i : i + 5] for i in range(0, len(code), 5))


def find_user_by_email(email):
    if not email:
        return None
    return User.objects.filter(email__iexact=email.strip()).first()


def _spend_hashing_time(password) -> None:
    """Hashes the typed password for nothing, so that an unknown, inactive or delayed
    account answers in the time a known one takes (no account enumeration by timing)."""
    User().set_password(password or "")


def check_password_sign_in(*, email, password):
    """Returns the user when the password is right and the account is not in its
    delay after failed attempts; None otherwise, in the same time for every case.
    Each failure makes the next attempt on the account wait longer (ADR 0010): a
    stranger can slow an account down, never close it to its owner, who can still
    sign in with a code sent to their own email."""
    user = find_user_by_email(email)
    now = timezone.now()
    if (
        user is None
        or not user.is_active
        or not password
        or not user.has_usable_password()
        or user.is_sign_in_delayed(now)
    ):
        _spend_hashing_time(password)
        return None
    if user.check_password(password):
        return user
    with transaction.atomic():
        User.objects.filter(pk=user.pk).update(failed_sign_ins=F("failed_sign_ins") + 1)
        user.refresh_from_db(fields=["failed_sign_ins"])
        record(user, Action.SIGN_IN_FAILED, organisation_id=user.organisation_id)
        delay = progressive_delay(
            user.failed_sign_ins,
            free=settings.ALLIANCE_SIGN_IN_FREE_FAILURES,
            first=settings.ALLIANCE_SIGN_IN_DELAY_SECONDS,
            cap=settings.ALLIANCE_SIGN_IN_MAX_DELAY_SECONDS,
        )
        if delay:
            User.objects.filter(pk=user.pk).update(
                sign_in_delayed_until=now + timedelta(seconds=delay)
            )
            if user.failed_sign_ins == settings.ALLIANCE_SIGN_IN_FREE_FAILURES + 1:
                record(user, Action.SIGN_IN_DELAYED, organisation_id=user.organisation_id)
    return None


def issue_sign_in_link(*, user, issued_by=None, days=None) -> str:
    """Returns the path of a single-use personal link; only its hash is stored."""
    token = secrets.token_urlsafe(32)
    days = days or settings.ALLIANCE_INVITATION_DAYS
    with transaction.atomic():
        SignInSecret.objects.create(
            user=user,
            kind=SignInSecret.Kind.LINK,
            secret_hash=hash_secret(token),
            expires_at=timezone.now() + timedelta(days=days),
            issued_by=issued_by,
        )
        record(issued_by or user, Action.SIGN_IN_LINK_ISSUED, target=user)
    return reverse("accounts:sign_in_link", args=[token])


def issue_sign_in_code(*, user) -> str:
    """Returns a one-time code for `user`, to be emailed to their own address only:
    nobody hands a code over to someone else."""
    code = "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))
    with transaction.atomic():
        SignInSecret.objects.create(
            user=user,
            kind=SignInSecret.Kind.CODE,
            secret_hash=hash_secret(code),
            expires_at=timezone.now() + timedelta(minutes=settings.ALLIANCE_SIGN_IN_CODE_MINUTES),
        )
        record(user, Action.SIGN_IN_CODE_ISSUED, target=user)
    return format_code(code)


def redeem_sign_in_secret(*, secret: str, kind) -> User:
    """Consumes a link token or a code; raises ValidationError when it cannot open."""
    value = normalise_code(secret) if kind == SignInSecret.Kind.CODE else secret
    now = timezone.now()
    with transaction.atomic():
        found = (
            SignInSecret.objects.select_for_update()
            .select_related("user")
            .filter(secret_hash=hash_secret(value), kind=kind)
            .first()
        )
        if found is None or not found.is_usable(now) or not found.user.is_active:
            raise ValidationError(
                _("This link or code does not work any more. Ask an ally for a new one."),
                code="invalid_secret",
            )
        found.used_at = now
        found.save(update_fields=["used_at"])
    return found.user


def email_sign_in_code(*, email) -> None:
    """Queues a code for the address; the worker sends it if an active account uses
    the address. The request does the same work for any address (the lookup happens
    in the worker), so neither its answer nor its time tells who has an account."""
    from alliance.notifications.outbox import send_later

    if email and email.strip():
        send_later(kind="sign_in_code", params={"email": email.strip()})


def note_sign_in(user):
    """Every way in ends here once the user is signed in (`login` has opened the
    session's row on "my sessions"): the trail, and the end of any delay left by
    failed passwords."""
    record(user, Action.SIGN_IN, organisation_id=user.organisation_id)
    if user.failed_sign_ins or user.sign_in_delayed_until:
        User.objects.filter(pk=user.pk).update(failed_sign_ins=0, sign_in_delayed_until=None)
    if user.activated_at is None:
        # Its owner got in on their own: nobody may hand over a first letter any more.
        user.activated_at = timezone.now()
        User.objects.filter(pk=user.pk, activated_at__isnull=True).update(
            activated_at=user.activated_at
        )


def add_professional(*, admin, email, display_name, job_title="") -> User:
    from alliance.notifications.outbox import send_later

    if not (admin.is_org_admin and admin.organisation_id):
        raise PermissionDenied
    if find_user_by_email(email):
        raise ValidationError({"email": _("An account already uses this email address.")})
    with transaction.atomic():
        user = User.objects.create_user(
            email=email,
            display_name=display_name,
            job_title=job_title,
            kind=User.Kind.PROFESSIONAL,
            organisation_id=admin.organisation_id,
        )
        record(admin, Action.PROFESSIONAL_ADDED, organisation_id=admin.organisation_id, target=user)
        # The personal link is made by the worker when the email leaves (ADR 0015).
        send_later(kind="welcome_link", params={"user_id": user.pk, "admin_id": admin.pk})
    return user


def set_professional_active(*, admin, professional, active: bool) -> User:
    if not (admin.is_org_admin and professional.organisation_id == admin.organisation_id):
        raise PermissionDenied
    if professional.pk == admin.pk:
        raise ValidationError(_("You cannot deactivate your own account."))
    with transaction.atomic():
        professional.is_active = active
        professional.save(update_fields=["is_active"])
        record(
            admin,
            Action.PROFESSIONAL_REACTIVATED if active else Action.PROFESSIONAL_DEACTIVATED,
            organisation_id=admin.organisation_id,
            target=professional,
        )
    return professional


def set_password(*, user, password, current_password=None, keep_request=None) -> User:
    """The owner sets or changes their password, from their own session. An account
    that has a password must give it (a session left open is not enough to take the
    account over); one that has none sets its first. The owner is told, in the app
    and by email (without any secret), and every other session of the account ends."""
    from django.contrib.auth.password_validation import validate_password

    from alliance.notifications.services import notify

    if user.has_usable_password() and not user.check_password(current_password or ""):
        raise ValidationError(
            {"current_password": _("This is not your current password.")}, code="wrong_password"
        )
    try:
        validate_password(password, user)
    except ValidationError as error:
        raise ValidationError({"password": error.messages}) from error
    with transaction.atomic():
        user.set_password(password)
        user.save(update_fields=["password"])
        record_account_event(user, Action.PASSWORD_CHANGED, account=user)
        notify([user], "password_changed", url=reverse("accounts:sessions"))
        end_sessions(user=user, keep_request=keep_request)
    return user


def set_easy_read(*, user, easy: bool) -> User:
    """The reader's own choice of easy-read pages. A display preference about the
    account's own screens, not personal data about anyone: no trail entry."""
    User.objects.filter(pk=user.pk).update(easy_read=easy)
    user.easy_read = easy
    return user
