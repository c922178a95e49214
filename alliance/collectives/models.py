"""Movement 3: collectives (a workshop, a neighbourhood, a council of residents, a
département) and their members. Consultations live here too."""

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Collective(models.Model):
    class Kind(models.TextChoices):
        WORKSHOP = "workshop", _("Workshop or service")
        NEIGHBOURHOOD = "neighbourhood", _("Neighbourhood")
        RESIDENTS_COUNCIL = "residents_council", _("Council of residents")
        TERRITORY = "territory", _("Territory")
        LINKED_ALLIANCES = "linked_alliances", _("Linked alliances")
        OTHER = "other", _("Other")

    name = models.CharField(_("name"), max_length=160)
    description = models.TextField(_("what brings us together"), blank=True)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.OTHER)
    # Scoped by organisation (when one hosts it) and territory, like every query.
    organisation = models.ForeignKey(
        "accounts.Organisation",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="collectives",
    )
    territory = models.CharField(_("territory"), max_length=120, blank=True)
    # Opt-in: the public page lists proposals and answers, never personal data.
    public_page = models.BooleanField(_("publish a public page"), default=False)
    public_key = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("collective")
        ordering = ["name", "pk"]

    def __str__(self):
        return self.name


class MemberRole(models.TextChoices):
    FACILITATOR = "facilitator", _("Facilitator")
    MEMBER = "member", _("Member")


class MemberStanding(models.TextChoices):
    """Who the member is in the collective's life, shown next to their name."""

    PERSON = "person", _("Person supported")
    RELATIVE = "relative", _("Relative")
    PROFESSIONAL = "professional", _("Professional")
    RESIDENT = "resident", _("Resident")
    OTHER = "other", _("Other")


class CollectiveMember(models.Model):
    class Status(models.TextChoices):
        ACTIVE = "active", _("Member")
        LEFT = "left", _("Left the collective")

    collective = models.ForeignKey(Collective, on_delete=models.CASCADE, related_name="members")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="collective_memberships"
    )
    role = models.CharField(
        _("role"), max_length=20, choices=MemberRole.choices, default=MemberRole.MEMBER
    )
    standing = models.CharField(
        _("I take part as"),
        max_length=20,
        choices=MemberStanding.choices,
        default=MemberStanding.OTHER,
    )
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.ACTIVE)
    joined_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["joined_at", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["collective", "user"], name="one_membership_per_user")
        ]
        indexes = [models.Index(fields=["user", "status"], name="member_user_status")]

    def __str__(self):
        return f"{self.user} in {self.collective}"

    @property
    def is_facilitator(self):
        return self.role == MemberRole.FACILITATOR
