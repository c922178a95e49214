"""Live results: folding new votes into the last full computation, and when to
compute everything again. Pure (numpy only, no Django), as the engine.

A **base** is what a full ``compute`` leaves behind for ``update``: the engine's
model (the vote matrix it saw, centring means, components, centroids, each
participant's group and the per-group counts) with the ids of its rows
(participants) and columns (statements). ``save_base`` writes it as one file (a
JSON header, then the arrays, raw and aligned), ``load_base`` maps it back into a
``LiveState``, which also carries what the results summary needs besides the
groups: every statement's overall counts and the number of participants who voted.

``fold`` applies a batch of votes, given with the product's ids, to a state:
new participants and statements extend the matrix, the engine's ``update`` moves
the participants concerned to their nearest existing group. Folding a vote that is
already counted with the same value changes nothing, so a caller may fold a
window of votes that overlaps what it already folded.

``full_recomputation_due`` is the drift rule: when the live result has drifted far
enough from a full computation that one must run again (see ``DriftRule``).
"""

from __future__ import annotations

import json
import math
import mmap
import os
import struct
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import scipy.sparse as sp

from .opinion_groups import (
    _OFFSET,
    AGREE,
    DISAGREE,
    Params,
    Result,
    VoteMatrix,
    _current_row,
    _Model,
    _summarise,
    update,
)
from .publication import FORMAT

BASE_FORMAT = 2


# --------------------------------------------------------------------------- drift rule


@dataclass(frozen=True)
class DriftRule:
    """When the live result must give way to a full computation.

    The incremental update keeps the axes, the centring means and the centroids of
    the last full computation, and moves only the participants who voted. That is
    exact for the counts (shares, representative statements, common ground) but
    lets the map and the groups drift as votes accumulate: statements nobody had
    voted on carry no weight on the axes, and a new opinion group cannot appear.
    A full computation is due as soon as one of these holds:

    - there is no full computation yet (``first``);
    - a statement the full computation counted is no longer open to votes
      (``statements_removed``): its votes must leave the map, which ``update``
      cannot do;
    - the votes folded in since reach ``folded_share`` (10 %) of the votes the full
      computation counted, at least ``folded_min`` (25) and at most ``folded_max``
      (100,000) (``folded``): small consultations are recomputed as often as
      before, large ones at a bounded cost of catching up;
    - the votes on statements the full computation did not know reach
      ``new_statement_share`` (2 %) of its votes, at least ``folded_min``
      (``new_statements``): a new statement has no axis weight until then;
    - votes were folded in and the full computation is older than ``max_age``
      (10 min) (``age``), so that drift never lasts.
    """

    folded_min: int = 25
    folded_share: float = 0.10
    folded_max: int = 100_000
    new_statement_share: float = 0.02
    max_age_seconds: float = 600.0


@dataclass(frozen=True)
class Drift:
    """How far the live result is from the last full computation."""

    base_votes: int | None  # votes the full computation counted; None when there is none
    folded_votes: int = 0  # votes cast (new or changed) since it started
    new_statement_votes: int = 0  # of which on statements it did not know
    removed_statements: int = 0  # statements it counted that are no longer open to votes
    age_seconds: float = 0.0  # since it finished


def full_recomputation_due(drift: Drift, rule: DriftRule | None = None) -> str:
    """The reason a full computation is due ("first", "statements_removed",
    "folded", "new_statements", "age"), or "" when folding votes in is enough."""
    rule = rule or DriftRule()
    if drift.base_votes is None:
        return "first"
    if drift.removed_statements > 0:
        return "statements_removed"
    folded_bound = max(
        rule.folded_min, min(rule.folded_max, math.ceil(rule.folded_share * drift.base_votes))
    )
    if drift.folded_votes >= folded_bound:
        return "folded"
    new_bound = max(rule.folded_min, math.ceil(rule.new_statement_share * drift.base_votes))
    if drift.new_statement_votes >= new_bound:
        return "new_statements"
    if drift.folded_votes > 0 and drift.age_seconds >= rule.max_age_seconds:
        return "age"
    return ""


