"""Movement 2: means negotiation, the co-action plan, capacities and constraints,
and the journal of the way. History is never rewritten: stances, availability
changes and journal revisions are kept, each with its date."""

import datetime

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from alliance.alliances.models import VoiceNote


class Availability(models.TextChoices):
    AVAILABLE = "available", _("Available")
    WAITING = "waiting", _("Waiting")
    REFUSED = "refused", _("Refused")
    NOT_EXISTING = "not_existing", _("Does not exist on the territory")


class MeansOption(models.Model):
    """A way to serve an adopted common interest, proposed by an ally."""

    alliance = models.ForeignKey(
        "alliances.Alliance", on_delete=models.CASCADE, related_name="means_options"
    )
    # The statement behind the common interest: stable across charter versions.
    interest_statement = models.ForeignKey(
        "alliances.Statement", on_delete=models.PROTECT, related_name="+"
    )
    interest_text = models.TextField(max_length=1000)  # the interest's words as adopted
    description = models.CharField(_("the means, in a few words"), max_length=300)
    proposed_by = models.ForeignKey("alliances.Ally", on_delete=models.PROTECT, related_name="+")
    need_code = models.CharField(_("need (SERAFIN-PH)"), max_length=20, blank=True)
    # The SERAFIN-PH direct service the means stands for (alliances/planning.py).
    prestation_code = models.CharField(_("service (SERAFIN-PH)"), max_length=20, blank=True)
    availability = models.CharField(
        _("availability"), max_length=20, choices=Availability.choices, blank=True
    )
    availability_since = models.DateField(null=True, blank=True)
    availability_note = models.CharField(max_length=300, blank=True)
    # Optimistic lock: a decision or change based on an older version is refused.
    version = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "pk"]

    def __str__(self):
        return self.description


class StanceValue(models.TextChoices):
    SUPPORT = "support", _("I support it")
    RESERVATIONS = "reservations", _("I have reservations")
    OPPOSE = "oppose", _("I oppose it")


class Stance(models.Model):
    """Every stance an ally took on an option; the latest is their stance now.

    A stance holds from `taken_at` until the ally's next stance on the option
    (`superseded_at`, empty while it is their stance now), so the stance as it stood
    at any moment is found by a range test, without ranking the whole history."""

    option = models.ForeignKey(MeansOption, on_delete=models.CASCADE, related_name="stances")
    ally = models.ForeignKey("alliances.Ally", on_delete=models.PROTECT, related_name="+")
    value = models.CharField(max_length=20, choices=StanceValue.choices)
    reason = models.TextField(blank=True, max_length=1000)
    taken_at = models.DateTimeField(default=timezone.now)
    superseded_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-taken_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["option", "ally"],
                condition=models.Q(superseded_at__isnull=True),
                name="acting_one_current_stance",
            )
        ]


class MeansDecision(models.Model):
    """The option chosen, with the consent of the person or their legal
    representative, and every dissent as it stood when the decision was taken."""

    option = models.OneToOneField(MeansOption, on_delete=models.PROTECT, related_name="decision")
    decided_by = models.ForeignKey("alliances.Ally", on_delete=models.PROTECT, related_name="+")
    note = models.TextField(blank=True, max_length=300)
    # [{"ally": id, "name": ..., "role": ..., "value": ..., "reason": ...}]
    dissent = models.JSONField(default=list, blank=True)
    decided_at = models.DateTimeField(auto_now_add=True)


class AvailabilityChange(models.Model):
    option = models.ForeignKey(
        MeansOption, on_delete=models.CASCADE, related_name="availability_changes"
    )
    status = models.CharField(max_length=20, choices=Availability.choices)
    since = models.DateField()
    note = models.CharField(max_length=300, blank=True)
    changed_by = models.ForeignKey("alliances.Ally", on_delete=models.PROTECT, related_name="+")
    changed_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-changed_at", "-pk"]


class ActionStatus(models.TextChoices):
    PLANNED = "planned", _("Planned")
    IN_PROGRESS = "in_progress", _("In progress")
    DONE = "done", _("Done")
    ABANDONED = "abandoned", _("Abandoned")


