"""Which statement to show a participant next. Plain Python: the caller passes the
statements the participant has not voted on yet, how many votes each already has,
and what the last computation of the opinion groups said about them.

Two things make a vote useful. A statement with few votes is barely known, so it
comes first. Among statements known equally well, those that separate the groups
(divisive) or unite them (high group-informed consensus) are the ones the results
page will show, so a few more votes there sharpen what the collective learns. The
score is `(1 + insight) / (1 + votes)`, with `insight` 1 for a divisive statement
and its consensus (0 to 1) otherwise; a statement the last computation did not see
has no insight yet, only its scarcity. Ties go to the oldest statement (smallest
id), so the same inputs always give the same order."""

from collections.abc import Collection, Iterable, Mapping


def score(
    votes: int,
    *,
    consensus: float | None = None,
    divisive: bool = False,
) -> float:
    insight = 1.0 if divisive else min(max(consensus or 0.0, 0.0), 1.0)
    return (1.0 + insight) / (1.0 + max(votes, 0))


def rank(
    candidates: Iterable[int],
    vote_counts: Mapping[int, int],
    *,
    consensus: Mapping[int, float] | None = None,
    divisive: Collection[int] = (),
) -> list[int]:
    """The candidates, most useful first. `consensus` is keyed by statement id (the
    snapshot's JSON keys are strings: convert them before calling)."""
    consensus = consensus or {}
    divisive = set(divisive)
    return sorted(
        set(candidates),
        key=lambda sid: (
            -score(vote_counts.get(sid, 0), consensus=consensus.get(sid), divisive=sid in divisive),
            sid,
        ),
    )


def choose(
    candidates: Iterable[int],
    vote_counts: Mapping[int, int],
    *,
    consensus: Mapping[int, float] | None = None,
    divisive: Collection[int] = (),
) -> int | None:
    """The one statement to show next, or None when nothing is left to vote on."""
    ranked = rank(candidates, vote_counts, consensus=consensus, divisive=divisive)
    return ranked[0] if ranked else None
