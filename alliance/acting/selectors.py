"""Reads of movement 2, each in a fixed number of queries whatever the size."""

import datetime

from django.db.models import Exists, OuterRef, Prefetch, Q, Subquery
from django.utils import timezone

from alliance.alliances.models import Alliance, Ally, Charter, Indicator, PositionCheck, Statement
from alliance.alliances.needs import label_of
from alliance.audit.models import Action as AuditAction
from alliance.audit.models import AuditEntry

from . import reviews, weather
from .models import (
    Action,
    ActionStatus,
    AvailabilityChange,
    IndicatorReading,
    JournalEntry,
    MeansDecision,
    MeansOption,
    Review,
    ReviewPlan,
    Stance,
    WeatherRating,
)


def latest_stances(stances) -> list[Stance]:
    """From stances newest first, the latest of each ally, oldest first."""
    latest = {}
    for stance in stances:
        latest.setdefault(stance.ally_id, stance)
    return sorted(latest.values(), key=lambda s: (s.taken_at, s.pk))


def _has_decision(option) -> bool:
    try:
        option.decision  # noqa: B018 — cached by select_related
    except MeansDecision.DoesNotExist:
        return False
    return True


def means_by_interest(alliance) -> list[dict]:
    """The options grouped by common interest, each with the current stance of every
    ally, its decision and its availability history."""
    options = (
        MeansOption.objects.filter(alliance=alliance)
        .select_related("proposed_by__user", "decision__decided_by__user")
        .prefetch_related(
            Prefetch("stances", queryset=Stance.objects.select_related("ally__user")),
            Prefetch(
                "availability_changes",
                queryset=AvailabilityChange.objects.select_related("changed_by__user"),
            ),
        )
    )
    groups = {}
    for option in options:
        option.current_stances = latest_stances(option.stances.all())
        option.need_label = label_of(option.need_code) if option.need_code else ""
        current = {s.pk for s in option.current_stances}
        option.earlier_stances = [s for s in option.stances.all() if s.pk not in current]
        # A missing reverse one-to-one raises; templates read `decided` (None if not yet).
        option.decided = option.decision if _has_decision(option) else None
        groups.setdefault(
            option.interest_statement_id, {"interest": option.interest_text, "options": []}
        )
        groups[option.interest_statement_id]["options"].append(option)
    return list(groups.values())


def plan(alliance) -> list[Action]:
    return list(
        Action.objects.filter(alliance=alliance)
        .select_related("means", "created_by__user", "agreed_by__user")
        .prefetch_related("co_actors__ally__user")
    )


def journal(alliance):
    """The entries with their voice notes, but not the notes' bytes (ADR 0019)."""
    return (
        JournalEntry.objects.filter(alliance=alliance)
        .select_related("author__user", "action", "voice_note__supported_by__user")
        .defer("voice_note__data")
        .prefetch_related("revisions")
    )


# ---------------------------------------------------------------- reviews


def review_dates(alliance_ids) -> dict:
    """alliance id -> date of its next review (None before the charter is signed), in
    one query whatever the number of alliances."""
    rows = Alliance.objects.filter(pk__in=alliance_ids).annotate(
        planned=Subquery(
            ReviewPlan.objects.filter(alliance=OuterRef("pk")).values("next_review_on")[:1]
        ),
        last_review=Subquery(
            Review.objects.filter(alliance=OuterRef("pk"))
            .order_by("-held_on")
            .values("held_on")[:1]
        ),
        first_signed=Subquery(
            Charter.objects.filter(alliance=OuterRef("pk"), signed_at__isnull=False)
            .order_by("signed_at")
            .values("signed_at")[:1]
        ),
    )
    return {
        pk: reviews.next_review_on(
            planned=planned,
            last_review=last,
            first_signed=timezone.localdate(first) if first else None,
        )
        for pk, planned, last, first in rows.values_list(
            "pk", "planned", "last_review", "first_signed"
        )
    }


