""" "What needs me": everything that waits for one user across all their alliances,
for the person, the relative and the professional alike.

Each *source* is a function that takes the viewer's `Scope` and returns `Need`s,
in a fixed number of queries (usually one, grouped by alliance) bounded by the
viewer's own alliances: the page costs the same for 1 or 300 alliances. A new
kind of thing to do is one more function decorated with `@source`."""

import datetime
from collections.abc import Callable
from dataclasses import dataclass, field

from django.db.models import Count, Exists, OuterRef
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from alliance.acting import reviews
from alliance.acting.models import Action, ActionStatus, MeansOption, Stance
from alliance.acting.selectors import review_dates, weather_to_give
from alliance.alliances.models import (
    GONE_STATUSES,
    Ally,
    AllyInvitation,
    Charter,
    CharterInterest,
    Signature,
    Statement,
    Vote,
)
from alliance.alliances.perms import can_decide_on
from alliance.collectives.models import (
    CollectiveMember,
    Consultation,
    ConsultationStatement,
    ConsultationVote,
    MemberInvitation,
    MemberRole,
)

# How many needs the home page lists one by one.
NEEDS_SHOWN = 50
# How far ahead an action counts as due.
ACTIONS_AHEAD = datetime.timedelta(days=7)


@dataclass
class Need:
    source: str
    alliance: object  # None for a need of a collective
    label: str
    url: str
    due: datetime.date | None = None
    late: bool = False
    collective_name: str = ""
    invitation: object = None  # an invitation to the viewer's address, answered at home

    @property
    def place(self):
        """Where the need is: the alliance, or the collective."""
        return self.collective_name or self.alliance.title


@dataclass
class Scope:
    user: object
    allies: list  # the viewer's allies (one per alliance), alliance loaded
    today: datetime.date
    active: list = field(init=False)  # ids of the alliances the viewer is active in
    speaking: list = field(init=False)  # ... where they speak for the person
    waiting: list = field(init=False)  # the viewer's allies where someone awaits approval

    def __post_init__(self):
        # A closed alliance waits for nothing: it is read-only (ADR 0023).
        self.active = [
            a.alliance_id for a in self.allies if a.is_active and a.alliance.closed_at is None
        ]
        self.speaking = [a.alliance_id for a in self.allies if a.is_active and a.speaks_for_person]
        self.waiting = [a for a in self.allies if a.someone_waits]
        self.alliances = {a.alliance_id: a.alliance for a in self.allies}


SOURCES: list[Callable[[Scope], list[Need]]] = []


def source(function):
    SOURCES.append(function)
    return function


def _counts(queryset):
    return dict(
        queryset.values("alliance_id").annotate(n=Count("pk")).values_list("alliance_id", "n")
    )


@source
def invitations(scope):
    """Invitations to answer: as an ally already made (someone without email), or to
    the viewer's address, answered from the home page."""
    label = _("You are invited: answer the invitation")
    needs = [
        Need("invitation", a.alliance, label, reverse("alliances:overview", args=[a.alliance_id]))
        for a in scope.allies
        if a.status == Ally.Status.INVITED
    ]
    if scope.user.email:
        needs += [
            Need("invitation", i.alliance, label, reverse("home"), invitation=i)
            for i in AllyInvitation.objects.filter(**_to_my_address(scope.user)).select_related(
                "alliance", "invited_by__user"
            )
        ]
    return needs


def _to_my_address(user):
    return {
        "email__iexact": user.email,
        "status": "pending",
        "expires_at__gt": timezone.now(),
    }


@source
def collective_invitations(scope):
    if not scope.user.email:
        return []
    return [
        Need(
            "invitation",
            None,
            _("You are invited: answer the invitation"),
            reverse("home"),
            collective_name=i.collective.name,
            invitation=i,
        )
        for i in MemberInvitation.objects.filter(**_to_my_address(scope.user)).select_related(
            "collective", "invited_by__user"
        )
    ]


