"""Documents handed over to the allies (ADR 0024): the personalised project and each
review's report, as PDF files stamped with the version they show. A stored document
never changes; a new state of the alliance makes a new document."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Kind(models.TextChoices):
    PROJECT = "project", _("Personalised project")
    REVIEW = "review", _("Review report")


class Document(models.Model):
    alliance = models.ForeignKey(
        "alliances.Alliance", on_delete=models.CASCADE, related_name="documents"
    )
    kind = models.CharField(max_length=20, choices=Kind.choices)
    easy_read = models.BooleanField(default=False)
    # The version it stamps: the signed charter's number, and the review for a report.
    charter_number = models.PositiveIntegerField(null=True, blank=True)
    review = models.ForeignKey(
        "acting.Review", null=True, blank=True, on_delete=models.PROTECT, related_name="documents"
    )
    produced_by = models.ForeignKey("alliances.Ally", on_delete=models.PROTECT, related_name="+")
    produced_at = models.DateTimeField()
    # Of the PDF's bytes: written in the trail, so a copy on paper or in a mailbox can
    # be checked against the one produced.
    sha256 = models.CharField(max_length=64)
    # Of the page the PDF is made from: the same content produced again finds this
    # document instead of storing a copy (the PDF's own bytes differ at each run, the
    # fonts embedded carry their time of making).
    source_sha256 = models.CharField(max_length=64)
    size = models.PositiveIntegerField()

    class Meta:
        ordering = ["-produced_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["alliance", "kind", "easy_read", "source_sha256"],
                name="document_content_once",
            )
        ]

    def __str__(self):
        return f"{self.get_kind_display()} {self.version_label}"

    @property
    def version_label(self) -> str:
        return f"v{self.charter_number}" if self.charter_number else ""


class DocumentFile(models.Model):
    """The PDF's bytes, in their own table: lists of documents never load them, and
    they stay in PostgreSQL with everything else, one backup, stateless application
    servers (as voice notes, ADR 0019)."""

    document = models.OneToOneField(Document, on_delete=models.CASCADE, related_name="file")
    data = models.BinaryField()
