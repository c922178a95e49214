"""Use cases of movement 2. Each write is one function: keyword-only arguments,
atomic, checks the permission, writes the audit entry, returns the object. The
views and the demo loader call these same functions."""

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from alliance.alliances import services as alliance_services
from alliance.alliances.lifecycle import ensure_open
from alliance.alliances.models import (
    Ally,
    Charter,
    CharterInterest,
    Indicator,
    PerimeterStatus,
    Role,
)
from alliance.alliances.needs import label_of
from alliance.alliances.planning import prestation_domain
from alliance.audit.journal import record_by_ally
from alliance.audit.models import Action as Audit
from alliance.conflicts import ConflictError
from alliance.limits import check_lengths
from alliance.notifications.services import notify, settle

from . import perms, reviews, weather
from .meetings import settle_weather_prompts
from .models import (
    ITEM_LABELS,
    Action,
    ActionStatus,
    Availability,
    AvailabilityChange,
    Capacity,
    CapacityKind,
    CoActor,
    IndicatorReading,
    JournalEntry,
    JournalRevision,
    MeansDecision,
    MeansOption,
    Review,
    ReviewAbsence,
    ReviewConclusion,
    ReviewPlan,
    Stance,
    StanceValue,
    WeatherRating,
)
from .selectors import conclusions, latest_stances, missing_conclusions


def _require(allowed):
    if not allowed:
        raise PermissionDenied


def _same_alliance(ally, obj):
    _require(obj.alliance_id == ally.alliance_id)


# ---------------------------------------------------------------- the signed charter


def signed_charter(alliance) -> Charter | None:
    """The last version every ally signed: the one in force, or a superseded one that
    was signed before a new version was opened."""
    return alliance.charters.filter(signed_at__isnull=False).order_by("-number").first()


def alliance_has_signed_charter(alliance) -> bool:
    return alliance.charters.filter(signed_at__isnull=False).exists()


def _require_signed_charter(alliance):
    if not alliance_has_signed_charter(alliance):
        raise ValidationError(
            _("The means and the actions are negotiated once the charter is signed by every ally.")
        )


def adopted_interests(alliance) -> list[CharterInterest]:
    """The common interests of the signed charter and of the version being written,
    once each (by the statement behind them, which stays the same across versions)."""
    charters = list(
        alliance.charters.filter(signed_at__isnull=False)
        .order_by("-number")
        .values_list("pk", flat=True)[:1]
    )
    charters += list(
        alliance.charters.exclude(status=Charter.Status.SUPERSEDED).values_list("pk", flat=True)
    )
    seen, interests = set(), []
    for interest in CharterInterest.objects.filter(charter_id__in=charters).order_by("pk"):
        if interest.statement_id not in seen:
            seen.add(interest.statement_id)
            interests.append(interest)
    return interests


def perimeter_in_alliance(alliance) -> list:
    """The life domains the signed charter puts in the alliance."""
    charter = signed_charter(alliance)
    if charter is None:
        return []
    return list(charter.perimeter.filter(status=PerimeterStatus.IN_ALLIANCE))


# ---------------------------------------------------------------- means negotiation


