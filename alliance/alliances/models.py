"""Movement 1: the alliance, its allies, their statements and votes, the asymmetry
register, the charter (socle commun) and the position check."""

import uuid

from django.conf import settings
from django.db import models
from django.db.models.functions import Lower
from django.utils.translation import gettext_lazy as _

from alliance.accounts.invitations import Invitation

from . import planning
from .positions import Image


class Alliance(models.Model):
    SITUATION_MAX_LENGTH = 2000

    title = models.CharField(_("title"), max_length=160)
    situation = models.TextField(
        _("the situation, in a few words"), blank=True, max_length=SITUATION_MAX_LENGTH
    )
    # Scoping by organisation keeps every query shardable by territory later.
    organisation = models.ForeignKey(
        "accounts.Organisation",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="alliances",
    )
    person_is_protected = models.BooleanField(
        _("the person is a minor or a protected adult"),
        default=False,
        help_text=_("A legal representative may then sign for the person."),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    # Closing (ADR 0023): a closed alliance is read-only, kept until `keep_until`, then
    # the retention policy handles it. Reopening empties these fields; the requests
    # (LifecycleRequest) and the trail keep the history.
    closed_at = models.DateTimeField(null=True, blank=True)
    closed_reason = models.TextField(blank=True, max_length=1000)
    closed_proposed_by = models.ForeignKey(
        "Ally", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    closed_agreed_by = models.ForeignKey(
        "Ally", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    keep_until = models.DateField(null=True, blank=True)
    # Optimistic lock of closing and reopening: a proposal or an answer made on an
    # older state is refused (409).
    lifecycle_version = models.PositiveIntegerField(default=1)
    # Planning codes the organisation records for aggregate reports (planning.py);
    # never shown to the person as a label of who they are.
    mdph_orientation = models.CharField(
        _("MDPH orientation"), max_length=20, blank=True, choices=planning.SERVICE_TYPES
    )
    service_type = models.CharField(
        _("type of service"), max_length=20, blank=True, choices=planning.SERVICE_TYPES
    )

    class Meta:
        verbose_name = _("alliance")

    def __str__(self):
        return self.title

    @property
    def is_closed(self):
        return self.closed_at is not None


class Role(models.TextChoices):
    PERSON = "person", _("Person concerned")
    REPRESENTATIVE = "representative", _("Legal representative")
    RELATIVE = "relative", _("Relative")
    TRUSTED_PERSON = "trusted_person", _("Trusted person")
    PROFESSIONAL = "professional", _("Professional")
    PEER = "peer", _("Peer")
    OTHER = "other", _("Other")


class MandateKind(models.TextChoices):
    """The French legal measures under which someone is a legal representative (ADR 0009)."""

    PARENT = "parent", _("Parent of a minor (parental authority)")
    TUTELLE = "tutelle", _("Tutelle")
    CURATELLE = "curatelle", _("Curatelle")
    HABILITATION_FAMILIALE = "habilitation_familiale", _("Habilitation familiale")


# A curateur assists the person, who acts and decides for themselves; the other
# measures give the power to act in the person's name (ADR 0009).
REPRESENTING_MANDATES = frozenset(
    {MandateKind.PARENT, MandateKind.TUTELLE, MandateKind.HABILITATION_FAMILIALE}
)
MANDATE_REFERENCE_MAX = 100
REMOVAL_REASON_MAX = 500


class Ally(models.Model):
    RECOGNITION_MAX_LENGTH = 1000

    class Status(models.TextChoices):
        INVITED = "invited", _("Invited")
        AWAITING_APPROVAL = "awaiting_approval", _("Waiting for the person's approval")
        ACTIVE = "active", _("In the alliance")
        REFUSED = "refused", _("Not approved")
        REMOVED = "removed", _("Removed from the alliance")
        LEFT = "left", _("Left the alliance")

    alliance = models.ForeignKey(Alliance, on_delete=models.CASCADE, related_name="allies")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="allies"
    )
    role = models.CharField(_("role"), max_length=20, choices=Role.choices)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.INVITED)
    invited_by = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    approved_by = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    recognition_brings = models.TextField(
        _("what I bring"), blank=True, max_length=RECOGNITION_MAX_LENGTH
    )
    recognition_expects = models.TextField(
        _("what I expect"), blank=True, max_length=RECOGNITION_MAX_LENGTH
    )
    created_at = models.DateTimeField(auto_now_add=True)
    joined_at = models.DateTimeField(null=True, blank=True)
    # A legal representative's mandate, as they (or their inviter) state it: shown to
    # every ally, approved by another account (ADR 0009).
    mandate_kind = models.CharField(
        _("legal measure"), max_length=30, choices=MandateKind.choices, blank=True
    )
    mandate_reference = models.CharField(
        _("reference of the decision"), max_length=MANDATE_REFERENCE_MAX, blank=True
    )
    mandate_date = models.DateField(_("date of the decision"), null=True, blank=True)
    # Leaving or being removed ends access but keeps the row: the ally's words, votes
    # and signatures stay theirs in the history.
    removed_by = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    removed_at = models.DateTimeField(null=True, blank=True)
    removal_reason = models.CharField(max_length=REMOVAL_REASON_MAX, blank=True)
    left_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["created_at", "pk"]
        constraints = [
            # A removed or departed ally may be invited again: a new row, the old one
            # keeps what they said and signed.
            models.UniqueConstraint(
                fields=["alliance", "user"],
                condition=~models.Q(status__in=["removed", "left"]),
                name="ally_once_per_alliance",
            ),
            models.UniqueConstraint(
                fields=["alliance"],
                condition=models.Q(role="person"),
                name="one_person_per_alliance",
            ),
        ]
        indexes = [models.Index(fields=["user", "status"], name="ally_user_status")]
        verbose_name = _("ally")
        verbose_name_plural = _("allies")

    def __str__(self):
        return f"{self.user} ({self.get_role_display()})"

    @property
    def is_active(self):
        return self.status == self.Status.ACTIVE

    @property
    def is_gone(self):
        """Refused, removed or departed: no longer let in."""
        return self.status in GONE_STATUSES

    @property
    def speaks_for_person(self):
        """The person, or a legal representative whose measure is to represent them."""
        if self.role == Role.PERSON:
            return True
        return self.role == Role.REPRESENTATIVE and self.mandate_kind in REPRESENTING_MANDATES

    @property
    def mandate_is_recorded(self):
        return bool(self.mandate_kind)

    @property
    def is_professional(self):
        return self.role == Role.PROFESSIONAL


class AllyInvitation(Invitation):
    """An invitation to an address: the Ally is created only when the owner of the
    address accepts it (ADR 0012)."""

    alliance = models.ForeignKey(Alliance, on_delete=models.CASCADE, related_name="invitations")
    role = models.CharField(_("role"), max_length=20, choices=Role.choices)
    invited_by = models.ForeignKey(Ally, on_delete=models.PROTECT, related_name="+")
    ally = models.OneToOneField(
        Ally, null=True, blank=True, on_delete=models.PROTECT, related_name="invitation"
    )
    # A representative's mandate as the inviter stated it (kind, reference, ISO date),
    # recorded on the ally when the owner of the address joins.
    mandate = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["created_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                "alliance",
                Lower("email"),
                condition=models.Q(status="pending"),
                name="ally_invitation_pending_once",
            ),
        ]
        indexes = [models.Index(Lower("email"), "status", name="ally_invitation_email")]


