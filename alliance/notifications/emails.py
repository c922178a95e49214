"""Emails about notifications, written in the recipient's language. By default an
email says only that something new waits in Alliance, and of which kind: the
details (names, titles) stay behind the sign-in unless the user asked for them."""

from django.conf import settings
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation


def _context(settings_row):
    return {
        "site": settings.ALLIANCE_SITE_URL,
        "details": settings_row.details_in_email,
        "preferences_url": settings.ALLIANCE_SITE_URL + reverse("notifications:preferences"),
    }


def send_one(notification, settings_row):
    with translation.override(settings_row.language):
        context = {**_context(settings_row), "notifications": [notification]}
        subject = render_to_string("notifications/email_subject.txt", context).strip()
        body = render_to_string("notifications/email.txt", context)
    send_mail(subject, body, None, [notification.user.email])


def send_digest(user, notifications, settings_row):
    with translation.override(settings_row.language):
        context = {**_context(settings_row), "notifications": notifications, "digest": True}
        subject = render_to_string("notifications/email_subject.txt", context).strip()
        body = render_to_string("notifications/email.txt", context)
    send_mail(subject, body, None, [user.email])
