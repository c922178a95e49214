"""The results side of consultations: opinion snapshots computed in the background,
what the results page and the export read, and the common interests a collective
adopts from its common ground.

Live results, and full recomputations in the background
--------------------------------------------------------
Nothing is computed inside a request. A **full computation** (an opinion snapshot of
kind ``full``, task ``recompute_opinions``) runs the engine's ``compute`` on every
vote and leaves its model in a file (``ALLIANCE_OPINION_MODEL_DIR``, one file per
snapshot, written atomically, mapped into memory by each worker process that folds
into it: opening it takes milliseconds). Between full computations the votes are
**folded into it** by the engine's ``update``: once a vote is committed,
``request_recomputation`` asks for a fold (task ``fold_new_votes``, a high
priority); the fold reads the votes cast since the full
computation started (a window that overlaps what it already folded by
``LIVE_LAG``: folding a vote twice changes nothing), updates the consultation's
**live row** (a snapshot of kind ``incremental``, one per full computation, updated
in place) and applies the drift rule (``alliance.consensus.live.DriftRule``): when
it says so, a full computation is queued, and folds go on meanwhile. Concurrent
votes coalesce: while a fold is queued and not yet claimed, later votes wait for it
(its window will include them); once claimed, the next vote queues the next fold.

So a vote reaches the page within one fold after the worker picks it up (about
0.1 s at 200,000 participants × 2,000 statements, see benchmarks/RESULTS.md,
section ``live_results``); the page says whether it shows a full computation or
the live result, when, and from how many new votes. The first votes of a
consultation, and a facilitator's "compute again now", run a full computation at
once. A snapshot still waiting or running after ``STALE_AFTER`` (15 min: the
worker died) is marked failed and no longer blocks a new one; the same goes for a
fold unclaimed after ``FOLD_STALE``.
When the worker that folds does not find the model file (another host, a wiped
disk) or cannot read it, it queues a full computation instead: slower, never wrong.

Each participant's place (group and point on the map, under the consultation's
pseudonym) is a row of ``OpinionPlace``: everyone's for the full computation,
those who voted since for its live row. The stored results hold nothing that grows
with the participants, so the page reads its summary and the viewer's one place
at the same cost at 20 or 200,000 participants.
"""

from __future__ import annotations

import hashlib
import hmac
import itertools
import json
import logging
from collections import OrderedDict
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import partial
from pathlib import Path

import numpy as np
from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db import connection, transaction
from django.db.models import OuterRef, Q, Subquery
from django.db.models.fields.json import KT
from django.utils import timezone
from django.utils.translation import gettext as _
from django_tasks import task

from alliance import dates
from alliance.alliances.needs import serafin_needs
from alliance.audit.journal import record
from alliance.audit.models import Action
from alliance.charts.opinion_map import FIRST_GRID, MapPoint, bin_points
from alliance.consensus import live
from alliance.consensus.opinion_groups import Params, VoteMatrix, compute
from alliance.consensus.publication import Publication, map_positions, publish, snapshot_data

from . import perms
from .models import (
    CollectiveInterest,
    Consultation,
    ConsultationStatement,
    ConsultationVote,
    OpinionPlace,
    OpinionSnapshot,
)

logger = logging.getLogger(__name__)