# Allies the gatekeeper no longer lets in: the same 404 as a stranger.
GONE_STATUSES = frozenset({Ally.Status.REFUSED, Ally.Status.REMOVED, Ally.Status.LEFT})


class StatementKind(models.TextChoices):
    INTEREST = "interest", _("Interest")
    GOAL = "goal", _("Goal")
    MEANS = "means", _("Means")
    CONCERN = "concern", _("Concern")
    CAPACITY = "capacity", _("Capacity")


class StatementSource(models.TextChoices):
    DUI = "dui", _("the organisation's record (DUI)")


class Statement(models.Model):
    alliance = models.ForeignKey(Alliance, on_delete=models.CASCADE, related_name="statements")
    author = models.ForeignKey(Ally, on_delete=models.PROTECT, related_name="statements")
    kind = models.CharField(_("kind"), max_length=20, choices=StatementKind.choices)
    text = models.TextField(_("in your own words"), max_length=1000)
    supported_by = models.ForeignKey(
        Ally,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("written with the support of"),
    )
    withdrawn_at = models.DateTimeField(null=True, blank=True)
    # The author's choice alone, off unless ticked: only these words may be quoted in
    # a report, never with a name; other statements only ever count.
    may_quote = models.BooleanField(_("my words may go up, without my name"), default=False)
    # What goes up: the words with every first name masked, as the author saw and
    # confirmed them. Empty while not confirmed (a change of the words empties it):
    # then nothing is quoted, even with may_quote.
    quote_text = models.TextField(_("the words that may go up"), blank=True, max_length=1000)
    # Words brought from another record (ADR 0031): written in Alliance by the ally who
    # imported them, shown with where they come from and who wrote them there, and
    # never as the person's own, even when that record says the person said them.
    source = models.CharField(max_length=10, blank=True, choices=StatementSource.choices)
    source_label = models.CharField(max_length=200, blank=True)
    source_author = models.CharField(max_length=200, blank=True)
    source_from_person = models.BooleanField(default=False)
    version = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["created_at", "pk"]
        indexes = [
            models.Index(fields=["alliance", "withdrawn_at"], name="statement_alive"),
            # Reports quote the newest words their authors let go up: few rows, read
            # newest first, found without scanning every statement of a territory.
            models.Index(
                fields=["-created_at"],
                condition=models.Q(may_quote=True, withdrawn_at__isnull=True),
                name="statement_quotable",
            ),
        ]

    def __str__(self):
        return self.text[:60]


