"""Common ground and divergence inside one alliance, as plain Python (no Django).

A statement is *common ground* when every ally who voted on it agrees, nobody
disagrees, and among those who agree there are both the person (or their legal
representative) and at least one professional. It is a *divergence* when at least
one ally agrees and one disagrees. Otherwise it is *open*.

The author counts as agreeing with their own statement. "I pass" is an abstention:
it is not counted as a vote. "I am not sure" is a vote that does not agree, so it
keeps a statement out of the common ground without making it a divergence.
"""

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from enum import StrEnum


class Standing(StrEnum):
    COMMON_GROUND = "common_ground"
    DIVERGENCE = "divergence"
    OPEN = "open"


AGREE, DISAGREE, UNSURE, PASS = "agree", "disagree", "unsure", "pass"
VOTE_VALUES = frozenset({AGREE, DISAGREE, UNSURE, PASS})


@dataclass(frozen=True)
class AllyFacts:
    speaks_for_person: bool  # the person or their legal representative
    is_professional: bool


@dataclass(frozen=True)
class Classification:
    standing: Standing
    agree: frozenset = field(default_factory=frozenset)
    disagree: frozenset = field(default_factory=frozenset)
    unsure: frozenset = field(default_factory=frozenset)
    passed: frozenset = field(default_factory=frozenset)
    not_voted: frozenset = field(default_factory=frozenset)


def classify(*, author, votes: Mapping, allies: Mapping[object, AllyFacts]) -> Classification:
    """`votes` maps ally id → vote value; `allies` are the active allies."""
    by_value = {AGREE: {author}, DISAGREE: set(), UNSURE: set(), PASS: set()}
    for ally, value in votes.items():
        if value not in VOTE_VALUES:
            raise ValueError(f"unknown vote {value!r}")
        if ally == author or ally not in allies:
            continue
        by_value[value].add(ally)
    agree = by_value[AGREE] & set(allies) if author in allies else by_value[AGREE]
    disagree, unsure = by_value[DISAGREE], by_value[UNSURE]
    voted = agree | disagree | unsure | by_value[PASS]
    not_voted = frozenset(set(allies) - voted)

    if agree and disagree:
        standing = Standing.DIVERGENCE
    elif (
        not disagree
        and not unsure
        and any(allies[a].speaks_for_person for a in agree if a in allies)
        and any(allies[a].is_professional for a in agree if a in allies)
    ):
        standing = Standing.COMMON_GROUND
    else:
        standing = Standing.OPEN
    return Classification(
        standing=standing,
        agree=frozenset(agree),
        disagree=frozenset(disagree),
        unsure=frozenset(unsure),
        passed=frozenset(by_value[PASS]),
        not_voted=not_voted,
    )


def classify_all(
    statements: Iterable[tuple[object, object]],
    votes: Mapping[object, Mapping],
    allies: Mapping[object, AllyFacts],
) -> dict:
    """`statements` are (statement id, author ally id) pairs; `votes` maps statement id
    to its votes. Returns statement id → Classification."""
    return {
        sid: classify(author=author, votes=votes.get(sid, {}), allies=allies)
        for sid, author in statements
    }
