"""Movement 3: collectives (a workshop, a neighbourhood, a council of residents, a
département) and their members. Consultations live here too."""

import uuid

from django.conf import settings
from django.db import models
from django.db.models.functions import Lower
from django.utils.translation import gettext_lazy as _

from alliance.accounts.invitations import Invitation


class Collective(models.Model):
    class Kind(models.TextChoices):
        WORKSHOP = "workshop", _("Workshop or service")
        NEIGHBOURHOOD = "neighbourhood", _("Neighbourhood")
        RESIDENTS_COUNCIL = "residents_council", _("Council of residents")
        TERRITORY = "territory", _("Territory")
        LINKED_ALLIANCES = "linked_alliances", _("Linked alliances")
        OTHER = "other", _("Other")

    name = models.CharField(_("name"), max_length=160)
    DESCRIPTION_MAX_LENGTH = 2000

    description = models.TextField(
        _("what brings us together"), blank=True, max_length=DESCRIPTION_MAX_LENGTH
    )
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


class MemberInvitation(Invitation):
    """An invitation to an address: the member is added only when the owner of the
    address accepts it (ADR 0012)."""

    collective = models.ForeignKey(Collective, on_delete=models.CASCADE, related_name="invitations")
    standing = models.CharField(
        _("they take part as"),
        max_length=20,
        choices=MemberStanding.choices,
        default=MemberStanding.OTHER,
    )
    invited_by = models.ForeignKey(CollectiveMember, on_delete=models.PROTECT, related_name="+")
    member = models.ForeignKey(
        CollectiveMember, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["created_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                "collective",
                Lower("email"),
                condition=models.Q(status="pending"),
                name="member_invitation_pending_once",
            ),
        ]
        indexes = [models.Index(Lower("email"), "status", name="member_invitation_email")]


class Consultation(models.Model):
    """A question put to the collective: members write short statements, vote on each
    other's, and the engine finds the opinion groups and their common ground."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Being prepared")
        OPEN = "open", _("Open")
        CLOSED = "closed", _("Closed")

    collective = models.ForeignKey(
        Collective, on_delete=models.CASCADE, related_name="consultations"
    )
    question = models.CharField(_("question"), max_length=300)
    easy_read_question = models.CharField(_("question in easy-read"), max_length=300, blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.DRAFT)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    opened_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    # Opening and closing compare this number, so two facilitators acting at once
    # cannot silently undo each other.
    version = models.PositiveIntegerField(default=1)

    class Meta:
        verbose_name = _("consultation")
        ordering = ["-created_at", "-pk"]

    def __str__(self):
        return self.question

    @property
    def is_open(self):
        return self.status == self.Status.OPEN


class ConsultationStatement(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting for moderation")
        ACCEPTED = "accepted", _("Accepted")
        REJECTED = "rejected", _("Not accepted")
        WITHDRAWN = "withdrawn", _("Withdrawn by its author")

    MAX_LENGTH = 280

    consultation = models.ForeignKey(
        Consultation, on_delete=models.CASCADE, related_name="statements"
    )
    text = models.CharField(_("statement text"), max_length=MAX_LENGTH)
    easy_read = models.CharField(_("in easy-read"), max_length=MAX_LENGTH, blank=True)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    # Seed statements are written by the facilitator to start the conversation.
    is_seed = models.BooleanField(default=False)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    REASON_MAX_LENGTH = 500
    rejection_reason = models.TextField(
        _("reason for not accepting"), blank=True, max_length=REASON_MAX_LENGTH
    )
    moderated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    moderated_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "pk"]
        indexes = [
            models.Index(fields=["consultation", "status"], name="cstatement_consultation_status")
        ]

    def __str__(self):
        return self.text

    @property
    def is_accepted(self):
        return self.status == self.Status.ACCEPTED


class ConsultationVote(models.Model):
    class Value(models.IntegerChoices):
        AGREE = 1, _("Agree")
        DISAGREE = -1, _("Disagree")
        PASS = 0, _("Pass")

    # Denormalised from the statement: the engine reads a consultation's whole vote
    # matrix in one indexed scan.
    consultation = models.ForeignKey(Consultation, on_delete=models.CASCADE, related_name="+")
    statement = models.ForeignKey(
        ConsultationStatement, on_delete=models.CASCADE, related_name="votes"
    )
    participant = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    value = models.SmallIntegerField(choices=Value.choices)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["statement", "participant"], name="one_consultation_vote"
            )
        ]
        indexes = [
            models.Index(fields=["consultation", "updated_at"], name="cvote_consultation_updated")
        ]


class OpinionSnapshot(models.Model):
    """One computation of the opinion groups, run in the background. `result` holds
    the engine's export format (groups, common_ground, consensus) plus the divisive
    statements and the map."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("Waiting")
        RUNNING = "running", _("Computing")
        DONE = "done", _("Done")
        FAILED = "failed", _("Failed")

    class Kind(models.TextChoices):
        FULL = "full", _("Full computation")
        INCREMENTAL = "incremental", _("Incremental update")

    consultation = models.ForeignKey(
        Consultation, on_delete=models.CASCADE, related_name="snapshots"
    )
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.QUEUED)
    # A full computation, or the live result that folds the votes cast since a full
    # computation (its ``base``) into it; one live row per base, updated in place
    # (alliance.collectives.results, "Live results").
    kind = models.CharField(max_length=12, choices=Kind.choices, default=Kind.FULL)
    base = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    new_votes = models.PositiveIntegerField(default=0)  # folded in since the base
    # Set while a fold of new votes is queued and not yet claimed: later votes wait
    # for that fold instead of queuing another one.
    fold_requested_at = models.DateTimeField(null=True, blank=True)
    progress = models.PositiveSmallIntegerField(default=0)  # 0 to 100
    requested_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    votes_counted = models.PositiveIntegerField(default=0)
    result = models.JSONField(default=dict, blank=True)
    error = models.TextField(blank=True)

    class Meta:
        ordering = ["-requested_at", "-pk"]