# --------------------------------------------------------------------------- state


@dataclass
class LiveState:
    """A full computation's result with the votes folded in since."""

    result: Result
    participants: list  # row -> the caller's participant id
    statements: list  # column -> the caller's statement id
    base_statements: int  # columns the full computation had (later ones are new)
    overall: np.ndarray  # (3, m) agree, disagree, all votes on each statement, everyone
    voted: int  # participants with at least one vote
    changed: frozenset = frozenset()  # participant ids whose votes the last fold changed
    _rows: dict = field(default_factory=dict, repr=False)
    _cols: dict = field(default_factory=dict, repr=False)

    def __post_init__(self):
        if len(self._rows) != len(self.participants):
            self._rows = {p: i for i, p in enumerate(self.participants)}
        if len(self._cols) != len(self.statements):
            self._cols = {s: j for j, s in enumerate(self.statements)}

    @property
    def new_statements(self) -> list:
        return self.statements[self.base_statements :]


def _overall(matrix: VoteMatrix) -> tuple[np.ndarray, int]:
    # One bincount over (statement, vote code) pairs: it runs over every vote of a
    # full computation (1.0 s at 98 million votes, where masks and three bincounts
    # took 1.5 to 1.8 s).
    codes = matrix.codes
    m = codes.shape[1]
    pairs = codes.indices.astype(np.int32 if 4 * m < 2**31 else np.int64) * 4 + codes.data
    by_code = np.bincount(pairs, minlength=4 * m).reshape(m, 4)
    overall = np.stack(
        [by_code[:, AGREE + _OFFSET], by_code[:, DISAGREE + _OFFSET], by_code.sum(axis=1)]
    ).astype(np.int64)
    return overall, int((np.diff(codes.indptr) > 0).sum())


def start(result: Result, participants, statements) -> LiveState:
    """The live state of a full computation's result, before any vote is folded."""
    overall, voted = _overall(result.model.matrix)
    return LiveState(
        result=result,
        participants=list(participants),
        statements=list(statements),
        base_statements=len(statements),
        overall=overall,
        voted=voted,
    )


def save_base(result: Result, participants, statements, path: Path) -> LiveState:
    """Write a full computation's model (no vote folded in yet), the ids of its rows
    and columns and its overall counts, atomically (see ``load_base``). Returns its
    live state (``start``'s), so that the caller keeps folding without counting the
    votes again."""
    model = result.model
    if model.overrides or model.pending_votes:
        raise ValueError("only a full computation's model is saved")
    codes = model.matrix.codes
    state = start(result, participants, statements)
    # The index arrays keep the dtype scipy chose for them: a matrix rebuilt on the
    # mapped arrays then takes them as they are, where another dtype means a copy.
    arrays = {
        "indptr": codes.indptr,
        "indices": codes.indices,
        "data": codes.data,
        "mean": model.mean,
        "components": model.components,
        "centroids": model.centroids,
        "group_ids": model.group_ids,
        "position": model.position,
        "n_votes": model.n_votes,
        "counts": model.counts,
        "coords": result.coords,
        "overall": state.overall,
    }
    layout, offset = {}, 0
    for name, array in arrays.items():
        layout[name] = {"dtype": array.dtype.str, "shape": list(array.shape), "offset": offset}
        offset = _aligned(offset + array.nbytes)
    header = json.dumps(
        {
            "format": BASE_FORMAT,
            "shape": list(codes.shape),
            "n_active": model.n_active,
            "withdrawn": model.withdrawn,
            "threshold": model.threshold,
            "params": asdict(model.params),
            "k_scores": {str(k): v for k, v in result.k_scores.items()},
            "voted": state.voted,
            "participants": [_plain(p) for p in state.participants],
            "statements": [_plain(s) for s in state.statements],
            "arrays": layout,
        }
    ).encode()
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    with open(tmp, "wb") as out:
        out.write(_MAGIC + struct.pack("<Q", len(header)) + header)
        start_of_arrays = _aligned(out.tell())
        for name, array in arrays.items():
            out.seek(start_of_arrays + layout[name]["offset"])
            out.write(np.ascontiguousarray(array).reshape(-1).view(np.uint8))
        out.truncate(start_of_arrays + offset)  # an empty last array still lies in the file
    os.replace(tmp, path)
    return state


