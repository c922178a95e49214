"""Consent to link alliances into collectives, and the collectives born that way."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class LinkConsent(models.Model):
    """The person (or their legal representative) agrees that their alliance may be
    matched with other consenting alliances of the same organisation that share a
    common interest. Until then the alliance is neither shown nor counted anywhere."""

    alliance = models.OneToOneField(
        "alliances.Alliance", on_delete=models.CASCADE, related_name="link_consent"
    )
    given_by = models.ForeignKey("alliances.Ally", on_delete=models.PROTECT, related_name="+")
    given_at = models.DateTimeField(auto_now_add=True)
    withdrawn_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("consent to link alliances")

    @property
    def is_active(self):
        return self.withdrawn_at is None


class LinkedCollective(models.Model):
    """The collective of linked alliances for one need, in one organisation."""

    collective = models.OneToOneField(
        "collectives.Collective", on_delete=models.CASCADE, related_name="linked_need"
    )
    organisation = models.ForeignKey(
        "accounts.Organisation", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    need_code = models.CharField(max_length=20)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "need_code"], name="one_linked_collective_per_need"
            )
        ]