def review_status(alliance) -> dict:
    """The next review of one alliance and whether it is due or overdue."""
    on = review_dates([alliance.pk])[alliance.pk]
    return {"on": on, "state": reviews.state(on, timezone.localdate())}


def _span(review):
    start = timezone.make_aware(datetime.datetime.combine(review.period_start, datetime.time.min))
    return start, review.created_at


def review_summary(review) -> dict:
    """Everything that happened in the alliance over the review's period, each part
    in one query: statements written, changed or withdrawn, charter versions signed,
    means decided (with dissent), actions done and late, journal entries, and how
    each ally saw the positions at the start and at the end."""
    alliance, (start, end) = review.alliance, _span(review)
    within = {"gte": start, "lte": end}
    statements = list(
        Statement.objects.filter(alliance=alliance)
        .filter(
            Q(created_at__range=(start, end))
            | Q(withdrawn_at__range=(start, end))
            | Q(revisions__written_at__range=(start, end))
        )
        .distinct()
        .select_related("author__user")
    )
    done_ids = AuditEntry.objects.filter(
        alliance_id=alliance.pk,
        action=AuditAction.ACTION_MOVED,
        detail__to=ActionStatus.DONE,
        at__range=(start, end),
    ).values_list("target_id", flat=True)
    actions = list(
        Action.objects.filter(alliance=alliance)
        .filter(
            Q(pk__in=done_ids)
            | Q(status=ActionStatus.IN_PROGRESS)
            | Q(
                due_date__lt=timezone.localdate(),
                status__in=[ActionStatus.PLANNED, ActionStatus.IN_PROGRESS],
            )
        )
        .prefetch_related("co_actors__ally__user")
    )
    checks = list(
        PositionCheck.objects.filter(alliance=alliance, created_at__lte=end)
        .select_related("ally__user")
        .order_by("created_at", "pk")
    )
    positions = {}
    for check in checks:
        row = positions.setdefault(check.ally_id, {"ally": check.ally, "before": None})
        if check.created_at < start:
            row["before"] = check.image
        else:
            row.setdefault("first", row["before"] or check.image)
            row["now"] = check.image
    return {
        "start": start,
        "end": end,
        "new_statements": [s for s in statements if _in(s.created_at, within)],
        "changed_statements": [
            s for s in statements if not _in(s.created_at, within) and s.withdrawn_at is None
        ],
        "withdrawn_statements": [s for s in statements if _in(s.withdrawn_at, within)],
        "charters_signed": list(
            Charter.objects.filter(alliance=alliance, signed_at__range=(start, end)).order_by(
                "number"
            )
        ),
        "decisions": list(
            MeansDecision.objects.filter(
                option__alliance=alliance, decided_at__range=(start, end)
            ).select_related("option", "decided_by__user")
        ),
        "actions_done": [a for a in actions if a.status == ActionStatus.DONE],
        "actions_late": [a for a in actions if a.status != ActionStatus.DONE and _late(a)],
        # Under way and not late: late ones are listed as late.
        "actions_in_progress": [
            a for a in actions if a.status == ActionStatus.IN_PROGRESS and not _late(a)
        ],
        "journal": list(
            JournalEntry.objects.filter(alliance=alliance, created_at__range=(start, end))
            .select_related("author__user")
            .order_by("created_at", "pk")
        ),
        "positions": [row for row in positions.values() if "now" in row],
        "readings": _first_and_last(
            IndicatorReading.objects.filter(alliance=alliance, created_at__range=(start, end))
            .select_related("indicator", "ally__user")
            .order_by("created_at", "pk"),
            key=lambda r: (r.indicator_key, r.ally_id),
            value=lambda r: r.value,
        ),
        "weather": _first_and_last(
            WeatherRating.objects.filter(alliance=alliance, created_at__range=(start, end))
            .select_related("ally__user")
            .order_by("created_at", "pk"),
            key=lambda r: r.ally_id,
            value=lambda r: round(sum(getattr(r, item) for item in weather.ITEMS) / 4, 1),
        ),
    }


