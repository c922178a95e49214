"""Read a Pol.is open-data export folder (``votes.csv``, ``comments.csv``).

Every problem is reported as an :class:`ExportError` whose message is one line
naming the file and the line (``votes.csv:12: unknown vote value '2' ...``).
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from alliance.consensus.opinion_groups import VoteMatrix

VOTES_COLUMNS = ("timestamp", "comment-id", "voter-id", "vote")
COMMENTS_COLUMNS = ("comment-id", "moderated")


class ExportError(Exception):
    """A malformed export; ``str()`` is a one-line message naming file and line."""

    def __init__(self, path: Path, line: int | None, message: str) -> None:
        self.path, self.line, self.message = path, line, message
        where = f"{path}:{line}" if line is not None else f"{path}"
        super().__init__(f"{where}: {message}")


@dataclass(frozen=True)
class PolisExport:
    matrix: VoteMatrix  # rows: participant_ids, columns: statement_ids
    participant_ids: list[int]  # voter-id of each row
    statement_ids: list[int]  # comment-id of each column (moderated-out comments excluded)
    moderated_out: list[int]  # comment ids excluded (moderated == -1)


def _rows(path: Path, required: tuple[str, ...]):
    """Yield (line number, row dict) after checking the header."""
    if not path.is_file():
        raise ExportError(path, None, "file not found")
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise ExportError(path, None, f"cannot read: {exc.strerror}") from exc
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise ExportError(path, line, "not UTF-8 text") from None
    del raw
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        header = next(reader, None)
        if header is None:
            raise ExportError(path, 1, "empty file, expected a header line")
        header = [h.strip() for h in header]
        missing = [c for c in required if c not in header]
        if missing:
            raise ExportError(path, 1, f"missing column {', '.join(map(repr, missing))}")
        where = {c: header.index(c) for c in required}
        for row in reader:
            line = reader.line_num
            if not row or all(not x.strip() for x in row):
                continue
            if len(row) < len(header):
                raise ExportError(path, line, f"expected {len(header)} fields, found {len(row)}")
            yield line, {c: row[i].strip() for c, i in where.items()}
    except csv.Error as exc:
        raise ExportError(path, reader.line_num, f"malformed CSV: {exc}") from exc


def _int(path: Path, line: int, column: str, text: str) -> int:
    try:
        return int(text)
    except ValueError:
        try:
            value = float(text)
        except ValueError:
            value = float("nan")
        if value == value and value == int(value):  # "1.0" is accepted
            return int(value)
        raise ExportError(path, line, f"{column} {text!r} is not an integer") from None


def read_export(folder: str | Path) -> PolisExport:
    folder = Path(folder)
    if not folder.is_dir():
        raise ExportError(folder, None, "not a folder")
    comments_path, votes_path = folder / "comments.csv", folder / "votes.csv"

    statements: list[int] = []
    moderated_out: list[int] = []
    seen: set[int] = set()
    for line, row in _rows(comments_path, COMMENTS_COLUMNS):
        cid = _int(comments_path, line, "comment-id", row["comment-id"])
        mod = _int(comments_path, line, "moderated", row["moderated"])
        if mod not in (-1, 0, 1):
            raise ExportError(
                comments_path,
                line,
                f"unknown moderated value {row['moderated']!r} (expected -1, 0 or 1)",
            )
        if cid in seen:
            raise ExportError(comments_path, line, f"duplicate comment-id {cid}")
        seen.add(cid)
        (moderated_out if mod == -1 else statements).append(cid)
    if not seen:
        raise ExportError(comments_path, 2, "no comment")

    stamps: list[int] = []
    voters: list[int] = []
    cids: list[int] = []
    values: list[int] = []
    for line, row in _rows(votes_path, VOTES_COLUMNS):
        stamp = _int(votes_path, line, "timestamp", row["timestamp"])
        cid = _int(votes_path, line, "comment-id", row["comment-id"])
        voter = _int(votes_path, line, "voter-id", row["voter-id"])
        try:
            vote = int(row["vote"])
        except ValueError:
            vote = 99
        if vote not in (-1, 0, 1) or row["vote"] not in ("-1", "0", "1", "+1"):
            raise ExportError(
                votes_path, line, f"unknown vote value {row['vote']!r} (expected -1, 0 or 1)"
            )
        if cid not in seen:
            raise ExportError(votes_path, line, f"comment-id {cid} is not in comments.csv")
        stamps.append(stamp)
        voters.append(voter)
        cids.append(cid)
        values.append(vote)
    if not stamps:
        raise ExportError(votes_path, 2, "no vote")

    statements.sort()
    col_of = {cid: j for j, cid in enumerate(statements)}
    # The last vote by timestamp wins; equal timestamps keep the file order.
    order = np.argsort(np.asarray(stamps, dtype=np.int64), kind="stable")
    voter_arr = np.asarray(voters, dtype=np.int64)[order]
    cid_arr = np.asarray(cids, dtype=np.int64)[order]
    vote_arr = np.asarray(values, dtype=np.int8)[order]
    participant_ids = sorted(set(voters))
    row_of = {pid: i for i, pid in enumerate(participant_ids)}
    active = np.fromiter((c in col_of for c in cid_arr.tolist()), dtype=bool, count=cid_arr.size)
    rows = np.fromiter((row_of[x] for x in voter_arr[active].tolist()), dtype=np.int64)
    cols = np.fromiter((col_of[c] for c in cid_arr[active].tolist()), dtype=np.int64)
    matrix = VoteMatrix.from_votes(
        rows, cols, vote_arr[active], shape=(len(participant_ids), len(statements))
    )
    return PolisExport(
        matrix=matrix,
        participant_ids=participant_ids,
        statement_ids=statements,
        moderated_out=sorted(moderated_out),
    )


def read_polis_groups(folder: str | Path) -> dict[int, int]:
    """The group Pol.is assigned to each participant (``participants-votes.csv``,
    column ``group-id``), for participants it clustered."""
    path = Path(folder) / "participants-votes.csv"
    out: dict[int, int] = {}
    for line, row in _rows(path, ("participant", "group-id")):
        if row["group-id"]:
            out[_int(path, line, "participant", row["participant"])] = _int(
                path, line, "group-id", row["group-id"]
            )
    return out