def propose_means(
    *,
    ally: Ally,
    interest_statement_id,
    description: str,
    need_code: str = "",
    prestation_code: str = "",
) -> MeansOption:
    _require(perms.can_negotiate(ally))
    ensure_open(ally.alliance)
    _require_signed_charter(ally.alliance)
    errors = {}
    interest = next(
        (
            i
            for i in adopted_interests(ally.alliance)
            if str(i.statement_id) == str(interest_statement_id)
        ),
        None,
    )
    if interest is None:
        errors["interest"] = _("Choose a common interest adopted in the charter.")
    if not description.strip():
        errors["description"] = _("Say what the means is, in a few words.")
    elif len(description) > 300:
        errors["description"] = _("Keep it under 300 characters.")
    if need_code and not label_of(need_code):
        errors["need_code"] = _("Choose a need from the list.")
    if prestation_code and not prestation_domain(prestation_code):
        errors["prestation_code"] = _("Choose a service from the list.")
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        option = MeansOption.objects.create(
            alliance=ally.alliance,
            interest_statement_id=interest.statement_id,
            interest_text=interest.text,
            description=description.strip(),
            proposed_by=ally,
            need_code=need_code,
            prestation_code=prestation_code,
        )
        record_by_ally(ally, Audit.MEANS_PROPOSED, target=option)
        others = ally.alliance.allies.filter(status=Ally.Status.ACTIVE).exclude(pk=ally.pk)
        notify(
            [a.user for a in others.select_related("user")],
            "stance_awaited",
            url=reverse("acting:means", args=[ally.alliance_id]) + f"#o{option.pk}",
            alliance_id=ally.alliance_id,
            key=f"stance_awaited:{option.pk}",
            alliance=ally.alliance.title,
            means=option.description,
        )
    return option


def take_stance(*, ally: Ally, option: MeansOption, value: str, reason: str = "") -> Stance:
    """Each ally's stance, in their own words; a new stance keeps the earlier ones."""
    _require(perms.can_negotiate(ally))
    ensure_open(ally.alliance)
    _same_alliance(ally, option)
    errors = {}
    if value not in StanceValue.values:
        errors["value"] = _("Choose: I support it, I have reservations, or I oppose it.")
    elif value != StanceValue.SUPPORT and not reason.strip():
        errors["reason"] = _("Say why, in your own words: the others need to hear it.")
    if len(reason) > 1000:
        errors["reason"] = _("Keep it under 1,000 characters.")
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        # The earlier stance ends the moment the new one is taken: at any moment each
        # ally has exactly one stance on the option (a database constraint keeps it so).
        now = timezone.now()
        # The lock makes a second stance sent at the same moment wait for the first; it
        # then finds no current stance left to end (the first one ended it) and is refused
        # below rather than silently replacing a stance its author has not seen.
        current = list(
            Stance.objects.select_for_update()
            .filter(option=option, ally=ally, superseded_at__isnull=True)
            .values_list("pk", flat=True)
        )
        Stance.objects.filter(pk__in=current).update(superseded_at=now)
        try:
            with transaction.atomic():
                stance = Stance.objects.create(
                    option=option, ally=ally, value=value, reason=reason.strip(), taken_at=now
                )
        except IntegrityError:
            raise ConflictError(
                _(
                    "Another stance of yours on this means was recorded at the same moment: "
                    "look at it, then take your stance again if it still needs changing."
                )
            ) from None
        record_by_ally(ally, Audit.STANCE_TAKEN, target=option, value=value)
        settle([ally.user], f"stance_awaited:{option.pk}")
    return stance


def current_stances(option: MeansOption) -> list[Stance]:
    """The latest stance of each ally, in the order the allies took them."""
    return latest_stances(option.stances.select_related("ally__user"))


def _bump(option: MeansOption, expected_version: int, message: str):
    updated = MeansOption.objects.filter(pk=option.pk, version=expected_version).update(
        version=F("version") + 1
    )
    if not updated:
        raise ConflictError(message)
    option.version = expected_version + 1


