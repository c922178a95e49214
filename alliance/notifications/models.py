"""In-app notifications and how each user wants to hear about them."""

import datetime

from django.conf import settings
from django.db import models
from django.utils import formats
from django.utils.translation import gettext_lazy as _

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

    @property
    def title(self):
        """The details, in the reader's language: dates are kept as ISO and shown in
        the local format only now."""
        params = dict(self.params)
        for name in DATE_PARAMS & params.keys():
            day = datetime.date.fromisoformat(params[name])
            params[name] = formats.date_format(day, "SHORT_DATE_FORMAT")
        return self.kind_info.title % params

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