@source
def approvals(scope):
    """Allies waiting for the viewer's approval: the person or an approved
    representative approves allies; a representative is approved by a second pair of
    eyes, who may be any ally (`perms.representative_approvers`). At most one query:
    every ally of the viewer's alliances where someone waits."""
    mine = {a.alliance_id: a for a in scope.allies}
    allies = {}
    for ally in Ally.objects.filter(alliance_id__in=[a.alliance_id for a in scope.waiting]):
        allies.setdefault(ally.alliance_id, []).append(ally)
    counts = {}
    for aid, around in allies.items():
        for ally in around:
            if ally.status == Ally.Status.AWAITING_APPROVAL and can_decide_on(
                mine[aid], ally, around
            ):
                counts[aid] = counts.get(aid, 0) + 1
    return [
        Need(
            "approval",
            scope.alliances[aid],
            ngettext("%(n)s ally waits for your approval", "%(n)s allies wait for your approval", n)
            % {"n": n},
            reverse("alliances:overview", args=[aid]),
        )
        for aid, n in counts.items()
    ]


@source
def votes(scope):
    counts = _counts(
        Statement.objects.filter(alliance_id__in=scope.active, withdrawn_at__isnull=True)
        .exclude(author__user=scope.user)
        .exclude(Exists(Vote.objects.filter(statement=OuterRef("pk"), ally__user=scope.user)))
    )
    return [
        Need(
            "vote",
            scope.alliances[aid],
            ngettext("%(n)s statement to vote on", "%(n)s statements to vote on", n) % {"n": n},
            reverse("alliances:overview", args=[aid]) + "#standings",
        )
        for aid, n in counts.items()
    ]


@source
def signatures(scope):
    to_sign = (
        Charter.objects.filter(
            alliance_id__in=scope.active,
            status__in=[Charter.Status.DRAFT, Charter.Status.SIGNING],
        )
        .filter(Exists(CharterInterest.objects.filter(charter=OuterRef("pk"))))
        .exclude(Exists(Signature.objects.filter(charter=OuterRef("pk"), ally__user=scope.user)))
        .values_list("alliance_id", flat=True)
    )
    return [
        Need(
            "signature",
            scope.alliances[aid],
            _("The charter waits for your signature"),
            reverse("alliances:charter", args=[aid]),
        )
        for aid in sorted(set(to_sign))
    ]


@source
def stances(scope):
    counts = _counts(
        MeansOption.objects.filter(alliance_id__in=scope.active, decision__isnull=True).exclude(
            Exists(Stance.objects.filter(option=OuterRef("pk"), ally__user=scope.user))
        )
    )
    return [
        Need(
            "stance",
            scope.alliances[aid],
            ngettext("%(n)s means waits for your stance", "%(n)s means wait for your stance", n)
            % {"n": n},
            reverse("acting:means", args=[aid]),
        )
        for aid, n in counts.items()
    ]


@source
def actions(scope):
    due = Action.objects.filter(
        alliance_id__in=scope.active,
        co_actors__ally__user=scope.user,
        status__in=[ActionStatus.PLANNED, ActionStatus.IN_PROGRESS],
        due_date__lte=scope.today + ACTIONS_AHEAD,
    ).order_by("due_date", "pk")
    needs = []
    for action in due.only("pk", "alliance_id", "title", "due_date"):
        late = action.due_date < scope.today
        label = _("Late: %(title)s") if late else _("Due soon: %(title)s")
        needs.append(
            Need(
                "action",
                scope.alliances[action.alliance_id],
                label % {"title": action.title},
                reverse("acting:actions", args=[action.alliance_id]) + f"#a{action.pk}",
                due=action.due_date,
                late=late,
            )
        )
    return needs


