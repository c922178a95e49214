"""Personal access tokens for the API (ADR 0029): made by their owner, shown once,
stored as a SHA-256, limited in time and scope, revocable at any moment. Who may
receive one: only the account it acts as, on its own settings page, right after
confirming their identity again; no page, email or API call ever shows it later."""

import datetime
import secrets

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from alliance.audit.journal import record
from alliance.audit.models import Action

from .models import ApiScope, PersonalAccessToken, User, hash_secret

PREFIX = "alp_"
TOKEN_BYTES = 32  # 256 bits


def _lifetime_days_allowed() -> int:
    return settings.ALLIANCE_API_TOKEN_MAX_DAYS


@transaction.atomic
def make_personal_token(
    *, user: User, name: str, scope: str, days: int
) -> tuple[PersonalAccessToken, str]:
    """Returns the token's row and its secret, the only time the secret is known."""
    if scope not in ApiScope.values:
        raise ValidationError(_("Choose read only, or read and write."))
    if not 1 <= days <= _lifetime_days_allowed():
        raise ValidationError(
            _("A token lasts from 1 to %(days)s days.") % {"days": _lifetime_days_allowed()}
        )
    name = name.strip()
    if not name:
        raise ValidationError(_("Give the token a name, to recognise it later."))
    raw = PREFIX + secrets.token_urlsafe(TOKEN_BYTES)
    token = PersonalAccessToken.objects.create(
        user=user,
        name=name[:80],
        scope=scope,
        token_hash=hash_secret(raw),
        prefix=raw[:10],
        expires_at=timezone.now() + datetime.timedelta(days=days),
    )
    record(
        user,
        Action.API_TOKEN_CREATED,
        target=token,
        detail={"token": token.pk, "scope": scope, "days": days},
    )
    return token, raw


@transaction.atomic
def revoke_personal_token(*, user: User, token_id) -> bool:
    """Only the owner revokes their token; someone else's id finds nothing."""
    revoked = PersonalAccessToken.objects.filter(
        pk=token_id, user=user, revoked_at__isnull=True
    ).update(revoked_at=timezone.now())
    if revoked:
        record(user, Action.API_TOKEN_REVOKED, target=user, detail={"token": int(token_id)})
    return bool(revoked)
