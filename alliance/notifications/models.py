"""In-app notifications and how each user wants to hear about them."""

import datetime

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from alliance import dates

from .kinds import DATE_PARAMS, KINDS, Group


class Delivery(models.TextChoices):
    IMMEDIATE = "immediate", _("An email right away")
    DAILY = "daily", _("One email a day, with everything new")
    IN_APP = "in_app", _("Only here, no email")


class Notification(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications"
    )
    kind = models.CharField(max_length=40)
    # Parameters of the kind's title, translated when shown (in the reader's language).
    params = models.JSONField(default=dict, blank=True)
    url = models.CharField(max_length=300)
    alliance_id = models.BigIntegerField(null=True, blank=True)
    # The same event is notified once to each user (e.g. "action_late:12").
    key = models.CharField(max_length=80, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    read_at = models.DateTimeField(null=True, blank=True)
    emailed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["user", "read_at"], name="notification_unread")]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "key"], condition=~models.Q(key=""), name="notification_once"
            )
        ]

    @property
    def kind_info(self):
        return KINDS[self.kind]

    @property
    def label(self):
        return self.kind_info.label

    def shown_params(self) -> dict:
        """The parameters as shown: dates are kept as ISO and shown in the local
        format only now."""
        params = dict(self.params)
        for name in DATE_PARAMS & params.keys():
            day = datetime.date.fromisoformat(params[name])
            params[name] = dates.show(day, "DATE_FORMAT")
        return params

    @property
    def title(self):
        """The details, in the reader's language."""
        return self.kind_info.title % self.shown_params()

    @property
    def group(self):
        return self.kind_info.group


class NotificationPreference(models.Model):
    """How a user hears about one group of notifications. No row: the default."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notification_preferences"
    )
    group = models.CharField(max_length=20, choices=Group.choices)
    delivery = models.CharField(max_length=20, choices=Delivery.choices)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "group"], name="notification_preference_once")
        ]


class NotificationSettings(models.Model):
    """What every email to this user may say, and in which language."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notification_settings"
    )
    language = models.CharField(max_length=8, choices=settings.LANGUAGES, default="fr")
    # Off by default: an email says only that something new waits, never what.
    details_in_email = models.BooleanField(default=False)
    version = models.PositiveIntegerField(default=1)


DEFAULT_DELIVERY = Delivery.IMMEDIATE


class OutgoingMessage(models.Model):
    """One email or text message to deliver: the outbox (ADR 0015). It is written in
    the transaction of the event it tells, with its task, so a rolled-back event sends
    nothing. It holds references, never a secret: the worker reads the invitation or
    the account when it sends, and makes any code or link then."""

    class Channel(models.TextChoices):
        EMAIL = "email", _("Email")
        SMS = "sms", _("Text message")

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting to be sent")
        SENT = "sent", _("Sent")
        CANCELLED = "cancelled", _("Nothing left to send")
        FAILED = "failed", _("Failed for good")

    kind = models.CharField(max_length=40)
    channel = models.CharField(max_length=5, choices=Channel.choices)
    # Ids and words to render with (no code, no link): what `kind`'s composer reads.
    params = models.JSONField(default=dict, blank=True)
    language = models.CharField(max_length=8)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    attempts = models.PositiveSmallIntegerField(default=0)
    next_attempt_at = models.DateTimeField()
    # The kind of the last error and its SMTP or HTTP code, never its text.
    last_error = models.CharField(max_length=100, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [models.Index(fields=["status", "next_attempt_at"], name="outgoing_by_status")]


class PeriodicRun(models.Model):
    """A periodic job enqueued for one period: the unique pair lets only the first of
    two schedulers enqueue it."""

    job = models.CharField(max_length=40)
    period = models.CharField(max_length=20)
    enqueued_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["job", "period"], name="periodic_run_once")]
