"""A person's archive of their data (GDPR arts. 15 and 20, ADR 0032): asked for on
the "my data" page, made in the background, downloaded by whoever asked for it,
deleted by the daily purge once expired."""

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
