"""Reads of movement 1, each a fixed number of queries whatever the size of the
alliance (asserted in tests)."""

from dataclasses import dataclass

from django.db.models import Count, Prefetch
from django.db.models.functions import TruncDate
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from alliance.audit.journal import entries_for_alliance
from alliance.audit.models import Action
from alliance.consensus.common_ground import AllyFacts, Standing, classify_all

from .models import (
    Ally,
    AllyInvitation,
    Charter,
    CharterInterest,
    CharterRecognition,
    Commitment,
    Signature,
    Statement,
    Vote,
)


def _facts(allies):
    return {
        a.pk: AllyFacts(speaks_for_person=a.speaks_for_person, is_professional=a.is_professional)
        for a in allies
        if a.is_active
    }


def statement_standings(alliance, statements, allies=None, votes=None):
    allies = allies if allies is not None else list(alliance.allies.all())
    if votes is None:
        votes = {}
        for sid, ally_id, value in Vote.objects.filter(
            statement__in=[s.pk for s in statements]
        ).values_list("statement_id", "ally_id", "value"):
            votes.setdefault(sid, {})[ally_id] = value
    return classify_all(((s.pk, s.author_id) for s in statements), votes, _facts(allies))


@dataclass
class StatementView:
    statement: Statement
    standing: Standing
    agree: list
    disagree: list
    unsure: list
    passed: list
    not_voted: list
    my_vote: str | None
    changed_since_my_vote: bool

    VOTER_GROUPS = (
        ("agree", _("Agree")),
        ("disagree", _("Disagree")),
        ("unsure", _("Not sure")),
        ("passed", _("Passed")),
        ("not_voted", _("Not voted yet")),
    )

    @property
    def voters(self):
        """(label, names) of each group that has someone: one loop for the card's
        template instead of five conditional ones (a card is drawn once per statement,
        and the cards' template nodes are about a third of an alliance page's CPU)."""
        return [
            (label, ", ".join(a.user.display_name for a in getattr(self, group)))
            for group, label in self.VOTER_GROUPS
            if getattr(self, group)
        ]


def _allies_in_order(alliance):
    return list(alliance.allies.select_related("user").order_by("created_at", "pk"))


def _live_statements(alliance):
    return (
        alliance.statements.filter(withdrawn_at__isnull=True)
        .select_related("author__user", "supported_by__user")
        .prefetch_related(Prefetch("votes", to_attr="all_votes"))
    )


def _views(alliance, viewer, statements, allies):
    by_id = {a.pk: a for a in allies}
    votes = {s.pk: {v.ally_id: v.value for v in s.all_votes} for s in statements}
    standings = statement_standings(alliance, statements, allies, votes)

    def names(ids):
        return sorted((by_id[i] for i in ids if i in by_id), key=lambda a: a.pk)

    views = []
    for s in statements:
        c = standings[s.pk]
        mine = next((v for v in s.all_votes if v.ally_id == viewer.pk), None)
        views.append(
            StatementView(
                statement=s,
                standing=c.standing,
                agree=names(c.agree),
                disagree=names(c.disagree),
                unsure=names(c.unsure),
                passed=names(c.passed),
                not_voted=names(c.not_voted),
                my_vote=mine.value if mine else None,
                changed_since_my_vote=bool(
                    mine and mine.updated_at < s.updated_at and s.version > 1
                ),
            )
        )
    return views


def standing_of(alliance, statement) -> Standing:
    """Where one live statement stands now (two queries)."""
    votes = dict(Vote.objects.filter(statement=statement).values_list("ally_id", "value"))
    standings = statement_standings(
        alliance, [statement], list(alliance.allies.all()), {statement.pk: votes}
    )
    return standings[statement.pk].standing


def statement_view(alliance, viewer: Ally, statement) -> StatementView | None:
    """One live statement's card as the overview shows it (three queries); None for
    a withdrawn one, which the overview does not show."""
    live = list(_live_statements(alliance).filter(pk=statement.pk))
    views = _views(alliance, viewer, live, _allies_in_order(alliance))
    return views[0] if views else None


def alliance_overview(alliance, viewer: Ally):
    allies = _allies_in_order(alliance)
    views = _views(alliance, viewer, list(_live_statements(alliance)), allies)
    return {
        "allies": allies,
        "active_allies": [a for a in allies if a.is_active],
        "awaiting": [a for a in allies if a.status == Ally.Status.AWAITING_APPROVAL],
        "invited": [a for a in allies if a.status == Ally.Status.INVITED],
        "statements": views,
        "common_ground": [v for v in views if v.standing == Standing.COMMON_GROUND],
        "divergences": [v for v in views if v.standing == Standing.DIVERGENCE],
        "open": [v for v in views if v.standing == Standing.OPEN],
        "to_vote": [v for v in views if v.statement.author_id != viewer.pk and v.my_vote is None],
    }