class StatementRevision(models.Model):
    """The words a statement had before each change: history is never rewritten."""

    statement = models.ForeignKey(Statement, on_delete=models.CASCADE, related_name="revisions")
    version = models.PositiveIntegerField()
    kind = models.CharField(max_length=20, choices=StatementKind.choices)
    text = models.TextField(max_length=1000)
    supported_by = models.ForeignKey(
        Ally, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    written_at = models.DateTimeField()

    class Meta:
        ordering = ["-version"]
        constraints = [
            models.UniqueConstraint(fields=["statement", "version"], name="revision_once")
        ]


class VoteValue(models.TextChoices):
    AGREE = "agree", _("I agree")
    DISAGREE = "disagree", _("I disagree")
    UNSURE = "unsure", _("I am not sure")
    PASS = "pass", _("I pass")


class Vote(models.Model):
    statement = models.ForeignKey(Statement, on_delete=models.CASCADE, related_name="votes")
    ally = models.ForeignKey(Ally, on_delete=models.CASCADE, related_name="votes")
    value = models.CharField(max_length=10, choices=VoteValue.choices)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["statement", "ally"], name="one_vote_per_ally")
        ]


class AsymmetryDimension(models.TextChoices):
    DECISION_POWER = "decision_power", _("Decision power")
    INFORMATION = "information", _("Information")
    EXPERTISE = "expertise", _("Expertise")
    RESOURCES = "resources", _("Resources")
    TIME = "time", _("Time")
    MANDATE = "mandate", _("Mandate")
    CUSTOM = "custom", _("Other (name it)")


class AsymmetryEntry(models.Model):
    TEXT_MAX_LENGTH = 1000

    alliance = models.ForeignKey(Alliance, on_delete=models.CASCADE, related_name="asymmetries")
    dimension = models.CharField(_("dimension"), max_length=20, choices=AsymmetryDimension.choices)
    custom_dimension = models.CharField(_("name of the dimension"), max_length=80, blank=True)
    holders = models.ManyToManyField(Ally, related_name="+", verbose_name=_("who holds it"))
    what_is_held = models.TextField(_("who holds what"), max_length=TEXT_MAX_LENGTH)
    handling = models.TextField(
        _("how the alliance handles it"), blank=True, max_length=TEXT_MAX_LENGTH
    )
    author = models.ForeignKey(Ally, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "pk"]

    @property
    def dimension_label(self):
        if self.dimension == AsymmetryDimension.CUSTOM:
            return self.custom_dimension
        return self.get_dimension_display()


class Charter(models.Model):
    """One version of the socle commun. Its life-cycle: draft → signing → signed →
    superseded. Any change once someone has signed opens a new version."""

    UNDERSTANDING_MAX_LENGTH = 3000

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SIGNING = "signing", _("Being signed")
        SIGNED = "signed", _("Signed by every ally")
        SUPERSEDED = "superseded", _("Replaced by a newer version")

    alliance = models.ForeignKey(Alliance, on_delete=models.CASCADE, related_name="charters")
    number = models.PositiveIntegerField(default=1)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.DRAFT)
    shared_understanding = models.TextField(
        _("our shared understanding of the situation"),
        blank=True,
        max_length=UNDERSTANDING_MAX_LENGTH,
    )
    # Optimistic lock: every change increments it; a save based on an older value is refused.
    revision = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField(auto_now_add=True)
    signed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-number"]
        constraints = [
            models.UniqueConstraint(fields=["alliance", "number"], name="charter_version_once")
        ]

    def __str__(self):
        return f"{self.alliance} v{self.number}"

    @property
    def is_current(self):
        return self.status != self.Status.SUPERSEDED