def decide_means(
    *, ally: Ally, option: MeansOption, consent: bool, expected_version: int, note: str = ""
) -> MeansDecision:
    """The person, or their legal representative, records the decision: recording it
    is their consent (ADR 0005). Every dissent at that moment is kept with it."""
    _require(perms.can_negotiate(ally))
    ensure_open(ally.alliance)
    _same_alliance(ally, option)
    _require_signed_charter(ally.alliance)
    if not perms.can_consent_for_person(ally):
        raise ValidationError(
            _(
                "A decision needs the consent of the person or their legal "
                "representative: ask them to record it."
            )
        )
    if not consent:
        raise ValidationError(
            {
                "consent": _(
                    "Confirm that the person, or you as their legal representative, consent to "
                    "this decision."
                )
            }
        )
    with transaction.atomic():
        _bump(
            option,
            expected_version,
            _(
                "Someone else decided on this means or changed it while you were reading. "
                "Nothing is lost: read the page again before deciding."
            ),
        )
        if MeansDecision.objects.filter(option=option).exists():
            raise ConflictError(_("This means is already decided."))
        dissent = [
            {
                "ally": s.ally_id,
                "name": s.ally.user.display_name,
                "role": s.ally.role,
                "value": s.value,
                "reason": s.reason,
            }
            for s in current_stances(option)
            if s.value != StanceValue.SUPPORT
        ]
        decision = MeansDecision.objects.create(
            option=option, decided_by=ally, note=note.strip(), dissent=dissent
        )
        record_by_ally(
            ally,
            Audit.MEANS_DECIDED,
            target=option,
            dissent=len(dissent),
            on_behalf=ally.role == Role.REPRESENTATIVE,
        )
    return decision


def set_availability(
    *,
    ally: Ally,
    option: MeansOption,
    status: str,
    expected_version: int,
    since: datetime.date | None = None,
    note: str = "",
) -> MeansOption:
    """Whether the means exists and can be had; every change is kept, since the means
    not available become collective needs."""
    _require(perms.can_negotiate(ally))
    ensure_open(ally.alliance)
    _same_alliance(ally, option)
    today = timezone.localdate()
    errors = {}
    if status not in Availability.values:
        errors["status"] = _("Choose where the means stands.")
    elif status == Availability.WAITING and since is None:
        errors["since"] = _("Say since when you are waiting.")
    if since is not None and since > today:
        errors["since"] = _("This date is in the future.")
    if len(note) > 300:
        errors["note"] = _("Keep it under 300 characters.")
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        _bump(
            option,
            expected_version,
            _(
                "Someone else changed this means while you were reading. Nothing is lost: "
                "read the page again."
            ),
        )
        since = since or today
        AvailabilityChange.objects.create(
            option=option, status=status, since=since, note=note.strip(), changed_by=ally
        )
        option.availability, option.availability_since = status, since
        option.availability_note = note.strip()
        option.save(update_fields=["availability", "availability_since", "availability_note"])
        record_by_ally(ally, Audit.AVAILABILITY_CHANGED, target=option, status=status)
    return option


# ---------------------------------------------------------------- co-action plan


def _clean_role(role):
    if not role.strip():
        raise ValidationError({"role": _("Say what you do in this action, in your own words.")})
    if len(role) > 200:
        raise ValidationError({"role": _("Keep it under 200 characters.")})


def plan_action(
    *,
    ally: Ally,
    title: str,
    domain_label: str,
    my_role: str,
    description: str = "",
    due_date: datetime.date | None = None,
    means: MeansOption | None = None,
) -> Action:
    """An ally plans an action and takes the first role in it. The life domain must be
    in the alliance according to the signed charter."""
    _require(perms.can_negotiate(ally))
    ensure_open(ally.alliance)
    _require_signed_charter(ally.alliance)
    check_lengths(description=(description.strip(), Action.DESCRIPTION_MAX_LENGTH))
    errors = {}
    if not title.strip():
        errors["title"] = _("Say what you will do.")
    if due_date is not None and due_date < timezone.localdate():
        errors["due_date"] = _("This date is already past: choose today or a later day.")
    domain = next(
        (d for d in perimeter_in_alliance(ally.alliance) if d.label == domain_label), None
    )
    if domain is None:
        errors["domain_label"] = _(
            "This life domain is outside the alliance's perimeter: the charter keeps it for "
            "the person or for others. Choose a domain the charter puts in the alliance."
        )
    if means is not None and (
        means.alliance_id != ally.alliance_id
        or not MeansDecision.objects.filter(option=means).exists()
    ):
        errors["means"] = _("Choose a means the alliance has decided.")
    try:
        _clean_role(my_role)
    except ValidationError as error:
        errors.update(error.message_dict)
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        action = Action.objects.create(
            alliance=ally.alliance,
            title=title.strip(),
            description=description.strip(),
            due_date=due_date,
            means=means,
            domain_label=domain.label,
            domain_code=domain.domain_code,
            created_by=ally,
        )
        CoActor.objects.create(action=action, ally=ally, role=my_role.strip())
        record_by_ally(ally, Audit.ACTION_PLANNED, target=action)
    return action