def pending_invitations(alliance):
    """Invitations by email still waiting for their answer: shown with the name the
    inviter typed, never an account's, until accepted."""
    return list(
        alliance.invitations.filter(
            status=AllyInvitation.Status.PENDING, expires_at__gt=timezone.now()
        )
    )


def current_charter(alliance) -> Charter | None:
    """The version being worked on or signed (None only for an alliance written
    without its use case)."""
    return alliance.charters.exclude(status=Charter.Status.SUPERSEDED).first()


def charter_detail(charter: Charter):
    """Everything a charter version shows, in a fixed number of queries."""
    return (
        Charter.objects.filter(pk=charter.pk)
        .prefetch_related(
            # one query per relation: the allies and their users come joined
            Prefetch(
                "interests", queryset=CharterInterest.objects.select_related("adopted_by__user")
            ),
            Prefetch(
                "recognitions", queryset=CharterRecognition.objects.select_related("ally__user")
            ),
            Prefetch(
                "commitments",
                queryset=Commitment.objects.select_related("ally__user", "written_by__user"),
            ),
            "perimeter",
            Prefetch("indicators__raters", queryset=Ally.objects.select_related("user")),
            Prefetch(
                "signatures",
                queryset=Signature.objects.select_related("ally__user", "signed_by__user"),
            ),
        )
        .get()
    )


class TrailShows:
    """What the trail page lists. By default the reader's own reads are left out: they
    know what they looked at, and hundreds of their own reads would hide the rest."""

    DEFAULT = "default"  # others' reads and every change
    CHANGES = "changes"
    READS = "reads"
    EVERYTHING = "everything"


def trail(alliance, *, viewer, shows=TrailShows.DEFAULT, actor=None, start=None, end=None):
    """The alliance's audit entries, newest first: `actor` is a user, `start` and
    `end` aware datetimes (end excluded). One query, on the alliance's index."""
    entries = entries_for_alliance(alliance.pk)
    read = Action.ALLIANCE_VIEWED
    if shows == TrailShows.DEFAULT:
        entries = entries.exclude(action=read, actor_id=viewer.user_id)
    elif shows == TrailShows.CHANGES:
        entries = entries.exclude(action=read)
    elif shows == TrailShows.READS:
        entries = entries.filter(action=read)
    if actor is not None:
        entries = entries.filter(actor_id=actor.pk)
    if start is not None:
        entries = entries.filter(at__gte=start)
    if end is not None:
        entries = entries.filter(at__lt=end)
    return entries


READS_SUMMARY_ROWS = 12


def reads_by_day(alliance, *, viewer, rows=READS_SUMMARY_ROWS):
    """Who looked at the alliance, one row per person and day (Europe/Paris), newest
    day first: dicts of actor_id, actor_label, day and times. The viewer's own reads
    are left out, as on the trail. One query, on the alliance's index."""
    return list(
        entries_for_alliance(alliance.pk)
        .filter(action=Action.ALLIANCE_VIEWED)
        .exclude(actor_id=viewer.user_id)
        .annotate(day=TruncDate("at", tzinfo=timezone.get_current_timezone()))
        .values("actor_id", "actor_label", "day")
        .annotate(times=Count("pk"))
        .order_by("-day", "actor_label", "actor_id")[:rows]
    )


def charter_snapshot(charter: Charter):
    """A charter version as the pure diff module reads it (four queries)."""
    from .charter_diff import Item, Snapshot

    def who(ally):
        return ally.user.display_name

    return Snapshot(
        interests=tuple(Item(i.statement_id, i.text) for i in charter.interests.all()),
        commitments=tuple(
            Item(c.ally_id, f"{who(c.ally)}\u00a0: {c.text}")
            for c in charter.commitments.select_related("ally__user")
        ),
        perimeter=tuple(
            Item(p.label, f"{p.label}\u00a0: {p.get_status_display()}")
            for p in charter.perimeter.all()
        ),
        indicators=tuple(
            Item(i.key, f"{i.name} ({i.scale_min}–{i.scale_max})") for i in charter.indicators.all()
        ),
        understanding=charter.shared_understanding,
    )


def charter_changes(older: Charter, newer: Charter):
    from .charter_diff import compare

    return compare(charter_snapshot(older), charter_snapshot(newer))


def version_i_signed_before(alliance, me, current: Charter):
    """The latest earlier version this ally signed, when they have not signed the
    current one yet: what changed since then is what they are asked to sign (one
    query)."""
    if current is None:
        return None
    latest = (
        Signature.objects.filter(ally=me, charter__alliance=alliance)
        .select_related("charter")
        .order_by("-charter__number")
        .first()
    )
    if latest is None or latest.charter.number >= current.number:
        return None
    return latest.charter


def understanding_history(alliance, limit=20):
    """The latest saved texts of the shared understanding, newest first, with their
    authors (one query)."""
    from .models import UnderstandingRevision

    return list(
        UnderstandingRevision.objects.filter(alliance=alliance).select_related("author__user")[
            :limit
        ]
    )