class Action(models.Model):
    """One step of the co-action plan. Life-cycle: planned → in progress → done, or
    abandoned from planned or in progress."""

    alliance = models.ForeignKey(
        "alliances.Alliance", on_delete=models.CASCADE, related_name="actions"
    )
    DESCRIPTION_MAX_LENGTH = 2000

    title = models.CharField(_("what we do"), max_length=200)
    description = models.TextField(_("details"), blank=True, max_length=DESCRIPTION_MAX_LENGTH)
    due_date = models.DateField(_("by when"), null=True, blank=True)
    status = models.CharField(
        max_length=20, choices=ActionStatus.choices, default=ActionStatus.PLANNED
    )
    means = models.ForeignKey(
        MeansOption, null=True, blank=True, on_delete=models.PROTECT, related_name="actions"
    )
    domain_label = models.CharField(_("life domain"), max_length=200)
    domain_code = models.CharField(max_length=20, blank=True)
    created_by = models.ForeignKey("alliances.Ally", on_delete=models.PROTECT, related_name="+")
    # Set when the person, or their legal representative, agrees to an action in
    # which the person has no role.
    agreed_by = models.ForeignKey(
        "alliances.Ally", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    agreed_at = models.DateTimeField(null=True, blank=True)
    version = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "pk"]

    def __str__(self):
        return self.title


class CoActor(models.Model):
    """An ally in an action, with their role in their own words."""

    action = models.ForeignKey(Action, on_delete=models.CASCADE, related_name="co_actors")
    ally = models.ForeignKey("alliances.Ally", on_delete=models.PROTECT, related_name="+")
    role = models.CharField(_("my role in it"), max_length=200)

    class Meta:
        ordering = ["pk"]
        constraints = [models.UniqueConstraint(fields=["action", "ally"], name="co_actor_once")]


class CapacityKind(models.TextChoices):
    CAPACITY = "capacity", _("Capacity")
    CONSTRAINT = "constraint", _("Constraint")


