"""Reads for the pages of movement 3, each a fixed number of queries whatever the
number of members, statements or votes."""

from dataclasses import dataclass

from django.core.paginator import Paginator
from django.db.models import Count, F, OuterRef, Subquery
from django.utils import timezone

from alliance.consensus import next_statement
from alliance.folding import fold, folded

from .models import (
    CollectiveMember,
    Consultation,
    ConsultationStatement,
    ConsultationVote,
    MemberInvitation,
    MemberRole,
    MemberStanding,
    OpinionSnapshot,
)

ACCEPTED = ConsultationStatement.Status.ACCEPTED


def my_memberships(user):
    """The user's active memberships, each with its collective and how many members it has."""
    active_count = (
        CollectiveMember.objects.filter(
            collective=OuterRef("collective"), status=CollectiveMember.Status.ACTIVE
        )
        .order_by()
        .values("collective")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return (
        CollectiveMember.objects.filter(user=user, status=CollectiveMember.Status.ACTIVE)
        .select_related("collective")
        .annotate(member_count=Subquery(active_count))
        .order_by("collective__name", "collective__pk")
    )


MEMBERS_PER_PAGE = 50


def member_page(collective, *, name="", role="", standing="", page=1):
    """One page of the collective's active members, by name, found by a part of their
    name (whatever its case and accents: "helene" finds "Hélène", on SQLite as on
    PostgreSQL), their role or how they take part: two queries (the count, the page),
    whatever the number of members."""
    members = collective.members.filter(status=CollectiveMember.Status.ACTIVE)
    if fold(name):
        members = members.alias(folded_name=folded(F("user__display_name"))).filter(
            folded_name__contains=fold(name)
        )
    if role in MemberRole.values:
        members = members.filter(role=role)
    if standing in MemberStanding.values:
        members = members.filter(standing=standing)
    members = members.select_related("user").order_by("user__display_name", "pk")
    return Paginator(members, MEMBERS_PER_PAGE).get_page(page)


def member_summary(collective) -> dict:
    """How many active members the collective has, and how many take part in each way
    (one query): the page says it before any list."""
    counts = dict(
        collective.members.filter(status=CollectiveMember.Status.ACTIVE)
        .order_by()
        .values_list("standing")
        .annotate(n=Count("pk"))
        .values_list("standing", "n")
    )
    return {
        "total": sum(counts.values()),
        "by_standing": [
            (label, counts[value]) for value, label in MemberStanding.choices if counts.get(value)
        ],
    }


def visible_consultations(collective, member):
    consultations = collective.consultations.all()
    if not member.is_facilitator:
        consultations = consultations.exclude(status=Consultation.Status.DRAFT)
    return consultations


def pending_count(consultation) -> int:
    return consultation.statements.filter(status=ConsultationStatement.Status.PENDING).count()


def _snapshot_hints(consultation):
    """What the next-statement choice reads of the last finished computation: each
    statement's consensus, the divisive ones and the vote counts, as JSON keys (never
    the whole result, which holds every participant). None before the first one."""
    return (
        OpinionSnapshot.objects.filter(
            consultation=consultation, status=OpinionSnapshot.Status.DONE
        )
        .order_by("-finished_at", "-pk")
        .values_list("result__consensus", "result__divisive", "result__summary__statement_votes")
        .first()
    )


@dataclass
class Ballot:
    statement: ConsultationStatement | None  # None when everything is voted on
    my_value: int | None
    voted: int  # accepted statements this member voted on
    total: int  # accepted statements

    @property
    def remaining(self):
        return self.total - self.voted


def ballot(member, consultation, *, statement_id=None) -> Ballot:
    """The statement to put before the member: the one asked for (to change a vote)
    when it is open to votes, otherwise the most useful one they have not voted on."""
    accepted = list(consultation.statements.filter(status=ACCEPTED).values_list("pk", flat=True))
    mine = dict(
        ConsultationVote.objects.filter(
            consultation=consultation, participant=member.user, statement__status=ACCEPTED
        ).values_list("statement_id", "value")
    )
    chosen = statement_id if statement_id in set(accepted) else None
    if chosen is None:
        unvoted = [pk for pk in accepted if pk not in mine]
        if unvoted:
            hints = _snapshot_hints(consultation)
            if hints is None:
                # Before the first computation (queued at the first vote), a live count.
                consensus, divisive = {}, []
                counts = dict(
                    ConsultationVote.objects.filter(
                        consultation=consultation, statement__status=ACCEPTED
                    )
                    .order_by()
                    .values("statement")
                    .annotate(n=Count("pk"))
                    .values_list("statement", "n")
                )
            else:
                # The snapshot's counts lag by the bounded recomputation delay, which
                # is close enough to rank statements and spares a scan of every vote.
                consensus, divisive, statement_votes = (h or {} for h in hints)
                counts = {int(k): v[2] for k, v in statement_votes.items()}
            chosen = next_statement.choose(
                unvoted,
                counts,
                consensus={int(k): v for k, v in consensus.items()},
                divisive=[int(s) for s in divisive],
            )
    statement = consultation.statements.get(pk=chosen) if chosen is not None else None
    return Ballot(
        statement=statement,
        my_value=mine.get(chosen),
        voted=len(mine),
        total=len(accepted),
    )


def consultation_page(member, consultation) -> dict:
    """The accepted statements with the member's own vote, and the member's own
    statements whatever their status (so they see a refusal and its reason)."""
    statements = list(consultation.statements.filter(status=ACCEPTED))
    mine = dict(
        ConsultationVote.objects.filter(
            consultation=consultation, participant=member.user
        ).values_list("statement_id", "value")
    )
    labels = dict(ConsultationVote.Value.choices)
    rows = [(s, labels.get(mine.get(s.pk)) if s.pk in mine else None) for s in statements]
    own = list(consultation.statements.filter(author=member.user).order_by("-created_at", "-pk"))
    return {
        "rows": rows,
        "own_statements": own,
        "voted": sum(1 for _s, label in rows if label is not None),
    }


def pending_invitations(collective):
    """Invitations by email still waiting: shown with the name the facilitator typed,
    never an account's, until accepted."""
    return list(
        collective.invitations.filter(
            status=MemberInvitation.Status.PENDING, expires_at__gt=timezone.now()
        )
    )
