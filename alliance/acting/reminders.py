"""Notifications that depend on the date, not on someone's act: an action due
tomorrow or late, a review due. The scheduler's "reminders" job (or `manage.py
notify_due`) runs them once a day; each event is notified once to each person (the
notification's key), so running it twice, or catching up after a missed day, never
repeats a notification."""

import datetime

from django.urls import reverse
from django.utils import timezone

from alliance.alliances.models import Ally, Charter
from alliance.notifications.services import notify

from . import reviews
from .models import ActionStatus, CoActor
from .selectors import review_dates

OPEN = [ActionStatus.PLANNED, ActionStatus.IN_PROGRESS]
CHUNK = 500  # alliances per round of review dates


def _actions(today) -> int:
    """Co-actors of open actions due tomorrow, or late (once per due date)."""
    sent = 0
    tomorrow = today + datetime.timedelta(days=1)
    co_actors = (
        CoActor.objects.filter(
            action__status__in=OPEN,
            action__due_date__lte=tomorrow,
            ally__status=Ally.Status.ACTIVE,
        )
        .select_related("action__alliance", "ally__user")
        .order_by("action_id")
    )
    by_action = {}
    for co_actor in co_actors.iterator(chunk_size=1000):
        by_action.setdefault(co_actor.action, []).append(co_actor.ally.user)
    for action, users in by_action.items():
        late = action.due_date < today
        kind = "action_late" if late else "action_due"
        if not late and action.due_date != tomorrow:
            continue  # due today: it was notified yesterday, and will be late tomorrow
        sent += len(
            notify(
                users,
                kind,
                url=reverse("acting:actions", args=[action.alliance_id]) + f"#a{action.pk}",
                alliance_id=action.alliance_id,
                key=f"{kind}:{action.pk}:{action.due_date.isoformat()}",
                alliance=action.alliance.title,
                action=action.title,
                due=action.due_date.isoformat(),
            )
        )
    return sent


def _reviews(today) -> int:
    """Every active ally of an alliance whose review is due within a month or overdue,
    once per planned date."""
    sent = 0
    signed = (
        Charter.objects.filter(signed_at__isnull=False)
        .values_list("alliance_id", flat=True)
        .distinct()
        .order_by("alliance_id")
    )
    ids = list(signed)
    for start in range(0, len(ids), CHUNK):
        dates = review_dates(ids[start : start + CHUNK])
        due = {
            aid: on
            for aid, on in dates.items()
            if reviews.state(on, today) in (reviews.ReviewState.DUE, reviews.ReviewState.OVERDUE)
        }
        allies = (
            Ally.objects.filter(alliance_id__in=due, status=Ally.Status.ACTIVE)
            .select_related("user", "alliance")
            .order_by("alliance_id")
        )
        by_alliance = {}
        for ally in allies:
            by_alliance.setdefault(ally.alliance, []).append(ally.user)
        for alliance, users in by_alliance.items():
            on = due[alliance.pk]
            sent += len(
                notify(
                    users,
                    "review_due",
                    url=reverse("acting:reviews", args=[alliance.pk]),
                    alliance_id=alliance.pk,
                    key=f"review_due:{alliance.pk}:{on.isoformat()}",
                    alliance=alliance.title,
                    due=on.isoformat(),
                )
            )
    return sent


def send_reminders(today: datetime.date | None = None) -> dict:
    today = today or timezone.localdate()
    return {"actions": _actions(today), "reviews": _reviews(today)}
