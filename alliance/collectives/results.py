"""The results side of consultations: opinion snapshots computed in the background,
what the results page and the export read, and the common interests a collective
adopts from its common ground.

Recomputation, and how fresh the map is
---------------------------------------
Nothing is computed inside a request. After a vote, ``request_recomputation``
asks (once the vote is committed) for a snapshot, which the task
``recompute_opinions`` computes in the worker. There is never more than one
snapshot waiting or running per consultation. A new one is due:

- at once when there is no finished snapshot yet, or when the votes cast since
  the last one started number at least ``RECOMPUTE_VOTES`` (25) or a tenth of the
  votes it counted, whichever is larger (so a large consultation is not recomputed
  for every handful of votes);
- otherwise ``RECOMPUTE_DELAY`` (30 s) after the last one finished: the snapshot is
  queued with ``run_after`` then.

So a vote reaches the map at most 30 s plus one computation after it is cast (if
a computation was running when it arrived, that one re-checks for newer votes
when it ends). A backend that cannot defer a task (the immediate backend of the tests)
only gets the snapshots that are due at once. A snapshot still waiting or running
after ``STALE_AFTER`` (15 min: the worker died) is marked failed and no longer
blocks a new one. A facilitator can also ask for a recomputation now.

The page says when the map was computed and on how many votes.
"""

from __future__ import annotations

import hashlib
import hmac
import logging
from dataclasses import dataclass
from datetime import timedelta
from functools import partial

import numpy as np
from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django_tasks import task, task_backends

from alliance import dates
from alliance.alliances.needs import serafin_needs
from alliance.audit.journal import record
from alliance.audit.models import Action
from alliance.charts.opinion_map import MapPoint, bin_points
from alliance.consensus.opinion_groups import Params, VoteMatrix, compute
from alliance.consensus.publication import Publication, map_positions, publish, snapshot_data

from . import perms
from .models import (
    CollectiveInterest,
    Consultation,
    ConsultationStatement,
    ConsultationVote,
    OpinionSnapshot,
)

logger = logging.getLogger(__name__)

RECOMPUTE_VOTES = 25
RECOMPUTE_DELAY = timedelta(seconds=30)
STALE_AFTER = timedelta(minutes=15)
MAP_POINTS = 800
_CHUNK = 50_000
PENDING = (OpinionSnapshot.Status.QUEUED, OpinionSnapshot.Status.RUNNING)


# --------------------------------------------------------------------------- pseudonyms


def pseudonym(consultation_id: int, user_id: int) -> str:
    """A participant's id in results and exports: stable for one consultation, not
    the same across consultations, and not reversible without the server's secret
    key (so an export names nobody and cannot be joined with another)."""
    message = f"consultation:{consultation_id}:participant:{user_id}".encode()
    key = settings.SECRET_KEY.encode()
    return "p" + hmac.new(key, message, hashlib.sha256).hexdigest()[:15]


# --------------------------------------------------------------------------- scheduling


def request_recomputation(consultation: Consultation) -> None:
    """Called by the vote use case: once the vote is committed, queue a snapshot if
    one is due (see the module)."""
    transaction.on_commit(partial(_schedule, consultation.pk))


@transaction.atomic
def recompute_now(*, member, consultation: Consultation) -> OpinionSnapshot | None:
    """A facilitator asks for the results to be computed again now. Returns the
    snapshot waiting or running (an existing one is reused), None if nobody voted."""
    if not perms.can_recompute_results(member, consultation):
        raise PermissionDenied
    snapshot = _schedule(consultation.pk, force=True)
    record(
        member.user,
        Action.RESULTS_RECOMPUTE_REQUESTED,
        organisation_id=consultation.collective.organisation_id,
        target=consultation,
        detail={"collective": consultation.collective_id},
    )
    return snapshot