def person_takes_part(action: Action) -> bool:
    return any(c.ally.role == Role.PERSON for c in action.co_actors.all())


def needs_person_agreement(action: Action) -> bool:
    """An action in which the person has no role waits for their explicit agreement."""
    return not person_takes_part(action) and action.agreed_by_id is None


def join_action(*, ally: Ally, action: Action, role: str) -> CoActor:
    """An ally takes a role in an action, in their own words (or changes it)."""
    _require(perms.can_negotiate(ally))
    ensure_open(ally.alliance)
    _same_alliance(ally, action)
    if action.status in (ActionStatus.DONE, ActionStatus.ABANDONED):
        raise ValidationError(_("This action is over."))
    _clean_role(role)
    with transaction.atomic():
        co_actor, _created = CoActor.objects.update_or_create(
            action=action, ally=ally, defaults={"role": role.strip()}
        )
        record_by_ally(ally, Audit.ACTION_JOINED, target=action)
    return co_actor


def agree_to_action(*, ally: Ally, action: Action) -> Action:
    """The person, or their legal representative, agrees to an action in which the
    person has no role."""
    _same_alliance(ally, action)
    _require(perms.can_consent_for_person(ally))
    ensure_open(ally.alliance)
    if action.agreed_by_id is not None:
        raise ValidationError(_("This action is already agreed."))
    with transaction.atomic():
        action.agreed_by, action.agreed_at = ally, timezone.now()
        action.save(update_fields=["agreed_by", "agreed_at"])
        record_by_ally(
            ally, Audit.ACTION_AGREED, target=action, on_behalf=ally.role == Role.REPRESENTATIVE
        )
    return action


# Which status each transition leads from.
TRANSITIONS = {
    ActionStatus.IN_PROGRESS: {ActionStatus.PLANNED},
    ActionStatus.DONE: {ActionStatus.IN_PROGRESS},
    ActionStatus.ABANDONED: {ActionStatus.PLANNED, ActionStatus.IN_PROGRESS},
}


def _move(ally: Ally, action: Action, to: str, expected_version: int) -> Action:
    _require(perms.can_negotiate(ally))
    ensure_open(ally.alliance)
    _same_alliance(ally, action)
    if action.status not in TRANSITIONS[to]:
        raise ValidationError(
            _("An action %(from)s cannot become %(to)s.")
            % {
                "from": ActionStatus(action.status).label.lower(),
                "to": ActionStatus(to).label.lower(),
            }
        )
    if to == ActionStatus.IN_PROGRESS and needs_person_agreement(action):
        raise ValidationError(
            _(
                "The person has no role in this action: it starts once the "
                "person, or their legal representative, agrees."
            )
        )
    with transaction.atomic():
        updated = Action.objects.filter(
            pk=action.pk, version=expected_version, status=action.status
        ).update(status=to, version=F("version") + 1)
        if not updated:
            raise ConflictError(
                _("Someone else changed this action while you were reading. Read it again.")
            )
        previous, action.status, action.version = action.status, to, expected_version + 1
        record_by_ally(ally, Audit.ACTION_MOVED, target=action, **{"from": previous, "to": to})
    return action


def start_action(*, ally: Ally, action: Action, expected_version: int) -> Action:
    return _move(ally, action, ActionStatus.IN_PROGRESS, expected_version)


def finish_action(*, ally: Ally, action: Action, expected_version: int) -> Action:
    return _move(ally, action, ActionStatus.DONE, expected_version)


def abandon_action(*, ally: Ally, action: Action, expected_version: int) -> Action:
    return _move(ally, action, ActionStatus.ABANDONED, expected_version)