class CharterInterest(models.Model):
    """A common interest adopted on purpose from the common ground."""

    charter = models.ForeignKey(Charter, on_delete=models.CASCADE, related_name="interests")
    statement = models.ForeignKey(Statement, on_delete=models.PROTECT, related_name="+")
    # The words as adopted, kept if the statement changes later.
    text = models.TextField(max_length=1000)
    adopted_by = models.ForeignKey(Ally, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["pk"]
        constraints = [
            models.UniqueConstraint(fields=["charter", "statement"], name="interest_once")
        ]


class CharterRecognition(models.Model):
    charter = models.ForeignKey(Charter, on_delete=models.CASCADE, related_name="recognitions")
    ally = models.ForeignKey(Ally, on_delete=models.PROTECT, related_name="+")
    brings = models.TextField(blank=True, max_length=Ally.RECOGNITION_MAX_LENGTH)
    expects = models.TextField(blank=True, max_length=Ally.RECOGNITION_MAX_LENGTH)

    class Meta:
        ordering = ["pk"]
        constraints = [models.UniqueConstraint(fields=["charter", "ally"], name="recognition_once")]


class Commitment(models.Model):
    charter = models.ForeignKey(Charter, on_delete=models.CASCADE, related_name="commitments")
    ally = models.ForeignKey(Ally, on_delete=models.PROTECT, related_name="+")
    text = models.TextField(_("I commit to"), max_length=500)
    # Set when a legal representative writes the commitment of a minor or protected adult.
    written_by = models.ForeignKey(
        Ally, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["pk"]

    @property
    def on_behalf(self):
        return self.written_by_id is not None and self.written_by_id != self.ally_id


class PerimeterStatus(models.TextChoices):
    IN_ALLIANCE = "in_alliance", _("In the alliance")
    PERSON_OWN = "person_own", _("The person's own")
    WITH_OTHERS = "with_others", _("With others")


class PerimeterEntry(models.Model):
    charter = models.ForeignKey(Charter, on_delete=models.CASCADE, related_name="perimeter")
    domain_code = models.CharField(max_length=20, blank=True)  # SERAFIN-PH need code
    label = models.CharField(_("life domain"), max_length=200)
    status = models.CharField(_("place"), max_length=20, choices=PerimeterStatus.choices)

    class Meta:
        ordering = ["pk"]


class Indicator(models.Model):
    charter = models.ForeignKey(Charter, on_delete=models.CASCADE, related_name="indicators")
    # Stable across charter versions, so readings follow an indicator through versions.
    key = models.UUIDField(default=uuid.uuid4)
    name = models.CharField(_("name"), max_length=200)
    scale_min = models.SmallIntegerField(_("lowest value"), default=0)
    scale_max = models.SmallIntegerField(_("highest value"), default=10)
    raters = models.ManyToManyField(Ally, related_name="+", verbose_name=_("who rates"))

    class Meta:
        ordering = ["pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(scale_max__gt=models.F("scale_min")),
                name="indicator_scale_ordered",
            )
        ]


class Signature(models.Model):
    charter = models.ForeignKey(Charter, on_delete=models.CASCADE, related_name="signatures")
    ally = models.ForeignKey(Ally, on_delete=models.PROTECT, related_name="signatures")
    # Set when a legal representative signs for a minor or a protected adult.
    signed_by = models.ForeignKey(Ally, on_delete=models.PROTECT, related_name="+")
    signed_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["signed_at", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["charter", "ally"], name="sign_once_per_version")
        ]

    @property
    def on_behalf(self):
        return self.signed_by_id != self.ally_id


class PositionCheck(models.Model):
    class Answer(models.TextChoices):
        ME = "me", _("Me")
        TOGETHER = "together", _("Together")
        OTHER = "other", _("The other")

    alliance = models.ForeignKey(Alliance, on_delete=models.CASCADE, related_name="position_checks")
    ally = models.ForeignKey(Ally, on_delete=models.CASCADE, related_name="position_checks")
    chooses_path = models.CharField(
        _("who chooses the path?"), max_length=10, choices=Answer.choices
    )
    sets_pace = models.CharField(_("who sets the pace?"), max_length=10, choices=Answer.choices)
    walks_ahead = models.CharField(_("who walks ahead?"), max_length=10, choices=Answer.choices)
    image = models.CharField(max_length=20, choices=[(i.value, i.value) for i in Image])
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-pk"]


