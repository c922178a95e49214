"""What a consultation's results may show, as plain Python (no Django).

The engine (``opinion_groups``) knows every participant's group and position.
Members see less, by these rules:

- **No small group.** A group of fewer than ``MIN_GROUP_SIZE`` (5) participants is
  not shown as a group: its members are counted with the participants who voted
  too little, as "not in a group large enough", its representative statements are
  not shown, and it plays no part in which statements are called divisive.
- **No individual vote.** Nothing here carries a participant's id or vote: only
  counts over a group, or over everyone. A share (e.g. "80 % agree") is shown only
  when at least ``MIN_SHARE_VOTES`` (5) people voted on that statement in that set
  of people; below, the page says there are too few votes.
- **Representative statements** of a shown group: the engine's significant ones
  (both z-tests above the 90 % one-sided threshold) that at least
  ``MIN_SHARE_VOTES`` group members voted on.
- **Common ground**: the engine's (a significant majority agrees in every group,
  small ones included: hiding a group never makes a statement common ground).
- **Divisive statements**, over the shown groups only: a statement is divisive when
  in one shown group a significant majority agrees and in another a significant
  majority disagrees (Laplace-smoothed share above ½ with its one-proportion
  z-test above 1.2816, the engine's test). They are ordered by the spread between
  the highest and the lowest agree share among the shown groups.

``snapshot_data`` turns an engine result into the JSON a snapshot keeps; ``publish``
reads the ``summary`` part of it (never the per-participant parts). Pure: neither
Django nor the charts (the caller bins the map's points).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from .opinion_groups import AGREE, DISAGREE, Result, VoteMatrix

MIN_GROUP_SIZE = 5
MIN_SHARE_VOTES = 5
Z_90 = 1.2815515655446004  # one-sided 90 %, as the engine
FORMAT = 1


# --------------------------------------------------------------------------- stored data


def snapshot_data(
    result: Result,
    matrix: VoteMatrix,
    participant_ids: Sequence[str],
    statement_ids: Sequence[int],
) -> dict[str, Any]:
    """The JSON a snapshot keeps: the export format (``Result.to_json_dict``: groups
    with their participants, each participant's group and position) plus a
    ``summary`` without any participant id, which is all the results page reads."""
    data = result.to_json_dict(participant_ids, statement_ids)
    codes = matrix.codes
    m = codes.shape[1]
    values = codes.data.astype(np.int8) - 2
    cols = codes.indices
    agree = np.bincount(cols[values == AGREE], minlength=m)
    disagree = np.bincount(cols[values == DISAGREE], minlength=m)
    votes = np.bincount(cols, minlength=m)
    sids = [str(s) for s in statement_ids]
    group_votes = {}
    for index, group in enumerate(result.groups):
        a, d, n = (result.counts[c, index] for c in range(3))
        group_votes[str(group.id)] = {
            sid: [int(a[j]), int(d[j]), int(n[j])] for j, sid in enumerate(sids) if n[j]
        }
    voted = np.flatnonzero(np.diff(codes.indptr) > 0)
    data["summary"] = {
        "format": FORMAT,
        "participants": int(voted.size),
        "votes": int(codes.nnz),
        "groups": [{k: v for k, v in g.items() if k != "participants"} for g in data["groups"]],
        "group_votes": group_votes,
        "statement_votes": {
            sid: [int(agree[j]), int(disagree[j]), int(votes[j])]
            for j, sid in enumerate(sids)
            if votes[j]
        },
        "common_ground": data["common_ground"],
        # Weighted points (x, y, group id or None, participants), added by the caller
        # from ``map_positions``: binning belongs to the chart.
        "map": [],
    }
    return data


def map_positions(result: Result, matrix: VoteMatrix):
    """(x, y, group id or None) of every participant who voted."""
    voted = np.flatnonzero(np.diff(matrix.codes.indptr) > 0)
    for i in voted.tolist():
        label = int(result.labels[i])
        yield float(result.coords[i, 0]), float(result.coords[i, 1]), label if label >= 0 else None


# --------------------------------------------------------------------------- publication


@dataclass(frozen=True)
class Share:
    """Votes on one statement within a set of people (a group, or everyone)."""

    agree: int
    disagree: int
    votes: int  # agree, disagree and pass

    @property
    def shown(self) -> bool:
        return self.votes >= MIN_SHARE_VOTES

    @property
    def agree_percent(self) -> float:
        return 100.0 * self.agree / self.votes if self.votes else 0.0

    @property
    def disagree_percent(self) -> float:
        return 100.0 * self.disagree / self.votes if self.votes else 0.0


NO_VOTES = Share(0, 0, 0)


@dataclass(frozen=True)
class ShownRepresentative:
    statement: int
    direction: str  # "agree" | "disagree"
    share: Share  # the group's votes on the statement


@dataclass(frozen=True)
class ShownGroup:
    id: int  # the engine's stable label
    size: int
    centroid: tuple[float, float]
    representative: tuple[ShownRepresentative, ...]


@dataclass(frozen=True)
class StatementResult:
    statement: int
    overall: Share
    by_group: tuple[tuple[int, Share], ...]  # (shown group id, its votes), groups order


@dataclass(frozen=True)
class Publication:
    participants: int  # everyone who voted at least once
    votes: int
    groups: tuple[ShownGroup, ...]
    others: int  # participants in no shown group
    common_ground: tuple[StatementResult, ...]
    divisive: tuple[StatementResult, ...]
    map: tuple[tuple[float, float, int | None, int], ...]  # x, y, shown group or None, count


def publish(summary: Mapping[str, Any]) -> Publication:
    """What members may see of a snapshot's ``summary`` (see the module)."""
    if summary.get("format") != FORMAT:
        raise ValueError(f"unknown results format {summary.get('format')!r}")
    group_votes = summary["group_votes"]
    shown = [g for g in summary["groups"] if g["size"] >= MIN_GROUP_SIZE]
    shown_ids = [g["id"] for g in shown]

    def share(votes: Mapping[str, list[int]] | None, statement) -> Share:
        counts = (votes or {}).get(str(statement))
        return Share(*counts) if counts else NO_VOTES

    def statement_result(statement) -> StatementResult:
        return StatementResult(
            statement=statement,
            overall=share(summary["statement_votes"], statement),
            by_group=tuple((gid, share(group_votes.get(str(gid)), statement)) for gid in shown_ids),
        )

    groups = []
    for g in shown:
        reps = []
        for r in g["representative"]:
            s = share(group_votes.get(str(g["id"])), r["statement"])
            if r["significant"] and s.shown:
                reps.append(ShownRepresentative(r["statement"], r["direction"], s))
        groups.append(
            ShownGroup(
                id=g["id"],
                size=g["size"],
                centroid=(float(g["centroid"][0]), float(g["centroid"][1])),
                representative=tuple(reps),
            )
        )
    divisive = divisive_statements({gid: group_votes.get(str(gid), {}) for gid in shown_ids})
    known = set(shown_ids)
    return Publication(
        participants=summary["participants"],
        votes=summary["votes"],
        groups=tuple(groups),
        others=summary["participants"] - sum(g.size for g in groups),
        common_ground=tuple(statement_result(s) for s in summary["common_ground"]),
        divisive=tuple(statement_result(s) for s in divisive),
        map=tuple((x, y, g if g in known else None, count) for x, y, g, count in summary["map"]),
    )


def divisive_statements(group_votes: Mapping[int, Mapping[str, Sequence[int]]]) -> list:
    """Statements one group significantly agrees with and another significantly
    rejects (see the module), most divided first. Keys of the inner mappings are
    statement ids as strings; the result keeps the ids' type when they are ints.
    In numpy over (groups, statements): the page runs it on every read, over
    thousands of statements."""
    statements = sorted({s for votes in group_votes.values() for s in votes}, key=_sort_key)
    if not statements:
        return []
    counts = np.array(
        [[votes.get(s, (0, 0, 0)) for s in statements] for votes in group_votes.values()],
        dtype=np.float64,
    )
    agree, disagree, n = counts[..., 0], counts[..., 1], counts[..., 2]
    pa, pd = (agree + 1) / (n + 2), (disagree + 1) / (n + 2)
    supported = ((pa > 0.5) & (_z(pa, n) > Z_90)).any(axis=0)
    rejected = ((pd > 0.5) & (_z(pd, n) > Z_90)).any(axis=0)
    spread = pa.max(axis=0) - pa.min(axis=0)
    out = [
        (-float(spread[j]), _sort_key(statements[j]), statements[j])
        for j in np.flatnonzero(supported & rejected).tolist()
    ]
    return [_as_id(s) for *_, s in sorted(out)]


def _z(p: np.ndarray, n: np.ndarray) -> np.ndarray:
    return 2.0 * np.sqrt(n + 2) * (p - 0.5)


def _sort_key(s: str):
    return (0, int(s), s) if s.lstrip("-").isdigit() else (1, 0, s)


def _as_id(s: str):
    return int(s) if s.lstrip("-").isdigit() else s