# ---------------------------------------------------------------- capacities and constraints


def write_capacity(*, ally: Ally, kind: str, text: str) -> Capacity:
    """Each ally writes their own capacities and constraints."""
    _require(perms.can_negotiate(ally))
    ensure_open(ally.alliance)
    errors = {}
    if kind not in CapacityKind.values:
        errors["kind"] = _("Choose capacity or constraint.")
    if not text.strip():
        errors["text"] = _("Write it in your own words.")
    elif len(text) > 500:
        errors["text"] = _("Keep it under 500 characters.")
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        capacity = Capacity.objects.create(
            alliance=ally.alliance, author=ally, kind=kind, text=text.strip()
        )
        record_by_ally(ally, Audit.CAPACITY_WRITTEN, target=capacity, kind=kind)
    return capacity


# ---------------------------------------------------------------- journal of the way


def _clean_journal(happened, emerged):
    errors = {}
    if not happened.strip():
        errors["happened"] = _("Say what happened.")
    elif len(happened) > 2000:
        errors["happened"] = _("Keep it under 2,000 characters.")
    if len(emerged) > 2000:
        errors["emerged"] = _("Keep it under 2,000 characters.")
    if errors:
        raise ValidationError(errors)


def write_journal_entry(
    *, ally: Ally, happened: str, emerged: str = "", action: Action | None = None
) -> JournalEntry:
    _require(perms.can_negotiate(ally))
    ensure_open(ally.alliance)
    _clean_journal(happened, emerged)
    if action is not None and action.alliance_id != ally.alliance_id:
        raise ValidationError({"action": _("Choose an action of this alliance.")})
    with transaction.atomic():
        entry = JournalEntry.objects.create(
            alliance=ally.alliance,
            author=ally,
            action=action,
            happened=happened.strip(),
            emerged=emerged.strip(),
        )
        record_by_ally(ally, Audit.JOURNAL_WRITTEN, target=entry)
    return entry


def revise_journal_entry(
    *, ally: Ally, entry: JournalEntry, happened: str, emerged: str = "", expected_version: int
) -> JournalEntry:
    """Only the author revises; the earlier words stay readable."""
    _same_alliance(ally, entry)
    if not perms.can_revise_journal_entry(ally, entry):
        raise PermissionDenied(_("Only its author can change a journal entry."))
    ensure_open(ally.alliance)
    _clean_journal(happened, emerged)
    with transaction.atomic():
        updated = JournalEntry.objects.filter(pk=entry.pk, version=expected_version).update(
            version=F("version") + 1
        )
        if not updated:
            raise ConflictError()
        JournalRevision.objects.create(
            entry=entry,
            version=expected_version,
            happened=entry.happened,
            emerged=entry.emerged,
            written_at=entry.updated_at,
        )
        entry.happened, entry.emerged = happened.strip(), emerged.strip()
        entry.version = expected_version + 1
        entry.save(update_fields=["happened", "emerged", "updated_at"])
        record_by_ally(ally, Audit.JOURNAL_REVISED, target=entry, version=entry.version)
    return entry


# ---------------------------------------------------------------- reviews


def first_signed_on(alliance) -> datetime.date | None:
    first = alliance.charters.filter(signed_at__isnull=False).order_by("signed_at").first()
    return timezone.localdate(first.signed_at) if first else None


def next_review(alliance) -> tuple[datetime.date | None, int]:
    """The date of the next review and the version of the plan (0: never set)."""
    plan = ReviewPlan.objects.filter(alliance=alliance).first()
    last = alliance.reviews.order_by("-held_on").values_list("held_on", flat=True).first()
    on = reviews.next_review_on(
        planned=plan.next_review_on if plan else None,
        last_review=last,
        first_signed=first_signed_on(alliance),
    )
    return on, plan.version if plan else 0


