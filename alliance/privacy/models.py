"""Requests under a person's data rights (GDPR arts. 17 and 18, ADR 0033): asked by
the account's owner, their legal representative or whoever removes the account."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class RightRequest(models.Model):
    class Kind(models.TextChoices):
        # Art. 18: the account is frozen at once, its data kept unchanged.
        RESTRICTION = "restriction", _("Restriction")
        # Art. 17: the identity is replaced by a pseudonym once the law no longer asks
        # to keep the alliances it took part in (by the retention job).
        ERASURE = "erasure", _("Erasure")

    class Status(models.TextChoices):
        OPEN = "open", _("In force or waiting")
        DONE = "done", _("Done")
        CANCELLED = "cancelled", _("Cancelled")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="right_requests"
    )
    kind = models.CharField(max_length=20, choices=Kind.choices)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.OPEN)
    asked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    asked_at = models.DateTimeField(auto_now_add=True)
    reason = models.TextField(blank=True, max_length=1000)
    closed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["user", "kind"],
                condition=models.Q(status="open"),
                name="one_open_right_request_per_kind",
            )
        ]
        verbose_name = _("data rights request")

    def __str__(self):
        return f"{self.kind} {self.user_id} {self.status}"