_MAGIC = b"\x93ALLIANCE-BASE\n"  # never the start of a zip file (format 1, ``.npz``)
_ALIGN = 64


def _aligned(offset: int) -> int:
    return -(-offset // _ALIGN) * _ALIGN


def load_base(path: Path) -> LiveState:
    """Read a base written by ``save_base``, in milliseconds whatever its size: the
    arrays are mapped from the file, read-only, and the operating system reads only
    the pages a fold touches (the rows of the participants who voted; ``update``
    keeps their new votes beside the mapped matrix, never copying it). A base of
    format 1 (one ``.npz``, written before format 2) is read whole, once."""
    with open(path, "rb") as f:
        magic = f.read(len(_MAGIC))
        if magic.startswith(b"PK"):
            return _load_npz(path)
        if magic != _MAGIC:
            raise ValueError(f"{path} is not an opinion model")
        (size,) = struct.unpack("<Q", f.read(8))
        meta = json.loads(f.read(size))
        if meta.get("format") != BASE_FORMAT:
            raise ValueError(f"unknown base format {meta.get('format')!r}")
        start_of_arrays = _aligned(f.tell())
        # The mapping outlives the file's removal by a newer full computation.
        mapped = mmap.mmap(f.fileno(), 0, access=mmap.ACCESS_READ)
    arrays = {}
    for name, spec in meta["arrays"].items():
        dtype, shape = np.dtype(spec["dtype"]), tuple(spec["shape"])
        count = math.prod(shape)
        offset = start_of_arrays + spec["offset"]
        arrays[name] = np.frombuffer(mapped, dtype, count, offset).reshape(shape)
    codes = sp.csr_array(
        (arrays["data"], arrays["indices"], arrays["indptr"]), shape=tuple(meta["shape"])
    )
    result = _summarise(
        _model(codes, arrays, meta),
        arrays["coords"],
        {int(k): v for k, v in meta["k_scores"].items()},
    )
    statements = meta["statements"]
    return LiveState(
        result=result,
        participants=meta["participants"],
        statements=statements,
        base_statements=len(statements),
        overall=arrays["overall"],
        voted=meta["voted"],
    )


def _model(codes: sp.csr_array, arrays: dict, meta: dict) -> _Model:
    return _Model(
        matrix=VoteMatrix(codes),
        overrides={},
        mean=arrays["mean"],
        components=arrays["components"],
        n_active=meta["n_active"],
        withdrawn=meta["withdrawn"],
        threshold=meta["threshold"],
        centroids=arrays["centroids"],
        group_ids=arrays["group_ids"],
        position=arrays["position"],
        n_votes=arrays["n_votes"],
        counts=arrays["counts"],
        params=Params(**meta["params"]),
    )


def _load_npz(path: Path) -> LiveState:
    """A base of format 1: one uncompressed ``.npz`` with 16-bit column indices."""
    with np.load(path, allow_pickle=False) as f:
        meta = json.loads(f["meta"].tobytes())
        if meta.get("format") != 1:
            raise ValueError(f"unknown base format {meta.get('format')!r}")
        arrays = {name: f[name] for name in f.files if name != "meta"}
    codes = sp.csr_array(
        (arrays["data"], arrays["indices"].astype(np.int32), arrays["indptr"]),
        shape=tuple(meta["shape"]),
    )
    k_scores = {int(k): v for k, v in meta["k_scores"].items()}
    result = _summarise(_model(codes, arrays, meta), arrays["coords"], k_scores)
    return start(result, meta["participants"], meta["statements"])


def _plain(x: Any) -> Any:
    return x.item() if isinstance(x, np.generic) else x


# --------------------------------------------------------------------------- folding


def fold(state: LiveState, participants, statements, values) -> LiveState:
    """Fold votes given with the caller's ids (last one wins) into ``state``.
    Returns a new state; ``state`` is left as it was."""
    participants, statements = list(participants), list(statements)
    values = np.asarray(values, dtype=np.int8)
    if not (len(participants) == len(statements) == len(values)):
        raise ValueError("participants, statements and votes must have one length")
    rows_of, cols_of = dict(state._rows), dict(state._cols)
    new_participants, new_statements = list(state.participants), list(state.statements)
    p = np.empty(len(participants), dtype=np.int64)
    s = np.empty(len(statements), dtype=np.int64)
    for index, (pid, sid) in enumerate(zip(participants, statements, strict=True)):
        row = rows_of.get(pid)
        if row is None:
            row = rows_of[pid] = len(new_participants)
            new_participants.append(pid)
        col = cols_of.get(sid)
        if col is None:
            col = cols_of[sid] = len(new_statements)
            new_statements.append(sid)
        p[index], s[index] = row, col
    old_model = state.result.model
    touched = sorted(set(p.tolist()))
    before = [_current_row(old_model, i) for i in touched]
    result = update(state.result, p, s, values)
    after = [_current_row(result.model, i) for i in touched]
    m = len(new_statements)
    overall = np.zeros((3, m), dtype=np.int64)
    overall[:, : state.overall.shape[1]] = state.overall
    voted = state.voted
    changed = []
    for i, (st0, vo0), (st1, vo1) in zip(touched, before, after, strict=True):
        if dict(zip(st0.tolist(), vo0.tolist(), strict=True)) == dict(
            zip(st1.tolist(), vo1.tolist(), strict=True)
        ):
            continue  # a vote folded again: nothing moves
        changed.append(new_participants[i])
        _add(overall, st0, vo0, -1)
        _add(overall, st1, vo1, +1)
        voted += int(len(st1) > 0) - int(len(st0) > 0)
    return LiveState(
        result=result,
        participants=new_participants,
        statements=new_statements,
        base_statements=state.base_statements,
        overall=overall,
        voted=voted,
        changed=frozenset(changed),
        _rows=rows_of,
        _cols=cols_of,
    )


def _add(overall: np.ndarray, st: np.ndarray, vo: np.ndarray, sign: int) -> None:
    np.add.at(overall[0], st[vo == AGREE], sign)
    np.add.at(overall[1], st[vo == DISAGREE], sign)
    np.add.at(overall[2], st, sign)


# --------------------------------------------------------------------------- reading


def summary(state: LiveState) -> dict[str, Any]:
    """The results summary (``publication.snapshot_data``'s ``summary``, which the
    page reads) of a live state, without the map: the caller bins ``map_points``."""
    result = state.result
    sids = [str(s) for s in state.statements]
    group_rows = []
    group_votes = {}
    for index, g in enumerate(result.groups):
        group_votes[str(g.id)] = _by_statement(result.counts[:, index], sids)
        group_rows.append(
            {
                "id": g.id,
                "size": g.size,
                "centroid": [round(g.centroid[0], 6), round(g.centroid[1], 6)],
                "representative": [
                    {
                        "statement": _plain(state.statements[r.statement]),
                        "direction": r.direction,
                        "n_success": r.n_success,
                        "n_trials": r.n_trials,
                        "p": round(r.p, 6),
                        "p_z": round(r.p_z, 6),
                        "repness": round(r.repness, 6),
                        "repness_z": round(r.repness_z, 6),
                        "significant": r.significant,
                    }
                    for r in g.representative
                ],
            }
        )
    votes = state.overall[2]
    return {
        "format": FORMAT,
        "participants": state.voted,
        "votes": int(votes.sum()),
        "groups": group_rows,
        "group_votes": group_votes,
        "statement_votes": _by_statement(state.overall, sids),
        "common_ground": [_plain(state.statements[j]) for j in result.common_ground],
        "map": [],
    }


def _by_statement(counts: np.ndarray, sids: list[str]) -> dict[str, list[int]]:
    """{statement id: [agree, disagree, votes]} of the statements with votes, from a
    (3, m) array: in numpy, as it runs on every fold over every statement."""
    voted = np.flatnonzero(counts[2])
    return dict(zip([sids[j] for j in voted.tolist()], counts[:, voted].T.tolist(), strict=True))


def result_data(state: LiveState) -> dict[str, Any]:
    """The top-level keys of a full computation's stored result (the export format,
    ``Result.to_json_dict``) for a live state, except each participant's place:
    groups as the stored full computation has them (without member lists), and
    ``summary``. Readers of "the last result" find the same keys whichever kind it
    is."""
    result = state.result
    sids = [_plain(s) for s in state.statements]
    data = summary(state)
    groups = [dict(g) for g in data["groups"]]
    return {
        "n_participants": len(state.participants),
        "n_statements": len(sids),
        "n_votes": int(result.model.n_votes.sum()),
        "n_grouped": int((result.labels >= 0).sum()),
        "k_scores": {str(k): round(v, 6) for k, v in result.k_scores.items()},
        "groups": groups,
        "common_ground": [sids[j] for j in result.common_ground],
        "divisive": [sids[j] for j in result.divisive],
        "consensus": {str(sids[j]): round(float(c), 6) for j, c in enumerate(result.consensus)},
        "consensus_disagree": {
            str(sids[j]): round(float(c), 6) for j, c in enumerate(result.consensus_disagree)
        },
        "summary": data,
    }


def positions(state: LiveState, participants) -> dict:
    """{participant id: {"group", "x", "y"}} for the given participants (the format
    of the engine's export ``participants``)."""
    result = state.result
    out = {}
    for i in (state._rows[p] for p in participants):
        label = int(result.labels[i])
        out[state.participants[i]] = {
            "group": label if label >= 0 else None,
            "x": round(float(result.coords[i, 0]), 6),
            "y": round(float(result.coords[i, 1]), 6),
        }
    return out


MapPointTuple = tuple[float, float, int | None, int]


def map_points(state: LiveState, *, max_points: int, first_grid: int) -> list[MapPointTuple]:
    """The map's weighted points (x, y, group id or None, participants) for everyone
    who voted, binned as ``alliance.charts.opinion_map.bin_points`` bins them (one
    point per group and cell of a grid over the map, the grid halved from
    ``first_grid`` cells a side until at most ``max_points`` cells are occupied),
    but vectorised (cells counted by ``bincount``, not sorted): a live update stays
    fast at any number of participants."""
    result = state.result
    voted = np.flatnonzero(result.model.n_votes > 0)
    if voted.size == 0:
        return []
    x, y = result.coords[voted, 0], result.coords[voted, 1]
    group = result.labels[voted] + 1  # 0: in no group
    n_groups = len(np.unique(group))
    side = first_grid
    while True:
        key = (group * side + _cells(x, side)) * side + _cells(y, side)
        cells = int(group.max() + 1) * side * side
        count = np.bincount(key, minlength=cells)
        occupied = np.flatnonzero(count)
        if len(occupied) <= max_points or side == 1 or n_groups > max_points:
            break
        side //= 2
    count = count[occupied]
    sx = np.bincount(key, weights=x, minlength=cells)[occupied] / count
    sy = np.bincount(key, weights=y, minlength=cells)[occupied] / count
    labels = occupied // (side * side) - 1
    return [
        (float(a), float(b), int(g) if g >= 0 else None, int(c))
        for a, b, g, c in zip(sx, sy, labels, count, strict=True)
    ]


def _cells(values: np.ndarray, side: int) -> np.ndarray:
    low, high = values.min(), values.max()
    if high <= low:
        return np.zeros(len(values), dtype=np.int64)
    return np.minimum(((values - low) / (high - low) * side).astype(np.int64), side - 1)