class AccessReissue(models.Model):
    """A new activation letter for an account that is already in use, whose owner
    lost their way in (ADR 0013): asked by the person's approved legal representative
    alone, or by one ally and approved by a second who is not their colleague."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting for a second ally")
        DONE = "done", _("Access re-issued")

    alliance = models.ForeignKey(Alliance, on_delete=models.CASCADE, related_name="reissues")
    # The ally whose account gets the new letter.
    ally = models.ForeignKey(Ally, on_delete=models.PROTECT, related_name="reissues")
    requested_by = models.ForeignKey(Ally, on_delete=models.PROTECT, related_name="+")
    approved_by = models.ForeignKey(
        Ally, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    created_at = models.DateTimeField(auto_now_add=True)
    completed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["ally"],
                condition=models.Q(status="pending"),
                name="access_reissue_pending_once",
            ),
        ]


class VoiceNote(models.Model):
    """A short recording of its author's own words on what they wrote (ADR 0019): one
    per statement or journal entry, recorded, replaced and deleted by that author
    only, played by the allies who read what it belongs to. The bytes stay in this
    table, in PostgreSQL like everything else; the pages that show a note read it
    without them (`defer("data")`), only the player's address loads them."""

    author = models.ForeignKey(Ally, on_delete=models.PROTECT, related_name="+")
    # An ally who helped the author record, as statements record who helped write.
    supported_by = models.ForeignKey(
        Ally, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    # Sniffed from the first bytes, never the type the browser announced.
    content_type = models.CharField(max_length=20)
    size = models.PositiveIntegerField()
    # Read from a WAV header, or as the recorder in the page counted it; unknown for
    # an uploaded file of another type.
    seconds = models.PositiveSmallIntegerField(null=True, blank=True)
    data = models.BinaryField()
    # Each replacement increments it: a replacement or a deletion based on an older
    # note (another tab, another device) is refused.
    version = models.PositiveIntegerField(default=1)
    recorded_at = models.DateTimeField()

    class Meta:
        abstract = True


class StatementVoiceNote(VoiceNote):
    statement = models.OneToOneField(Statement, on_delete=models.CASCADE, related_name="voice_note")


REASON_MAX_LENGTH = 1000


class LifecycleRequest(models.Model):
    """A proposal to close or to reopen an alliance, answered by the person or their
    approved legal representative (ADR 0023): closing never happens without them."""

    class Kind(models.TextChoices):
        CLOSE = "close", _("Close the alliance")
        REOPEN = "reopen", _("Reopen the alliance")

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting for the person's answer")
        AGREED = "agreed", _("Agreed")
        DECLINED = "declined", _("Declined")

    alliance = models.ForeignKey(
        Alliance, on_delete=models.CASCADE, related_name="lifecycle_requests"
    )
    kind = models.CharField(max_length=10, choices=Kind.choices)
    reason = models.TextField(_("why"), max_length=REASON_MAX_LENGTH)
    proposed_by = models.ForeignKey(Ally, on_delete=models.PROTECT, related_name="+")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    answered_by = models.ForeignKey(
        Ally, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    answered_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["alliance"],
                condition=models.Q(status="pending"),
                name="lifecycle_request_pending_once",
            )
        ]


class Handover(models.Model):
    """A professional who leaves hands an alliance to a colleague of their organisation
    (ADR 0023): the colleague waits for the person's approval like any new ally; once
    approved, the leaving professional leaves; refused, they stay."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting for the person's approval")
        DONE = "done", _("Done")
        REFUSED = "refused", _("Refused by the person")

    alliance = models.ForeignKey(Alliance, on_delete=models.CASCADE, related_name="handovers")
    leaving = models.ForeignKey(Ally, on_delete=models.PROTECT, related_name="handovers_out")
    successor = models.ForeignKey(Ally, on_delete=models.PROTECT, related_name="handovers_in")
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    created_at = models.DateTimeField(auto_now_add=True)
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["successor"],
                condition=models.Q(status="pending"),
                name="handover_pending_once",
            )
        ]


class UnderstandingRevision(models.Model):
    """One saved text of "our shared understanding": who wrote it and when. The
    charter holds the current words; every earlier text stays readable here, so a
    change never erases anyone's words without trace."""

    alliance = models.ForeignKey(
        Alliance, on_delete=models.CASCADE, related_name="understanding_revisions"
    )
    # The version being worked on when it was written.
    charter = models.ForeignKey(Charter, on_delete=models.CASCADE, related_name="+")
    text = models.TextField(blank=True, max_length=Charter.UNDERSTANDING_MAX_LENGTH)
    author = models.ForeignKey(Ally, on_delete=models.PROTECT, related_name="+")
    written_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-written_at", "-pk"]
        indexes = [models.Index(fields=["alliance", "-written_at"], name="understanding_latest")]
