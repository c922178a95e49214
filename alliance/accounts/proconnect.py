"""ProConnect, the French State's sign-in for professionals, through
mozilla-django-oidc (ADR 0011). It signs in professionals who already have an
account here, and creates none:

- an identity already linked (by its `sub`) signs in its account;
- otherwise the provider's verified email must be that of one active professional
  account, which gets linked to the `sub` (and the link is in the trail);
- anything else is refused with a message, and nothing is written.

When the provider's `amr` claim shows a multi-factor authentication, the session's
second factor counts as verified; otherwise ours is still asked for.

Who may receive what: the provider's tokens reach only this server (the code is
exchanged server to server, with PKCE); they are not kept."""

from django.conf import settings
from django.db import IntegrityError, transaction
from mozilla_django_oidc.auth import OIDCAuthenticationBackend

from alliance.audit.journal import record_account_event
from alliance.audit.models import Action

from . import factors
from .models import ProConnectIdentity, User

# Why the last attempt failed, for the page that says so (set on the request).
UNKNOWN_ACCOUNT = "unknown_account"


def enabled() -> bool:
    return settings.ALLIANCE_PROCONNECT_ENABLED


def link_identity(*, user: User, sub: str) -> ProConnectIdentity:
    with transaction.atomic():
        identity = ProConnectIdentity.objects.create(user=user, sub=sub)
        record_account_event(user, Action.PROCONNECT_LINKED, account=user)
    return identity


def _professional_by_email(email: str):
    matches = list(
        User.objects.filter(
            email__iexact=email.strip(), kind=User.Kind.PROFESSIONAL, is_active=True
        )[:2]
    )
    return matches[0] if len(matches) == 1 else None


class ProConnectBackend(OIDCAuthenticationBackend):
    def authenticate(self, request, **kwargs):
        if not enabled() or request is None:
            return None
        return super().authenticate(request, **kwargs)

    def get_or_create_user(self, access_token, id_token, payload):
        sub = payload.get("sub")
        if not sub:
            return None
        self.request.proconnect_multi_factor = factors.amr_is_multi_factor(payload.get("amr"))
        identity = ProConnectIdentity.objects.select_related("user").filter(sub=sub).first()
        if identity is not None:
            user = identity.user
            return user if user.is_active and user.is_professional else None
        claims = self.get_userinfo(access_token, id_token, payload)
        email = claims.get("email")
        # ProConnect's emails are verified by the organisations it trusts; another
        # provider that says an email is not verified is not believed.
        if not isinstance(email, str) or claims.get("email_verified") is False:
            return None
        user = _professional_by_email(email)
        if user is None or hasattr(user, "proconnect"):
            self.request.proconnect_failure = UNKNOWN_ACCOUNT
            return None
        try:
            link_identity(user=user, sub=sub)
        except IntegrityError:
            return None
        return user

    def get_user(self, user_id):
        user = super().get_user(user_id)
        return user if user is not None and user.is_active else None
