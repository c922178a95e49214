"""``alliance consensus PATH --out results.json``: opinion groups of a Pol.is export.

Exit status 0 on success, 2 on bad input (a one-line message on stderr naming
the file and the line; nothing is written).
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
from pathlib import Path

from alliance.consensus.opinion_groups import Params, compute
from alliance.consensus.polis import ExportError, read_export


class _Parser(argparse.ArgumentParser):
    def error(self, message: str):  # one line, exit status 2
        self.exit(2, f"{self.prog}: error: {message}\n")


def main(argv: list[str]) -> int:
    parser = _Parser(
        prog="alliance consensus",
        description="Find opinion groups, representative statements and common ground "
        "in a Pol.is export folder (votes.csv, comments.csv).",
    )
    parser.add_argument("path", help="folder of the Pol.is export")
    parser.add_argument("--out", required=True, help="JSON file to write")
    parser.add_argument(
        "--min-votes",
        type=int,
        default=Params.min_votes,
        help="votes a participant needs to join a group (default %(default)s)",
    )
    args = parser.parse_args(argv)
    if args.min_votes < 1:
        parser.error("--min-votes must be at least 1")
    try:
        export = read_export(args.path)
    except ExportError as exc:
        print(f"alliance consensus: {exc}", file=sys.stderr)
        return 2
    result = compute(
        export.matrix, Params(min_votes=args.min_votes), withdrawn=len(export.moderated_out)
    )
    data = result.to_json_dict(export.participant_ids, export.statement_ids)
    data = {"source": str(Path(args.path)), "moderated_out": export.moderated_out, **data}
    out = Path(args.out)
    try:
        _write_atomically(out, json.dumps(data, ensure_ascii=False) + "\n")
    except OSError as exc:
        print(f"alliance consensus: {out}: cannot write: {exc.strerror}", file=sys.stderr)
        return 2
    print(
        f"{len(data['groups'])} groups over {data['n_grouped']} of {data['n_participants']} "
        f"participants, {len(data['common_ground'])} common-ground statements -> {out}"
    )
    return 0


def _write_atomically(path: Path, text: str) -> None:
    """Write to a temporary file beside ``path`` and rename it: never a half file."""
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent or ".")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(text)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