def _save_plan(alliance, on, ally, expected_version):
    if expected_version == 0:
        plan, created = ReviewPlan.objects.get_or_create(
            alliance=alliance, defaults={"next_review_on": on, "set_by": ally}
        )
        if not created:
            raise ConflictError(
                _("Someone else set the date while you were reading. Read it again.")
            )
        return plan
    updated = ReviewPlan.objects.filter(alliance=alliance, version=expected_version).update(
        next_review_on=on, set_by=ally, version=F("version") + 1, updated_at=timezone.now()
    )
    if not updated:
        raise ConflictError(_("Someone else set the date while you were reading. Read it again."))
    return ReviewPlan.objects.get(alliance=alliance)


def set_next_review(*, ally: Ally, on: datetime.date, expected_version: int) -> ReviewPlan:
    """The allies choose when they meet for the next review: not in the past, and
    within a year (the law asks for a review at least once a year)."""
    _require(perms.can_negotiate(ally))
    ensure_open(ally.alliance)
    _require_signed_charter(ally.alliance)
    today = timezone.localdate()
    if on is None or on < today:
        raise ValidationError({"on": _("This date is already past: choose today or a later day.")})
    if on > reviews.latest_allowed(today):
        raise ValidationError(
            {"on": _("A review is due at least once a year: choose a date within twelve months.")}
        )
    with transaction.atomic():
        plan = _save_plan(ally.alliance, on, ally, expected_version)
        record_by_ally(ally, Audit.NEXT_REVIEW_SET, target=plan, on=on.isoformat())
    return plan


def open_review(*, ally: Ally) -> Review:
    """Any ally opens the review; it looks back to the last review (or the charter's
    first signature), and the next one falls twelve months later."""
    _require(perms.can_negotiate(ally))
    ensure_open(ally.alliance)
    _require_signed_charter(ally.alliance)
    alliance, today = ally.alliance, timezone.localdate()
    last = alliance.reviews.order_by("-held_on").values_list("held_on", flat=True).first()
    if last == today:
        raise ValidationError(_("A review is already open today."))
    with transaction.atomic():
        review = Review.objects.create(
            alliance=alliance,
            held_on=today,
            due_on=next_review(alliance)[0],
            period_start=last or first_signed_on(alliance),
            opened_by=ally,
        )
        next_on = reviews.add_months(today, reviews.MONTHS_BETWEEN_REVIEWS)
        plan = ReviewPlan.objects.select_for_update().filter(alliance=alliance).first()
        if plan is None:
            ReviewPlan.objects.create(alliance=alliance, next_review_on=next_on, set_by=ally)
        else:
            plan.next_review_on, plan.set_by, plan.version = next_on, ally, plan.version + 1
            plan.save(update_fields=["next_review_on", "set_by", "version", "updated_at"])
        record_by_ally(ally, Audit.REVIEW_OPENED, target=review)
    return review


def write_conclusion(
    *, ally: Ally, review: Review, author: Ally, text: str, expected_version: int
) -> ReviewConclusion:
    """Each ally writes (and rewrites) only their own conclusion. `expected_version`
    is 0 for a first conclusion; a save based on an older one is refused."""
    _same_alliance(ally, review)
    _require_open_review(review)
    if not perms.can_write_conclusion(ally, author):
        raise PermissionDenied(_("Each ally writes only their own conclusion."))
    ensure_open(ally.alliance)
    if not text.strip():
        raise ValidationError({"text": _("Write your conclusion in your own words.")})
    if len(text) > 3000:
        raise ValidationError({"text": _("Keep it under 3,000 characters.")})
    conflict = _(
        "You or someone using your account changed this conclusion in the meantime. Your "
        "text is kept below: read the saved one and save again."
    )
    with transaction.atomic():
        if expected_version == 0:
            conclusion, created = ReviewConclusion.objects.get_or_create(
                review=review, ally=ally, defaults={"text": text.strip()}
            )
            if not created:
                raise ConflictError(conflict)
        else:
            updated = ReviewConclusion.objects.filter(
                review=review, ally=ally, version=expected_version
            ).update(text=text.strip(), version=F("version") + 1, written_at=timezone.now())
            if not updated:
                raise ConflictError(conflict)
            conclusion = ReviewConclusion.objects.get(review=review, ally=ally)
        record_by_ally(ally, Audit.REVIEW_CONCLUDED, target=review)
    return conclusion