class Capacity(models.Model):
    """A capacity or a constraint, written by its author about themselves."""

    alliance = models.ForeignKey(
        "alliances.Alliance", on_delete=models.CASCADE, related_name="capacities"
    )
    author = models.ForeignKey("alliances.Ally", on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(_("kind"), max_length=20, choices=CapacityKind.choices)
    text = models.CharField(_("in your own words"), max_length=500)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name_plural = "capacities"


class JournalEntry(models.Model):
    """What happened and what emerged. A change is a new revision; the earlier
    words stay readable in JournalRevision."""

    alliance = models.ForeignKey(
        "alliances.Alliance", on_delete=models.CASCADE, related_name="journal_entries"
    )
    author = models.ForeignKey("alliances.Ally", on_delete=models.PROTECT, related_name="+")
    action = models.ForeignKey(
        Action, null=True, blank=True, on_delete=models.PROTECT, related_name="journal_entries"
    )
    happened = models.TextField(_("what happened"), max_length=2000)
    emerged = models.TextField(_("what emerged"), max_length=2000, blank=True)
    version = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at", "-pk"]


class JournalRevision(models.Model):
    entry = models.ForeignKey(JournalEntry, on_delete=models.CASCADE, related_name="revisions")
    version = models.PositiveIntegerField()
    happened = models.TextField(max_length=2000)
    emerged = models.TextField(blank=True, max_length=2000)
    written_at = models.DateTimeField()

    class Meta:
        ordering = ["-version"]
        constraints = [
            models.UniqueConstraint(fields=["entry", "version"], name="journal_revision_once")
        ]


class ReviewPlan(models.Model):
    """The date the allies set for their next review. Without one, the review is due
    twelve months after the last review, or after the charter's first signature."""

    alliance = models.OneToOneField(
        "alliances.Alliance", on_delete=models.CASCADE, related_name="review_plan"
    )
    next_review_on = models.DateField(_("date of the next review"))
    set_by = models.ForeignKey(
        "alliances.Ally", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    version = models.PositiveIntegerField(default=1)
    updated_at = models.DateTimeField(auto_now=True)


class Review(models.Model):
    """A review (point d'étape): the allies look back over the period since the last
    one and each writes their conclusion."""

    alliance = models.ForeignKey(
        "alliances.Alliance", on_delete=models.CASCADE, related_name="reviews"
    )
    held_on = models.DateField()
    # The date the review was due when it was held (the plan's, or twelve months after
    # the last review or the first signature): the plan moves on once a review is
    # held, and reports count reviews held on time against it.
    due_on = models.DateField(null=True, blank=True)
    period_start = models.DateField()
    opened_by = models.ForeignKey("alliances.Ally", on_delete=models.PROTECT, related_name="+")
    # The charter version opened from this review, if the allies chose to.
    charter_number = models.PositiveIntegerField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    # Closed once every active ally concluded or was recorded absent: read-only after.
    closed_at = models.DateTimeField(null=True, blank=True)
    closed_by = models.ForeignKey(
        "alliances.Ally", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    # Optimistic lock on closing and recording absences: a page read before another
    # ally's change is refused.
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["-held_on", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["alliance", "held_on"], name="one_review_a_day")
        ]


class ReviewConclusion(models.Model):
    """One ally's conclusion of a review, in their own words; only they write it."""

    review = models.ForeignKey(Review, on_delete=models.CASCADE, related_name="conclusions")
    ally = models.ForeignKey("alliances.Ally", on_delete=models.PROTECT, related_name="+")
    text = models.TextField(_("my conclusion, in my own words"), max_length=3000)
    version = models.PositiveIntegerField(default=1)
    written_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["pk"]
        constraints = [
            models.UniqueConstraint(fields=["review", "ally"], name="one_conclusion_per_ally")
        ]


class ReviewAbsence(models.Model):
    """An ally who could not conclude a review, recorded by a professional with the
    reason (“absent, excused”): the review may close without their words."""

    review = models.ForeignKey(Review, on_delete=models.CASCADE, related_name="absences")
    ally = models.ForeignKey("alliances.Ally", on_delete=models.PROTECT, related_name="+")
    reason = models.CharField(_("reason"), max_length=200)
    recorded_by = models.ForeignKey("alliances.Ally", on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["pk"]
        constraints = [
            models.UniqueConstraint(fields=["review", "ally"], name="one_absence_per_ally")
        ]


class IndicatorReading(models.Model):
    """One ally's reading of a charter indicator, on its scale. Readings follow the
    indicator across charter versions through its `key`; `indicator` is the version
    that was in force when the reading was given (its scale then)."""

    alliance = models.ForeignKey(
        "alliances.Alliance", on_delete=models.CASCADE, related_name="indicator_readings"
    )
    indicator = models.ForeignKey(
        "alliances.Indicator", on_delete=models.PROTECT, related_name="readings"
    )
    indicator_key = models.UUIDField()
    ally = models.ForeignKey("alliances.Ally", on_delete=models.PROTECT, related_name="+")
    value = models.SmallIntegerField(_("value"))
    note = models.CharField(_("a word on it"), max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "pk"]
        indexes = [
            models.Index(fields=["alliance", "indicator_key", "created_at"], name="reading_key_at")
        ]


# The four items of the weather (`weather.Item`) and the five faces, as people read them.
ITEM_LABELS = {
    "aim": _("We agree on what we aim for"),
    "way": _("We agree on how we get there"),
    "heard": _("I feel recognised and heard"),
    "decide": _("We decide together"),
}
FACE_LABELS = {
    1: _("Not at all"),
    2: _("Not really"),
    3: _("Half and half"),
    4: _("Rather yes"),
    5: _("Completely"),
}


class WeatherRating(models.Model):
    """One ally's alliance weather after a meeting: the four items of
    `alliance.acting.weather`, each 0–10, and an optional word."""

    alliance = models.ForeignKey(
        "alliances.Alliance", on_delete=models.CASCADE, related_name="weather_ratings"
    )
    ally = models.ForeignKey("alliances.Ally", on_delete=models.PROTECT, related_name="+")
    aim = models.PositiveSmallIntegerField()
    way = models.PositiveSmallIntegerField()
    heard = models.PositiveSmallIntegerField()
    decide = models.PositiveSmallIntegerField()
    word = models.CharField(max_length=40, blank=True)
    # The meeting the answer follows, if the ally named it: answers about the same
    # meeting are compared with each other (the round of `weather.current_alerts`).
    meeting_on = models.DateField(null=True, blank=True)
    # Given with the five faces: each value is then one of `weather.FACES`.
    easy_read = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "pk"]
        indexes = [models.Index(fields=["ally", "created_at"], name="weather_ally_at")]


class JournalVoiceNote(VoiceNote):
    """The author's voice on their journal entry (ADR 0019)."""

    entry = models.OneToOneField(JournalEntry, on_delete=models.CASCADE, related_name="voice_note")


class Meeting(models.Model):
    """A meeting of the alliance, scheduled by an active ally: when (Europe/Paris),
    how long, where (an address, or a phone or video call said in words), what for and
    what to prepare. A change is version-checked; a cancelled meeting stays listed with
    its reason."""

    PLACE_MAX, PURPOSE_MAX, PREPARE_MAX, REASON_MAX = 300, 500, 1000, 300

    alliance = models.ForeignKey(
        "alliances.Alliance", on_delete=models.CASCADE, related_name="meetings"
    )
    starts_at = models.DateTimeField(_("date and time"))
    duration_minutes = models.PositiveSmallIntegerField(_("duration (minutes)"), default=60)
    place = models.CharField(_("place"), max_length=PLACE_MAX)
    purpose = models.CharField(_("what for"), max_length=PURPOSE_MAX)
    prepare = models.TextField(_("what to prepare"), max_length=PREPARE_MAX, blank=True)
    scheduled_by = models.ForeignKey("alliances.Ally", on_delete=models.PROTECT, related_name="+")
    version = models.PositiveIntegerField(default=1)
    cancelled_at = models.DateTimeField(null=True, blank=True)
    cancel_reason = models.CharField(max_length=REASON_MAX, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["starts_at", "pk"]
        indexes = [models.Index(fields=["alliance", "starts_at"], name="meeting_alliance_at")]

    def __str__(self):
        return self.purpose

    @property
    def ends_at(self):
        return self.starts_at + datetime.timedelta(minutes=self.duration_minutes)

    @property
    def is_cancelled(self):
        return self.cancelled_at is not None

    @property
    def day(self):
        """The meeting's day in Europe/Paris, as the weather names it."""
        return timezone.localdate(self.starts_at)

    @property
    def has_ended(self):
        return self.ends_at <= timezone.now()


class MeetingAnswer(models.TextChoices):
    PENDING = "pending", _("Not answered yet")
    COMING = "coming", _("Coming")
    NOT_COMING = "not_coming", _("Not coming")
    MAYBE = "maybe", _("Maybe")


class MeetingInvitation(models.Model):
    """An ally invited to a meeting: their answer with an optional word, what they
    bring, and whether the weather prompt after the meeting is settled (answered or
    dismissed)."""

    WORD_MAX, BRINGS_MAX = 200, 300

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="invitations")
    ally = models.ForeignKey(
        "alliances.Ally", on_delete=models.CASCADE, related_name="meeting_invitations"
    )
    answer = models.CharField(
        max_length=20, choices=MeetingAnswer.choices, default=MeetingAnswer.PENDING
    )
    word = models.CharField(_("a word (optional)"), max_length=WORD_MAX, blank=True)
    answered_at = models.DateTimeField(null=True, blank=True)
    brings = models.CharField(_("what I bring"), max_length=BRINGS_MAX, blank=True)
    weather_settled_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["pk"]
        constraints = [
            models.UniqueConstraint(fields=["meeting", "ally"], name="meeting_invited_once")
        ]
