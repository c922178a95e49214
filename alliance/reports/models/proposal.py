"""Proposals of a collective to a decision maker: the text and its evidence, the
co-signatures (each signs for themselves), the alliances that chose to join, and
the timeline of steps with the decision maker's answers in their own words."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from alliance.reports import timeline


class ProposalStatus(models.TextChoices):
    DRAFT = timeline.DRAFT, _("Draft")
    SENT = timeline.SENT, _("Sent")
    ACKNOWLEDGED = timeline.ACKNOWLEDGED, _("Acknowledged")
    ANSWERED = timeline.ANSWERED, _("Answered")
    IN_PROGRESS = timeline.IN_PROGRESS, _("In progress")
    DONE = timeline.DONE, _("Carried out")
    REFUSED = timeline.REFUSED, _("Declined")


class Proposal(models.Model):
    collective = models.ForeignKey(
        "collectives.Collective", on_delete=models.CASCADE, related_name="proposals"
    )
    title = models.CharField(_("title"), max_length=200)
    text = models.TextField(_("what we propose"), max_length=5000)
    addressee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="proposals_received",
        verbose_name=_("addressed to"),
    )
    # Evidence: the collective's adopted common interests, and a consultation whose
    # common ground (never who voted what) stands behind the text.
    interests = models.ManyToManyField(
        "collectives.CollectiveInterest",
        blank=True,
        related_name="+",
        verbose_name=_("common interests it rests on"),
    )
    consultation = models.ForeignKey(
        "collectives.Consultation",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("consultation whose common ground it rests on"),
    )
    # An anonymised report, already published to the addressee, so they can read it.
    report = models.ForeignKey(
        "reports.Report",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("report it rests on"),
    )
    status = models.CharField(
        max_length=20, choices=ProposalStatus.choices, default=ProposalStatus.DRAFT
    )
    # Optimistic lock: two answers at once, the second is refused and sees the first.
    version = models.PositiveIntegerField(default=1)
    written_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(fields=["collective", "status"], name="proposal_collective_status"),
            models.Index(fields=["addressee", "status"], name="proposal_addressee_status"),
        ]
        verbose_name = _("proposal")

    def __str__(self):
        return self.title

    @property
    def is_draft(self):
        return self.status == ProposalStatus.DRAFT

    @property
    def is_closed(self):
        return timeline.is_closed(self.status)


class ProposalEvent(models.Model):
    """One step of the timeline, never changed afterwards: who, when, which step, and
    the decision maker's words."""

    proposal = models.ForeignKey(Proposal, on_delete=models.CASCADE, related_name="events")
    status = models.CharField(max_length=20, choices=ProposalStatus.choices)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    words = models.TextField(_("answer, in your own words"), blank=True, max_length=5000)
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["at", "pk"]


class CoSignature(models.Model):
    """A person or a professional signs for themselves; a legal representative may
    sign for a minor or protected adult they represent, and it is shown as such."""

    proposal = models.ForeignKey(Proposal, on_delete=models.CASCADE, related_name="signatures")
    signatory = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="proposal_signatures"
    )
    signed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    signed_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["signed_at", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["proposal", "signatory"], name="co_sign_once")
        ]

    @property
    def on_behalf(self):
        return self.signed_by_id != self.signatory_id


class JoinedAlliance(models.Model):
    """An alliance stands behind the proposal, by the decision of its person or their
    legal representative. Outside the alliance it only ever counts as one."""

    proposal = models.ForeignKey(
        Proposal, on_delete=models.CASCADE, related_name="joined_alliances"
    )
    alliance = models.ForeignKey(
        "alliances.Alliance", on_delete=models.CASCADE, related_name="joined_proposals"
    )
    decided_by = models.ForeignKey("alliances.Ally", on_delete=models.PROTECT, related_name="+")
    joined_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["joined_at", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["proposal", "alliance"], name="alliance_joins_once")
        ]
