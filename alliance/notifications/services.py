"""The one way the product tells someone that something waits for them.

`notify` writes the in-app notifications and, in the same transaction, puts the
emails of those who want them right away in the outbox (no email for an event that
was rolled back; ADR 0015). The daily digests are queued by `send_daily_digests`,
which the scheduler's "reminders" job runs (or `manage.py notify_due`)."""

import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from alliance.audit.journal import record
from alliance.audit.models import Action as Audit
from alliance.conflicts import ConflictError

from . import outbox
from .kinds import ALWAYS_EMAILED, KINDS, choosable_groups
from .models import (
    DEFAULT_DELIVERY,
    Delivery,
    Notification,
    NotificationPreference,
    NotificationSettings,
)


def deliveries_for(users, group) -> dict:
    """user id -> delivery for this group (the default when the user chose nothing)."""
    if group in ALWAYS_EMAILED:
        return {u.pk: Delivery.IMMEDIATE for u in users}
    chosen = dict(
        NotificationPreference.objects.filter(user__in=users, group=group).values_list(
            "user_id", "delivery"
        )
    )
    return {u.pk: chosen.get(u.pk, DEFAULT_DELIVERY) for u in users}


@transaction.atomic
def notify(users, kind: str, *, url: str, alliance_id=None, key: str = "", **params):
    """Notifies each user once per `key` (when given). Returns the new notifications."""
    info = KINDS[kind]  # an unknown kind is a programming error: fail loudly
    users = list({u.pk: u for u in users if u is not None and u.is_active}.values())
    if key:
        already = set(
            Notification.objects.filter(user__in=users, key=key).values_list("user_id", flat=True)
        )
        users = [u for u in users if u.pk not in already]
    if not users:
        return []
    created = Notification.objects.bulk_create(
        Notification(user=u, kind=kind, params=params, url=url, alliance_id=alliance_id, key=key)
        for u in users
    )
    delivery = deliveries_for(users, info.group)
    for notification in created:
        if notification.user.email and delivery[notification.user_id] == Delivery.IMMEDIATE:
            outbox.send_later(kind="notification", params={"notification_id": notification.pk})
    return created


def settle(users, key: str) -> int:
    """What the notification asked is done (signed, stance taken): it is read."""
    return Notification.objects.filter(user__in=users, key=key, read_at__isnull=True).update(
        read_at=timezone.now()
    )


def settle_alliance(user, alliance_id) -> int:
    """Who is no longer in an alliance has nothing left to do there: its notifications
    are read."""
    return Notification.objects.filter(
        user=user, alliance_id=alliance_id, read_at__isnull=True
    ).update(read_at=timezone.now())


def unread_count(user) -> int:
    return Notification.objects.filter(user=user, read_at__isnull=True).count()


LIST_SIZE = 50


def latest(user):
    return Notification.objects.filter(user=user)[:LIST_SIZE]


def mark_read(*, user, notification_id) -> Notification | None:
    """Marks one of the user's own notifications read; someone else's is not found."""
    notification = Notification.objects.filter(user=user, pk=notification_id).first()
    if notification is not None and notification.read_at is None:
        notification.read_at = timezone.now()
        notification.save(update_fields=["read_at"])
    return notification


def mark_all_read(*, user) -> int:
    return Notification.objects.filter(user=user, read_at__isnull=True).update(
        read_at=timezone.now()
    )


def settings_of(user) -> NotificationSettings:
    found = NotificationSettings.objects.filter(user=user).first()
    return found or NotificationSettings(user=user)


def preferences_of(user) -> dict:
    chosen = dict(user.notification_preferences.values_list("group", "delivery"))
    return {group.value: chosen.get(group, DEFAULT_DELIVERY) for group in choosable_groups()}


def set_preferences(
    *, user, deliveries: dict, language: str, details_in_email: bool, expected_version: int
) -> NotificationSettings:
    """Each user decides how they hear about each group, in which language, and
    whether an email may say what it is about."""
    errors = {}
    choosable = {group.value for group in choosable_groups()}
    if set(deliveries) != choosable or not set(deliveries.values()) <= set(Delivery.values):
        errors["deliveries"] = _("Choose how you want to hear about each kind of news.")
    if language not in dict(settings.LANGUAGES):
        errors["language"] = _("Choose a language from the list.")
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        current, _created = NotificationSettings.objects.select_for_update().get_or_create(
            user=user
        )
        if current.version != expected_version:
            raise ConflictError(
                _("Your settings changed in another window. Check them and save again.")
            )
        current.language, current.details_in_email = language, details_in_email
        current.version += 1
        current.save()
        for group, delivery in deliveries.items():
            NotificationPreference.objects.update_or_create(
                user=user, group=group, defaults={"delivery": delivery}
            )
        record(user, Audit.NOTIFICATION_SETTINGS_CHANGED, detail=dict(deliveries))
    return current


def send_daily_digests(now: datetime.datetime | None = None) -> int:
    """One email per user who chose the daily digest for some group, listing what
    arrived since the last one and is still unread. Returns the number queued."""
    now = now or timezone.now()
    daily = {}
    for user_id, group in NotificationPreference.objects.filter(
        delivery=Delivery.DAILY
    ).values_list("user_id", "group"):
        daily.setdefault(user_id, set()).add(group)
    pending = Notification.objects.filter(
        user_id__in=daily,
        emailed_at__isnull=True,
        read_at__isnull=True,
        created_at__lte=now,
        user__email__isnull=False,
    ).select_related("user")
    by_user = {}
    for notification in pending:
        if notification.group in daily[notification.user_id]:
            by_user.setdefault(notification.user, []).append(notification)
    for user, notifications in by_user.items():
        ids = [n.pk for n in notifications]
        with transaction.atomic():
            # Marked now, with the message queued: running this twice sends one digest.
            Notification.objects.filter(pk__in=ids).update(emailed_at=now)
            outbox.send_later(kind="digest", params={"user_id": user.pk, "notification_ids": ids})
    return len(by_user)
