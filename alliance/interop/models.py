from django.db import models
from django.utils.translation import gettext_lazy as _


class DuiConsent(models.Model):
    """The person (or their legal representative) agrees that this alliance is shared
    with the DUI of its organisation: exported as a FHIR bundle, read by the
    organisation's DUI software through the API. Until then, and from the moment it
    is withdrawn, nothing of the alliance leaves Alliance that way. Withdrawing keeps
    the row (who agreed, when, until when); agreeing again makes a new one."""

    alliance = models.ForeignKey(
        "alliances.Alliance", on_delete=models.CASCADE, related_name="dui_consents"
    )
    given_by = models.ForeignKey("alliances.Ally", on_delete=models.PROTECT, related_name="+")
    given_at = models.DateTimeField(auto_now_add=True)
    withdrawn_by = models.ForeignKey(
        "alliances.Ally", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    withdrawn_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-given_at", "-pk"]
        verbose_name = _("consent to share with the DUI")
        constraints = [
            models.UniqueConstraint(
                fields=["alliance"],
                condition=models.Q(withdrawn_at__isnull=True),
                name="one_active_dui_consent",
            )
        ]

    @property
    def is_active(self):
        return self.withdrawn_at is None