def _require_open_review(review):
    if review.closed_at is not None:
        raise ValidationError(_("This review is closed: it can be read, not changed."))


def _bump_review(review: Review, expected_version: int):
    """Moves the review's version on, or refuses a change based on an older page."""
    updated = Review.objects.filter(pk=review.pk, version=expected_version).update(
        version=F("version") + 1
    )
    if not updated:
        raise ConflictError(
            _("Someone changed this review while you were reading it. Read it again.")
        )
    review.version = expected_version + 1


def record_absence(
    *, ally: Ally, review: Review, absent: Ally, reason: str, expected_version: int
) -> ReviewAbsence:
    """A professional records that an ally could not conclude the review, and why;
    the review can then close without their words. Their own conclusion, if they
    write one later, still comes first."""
    _same_alliance(ally, review)
    _require_open_review(review)
    if not perms.can_record_absence(ally):
        raise PermissionDenied(_("Only a professional of the alliance records an absence."))
    _require(absent.alliance_id == review.alliance_id and absent.is_active)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError(
            {"reason": _("Say why, in a few words (for example: absent, excused).")}
        )
    if len(reason) > 200:
        raise ValidationError({"reason": _("Keep it under 200 characters.")})
    if review.conclusions.filter(ally=absent).exists():
        raise ValidationError(_("This ally has written their conclusion: they are not absent."))
    with transaction.atomic():
        _bump_review(review, expected_version)
        absence, created = ReviewAbsence.objects.get_or_create(
            review=review, ally=absent, defaults={"reason": reason, "recorded_by": ally}
        )
        if not created:
            raise ConflictError(_("This absence is already recorded."))
        record_by_ally(
            ally,
            Audit.REVIEW_ABSENCE_RECORDED,
            target=review,
            absent=absent.user.display_name,
            absent_id=absent.pk,
            reason=reason,
        )
    return absence


def mark_review_closed(*, ally: Ally, review: Review, expected_version: int) -> Review:
    """Closes the review once every active ally concluded or was recorded absent; it
    is read-only afterwards. Its report is produced by the caller in the same
    transaction (alliance.documents.services.close_review), since documents sit
    above this app."""
    _same_alliance(ally, review)
    _require(perms.can_close_review(ally))
    _require_open_review(review)
    slots = conclusions(review, ally.alliance.allies.select_related("user"))
    missing = missing_conclusions(slots)
    if missing:
        names = ", ".join(a.user.display_name for a in missing)
        raise ValidationError(
            _(
                "The review closes once every ally concluded or was recorded absent. "
                "Still missing: %(names)s."
            )
            % {"names": names}
        )
    with transaction.atomic():
        _bump_review(review, expected_version)
        review.closed_at, review.closed_by = timezone.now(), ally
        review.save(update_fields=["closed_at", "closed_by"])
        record_by_ally(ally, Audit.REVIEW_CLOSED, target=review)
        notify(
            [
                a.user
                for a in ally.alliance.allies.select_related("user")
                if a.is_active and a.pk != ally.pk
            ],
            "review_closed",
            url=reverse("acting:review", args=[review.alliance_id, review.pk]),
            alliance_id=review.alliance_id,
            key=f"review-closed-{review.pk}",
            alliance=ally.alliance.title,
        )
    return review


def open_charter_version_from_review(*, ally: Ally, review: Review, expected_revision: int):
    """At a review the allies may reopen their charter; the review keeps which
    version it opened."""
    _same_alliance(ally, review)
    _require_open_review(review)
    _require(perms.can_negotiate(ally))
    ensure_open(ally.alliance)
    with transaction.atomic():
        charter = alliance_services.open_charter_version(
            ally=ally, expected_revision=expected_revision
        )
        Review.objects.filter(pk=review.pk).update(charter_number=charter.number)
        review.charter_number = charter.number
    return charter