STALE_AFTER = timedelta(minutes=15)
FOLD_STALE = timedelta(minutes=2)
# Votes whose transaction committed up to this long after their timestamp are still
# folded: the window of a fold starts this much before the end of the previous one.
LIVE_LAG = timedelta(seconds=5)
FOLD_PRIORITY = 50  # folds take milliseconds: they go before reports and emails
MAP_POINTS = 800
# The results page shows the first statements of each list (common ground, divisive);
# the rest are on the list's own pages, so the page stays small however long the lists.
SHOWN_PER_LIST = 10
LISTS = ("common_ground", "divisive")
_CHUNK = 50_000
PLACES_BATCH = 5_000
PENDING = (OpinionSnapshot.Status.QUEUED, OpinionSnapshot.Status.RUNNING)
FULL = OpinionSnapshot.Kind.FULL
INCREMENTAL = OpinionSnapshot.Kind.INCREMENTAL


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
    """Called by the vote use case: once the vote is committed, fold it into the live
    result, or queue the first full computation (see the module)."""
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
    """A full computation when there is none yet (or when ``force``), otherwise a fold
    of the new votes into the last one. Returns the full computation waiting or
    running, if any. A few indexed queries: it runs after each vote's commit."""
    with transaction.atomic():
        # One decision at a time per consultation: two votes at once queue one fold.
        consultation = Consultation.objects.select_for_update().filter(pk=consultation_id).first()
        if consultation is None:
            return None
        last = latest_done(consultation)
        if force or last is None:
            return _queue_full(consultation)
        if ConsultationVote.objects.filter(
            consultation=consultation, updated_at__gt=last.started_at
        ).exists():
            _queue_fold(consultation, last)
        return pending_snapshot(consultation)


def _queue_full(consultation) -> OpinionSnapshot | None:
    """The full computation waiting or running, or a new one queued now; None when
    nobody voted. The caller holds the consultation's lock."""
    now = timezone.now()
    snapshots = OpinionSnapshot.objects.filter(consultation=consultation, kind=FULL)
    pending = snapshots.filter(status__in=PENDING).order_by("-requested_at", "-pk").first()
    if pending is not None:
        if now - (pending.started_at or pending.requested_at) < STALE_AFTER:
            return pending
        snapshots.filter(pk=pending.pk).update(
            status=OpinionSnapshot.Status.FAILED,
            finished_at=now,
            error="abandoned: no worker finished it",
        )
    if not ConsultationVote.objects.filter(consultation=consultation).exists():
        return None
    snapshot = OpinionSnapshot.objects.create(consultation=consultation)
    recompute_opinions.enqueue(snapshot.pk)
    snapshot.refresh_from_db()
    return snapshot


def _queue_fold(consultation, base: OpinionSnapshot) -> None:
    """Queue a fold of the new votes into ``base``'s live row, unless one is queued
    and not yet claimed (it will read these votes too)."""
    now = timezone.now()
    live_row = (
        OpinionSnapshot.objects.filter(base=base, kind=INCREMENTAL)
        .only("pk", "fold_requested_at")
        .first()
    )
    if live_row is None:
        live_row = OpinionSnapshot.objects.create(
            consultation=consultation, kind=INCREMENTAL, base=base, fold_requested_at=now
        )
    elif live_row.fold_requested_at and now - live_row.fold_requested_at < FOLD_STALE:
        return
    else:
        OpinionSnapshot.objects.filter(pk=live_row.pk).update(fold_requested_at=now)
    fold_new_votes.using(priority=FOLD_PRIORITY).enqueue(live_row.pk)


def results_due(consultation) -> bool:
    """Whether votes were cast since the last full computation started (or ever)."""
    last = latest_done(consultation)
    votes = ConsultationVote.objects.filter(consultation=consultation)
    return (votes.filter(updated_at__gt=last.started_at) if last else votes).exists()


def latest_done(consultation) -> OpinionSnapshot | None:
    """The last finished full computation, without its (possibly large) result."""
    return (
        OpinionSnapshot.objects.filter(
            consultation=consultation, status=OpinionSnapshot.Status.DONE, kind=FULL
        )
        .defer("result")
        .order_by("-finished_at", "-pk")
        .first()
    )