def _first_and_last(rows, *, key, value) -> list[dict]:
    """For each key (an ally, or an indicator and an ally), the first and the last
    value of the period and how many there were: the trend at a glance."""
    trends = {}
    for row in rows:
        trend = trends.setdefault(key(row), {"row": row, "first": value(row), "count": 0})
        trend["last"], trend["count"] = value(row), trend["count"] + 1
        trend["row"] = row
    return list(trends.values())


def _late(action) -> bool:
    return action.due_date is not None and action.due_date < timezone.localdate()


def _in(moment, within) -> bool:
    return moment is not None and within["gte"] <= moment <= within["lte"]


def conclusions(review, allies) -> list[dict]:
    """One slot per active ally, with their conclusion when written, or their absence
    when a professional recorded it."""
    written = {c.ally_id: c for c in review.conclusions.all()}
    absent = {a.ally_id: a for a in review.absences.select_related("recorded_by__user")}
    return [
        {"ally": a, "conclusion": written.get(a.pk), "absence": absent.get(a.pk)}
        for a in allies
        if a.is_active
    ]


def missing_conclusions(slots) -> list:
    """The active allies who neither concluded nor were recorded absent: while there is
    one, the review cannot close."""
    return [s["ally"] for s in slots if s["conclusion"] is None and s["absence"] is None]


# ---------------------------------------------------------------- readings and weather


def _signed_charter_id(alliance):
    return (
        alliance.charters.filter(signed_at__isnull=False)
        .order_by("-number")
        .values_list("pk", flat=True)
        .first()
    )


def indicator_boards(alliance) -> list[dict]:
    """The indicators of the signed charter, each with its raters and every reading of
    it, of this version or an earlier one (the same `key`), oldest first."""
    charter_id = _signed_charter_id(alliance)
    if charter_id is None:
        return []
    indicators = list(
        Indicator.objects.filter(charter_id=charter_id).prefetch_related(
            Prefetch("raters", queryset=Ally.objects.select_related("user").order_by("pk"))
        )
    )
    readings = IndicatorReading.objects.filter(
        alliance=alliance, indicator_key__in=[i.key for i in indicators]
    ).select_related("ally__user")
    by_key = {}
    for reading in readings:
        by_key.setdefault(reading.indicator_key, []).append(reading)
    return [
        {"indicator": i, "raters": list(i.raters.all()), "readings": by_key.get(i.key, [])}
        for i in indicators
    ]


def weather_ratings(alliance) -> list[WeatherRating]:
    return list(WeatherRating.objects.filter(alliance=alliance).select_related("ally__user"))


def _local(moment) -> datetime.datetime:
    return timezone.localtime(moment).replace(tzinfo=None)


def as_ratings(rows) -> list[weather.Rating]:
    """The pure module's ratings of stored answers: four per answer."""
    return [
        weather.Rating(row.ally_id, item, getattr(row, item), at, row.meeting_on)
        for row in rows
        for at in (_local(row.created_at),)
        for item in weather.ITEMS
    ]


def weather_alerts(rows) -> list[weather.Alert]:
    """Alerts about the allies still in the alliance: who left has nothing to talk over."""
    return weather.current_alerts(as_ratings([r for r in rows if r.ally.is_active]))


WEATHER_EVERY = datetime.timedelta(days=30)


def weather_to_give(ally_ids) -> set[int]:
    """Of these allies, the active ones whose alliance has a signed charter and who
    have not given the weather for 30 days or more (or never). One query."""
    since = timezone.now() - WEATHER_EVERY
    signed = Charter.objects.filter(alliance=OuterRef("alliance_id"), signed_at__isnull=False)
    recent = WeatherRating.objects.filter(ally=OuterRef("pk"), created_at__gt=since)
    return set(
        Ally.objects.filter(pk__in=list(ally_ids), status=Ally.Status.ACTIVE)
        .filter(Exists(signed))
        .exclude(Exists(recent))
        .values_list("pk", flat=True)
    )
