"""Reads of movement 2, each in a fixed number of queries whatever the size."""

from django.db.models import Prefetch

from alliance.alliances.needs import label_of

from .models import (
    Action,
    AvailabilityChange,
    JournalEntry,
    MeansDecision,
    MeansOption,
    Stance,
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
    return (
        JournalEntry.objects.filter(alliance=alliance)
        .select_related("author__user", "action")
        .prefetch_related("revisions")
    )
