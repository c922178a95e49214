"""The personal calendar feed (ADR 0025): make, replace and revoke its secret address,
and find its owner from the token. The token is 256 random bits; only its SHA-256 is
stored, so the lookup is one indexed equality on the hash (no comparison of the
secret itself, hence no timing to learn it from) and a copy of the database opens no
feed."""

import datetime
import secrets

from django.db import transaction
from django.utils import timezone

from alliance.audit.journal import record
from alliance.audit.models import Action

from .models import CalendarFeed, User, hash_secret

TOKEN_BYTES = 32  # 256 bits, well above the 128 the brief asks


@transaction.atomic
def make_calendar_feed(*, user: User) -> str:
    """Makes the user's feed, or replaces its token: returns the new token, the only
    time it is known in clear."""
    token = secrets.token_urlsafe(TOKEN_BYTES)
    CalendarFeed.objects.update_or_create(
        user=user, defaults={"token_hash": hash_secret(token), "last_read_at": None}
    )
    record(user, Action.CALENDAR_FEED_CREATED, target=user)
    return token


@transaction.atomic
def revoke_calendar_feed(*, user: User) -> bool:
    deleted, _ = CalendarFeed.objects.filter(user=user).delete()
    if deleted:
        record(user, Action.CALENDAR_FEED_REVOKED, target=user)
    return bool(deleted)


def feed_owner(token: str) -> User | None:
    """The active owner of a token, or None (unknown, revoked, replaced, inactive)."""
    if not token or len(token) > 100:
        return None
    feed = (
        CalendarFeed.objects.select_related("user")
        .filter(token_hash=hash_secret(token), user__is_active=True)
        .first()
    )
    if feed is None:
        return None
    now = timezone.now()
    # Written at most once an hour: calendar apps poll often.
    if feed.last_read_at is None or now - feed.last_read_at > datetime.timedelta(hours=1):
        CalendarFeed.objects.filter(pk=feed.pk).update(last_read_at=now)
    return feed.user