@source
def reviews_due(scope):
    needs = []
    for aid, on in review_dates(scope.active).items():
        state = reviews.state(on, scope.today)
        if state in (reviews.ReviewState.DUE, reviews.ReviewState.OVERDUE):
            late = state == reviews.ReviewState.OVERDUE
            needs.append(
                Need(
                    "review",
                    scope.alliances[aid],
                    _("The review is overdue") if late else _("A review is due soon"),
                    reverse("acting:reviews", args=[aid]),
                    due=on,
                    late=late,
                )
            )
    return needs


# ---------------------------------------------------------------- collectives


def _by_consultation(statements):
    """One row per consultation: its id, question, collective id and name, and count."""
    return (
        statements.order_by()
        .values(
            "consultation_id",
            "consultation__question",
            "consultation__collective_id",
            "consultation__collective__name",
        )
        .annotate(n=Count("pk"))
        .order_by("consultation_id")
    )


def _collective_need(source, row, label, url_name):
    return Need(
        source,
        None,
        label % {"n": row["n"], "question": row["consultation__question"]},
        reverse(url_name, args=[row["consultation__collective_id"], row["consultation_id"]]),
        collective_name=row["consultation__collective__name"],
    )


@source
def consultation_votes(scope):
    """Open consultations of the viewer's collectives with statements they have not
    voted on yet."""
    statements = ConsultationStatement.objects.filter(
        status=ConsultationStatement.Status.ACCEPTED,
        consultation__status=Consultation.Status.OPEN,
        consultation__collective__members__user=scope.user,
        consultation__collective__members__status=CollectiveMember.Status.ACTIVE,
    ).exclude(
        Exists(ConsultationVote.objects.filter(statement=OuterRef("pk"), participant=scope.user))
    )
    return [
        _collective_need(
            "consultation_vote",
            row,
            ngettext(
                "%(n)s statement waits for your vote: %(question)s",
                "%(n)s statements wait for your vote: %(question)s",
                row["n"],
            ),
            "collectives:vote",
        )
        for row in _by_consultation(statements)
    ]


@source
def moderation(scope):
    """Statements waiting in the consultations of the collectives the viewer facilitates."""
    statements = ConsultationStatement.objects.filter(
        status=ConsultationStatement.Status.PENDING,
        consultation__collective__members__user=scope.user,
        consultation__collective__members__status=CollectiveMember.Status.ACTIVE,
        consultation__collective__members__role=MemberRole.FACILITATOR,
    )
    return [
        _collective_need(
            "moderation",
            row,
            ngettext(
                "%(n)s statement to moderate: %(question)s",
                "%(n)s statements to moderate: %(question)s",
                row["n"],
            ),
            "collectives:moderation",
        )
        for row in _by_consultation(statements)
    ]


@dataclass
class Home:
    needs: list  # everything, the late first, then by date
    rows: list  # (ally, needs of that alliance), newest alliance first


@source
def weather(scope):
    due = weather_to_give(a.pk for a in scope.allies if a.is_active)
    return [
        Need(
            "weather",
            a.alliance,
            _("Give the alliance weather"),
            reverse("acting:weather", args=[a.alliance_id]),
        )
        for a in scope.allies
        if a.pk in due
    ]


def what_needs_me(user, today: datetime.date | None = None) -> Home:
    allies = list(
        Ally.objects.filter(user=user)
        .exclude(status__in=GONE_STATUSES)
        .annotate(
            someone_waits=Exists(
                Ally.objects.filter(
                    alliance_id=OuterRef("alliance_id"), status=Ally.Status.AWAITING_APPROVAL
                )
            )
        )
        .select_related("alliance")
        .order_by("-alliance__created_at", "-alliance_id")
    )
    scope = Scope(user=user, allies=allies, today=today or timezone.localdate())
    needs = [need for function in SOURCES for need in function(scope)]
    needs.sort(key=lambda n: (not n.late, n.due or datetime.date.max))
    by_alliance = {}
    for need in needs:
        if need.alliance is not None:
            by_alliance.setdefault(need.alliance.pk, []).append(need)
    return Home(needs=needs, rows=[(a, by_alliance.get(a.alliance_id, [])) for a in allies])