def _schedule(consultation_id: int, *, force: bool = False) -> OpinionSnapshot | None:
    with transaction.atomic():
        # One decision at a time per consultation: two votes at once queue one snapshot.
        consultation = Consultation.objects.select_for_update().filter(pk=consultation_id).first()
        if consultation is None:
            return None
        now = timezone.now()
        snapshots = OpinionSnapshot.objects.filter(consultation=consultation)
        pending = snapshots.filter(status__in=PENDING).order_by("-requested_at", "-pk").first()
        if pending is not None:
            if now - (pending.started_at or pending.requested_at) < STALE_AFTER:
                return pending
            snapshots.filter(pk=pending.pk).update(
                status=OpinionSnapshot.Status.FAILED,
                finished_at=now,
                error="abandoned: no worker finished it",
            )
        votes = ConsultationVote.objects.filter(consultation=consultation)
        last = latest_done(consultation)
        new_votes = votes.filter(updated_at__gt=last.started_at) if last else votes
        due_at = now
        if not force:
            count = new_votes.count()
            if count == 0:
                return None
            if last is not None and count < max(RECOMPUTE_VOTES, last.votes_counted // 10):
                due_at = max(now, last.finished_at + RECOMPUTE_DELAY)
        elif not votes.exists():
            return None
        deferred = due_at > now
        if deferred and not task_backends[recompute_opinions.backend].supports_defer:
            return None
        snapshot = OpinionSnapshot.objects.create(consultation=consultation)
        job = recompute_opinions.using(run_after=due_at) if deferred else recompute_opinions
        job.enqueue(snapshot.pk)
        snapshot.refresh_from_db()
        return snapshot


def results_due(consultation) -> bool:
    """Whether votes were cast since the last finished snapshot started (or ever)."""
    last = latest_done(consultation)
    votes = ConsultationVote.objects.filter(consultation=consultation)
    return (votes.filter(updated_at__gt=last.started_at) if last else votes).exists()


def latest_done(consultation) -> OpinionSnapshot | None:
    """The last finished snapshot, without its (possibly large) result."""
    return (
        OpinionSnapshot.objects.filter(
            consultation=consultation, status=OpinionSnapshot.Status.DONE
        )
        .defer("result")
        .order_by("-finished_at", "-pk")
        .first()
    )


def pending_snapshot(consultation) -> OpinionSnapshot | None:
    return (
        OpinionSnapshot.objects.filter(consultation=consultation, status__in=PENDING)
        .defer("result")
        .order_by("-requested_at", "-pk")
        .first()
    )


# --------------------------------------------------------------------------- the task


@task()
def recompute_opinions(snapshot_id: int) -> None:
    run_snapshot(snapshot_id)


def run_snapshot(snapshot_id: int) -> None:
    """Compute one snapshot (in the worker; the demo calls it directly). Progress is
    saved as it goes, so the page can show it."""
    claimed = OpinionSnapshot.objects.filter(
        pk=snapshot_id, status=OpinionSnapshot.Status.QUEUED
    ).update(status=OpinionSnapshot.Status.RUNNING, started_at=timezone.now(), progress=5)
    if not claimed:
        return  # already taken, or abandoned
    snapshot = (
        OpinionSnapshot.objects.select_related("consultation").defer("result").get(pk=snapshot_id)
    )
    try:
        data, n_votes = _compute(snapshot)
    except Exception as exc:
        logger.exception("opinion snapshot %s failed", snapshot_id)
        OpinionSnapshot.objects.filter(pk=snapshot_id).update(
            status=OpinionSnapshot.Status.FAILED,
            finished_at=timezone.now(),
            error=f"{type(exc).__name__}: {exc}"[:2000],
        )
        return
    OpinionSnapshot.objects.filter(pk=snapshot_id).update(
        status=OpinionSnapshot.Status.DONE,
        progress=100,
        finished_at=timezone.now(),
        votes_counted=n_votes,
        result=data,
    )
    # Votes cast while this one ran are counted by the next one.
    _schedule(snapshot.consultation_id)


def _progress(snapshot_id: int, value: int) -> None:
    OpinionSnapshot.objects.filter(pk=snapshot_id).update(progress=value)


def _compute(snapshot: OpinionSnapshot) -> tuple[dict, int]:
    consultation = snapshot.consultation
    statuses = ConsultationStatement.Status
    statements = ConsultationStatement.objects.filter(consultation=consultation)
    statement_ids = np.fromiter(
        statements.filter(status=statuses.ACCEPTED).order_by("pk").values_list("pk", flat=True),
        dtype=np.int64,
    )
    # Withdrawn after people voted on them: Pol.is' "moderated out" comments.
    moderated_out = sorted(
        statements.filter(status=statuses.WITHDRAWN, votes__isnull=False)
        .values_list("pk", flat=True)
        .distinct()
    )
    votes = ConsultationVote.objects.filter(
        consultation=consultation, statement__status=statuses.ACCEPTED
    ).order_by()
    total = votes.count()
    users, columns, values = [], [], []
    done = 0
    rows = votes.values_list("participant_id", "statement_id", "value").iterator(chunk_size=_CHUNK)
    while True:
        chunk = [row for _, row in zip(range(_CHUNK), rows, strict=False)]
        if not chunk:
            break
        array = np.array(chunk, dtype=np.int64).reshape(-1, 3)
        users.append(array[:, 0])
        columns.append(array[:, 1])
        values.append(array[:, 2])
        done += len(chunk)
        _progress(snapshot.pk, 5 + int(45 * done / max(total, 1)))
    user_ids = np.concatenate(users) if users else np.zeros(0, np.int64)
    participants, rows_index = np.unique(user_ids, return_inverse=True)
    cols_index = np.searchsorted(
        statement_ids, np.concatenate(columns) if columns else np.zeros(0, np.int64)
    )
    matrix = VoteMatrix.from_votes(
        rows_index.ravel(),
        cols_index,
        np.concatenate(values) if values else np.zeros(0, np.int8),
        shape=(len(participants), len(statement_ids)),
    )
    _progress(snapshot.pk, 55)
    pids = [pseudonym(consultation.pk, int(u)) for u in participants]
    result = compute(
        matrix,
        Params(),
        previous=_previous_labels(consultation, pids),
        withdrawn=len(moderated_out),
    )
    _progress(snapshot.pk, 90)
    data = snapshot_data(result, matrix, pids, statement_ids.tolist())
    data["moderated_out"] = moderated_out
    points = bin_points(
        (MapPoint(x, y, g) for x, y, g in map_positions(result, matrix)), max_points=MAP_POINTS
    )
    data["summary"]["map"] = [[round(p.x, 6), round(p.y, 6), p.group, p.count] for p in points]
    return data, matrix.n_votes


@dataclass(frozen=True)
class _PreviousGroup:
    id: int


@dataclass(frozen=True)
class _PreviousLabels:
    """What ``compute(previous=...)`` reads of a previous result to keep the group
    labels: its groups' ids and each participant's label, row by row."""

    groups: tuple[_PreviousGroup, ...]
    labels: np.ndarray


def _previous_labels(consultation, pids: list[str]) -> _PreviousLabels | None:
    last = (
        OpinionSnapshot.objects.filter(
            consultation=consultation, status=OpinionSnapshot.Status.DONE
        )
        .order_by("-finished_at", "-pk")
        .values_list("result", flat=True)
        .first()
    )
    if not last or not last.get("groups"):
        return None
    label = {p: g["id"] for g in last["groups"] for p in g["participants"]}
    return _PreviousLabels(
        groups=tuple(_PreviousGroup(g["id"]) for g in last["groups"]),
        labels=np.array([label.get(p, -1) for p in pids], dtype=np.int64),
    )


# --------------------------------------------------------------------------- reading


def export_results(*, member, consultation: Consultation) -> dict | None:
    """The CLI's JSON format for the last finished snapshot (participants are
    pseudonyms), or None when there is none yet. Facilitators only; audited."""
    if not perms.can_export_results(member, consultation):
        raise PermissionDenied
    snapshot = (
        OpinionSnapshot.objects.filter(
            consultation=consultation, status=OpinionSnapshot.Status.DONE
        )
        .order_by("-finished_at", "-pk")
        .first()
    )
    if snapshot is None:
        return None
    record(
        member.user,
        Action.RESULTS_EXPORTED,
        organisation_id=consultation.collective.organisation_id,
        target=consultation,
        detail={"collective": consultation.collective_id, "snapshot": snapshot.pk},
    )
    data = {k: v for k, v in snapshot.result.items() if k != "summary"}
    return {
        "source": f"consultation {consultation.pk}",
        "computed_at": dates.iso(snapshot.finished_at),  # Paris, with its offset
        **data,
    }


# --------------------------------------------------------------------------- interests


@transaction.atomic
def adopt_common_interest(
    *, member, statement: ConsultationStatement, text: str = "", need_code: str = ""
) -> CollectiveInterest:
    """A facilitator adopts, for the collective, a statement of the common ground of
    the last results as a common interest (in its own words or reworded), with a
    SERAFIN-PH need when one fits."""
    consultation = statement.consultation
    if not perms.can_adopt_interest(member, consultation):
        raise PermissionDenied
    if statement.status != ConsultationStatement.Status.ACCEPTED:
        raise ValidationError(_("Only an accepted statement can become a common interest."))
    if statement.pk not in common_ground_ids(consultation):
        raise ValidationError(
            _("Only a statement of the common ground can become a common interest.")
        )
    text = " ".join((text or statement.text).split())
    if not text:
        raise ValidationError(_("Write the common interest."))
    if need_code and need_code not in {code for code, _label, _parent in serafin_needs()}:
        raise ValidationError(_("Choose a need from the list."))
    collective = consultation.collective
    if CollectiveInterest.objects.filter(collective=collective, from_statement=statement).exists():
        raise ValidationError(_("The collective has already adopted this statement."))
    interest = CollectiveInterest.objects.create(
        collective=collective,
        text=text,
        from_statement=statement,
        need_code=need_code,
        adopted_by=member.user,
    )
    record(
        member.user,
        Action.COLLECTIVE_INTEREST_ADOPTED,
        organisation_id=collective.organisation_id,
        target=interest,
        detail={"collective": collective.pk, "statement": statement.pk, "need": need_code},
    )
    return interest


def common_ground_ids(consultation) -> list[int]:
    """Statement ids of the last finished snapshot's common ground."""
    value = (
        OpinionSnapshot.objects.filter(
            consultation=consultation, status=OpinionSnapshot.Status.DONE
        )
        .order_by("-finished_at", "-pk")
        .values_list("result__summary__common_ground", flat=True)
        .first()
    )
    return list(value or [])


# --------------------------------------------------------------------------- the page


@dataclass(frozen=True)
class ResultsView:
    """What the results page shows: never a participant list, never a vote."""

    snapshot: OpinionSnapshot | None  # the last finished one, without its result
    publication: Publication | None
    statements: dict  # statement id -> ConsultationStatement, for the ids shown
    you: tuple[float, float] | None  # the viewer's own place on the map, if they voted
    pending: OpinionSnapshot | None  # waiting or running
    adopted: frozenset  # statement ids the collective already adopted


def results_view(consultation, member) -> ResultsView:
    """Five queries whatever the number of participants, statements or votes: the
    snapshot's summary and the viewer's own position are read inside the database,
    never the per-participant parts."""
    me = f"result__participants__{pseudonym(consultation.pk, member.user_id)}"
    row = (
        OpinionSnapshot.objects.filter(
            consultation=consultation, status=OpinionSnapshot.Status.DONE
        )
        .order_by("-finished_at", "-pk")
        .values("pk", "finished_at", "started_at", "votes_counted", "result__summary", me)
        .first()
    )
    pending = pending_snapshot(consultation)
    if row is None:
        return ResultsView(None, None, {}, None, pending, frozenset())
    snapshot = OpinionSnapshot(
        pk=row["pk"],
        consultation=consultation,
        status=OpinionSnapshot.Status.DONE,
        started_at=row["started_at"],
        finished_at=row["finished_at"],
        votes_counted=row["votes_counted"],
    )
    publication = publish(row["result__summary"])
    ids = {r.statement for g in publication.groups for r in g.representative}
    ids |= {s.statement for s in publication.common_ground + publication.divisive}
    statements = consultation.statements.in_bulk(ids)
    position = row[me]
    you = (float(position["x"]), float(position["y"])) if position else None
    adopted = frozenset(
        CollectiveInterest.objects.filter(
            collective_id=consultation.collective_id, from_statement_id__in=ids
        ).values_list("from_statement_id", flat=True)
    )
    return ResultsView(snapshot, publication, statements, you, pending, adopted)