def pending_snapshot(consultation) -> OpinionSnapshot | None:
    """The full computation waiting or running, if any."""
    return (
        OpinionSnapshot.objects.filter(consultation=consultation, status__in=PENDING, kind=FULL)
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
        data, places, n_votes = _compute(snapshot)
    except Exception as exc:
        logger.exception("opinion snapshot %s failed", snapshot_id)
        OpinionSnapshot.objects.filter(pk=snapshot_id).update(
            status=OpinionSnapshot.Status.FAILED,
            finished_at=timezone.now(),
            error=f"{type(exc).__name__}: {exc}"[:2000],
        )
        return
    with transaction.atomic():
        # The page finds a full computation done with everyone's place, or not at all.
        insert_places(snapshot_id, places)
        OpinionSnapshot.objects.filter(pk=snapshot_id).update(
            status=OpinionSnapshot.Status.DONE,
            progress=100,
            finished_at=timezone.now(),
            votes_counted=n_votes,
            result=data,
        )
    _forget_older(snapshot)
    # Votes cast while this one ran are folded into it now.
    _schedule(snapshot.consultation_id)


def model_path(consultation_id: int, snapshot_id: int) -> Path:
    """Where a full computation leaves its model for the folds (see the module)."""
    return Path(settings.ALLIANCE_OPINION_MODEL_DIR) / (
        f"consultation-{consultation_id}-snapshot-{snapshot_id}.model"
    )


def _model_paths(consultation_id: int, snapshot_id: int) -> tuple[Path, Path]:
    """The model file, then the name a full computation gave it before format 2
    (``.npz``, still read: a deployment keeps folding into its last full
    computation)."""
    path = model_path(consultation_id, snapshot_id)
    return path, path.with_suffix(".npz")


def _forget_older(snapshot: OpinionSnapshot) -> None:
    """A new full computation replaces the live rows, the participants' places and
    the model files of the older ones (which hold the same votes, less fresh): a
    consultation keeps one set of places, however often it is computed."""
    consultation_id = snapshot.consultation_id
    OpinionSnapshot.objects.filter(consultation_id=consultation_id, kind=INCREMENTAL).exclude(
        base_id=snapshot.pk
    ).delete()
    OpinionPlace.objects.filter(snapshot__consultation_id=consultation_id).exclude(
        snapshot_id=snapshot.pk
    ).exclude(snapshot__base_id=snapshot.pk).delete()
    keep = model_path(consultation_id, snapshot.pk).name
    folder = Path(settings.ALLIANCE_OPINION_MODEL_DIR)
    for path in folder.glob(f"consultation-{consultation_id}-snapshot-*"):
        if path.name != keep:
            path.unlink(missing_ok=True)


def _progress(snapshot_id: int, value: int) -> None:
    OpinionSnapshot.objects.filter(pk=snapshot_id).update(progress=value)


def _compute(snapshot: OpinionSnapshot) -> tuple[dict, dict, int]:
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
    _progress(snapshot.pk, 85)
    state = live.save_base(
        result,
        participants.tolist(),
        statement_ids.tolist(),
        model_path(consultation.pk, snapshot.pk),
    )
    # This worker folds the next votes without reading the file back.
    _remember(consultation.pk, _Cached(snapshot.pk, state, snapshot.started_at))
    _progress(snapshot.pk, 90)
    data, places = split_places(snapshot_data(result, matrix, pids, statement_ids.tolist()))
    data["moderated_out"] = moderated_out
    points = bin_points(
        (MapPoint(x, y, g) for x, y, g in map_positions(result, matrix)), max_points=MAP_POINTS
    )
    data["summary"]["map"] = [[round(p.x, 6), round(p.y, 6), p.group, p.count] for p in points]
    return data, places, matrix.n_votes


def split_places(data: dict) -> tuple[dict, dict]:
    """A full computation's stored result without the per-participant parts (the
    groups' member lists, each participant's place), and those places
    ({pseudonym: {"group", "x", "y"}}): they go to ``OpinionPlace``, where the page
    reads one row, and the result stays the same size whatever the number of
    participants."""
    places = data.pop("participants")
    for group in data["groups"]:
        del group["participants"]
    return data, places


def insert_places(snapshot_id: int, places: dict) -> None:
    """Write a full computation's places: PostgreSQL's COPY, elsewhere one prepared
    INSERT run over batches of rows. The ORM's bulk_create, which builds a model
    instance per row, took 5.4 s for 200,000 places on SQLite (the INSERT 1.1 s) and
    7.0 s on PostgreSQL (an INSERT run over the rows as long, COPY 1.6 s)."""
    table = connection.ops.quote_name(OpinionPlace._meta.db_table)  # the model's, no input
    columns = 'snapshot_id, participant, "group", x, y'
    rows = ((snapshot_id, p, v["group"], v["x"], v["y"]) for p, v in places.items())
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            with cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
            return
        sql = f"INSERT INTO {table} ({columns}) VALUES (%s, %s, %s, %s, %s)"  # noqa: S608
        while batch := list(itertools.islice(rows, PLACES_BATCH)):
            cursor.executemany(sql, batch)


def opinion_places(snapshot_id: int, places: dict) -> list[OpinionPlace]:
    """The rows of a fold's few places (a full computation uses ``insert_places``)."""
    return [
        OpinionPlace(snapshot_id=snapshot_id, participant=p, group=v["group"], x=v["x"], y=v["y"])
        for p, v in places.items()
    ]


# --------------------------------------------------------------------------- live folds


@task(priority=FOLD_PRIORITY)
def fold_new_votes(live_id: int) -> None:
    fold_votes(live_id)


@dataclass
class _Cached:
    base_id: int
    state: live.LiveState
    folded_until: datetime  # votes updated before this (less LIVE_LAG) are in ``state``


# Per worker process: the live state of the consultations it folded lately. The model
# file is read once per base; later folds only read the votes since the last one.
_LIVE: OrderedDict[int, _Cached] = OrderedDict()
_LIVE_SIZE = 4


def fold_votes(live_id: int) -> None:
    """Fold the votes cast since the last full computation into its live row, then
    apply the drift rule. Run by the worker (the demo and the tests call it)."""
    claimed = OpinionSnapshot.objects.filter(
        pk=live_id, kind=INCREMENTAL, fold_requested_at__isnull=False
    ).update(fold_requested_at=None)
    if not claimed:
        return  # another fold took it: it reads the same votes or later ones
    row = OpinionSnapshot.objects.filter(pk=live_id).values("consultation_id", "base_id").first()
    if row is None:
        return
    consultation_id = row["consultation_id"]
    base = (
        OpinionSnapshot.objects.filter(pk=row["base_id"])
        .only("pk", "started_at", "finished_at", "votes_counted")
        .annotate(moderated_out=KT("result__moderated_out"))
        .first()
    )
    latest = latest_done(Consultation(pk=consultation_id))
    if base is None or latest is None or latest.pk != base.pk:
        _schedule(consultation_id)  # a newer full computation took over: fold into it
        return
    cached = _live_state(consultation_id, base)
    if cached is None:
        logger.warning("no opinion model for snapshot %s here: full computation", base.pk)
        with transaction.atomic():
            Consultation.objects.select_for_update().filter(pk=consultation_id).first()
            _queue_full(Consultation.objects.get(pk=consultation_id))
        return
    read_at = timezone.now()
    votes = list(
        ConsultationVote.objects.filter(
            consultation_id=consultation_id,
            updated_at__gt=cached.folded_until - LIVE_LAG,
            statement__status=ConsultationStatement.Status.ACCEPTED,
        )
        .order_by("updated_at", "pk")
        .values_list("participant_id", "statement_id", "value")
    )
    if votes:
        users, statement_ids, values = zip(*votes, strict=True)
        cached.state = live.fold(cached.state, users, statement_ids, values)
    cached.folded_until = read_at
    state = cached.state
    folded = ConsultationVote.objects.filter(
        consultation_id=consultation_id, updated_at__gt=base.started_at
    ).count()
    accepted = set(
        ConsultationStatement.objects.filter(
            consultation_id=consultation_id, status=ConsultationStatement.Status.ACCEPTED
        ).values_list("pk", flat=True)
    )
    drift = live.Drift(
        base_votes=base.votes_counted,
        folded_votes=folded,
        new_statement_votes=int(state.overall[2, state.base_statements :].sum()),
        removed_statements=len(set(state.statements[: state.base_statements]) - accepted),
        age_seconds=(read_at - base.finished_at).total_seconds(),
    )
    data = live.result_data(state)
    points = live.map_points(state, max_points=MAP_POINTS, first_grid=FIRST_GRID)
    data["summary"]["map"] = [[round(x, 6), round(y, 6), g, c] for x, y, g, c in points]
    data["moderated_out"] = json.loads(base.moderated_out or "[]")
    # The places of those whose votes this fold changed: with the earlier folds', the
    # live row has the place of everyone who voted since the base, and only theirs.
    places = {
        pseudonym(consultation_id, int(user)): place
        for user, place in live.positions(state, state.changed if votes else ()).items()
    }
    with transaction.atomic():
        # A slower fold never overwrites a fresher one (the row's lock orders them).
        written = (
            OpinionSnapshot.objects.filter(pk=live_id)
            .filter(Q(started_at__isnull=True) | Q(started_at__lt=read_at))
            .update(
                status=OpinionSnapshot.Status.DONE,
                progress=100,
                started_at=read_at,
                finished_at=timezone.now(),
                votes_counted=data["summary"]["votes"],
                new_votes=folded,
                result=data,
            )
        )
        if written and places:
            OpinionPlace.objects.bulk_create(
                opinion_places(live_id, places),
                update_conflicts=True,
                unique_fields=["snapshot", "participant"],
                update_fields=["group", "x", "y"],
            )
    reason = live.full_recomputation_due(drift)
    if reason:
        logger.info("consultation %s: full computation due (%s)", consultation_id, reason)
        with transaction.atomic():
            consultation = (
                Consultation.objects.select_for_update().filter(pk=consultation_id).first()
            )
            if consultation is not None:
                _queue_full(consultation)


def _live_state(consultation_id: int, base: OpinionSnapshot) -> _Cached | None:
    cached = _LIVE.get(consultation_id)
    if cached is None or cached.base_id != base.pk:
        for path in _model_paths(consultation_id, base.pk):
            try:
                state = live.load_base(path)
                break
            except FileNotFoundError:
                continue
            except ValueError:  # cut short by a crash, or of a format this code predates
                logger.exception("unreadable opinion model %s", path)
                return None
        else:
            return None
        cached = _Cached(base.pk, state, base.started_at)
    _remember(consultation_id, cached)
    return cached


def _remember(consultation_id: int, cached: _Cached) -> None:
    _LIVE[consultation_id] = cached
    _LIVE.move_to_end(consultation_id)
    while len(_LIVE) > _LIVE_SIZE:
        _LIVE.popitem(last=False)


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
    # The labels come from the last full computation, whose groups the live row kept
    # (the live row has the places of those who voted since only).
    last = latest_done(consultation)
    groups = (
        OpinionSnapshot.objects.filter(pk=last.pk).values_list("result__groups", flat=True)[0]
        if last
        else None
    )
    if not groups:
        return None
    label = dict(
        OpinionPlace.objects.filter(snapshot=last, group__isnull=False).values_list(
            "participant", "group"
        )
    )
    return _PreviousLabels(
        groups=tuple(_PreviousGroup(g["id"]) for g in groups),
        labels=np.array([label.get(p, -1) for p in pids], dtype=np.int64),
    )


# --------------------------------------------------------------------------- reading


def export_results(*, member, consultation: Consultation) -> dict | None:
    """The CLI's JSON format for the last finished snapshot (participants are
    pseudonyms), or None when there is none yet. Facilitators only; audited."""
    if not perms.can_export_results(member, consultation):
        raise PermissionDenied
    # The full computation: it alone holds every participant's group and place.
    snapshot = (
        OpinionSnapshot.objects.filter(
            consultation=consultation, status=OpinionSnapshot.Status.DONE, kind=FULL
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
    # The engine's export format, with the members and places kept apart put back in
    # the engine's row order (the order they were written in).
    rows = snapshot.places.order_by("pk").values_list("participant", "group", "x", "y")
    places = {p: {"group": g, "x": x, "y": y} for p, g, x, y in rows}
    members = {}
    for p, place in places.items():
        members.setdefault(place["group"], []).append(p)
    data["groups"] = [{**g, "participants": members.get(g["id"], [])} for g in data["groups"]]
    data["participants"] = places
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
    """Statement ids of the common ground the page shows (the live result's when
    there is one)."""
    rows = _shown(consultation).values_list("kind", "result__summary__common_ground")
    shown = dict(rows)
    return list(shown.get(INCREMENTAL) or shown.get(FULL) or [])


def _shown(consultation):
    """The last full computation and its live row (when a fold is done): at most
    two rows, one query."""
    last_full = (
        OpinionSnapshot.objects.filter(
            consultation=consultation, status=OpinionSnapshot.Status.DONE, kind=FULL
        )
        .order_by("-finished_at", "-pk")
        .values("pk")[:1]
    )
    return OpinionSnapshot.objects.filter(
        Q(pk=Subquery(last_full)) | Q(base_id=Subquery(last_full), kind=INCREMENTAL),
        consultation=consultation,
        status=OpinionSnapshot.Status.DONE,
    )


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
    # Which result is shown: the full computation (``snapshot``), or its live row,
    # which folded ``new_votes`` votes cast since into it, at ``shown_at``.
    incremental: bool = False
    new_votes: int = 0
    shown_at: datetime | None = None
    votes_shown: int = 0  # votes the shown result counts


def first_of_lists(publication: Publication, count: int = SHOWN_PER_LIST) -> list:
    """The first `count` statements of the common ground, then of the divisive ones."""
    return [*publication.common_ground[:count], *publication.divisive[:count]]


def results_view(consultation, member, *, listed=first_of_lists) -> ResultsView:
    """Five queries whatever the number of participants, statements or votes: the
    summary is read inside the database, and the viewer's own place is one indexed
    row of ``OpinionPlace``. The last full computation and its live row come in one
    query with them; the live row's summary wins, and the viewer's place is the live
    row's when they voted since the full computation. Only the statements the page
    shows are read: the groups' representative ones and `listed(publication)`."""
    place = OpinionPlace.objects.filter(
        snapshot=OuterRef("pk"), participant=pseudonym(consultation.pk, member.user_id)
    )
    rows = {
        r["kind"]: r
        for r in _shown(consultation)
        .annotate(x=Subquery(place.values("x")[:1]), y=Subquery(place.values("y")[:1]))
        .values(
            "pk",
            "kind",
            "finished_at",
            "started_at",
            "votes_counted",
            "new_votes",
            "result__summary",
            "x",
            "y",
        )
    }
    pending = pending_snapshot(consultation)
    row = rows.get(FULL)
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
    shown = rows.get(INCREMENTAL) or row
    publication = publish(shown["result__summary"])
    ids = {r.statement for g in publication.groups for r in g.representative}
    ids |= {s.statement for s in listed(publication)}
    statements = consultation.statements.in_bulk(ids)
    position = shown if shown["x"] is not None else row
    you = (position["x"], position["y"]) if position["x"] is not None else None
    adopted = frozenset(
        CollectiveInterest.objects.filter(
            collective_id=consultation.collective_id, from_statement_id__in=ids
        ).values_list("from_statement_id", flat=True)
    )
    return ResultsView(
        snapshot,
        publication,
        statements,
        you,
        pending,
        adopted,
        incremental=shown is not row,
        new_votes=shown["new_votes"] if shown is not row else 0,
        shown_at=shown["finished_at"],
        votes_shown=shown["votes_counted"],
    )


def results_list(consultation, member, *, which: str, page, per_page: int):
    """One list of the results ("common_ground" or "divisive") a page at a time, with
    the queries of `results_view` whatever the page or the list's length: only that
    page's statements are read. A page number out of range gives the last page, one
    that is not a number the first (Paginator.get_page). The page is None when no
    result is computed yet."""
    if which not in LISTS:
        raise ValueError(which)
    pages = []

    def listed(publication):
        pages.append(Paginator(getattr(publication, which), per_page).get_page(page))
        return pages[0].object_list

    view = results_view(consultation, member, listed=listed)
    return view, (pages[0] if pages else None)