# ---------------------------------------------------------------- indicator readings


def rate_indicator(
    *, ally: Ally, indicator: Indicator, value: int | None, note: str = ""
) -> IndicatorReading:
    """A rater of the signed charter's indicator gives a reading on its scale."""
    _require(perms.can_negotiate(ally))
    ensure_open(ally.alliance)
    charter = signed_charter(ally.alliance)
    if charter is None or indicator.charter_id != charter.pk:
        raise ValidationError(
            _("This indicator is not in the signed charter: read the page again.")
        )
    if not perms.can_rate_indicator(ally, indicator):
        raise ValidationError(
            _(
                "Only the allies the charter names rate this indicator. To rate it too, "
                "ask for it in the next version of the charter."
            )
        )
    errors = {}
    low, high = indicator.scale_min, indicator.scale_max
    if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
        errors["value"] = _("Choose a whole number from %(low)d to %(high)d.") % {
            "low": low,
            "high": high,
        }
    if len(note) > 300:
        errors["note"] = _("Keep it under 300 characters.")
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        reading = IndicatorReading.objects.create(
            alliance=ally.alliance,
            indicator=indicator,
            indicator_key=indicator.key,
            ally=ally,
            value=value,
            note=note.strip(),
        )
        record_by_ally(ally, Audit.INDICATOR_RATED, target=reading, indicator=str(indicator.key))
    return reading


# ---------------------------------------------------------------- the alliance weather


def _weather_message(error: weather.WeatherError, easy_read: bool) -> str:
    if error.code == "word_too_long":
        return _("Your word must be at most %(max)d characters: it has %(length)d.") % error.params
    if error.code == "word_not_text":
        return _("Write your word as text.")
    item = ITEM_LABELS[str(error.params["item"])]
    if easy_read:
        return _("Choose one of the five faces for “%(item)s”.") % {"item": item}
    return _("Choose a number from 0 to 10 for “%(item)s”.") % {"item": item}


def give_weather(
    *,
    ally: Ally,
    aim=None,
    way=None,
    heard=None,
    decide=None,
    word: str = "",
    meeting_on: datetime.date | None = None,
    easy_read: bool = False,
) -> WeatherRating:
    """An ally's alliance weather: the four items from 0 to 10, or with the five
    faces (`easy_read`), each face standing for its value on the same scale."""
    _require(perms.can_give_weather(ally))
    ensure_open(ally.alliance)
    if not alliance_has_signed_charter(ally.alliance):
        raise ValidationError(
            _("The alliance weather is given once the charter is signed by every ally.")
        )
    given = {weather.Item.AIM: aim, weather.Item.WAY: way, weather.Item.HEARD: heard}
    given[weather.Item.DECIDE] = decide
    values, errors = {}, {}
    for item, raw in given.items():
        try:
            if easy_read:
                if raw is None:
                    raise weather.WeatherError("unknown_face", "no face", item=item)
                values[item] = weather.face_to_value(raw)
            else:
                values[item] = weather.validate_value(raw, item=item)
        except weather.WeatherError as error:
            error.params["item"] = item
            errors[str(item)] = _weather_message(error, easy_read)
    try:
        word = weather.validate_word(word)
    except weather.WeatherError as error:
        errors["word"] = _weather_message(error, easy_read)
    if meeting_on is not None and meeting_on > timezone.localdate():
        errors["meeting_on"] = _("This date is in the future.")
    if errors:
        raise ValidationError(errors)
    values, word = weather.validate_answer(values, word=word)
    with transaction.atomic():
        rating = WeatherRating.objects.create(
            alliance=ally.alliance,
            ally=ally,
            word=word,
            meeting_on=meeting_on,
            easy_read=easy_read,
            **{str(item): value for item, value in values.items()},
        )
        record_by_ally(ally, Audit.WEATHER_GIVEN, target=rating, easy_read=easy_read)
        settle_weather_prompts(ally, meeting_on)
    return rating
