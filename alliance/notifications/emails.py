"""Emails about notifications, written in the recipient's language. By default an
email says only that something new waits in Alliance, and of which kind: the
details (names, titles) stay behind the sign-in unless the user asked for them.

These are composers of the outbox (alliance.notifications.outbox): the worker calls
them when the email leaves, and they go to the notified user's own address only."""

from django.conf import settings
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation

from .models import Notification
from .outbox import Email


def _render(user, notifications, **extra) -> Email:
    from .services import settings_of

    settings_row = settings_of(user)
    with translation.override(settings_row.language):
        context = {
            "site": settings.ALLIANCE_SITE_URL,
            "details": settings_row.details_in_email,
            "preferences_url": settings.ALLIANCE_SITE_URL + reverse("notifications:preferences"),
            "notifications": notifications,
            **extra,
        }
        subject = render_to_string("notifications/email_subject.txt", context).strip()
        body = render_to_string("notifications/email.txt", context)
    return Email(to=user.email, subject=subject, body=body)


def compose_notification(message):
    notification = (
        Notification.objects.filter(pk=message.params["notification_id"], emailed_at__isnull=True)
        .select_related("user")
        .first()
    )
    if notification is None or not notification.user.email or not notification.user.is_active:
        return None
    email = _render(notification.user, [notification])

    def mark_emailed():
        Notification.objects.filter(pk=notification.pk).update(emailed_at=timezone.now())

    return Email(email.to, email.subject, email.body, after_sent=mark_emailed)


def compose_digest(message):
    """The notifications that `send_daily_digests` gathered; those read meanwhile
    stay out, and a digest left with nothing is not sent."""
    notifications = list(
        Notification.objects.filter(
            pk__in=message.params["notification_ids"],
            user_id=message.params["user_id"],
            read_at__isnull=True,
        ).select_related("user")
    )
    if not notifications:
        return None
    user = notifications[0].user
    if not user.email or not user.is_active:
        return None
    return _render(user, notifications, digest=True)
