"""The professional's caseload (issue 12): every alliance the viewer is an ally of, as
a professional or otherwise, searched, filtered and sorted in the database.

Only the viewer's own allies are read (need to know, DESIGN rule 3): being an org
admin or in the same organisation opens no alliance here either. Each row is one
ally of the viewer, annotated with the person's name, the next review, the late
actions and the last activity by correlated subqueries: a page costs the same
queries for 3 or 3,000 alliances (a count and a page)."""

import datetime
from dataclasses import dataclass

from django.db.models import (
    Count,
    DateTimeField,
    Exists,
    F,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
)
from django.db.models.functions import Coalesce, Lower
from django.utils import timezone

from alliance.acting.models import Action, ActionStatus
from alliance.alliances.models import GONE_STATUSES, Ally, Role
from alliance.audit.models import Action as Audit
from alliance.audit.models import AuditEntry
from alliance.folding import fold, folded

PER_PAGE = 25
REVIEW_SOON = datetime.timedelta(days=30)


class Status:
    OPEN = "open"
    CLOSED = "closed"
    CHOICES = (OPEN, CLOSED)


class Review:
    SOON = "soon"
    OVERDUE = "overdue"
    CHOICES = (SOON, OVERDUE)


class Sort:
    TITLE = "title"
    NEXT_REVIEW = "review"
    LAST_ACTIVITY = "activity"
    LATE_ACTIONS = "late"
    CHOICES = (TITLE, NEXT_REVIEW, LAST_ACTIVITY, LATE_ACTIONS)


# Days without activity the filter offers.
QUIET_DAYS = (30, 90, 180)


@dataclass(frozen=True)
class Filters:
    q: str = ""
    status: str = ""
    review: str = ""
    late: bool = False
    quiet_days: int | None = None
    role: str = ""
    sort: str = Sort.TITLE


def caseload(user, filters: Filters, today: datetime.date | None = None) -> QuerySet:
    """The viewer's allies (not gone), their alliance loaded, annotated: `person_name`,
    `next_review`, `late_actions`, `last_activity`; filtered and sorted."""
    today = today or timezone.localdate()
    person = Ally.objects.filter(alliance_id=OuterRef("alliance_id"), role=Role.PERSON)
    late = (
        Action.objects.filter(
            alliance_id=OuterRef("alliance_id"),
            due_date__lt=today,
            status__in=(ActionStatus.PLANNED, ActionStatus.IN_PROGRESS),
        )
        .order_by()
        .values("alliance_id")
        .annotate(n=Count("pk"))
        .values("n")
    )
    # Every write of every ally leaves its entry in the trail (statements, votes,
    # journal, readings, weather…); reads do not count as activity.
    written = (
        AuditEntry.objects.filter(alliance_id=OuterRef("alliance_id"))
        .exclude(action=Audit.ALLIANCE_VIEWED)
        .order_by("-at")
        .values("at")[:1]
    )
    rows = (
        Ally.objects.filter(user=user)
        .exclude(status__in=GONE_STATUSES)
        .select_related("alliance")
        .annotate(
            person_name=Subquery(person.values("user__display_name")[:1]),
            next_review=F("alliance__review_plan__next_review_on"),
            late_actions=Coalesce(Subquery(late, output_field=IntegerField()), 0),
            last_activity=Coalesce(
                Subquery(written, output_field=DateTimeField()), F("alliance__created_at")
            ),
        )
    )
    if filters.q:
        words = fold(filters.q)
        named = Ally.objects.filter(alliance_id=OuterRef("alliance_id")).exclude(
            status__in=GONE_STATUSES
        )
        rows = rows.annotate(folded_title=folded(F("alliance__title"))).filter(
            Q(folded_title__contains=words)
            | Exists(
                named.annotate(folded_name=folded(F("user__display_name"))).filter(
                    folded_name__contains=words
                )
            )
        )
    if filters.status == Status.OPEN:
        rows = rows.filter(alliance__closed_at__isnull=True)
    elif filters.status == Status.CLOSED:
        rows = rows.filter(alliance__closed_at__isnull=False)
    if filters.review == Review.SOON:
        rows = rows.filter(next_review__gte=today, next_review__lte=today + REVIEW_SOON)
    elif filters.review == Review.OVERDUE:
        rows = rows.filter(next_review__lt=today)
    if filters.late:
        rows = rows.filter(late_actions__gt=0)
    if filters.quiet_days:
        since = timezone.now() - datetime.timedelta(days=filters.quiet_days)
        rows = rows.filter(last_activity__lt=since)
    if filters.role in Role.values:
        rows = rows.filter(role=filters.role)
    order = {
        Sort.TITLE: [Lower("alliance__title")],
        Sort.NEXT_REVIEW: [F("next_review").asc(nulls_last=True)],
        Sort.LAST_ACTIVITY: [F("last_activity").desc()],
        Sort.LATE_ACTIONS: [F("late_actions").desc()],
    }[filters.sort if filters.sort in Sort.CHOICES else Sort.TITLE]
    return rows.order_by(*order, "alliance_id")


def review_state(next_review: datetime.date | None, today: datetime.date) -> str:
    """ "overdue", "soon" or "" for a row's next review."""
    if next_review is None:
        return ""
    if next_review < today:
        return Review.OVERDUE
    if next_review <= today + REVIEW_SOON:
        return Review.SOON
    return ""
