"""Files attached to an alliance or to one of its journal entries (ADR 0026): what the
pages list (who, when, what, how big, its hash) in one table, and the bytes in another
that only a download or a thumbnail reads."""

from django.db import models

from alliance.acting.models import JournalEntry
from alliance.alliances.models import Alliance, Ally


class AttachmentQuerySet(models.QuerySet):
    def live(self):
        return self.filter(deleted_at__isnull=True)


class Attachment(models.Model):
    """A file an ally brought: an MDPH notification, a school report, a photo of what
    was done. Deleting it erases its bytes and the words about it; the row stays, so
    that the trail's entries about it still name a file (its name and hash)."""

    alliance = models.ForeignKey(Alliance, on_delete=models.CASCADE, related_name="attachments")
    # None: a file of the alliance, not of one entry.
    entry = models.ForeignKey(
        JournalEntry,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="attachments",
    )
    uploader = models.ForeignKey(Ally, on_delete=models.PROTECT, related_name="+")
    # The uploader's name for it, cleaned (content.clean_name), with the extension of
    # what the bytes are.
    name = models.CharField(max_length=200)
    # Sniffed from the bytes, never the browser's type nor the name's extension.
    content_type = models.CharField(max_length=40)
    size = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64)
    width = models.PositiveIntegerField(null=True, blank=True)
    height = models.PositiveIntegerField(null=True, blank=True)
    description = models.CharField(max_length=300, blank=True)
    # Written by the uploader, required for a picture: what it shows, for whoever
    # cannot see it.
    alt_text = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField()
    deleted_at = models.DateTimeField(null=True, blank=True)
    deleted_by = models.ForeignKey(
        Ally, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    objects = AttachmentQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["alliance", "created_at"])]

    def __str__(self):
        return self.name

    @property
    def is_image(self):
        return self.content_type.startswith("image/")


class AttachmentBytes(models.Model):
    """The file as kept (a picture re-encoded without its metadata, a PDF as sent) and
    a picture's thumbnail, in PostgreSQL like voice notes (ADR 0019): nothing on the
    app servers' disks, nothing under a static or media address."""

    attachment = models.OneToOneField(
        Attachment, on_delete=models.CASCADE, primary_key=True, related_name="stored"
    )
    data = models.BinaryField()
    thumbnail = models.BinaryField(null=True, blank=True)
    thumbnail_type = models.CharField(max_length=40, blank=True)
