"""Composers of the outbox (alliance.notifications.outbox) for accounts: what the
worker sends when the message leaves. Each makes its code or link only then, in the
transaction of the sending (a code that went nowhere is rolled back), and sends
nothing when it has no use any more.

Who receives what:
- a sign-in code: the address of an active account, typed on the sign-in page by
  anyone, so only to that account's own address;
- a welcome link: the new professional's own address, given by their admin;
- an invitation link: the invited address, once, while the invitation is pending;
- an activation code by text message: the mobile that the ally allowed to hand over
  the letter typed, while the account was never used."""

from datetime import timedelta

from django.apps import apps
from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from alliance.notifications.outbox import Email, Text

from .models import User


def compose_sign_in_code(message):
    from .services import find_user_by_email, issue_sign_in_code

    # Asked longer ago than a code lives: whoever asked has gone.
    if timezone.now() - message.created_at > timedelta(
        minutes=settings.ALLIANCE_SIGN_IN_CODE_MINUTES
    ):
        return None
    user = find_user_by_email(message.params["email"])
    if user is None or not user.is_active:
        return None
    code = issue_sign_in_code(user=user)
    return Email(
        to=user.email,
        subject=_("Your Alliance sign-in code"),
        body=_("Your code: %(code)s\nIt works once, for %(minutes)s minutes.")
        % {"code": code, "minutes": settings.ALLIANCE_SIGN_IN_CODE_MINUTES},
    )


def compose_welcome_link(message):
    from .services import issue_sign_in_link

    user = User.objects.filter(pk=message.params["user_id"], is_active=True).first()
    admin = User.objects.filter(pk=message.params["admin_id"]).first()
    if user is None or not user.email or user.activated_at is not None or admin is None:
        return None
    link = issue_sign_in_link(user=user, issued_by=admin)
    return Email(
        to=user.email,
        subject=_("You have an Alliance account"),
        body=_(
            "%(admin)s opened an Alliance account for you. Sign in with this personal link, "
            "then choose a password: %(link)s"
        )
        % {"admin": admin.display_name, "link": settings.ALLIANCE_SITE_URL + link},
    )


def compose_invitation_link(message):
    """A new link replaces the one made with the invitation, which nobody ever saw:
    only its hash is kept, and the link goes out only in this email."""
    from .invitations import link_path, new_token

    model = apps.get_model(message.params["model"])
    invitation = model.objects.select_for_update().filter(pk=message.params["id"]).first()
    if invitation is None or not invitation.is_open():
        return None
    token, invitation.token_hash = new_token()
    invitation.save(update_fields=["token_hash"])
    return Email(
        to=invitation.email,
        subject=message.params["subject"],
        body=f"{message.params['body']}\n\n{settings.ALLIANCE_SITE_URL}{link_path(token)}\n",
    )


def compose_activation_code(message):
    from . import activation
    from .models import ActivationLetter

    user = User.objects.filter(pk=message.params["user_id"], is_active=True).first()
    issued_by = User.objects.filter(pk=message.params["issued_by_id"], is_active=True).first()
    if user is None or user.activated_at is not None or issued_by is None:
        return None
    code = activation.make_letter(
        user=user, issued_by=issued_by, delivery=ActivationLetter.Delivery.SMS
    )
    return Text(
        to=message.params["phone"],
        body=_(
            "Alliance: your activation code is %(code)s. It works once, for 3 days, "
            "at %(url)s. Never give it to anyone."
        )
        % {"code": code, "url": settings.ALLIANCE_SITE_URL + reverse("accounts:activate")},
    )