class OpinionPlace(models.Model):
    """A participant's place in one opinion snapshot: their group and their point on
    the map, under the consultation's pseudonym (results.pseudonym), never their
    account. A full computation writes everyone's; its live row writes the places
    of those who voted since. One indexed row is all the results page reads of
    them, whatever the number of participants. Only the last full computation and
    its live row keep their places (results._forget_older)."""

    snapshot = models.ForeignKey(OpinionSnapshot, on_delete=models.CASCADE, related_name="places")
    participant = models.CharField(max_length=16)
    group = models.IntegerField(null=True)  # the engine's label; None: in no group
    x = models.FloatField()
    y = models.FloatField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["snapshot", "participant"], name="opinion_place_one_per_snapshot"
            )
        ]


class CollectiveInterest(models.Model):
    """A common interest the collective adopted on purpose, usually from the common
    ground of a consultation."""

    collective = models.ForeignKey(Collective, on_delete=models.CASCADE, related_name="interests")
    text = models.TextField(_("common interest"), max_length=500)
    from_statement = models.ForeignKey(
        ConsultationStatement,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    need_code = models.CharField(_("need"), max_length=20, blank=True)
    adopted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    adopted_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["adopted_at", "pk"]

    def __str__(self):
        # The interest's own words: a form's choice shows them, never "object (1)".
        return self.text


class GroupDescription(models.Model):
    """A facilitator's own one-line description of an opinion group, in place of the
    generated one (alliance/consensus/descriptions.py). Keyed by the group's stable
    label: a recomputation that keeps the labels keeps the description. An empty
    text gives the generated description back."""

    MAX_LENGTH = 200

    consultation = models.ForeignKey(
        Consultation, on_delete=models.CASCADE, related_name="group_descriptions"
    )
    group = models.PositiveSmallIntegerField()  # the engine's stable label
    text = models.CharField(_("description"), max_length=MAX_LENGTH, blank=True)
    written_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    written_at = models.DateTimeField(auto_now=True)
    # Compared on each change, so that two facilitators writing at once never lose one.
    version = models.PositiveIntegerField(default=1)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["consultation", "group"], name="one_description_per_group"
            )
        ]

    def __str__(self):
        return self.text


class MemberInvitationBatch(models.Model):
    """A list of people to invite, read from a file, waiting for the facilitator who
    sent it to read the outcome of each line and confirm (ADR 0040). The lines stay
    here, on the server: the browser only names the batch, so nothing can be slipped
    in between the review and the sending. Once sent or discarded, the lines are
    emptied: the invitations themselves hold what is still needed."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Waiting for confirmation")
        SENT = "sent", _("Sent")
        DISCARDED = "discarded", _("Discarded")

    collective = models.ForeignKey(
        Collective, on_delete=models.CASCADE, related_name="invitation_batches"
    )
    prepared_by = models.ForeignKey(CollectiveMember, on_delete=models.PROTECT, related_name="+")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.DRAFT)
    file_name = models.CharField(max_length=200, blank=True)
    encoding = models.CharField(max_length=20)
    separator = models.CharField(max_length=2)
    default_standing = models.CharField(
        _("they take part as"), max_length=20, choices=MemberStanding.choices
    )
    # [[line number, name, email, standing as written], ...]
    lines = models.JSONField(default=list, blank=True)
    # How many lines had each outcome when the batch was sent.
    outcomes = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    settled_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
