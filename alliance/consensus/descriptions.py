"""A consultation's results told as a report, as plain Python (no Django): the
one-line description of each opinion group, how a group voted on every statement,
and participation over time.

Descriptions
------------
Pol.is' report names its groups "A", "B"... and leaves the reader to work out what
each one thinks. ``describe`` says it in one line from the group's representative
statements (``publication.ShownGroup.representative``, best first): the first one
the group agrees with and the first one it rejects, e.g. "Rather agree with “…”
and disagree with “…”". It quotes statement texts only, which every member of
the consultation already reads on the ballot: a description never names a
participant (the product does not mask names in consultation statements, which a
facilitator moderates before anyone votes, so there is nothing more to mask). The
wording comes translated from the caller (``Wording``), as charts take ``Labels``.

A facilitator may replace it with their own words; the product stores only those,
keyed by the group's stable label, so a recomputation that keeps the labels keeps
them, and a generated description follows the latest votes.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, timedelta

from .publication import NO_VOTES, Share, ShownGroup

QUOTE_LIMIT = 90  # characters of a quoted statement before it is cut


@dataclass(frozen=True)
class Wording:
    """The sentences of a description, translated by the caller. Fields:
    ``{agree}`` and ``{disagree}``, each a statement's text (cut to
    ``quote_limit``)."""

    both: str = "Rather agree with “{agree}” and disagree with “{disagree}”"
    agree_only: str = "Rather agree with “{agree}”"
    disagree_only: str = "Rather disagree with “{disagree}”"
    nothing: str = "Nothing sets this group clearly apart yet"
    quote_limit: int = QUOTE_LIMIT


def shorten(text: str, limit: int = QUOTE_LIMIT) -> str:
    """`text` on one line, without its final full stop, cut at a word boundary to at
    most `limit` characters (an ellipsis says it was cut)."""
    text = " ".join(text.split()).rstrip(".").rstrip()
    if len(text) <= limit:
        return text
    cut = text[: max(limit - 1, 1)]
    if " " in cut:
        cut = cut.rsplit(" ", 1)[0]
    return cut.rstrip(" ,;:") + "…"


def describe(group: ShownGroup, texts: Mapping[int, str], wording: Wording = Wording()) -> str:
    """The one-line description of a shown group from its representative statements
    (see the module). `texts`: statement id -> the text members read; a statement
    missing there (withdrawn since) is skipped."""
    agree = disagree = None
    for rep in group.representative:
        text = texts.get(rep.statement)
        if not text or not text.strip():
            continue
        if rep.direction == "agree" and agree is None:
            agree = shorten(text, wording.quote_limit)
        elif rep.direction == "disagree" and disagree is None:
            disagree = shorten(text, wording.quote_limit)
    if agree and disagree:
        return wording.both.format(agree=agree, disagree=disagree)
    if agree:
        return wording.agree_only.format(agree=agree)
    if disagree:
        return wording.disagree_only.format(disagree=disagree)
    return wording.nothing


# --------------------------------------------------------------------------- a group's votes


@dataclass(frozen=True)
class GroupLine:
    """One statement as a group voted on it, beside everyone's votes."""

    statement: int
    group: Share
    overall: Share

    @property
    def passed(self) -> int:
        return self.group.votes - self.group.agree - self.group.disagree


def group_profile(summary: Mapping, group_id: int, statement_ids: Iterable[int]) -> list[GroupLine]:
    """How a group voted on every statement of `statement_ids` (in that order), with
    everyone's votes beside: read from a snapshot's ``summary`` (counts only, never a
    participant). The caller checks that the group is a shown one."""
    mine = summary.get("group_votes", {}).get(str(group_id), {})
    everyone = summary.get("statement_votes", {})

    def share(votes, statement) -> Share:
        counts = votes.get(str(statement))
        return Share(*counts) if counts else NO_VOTES

    return [GroupLine(s, share(mine, s), share(everyone, s)) for s in statement_ids]


# --------------------------------------------------------------------------- participation


@dataclass(frozen=True)
class Participation:
    """Votes and participants of one period (a day or a week starting on Monday)."""

    start: date
    votes: int
    participants: int


def bucket_by(first: date, last: date) -> str:
    """ "day" when the votes span at most 45 days, "week" beyond: a chart stays
    readable on a phone either way."""
    return "day" if (last - first).days <= 45 else "week"


def participation(rows: Iterable[tuple[date, int, int]], unit: str) -> list[Participation]:
    """The periods from rows ``(start, votes, participants)`` counted by the database
    per `unit` ("day", or "week" starting on Monday), in time order, with the empty
    periods in between listed as zeros so that the line does not skip them."""
    if unit not in ("day", "week"):
        raise ValueError(f"unknown unit {unit!r}")
    counted = {start: (votes, people) for start, votes, people in rows}
    if not counted:
        return []
    step = timedelta(days=1 if unit == "day" else 7)
    out, current, last = [], min(counted), max(counted)
    while current <= last:
        votes, people = counted.get(current, (0, 0))
        out.append(Participation(current, votes, people))
        current += step
    return out
