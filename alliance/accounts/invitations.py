"""Invitations by email, shared by alliances and collectives (ADR 0012).

Inviting an address never creates an account and never shows a credential to the
inviter. The invitation waits for the owner of the address: an existing account
answers from its own session; an unknown address receives a single-use link, by
email only, where its owner creates their own account."""

import secrets
from datetime import timedelta

from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from .models import User, hash_secret


class Invitation(models.Model):
    """What the inviter typed (a name, an address), never an account: the account is
    bound only when the owner of the address answers."""

    class Status(models.TextChoices):
        PENDING = "pending", _lazy("Waiting for an answer")
        ACCEPTED = "accepted", _lazy("Accepted")
        DECLINED = "declined", _lazy("Declined")
        WITHDRAWN = "withdrawn", _lazy("Withdrawn")

    display_name = models.CharField(_lazy("name"), max_length=150)
    email = models.EmailField(_lazy("email"))
    token_hash = models.CharField(max_length=64, unique=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()
    answered_at = models.DateTimeField(null=True, blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        abstract = True

    def is_open(self, now=None) -> bool:
        return self.status == self.Status.PENDING and self.expires_at > (now or timezone.now())

    def is_for(self, user) -> bool:
        """The invitation belongs to the account whose address it names."""
        return bool(user.email) and user.email.casefold() == self.email.casefold()


def new_token() -> tuple[str, str]:
    """A token for the link and the hash to store: a copy of the database opens nothing."""
    token = secrets.token_urlsafe(32)
    return token, hash_secret(token)


def expiry():
    return timezone.now() + timedelta(days=settings.ALLIANCE_INVITATION_DAYS)


def link_path(token: str) -> str:
    return reverse("invitations:open", args=[token])


def email_link(*, invitation, subject: str, body: str) -> None:
    """The link goes to the invited address only, through the outbox: a rolled-back
    invitation sends nothing, and the link is made by the worker when the email
    leaves, so it is never stored in clear (ADR 0015). It follows `body`, on its own
    line."""
    from alliance.notifications.outbox import send_later

    send_later(
        kind="invitation_link",
        params={
            "model": invitation._meta.label_lower,
            "id": invitation.pk,
            "subject": str(subject),
            "body": str(body),
        },
    )


def create_invited_account(*, email: str, display_name: str, password: str, kind) -> User:
    """The owner of the address creates their own account from their invitation."""
    from .services import find_user_by_email

    errors = {}
    if not display_name.strip():
        errors["display_name"] = _("Write your name.")
    candidate = User(email=email, display_name=display_name.strip(), kind=kind)
    try:
        validate_password(password, candidate)
    except ValidationError as error:
        errors["password"] = error.messages
    if errors:
        raise ValidationError(errors)
    if find_user_by_email(email) is not None:
        raise ValidationError(account_exists_message())
    return User.objects.create_user(
        email=email, password=password, display_name=display_name.strip(), kind=kind
    )


def account_exists_message():
    return _(
        "An account already uses this address. Sign in to Alliance, then answer the "
        "invitation from your home page."
    )


def unusable_message():
    return _("This invitation does not work any more. Ask the person who invited you.")
