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


class RequestDecision(models.TextChoices):
    ACCEPTED = timeline.ACCEPTED, _("Accepted")
    PARTLY = timeline.PARTLY, _("Partly accepted")
    REFUSED = timeline.DECLINED, _("Refused")


class ProposalRequest(models.Model):
    """One precise thing the proposal asks for (ADR 0038). The proposal's text is its
    preamble; the decision maker answers each request on its own, and the proposal
    closes when every request is settled. `decision` and `percentage` repeat the
    latest answer and the latest progress, so that lists read them in one query."""

    proposal = models.ForeignKey(Proposal, on_delete=models.CASCADE, related_name="requests")
    position = models.PositiveSmallIntegerField()
    text = models.TextField(_("request"), max_length=1000)
    decision = models.CharField(max_length=10, choices=RequestDecision.choices, blank=True)
    percentage = models.PositiveSmallIntegerField(default=0)
    # Optimistic lock per request: two answers at once, the second is refused.
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["proposal", "position", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["proposal", "position"], name="proposal_request_position"
            ),
            models.CheckConstraint(
                condition=models.Q(percentage__lte=100), name="proposal_request_percentage"
            ),
        ]
        verbose_name = _("request")

    def __str__(self):
        return self.text

    @property
    def is_settled(self):
        return timeline.is_settled(self.decision, self.percentage)


class RequestAnswer(models.Model):
    """The decision maker's answer to one request, in their words. A new answer
    supersedes the previous one, which stays in the history with its reactions."""

    request = models.ForeignKey(ProposalRequest, on_delete=models.CASCADE, related_name="answers")
    decision = models.CharField(max_length=10, choices=RequestDecision.choices)
    words = models.TextField(_("answer, in your own words"), max_length=5000)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["at", "pk"]


class ProgressUpdate(models.Model):
    """A dated step of the work, on the whole proposal (request empty) or on one
    request: what stage it is at, how far, what comes next and when. The cost and the
    budget line are shown outside the decision maker's own page only when public."""

    proposal = models.ForeignKey(
        Proposal, on_delete=models.CASCADE, related_name="progress_updates"
    )
    request = models.ForeignKey(
        ProposalRequest,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="progress_updates",
    )
    status_label = models.CharField(_("where it stands"), max_length=120)
    percentage = models.PositiveSmallIntegerField(_("how far, in %"))
    words = models.TextField(_("what was done"), blank=True, max_length=2000)
    next_step = models.CharField(_("next step"), blank=True, max_length=300)
    next_step_on = models.DateField(_("date of the next step"), null=True, blank=True)
    cost = models.DecimalField(
        _("cost, in euros"), max_digits=12, decimal_places=2, null=True, blank=True
    )
    budget_line = models.CharField(_("budget line"), blank=True, max_length=200)
    cost_public = models.BooleanField(_("show the cost and the budget line"), default=False)
    posted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(percentage__lte=100), name="progress_percentage"
            ),
        ]


class AnswerReaction(models.Model):
    """A member's reaction to one answer: satisfied or not, with words. One per member
    per answer, changeable; outside the collective only the counts are shown."""

    answer = models.ForeignKey(RequestAnswer, on_delete=models.CASCADE, related_name="reactions")
    member = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="answer_reactions"
    )
    satisfied = models.BooleanField()
    words = models.TextField(_("in your own words"), blank=True, max_length=1000)
    at = models.DateTimeField(auto_now_add=True)
    changed_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["at", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["answer", "member"], name="react_once_per_answer")
        ]
