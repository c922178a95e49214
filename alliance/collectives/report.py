"""A consultation's results as a report (issue 14): the description of each opinion
group (generated, or written by a facilitator), how one group voted on every
statement, and participation over time. What is computed lives in
alliance/consensus/descriptions.py; here are the reads and the one write.

Reads cost a fixed number of queries whatever the number of participants: the
snapshot's summary holds counts per group and statement, never a participant;
participation is counted by the database per day or week."""

from __future__ import annotations

from dataclasses import dataclass
from zoneinfo import ZoneInfo

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Count, Max, Min
from django.db.models.functions import TruncDate, TruncWeek
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from alliance.audit.journal import record
from alliance.audit.models import Action
from alliance.conflicts import ConflictError
from alliance.consensus.descriptions import (
    GroupLine,
    Participation,
    bucket_by,
    group_profile,
    participation,
)
from alliance.consensus.publication import Publication, ShownGroup, publish

from . import perms
from .models import (
    Consultation,
    ConsultationStatement,
    ConsultationVote,
    GroupDescription,
    OpinionSnapshot,
)

DESCRIPTION_CHANGED = gettext_lazy(
    "Another facilitator changed this description a moment ago. Read the current one and try again."
)


# --------------------------------------------------------------------------- descriptions


def edited_descriptions(consultation) -> dict[int, GroupDescription]:
    """The descriptions facilitators wrote, by group label (empty texts left out:
    those groups show the generated one)."""
    return {
        d.group: d
        for d in GroupDescription.objects.filter(consultation=consultation).exclude(text="")
    }


def _known_groups(consultation) -> set[int]:
    groups = (
        OpinionSnapshot.objects.filter(
            consultation=consultation, status=OpinionSnapshot.Status.DONE
        )
        .order_by("-finished_at", "-pk")
        .values_list("result__summary__groups", flat=True)
        .first()
    )
    return {int(g["id"]) for g in groups or ()}


def describe_group(
    *, member, consultation: Consultation, group: int, text: str, expected_version: int
) -> GroupDescription:
    """A facilitator writes the one-line description of an opinion group of the last
    results; an empty text gives the generated one back. `expected_version`: the
    version the facilitator read (0 when the group had none): a change made since is
    never overwritten."""
    if not perms.can_describe_groups(member, consultation):
        raise PermissionDenied
    text = " ".join((text or "").split())
    if len(text) > GroupDescription.MAX_LENGTH:
        raise ValidationError(
            {
                "text": _("Keep the description under %(limit)d characters (it has %(length)d).")
                % {"limit": GroupDescription.MAX_LENGTH, "length": len(text)}
            }
        )
    with transaction.atomic():
        # One writer at a time per consultation: the row may not exist yet.
        Consultation.objects.select_for_update().filter(pk=consultation.pk).first()
        if group not in _known_groups(consultation):
            raise ValidationError(_("This group is not in the last results."))
        current = GroupDescription.objects.filter(consultation=consultation, group=group).first()
        if (current.version if current else 0) != expected_version:
            raise ConflictError(DESCRIPTION_CHANGED)
        if current is None:
            current = GroupDescription.objects.create(
                consultation=consultation, group=group, text=text, written_by=member.user
            )
        else:
            current.text, current.written_by = text, member.user
            current.version += 1
            current.save(update_fields=["text", "written_by", "written_at", "version"])
        record(
            member.user,
            Action.GROUP_DESCRIBED,
            organisation_id=consultation.collective.organisation_id,
            target=current,
            detail={
                "collective": consultation.collective_id,
                "consultation": consultation.pk,
                "group": group,
                "generated": not text,
            },
        )
    return current


# --------------------------------------------------------------------------- a group's page


@dataclass(frozen=True)
class GroupPage:
    snapshot: OpinionSnapshot
    publication: Publication
    group: ShownGroup
    lines: list[GroupLine]  # every accepted statement, in the order members met them
    statements: dict  # statement id -> ConsultationStatement
    description: GroupDescription | None  # the facilitator's, or None
    descriptions: dict  # group id -> GroupDescription, every edited one


def group_page(consultation, group_id: int) -> GroupPage | None:
    """How one shown group voted on every statement. None when the last results have
    no such group large enough to be shown (or no results yet). Three queries."""
    row = (
        OpinionSnapshot.objects.filter(
            consultation=consultation, status=OpinionSnapshot.Status.DONE
        )
        .order_by("-finished_at", "-pk")
        .values("pk", "finished_at", "started_at", "votes_counted", "result__summary")
        .first()
    )
    if row is None:
        return None
    summary = row["result__summary"]
    publication = publish(summary)
    group = next((g for g in publication.groups if g.id == group_id), None)
    if group is None:
        return None
    statements = {
        s.pk: s
        for s in consultation.statements.filter(
            status=ConsultationStatement.Status.ACCEPTED
        ).order_by("created_at", "pk")
    }
    descriptions = edited_descriptions(consultation)
    snapshot = OpinionSnapshot(
        pk=row["pk"],
        consultation=consultation,
        status=OpinionSnapshot.Status.DONE,
        started_at=row["started_at"],
        finished_at=row["finished_at"],
        votes_counted=row["votes_counted"],
    )
    return GroupPage(
        snapshot=snapshot,
        publication=publication,
        group=group,
        lines=group_profile(summary, group_id, list(statements)),
        statements=statements,
        description=descriptions.get(group_id),
        descriptions=descriptions,
    )


def group_description(consultation, group_id: int) -> GroupDescription | None:
    """The stored row of a group (its text may be empty), to edit it."""
    return GroupDescription.objects.filter(consultation=consultation, group=group_id).first()


# --------------------------------------------------------------------------- participation


def participation_over_time(consultation) -> tuple[str, list[Participation]]:
    """Votes and participants per day (per week past 45 days), in Europe/Paris, each
    vote on the day it was last given (a vote changed later counts on that day).
    Counted by the database: two queries whatever the number of votes."""
    votes = ConsultationVote.objects.filter(consultation=consultation).order_by()
    span = votes.aggregate(first=Min("updated_at"), last=Max("updated_at"))
    if span["first"] is None:
        return "day", []
    zone = ZoneInfo(settings.TIME_ZONE)
    unit = bucket_by(span["first"].astimezone(zone).date(), span["last"].astimezone(zone).date())
    trunc = TruncDate if unit == "day" else TruncWeek
    counted = (
        votes.annotate(start=trunc("updated_at", tzinfo=zone))
        .values("start")
        .annotate(n=Count("pk"), people=Count("participant", distinct=True))
        .values_list("start", "n", "people")
    )
    rows = [
        (start.date() if hasattr(start, "date") else start, n, people)
        for start, n, people in counted
    ]
    return unit, participation(rows, unit)
