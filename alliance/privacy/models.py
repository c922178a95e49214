"""A person's data rights (GDPR arts. 15 to 21): the archive of their data (arts. 15
and 20, ADR 0032), asked for on the "my data" page, made in the background,
downloaded by whoever asked for it, deleted by the daily purge once expired; and
the requests to erase or restrict (arts. 17 and 18, ADR 0033), asked by the
account's owner, their legal representative or whoever removes the account."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class DataArchive(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", _("Being prepared")
        READY = "ready", _("Ready to download")
        FAILED = "failed", _("Could not be prepared")

    # Whose data; `requested_by` is the same account, or a legal representative who
    # receives what concerns the alliances where they represent the subject.
    subject = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="data_archives"
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    # The alliances a representative's archive is limited to; empty for the subject.
    alliance_ids = models.JSONField(default=list, blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    created_at = models.DateTimeField(auto_now_add=True)
    ready_at = models.DateTimeField(null=True, blank=True)
    expires_at = models.DateTimeField(null=True, blank=True)
    sha256 = models.CharField(max_length=64, blank=True)
    size = models.PositiveIntegerField(default=0)
    downloaded_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [
            # One at a time per subject: a second click while one is made finds it.
            models.UniqueConstraint(
                fields=["subject"],
                condition=models.Q(status="pending"),
                name="one_pending_archive_per_subject",
            )
        ]

    def __str__(self):
        return f"archive {self.pk} of {self.subject_id}"

    @property
    def for_representative(self) -> bool:
        return self.subject_id != self.requested_by_id


class DataArchiveFile(models.Model):
    """The ZIP's bytes in their own table, as documents.DocumentFile: lists never load them."""

    archive = models.OneToOneField(DataArchive, on_delete=models.CASCADE, related_name="file")
    data = models.BinaryField()


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
