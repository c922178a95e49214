"""The pure common-ground module: no database, no Django."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from alliance.consensus.common_ground import (
    AGREE,
    DISAGREE,
    PASS,
    UNSURE,
    AllyFacts,
    Standing,
    classify,
    classify_all,
)

CG, DIV, OPEN = Standing.COMMON_GROUND, Standing.DIVERGENCE, Standing.OPEN

# P the person, R their legal representative, F a professional, G another
# professional, X a relative.
ALLIES = {
    "P": AllyFacts(speaks_for_person=True, is_professional=False),
    "R": AllyFacts(speaks_for_person=True, is_professional=False),
    "F": AllyFacts(speaks_for_person=False, is_professional=True),
    "G": AllyFacts(speaks_for_person=False, is_professional=True),
    "X": AllyFacts(speaks_for_person=False, is_professional=False),
}


@pytest.mark.parametrize(
    ("author", "votes", "expected"),
    [
        # Nobody voted: the author alone agrees, no professional among them.
        ("P", {}, OPEN),
        ("F", {}, OPEN),
        # The person and a professional agree; those who did not vote do not block.
        ("P", {"F": AGREE}, CG),
        ("F", {"P": AGREE}, CG),
        # The legal representative stands for the person.
        ("F", {"R": AGREE}, CG),
        ("X", {"R": AGREE, "G": AGREE}, CG),
        # Everybody agrees.
        ("P", {"R": AGREE, "F": AGREE, "G": AGREE, "X": AGREE}, CG),
        # No professional among those who agree.
        ("X", {"P": AGREE, "R": AGREE}, OPEN),
        # Neither the person nor their representative among those who agree.
        ("X", {"F": AGREE, "G": AGREE}, OPEN),
        ("X", {"F": AGREE, "P": PASS}, OPEN),
        # One disagreement against an agreement is a divergence.
        ("P", {"F": AGREE, "X": DISAGREE}, DIV),
        # The author counts as agreeing, so one "disagree" is already a divergence.
        ("P", {"F": DISAGREE}, DIV),
        ("X", {"P": DISAGREE, "F": DISAGREE}, DIV),
        # "Not sure" keeps a statement out of the common ground without dividing.
        ("P", {"F": UNSURE}, OPEN),
        ("P", {"F": AGREE, "X": UNSURE}, OPEN),
        # "Pass" is an abstention: it neither agrees nor blocks.
        ("P", {"F": AGREE, "X": PASS}, CG),
        ("P", {"F": PASS}, OPEN),
        # Votes of someone who is not an active ally are ignored.
        ("P", {"F": AGREE, "gone": DISAGREE}, CG),
        # A vote by the author on their own statement changes nothing.
        ("P", {"P": DISAGREE, "F": AGREE}, CG),
    ],
)
def test_standing(author, votes, expected):
    assert classify(author=author, votes=votes, allies=ALLIES).standing == expected


def test_classification_says_who_voted_what_and_who_did_not():
    result = classify(
        author="P", votes={"F": AGREE, "X": DISAGREE, "G": PASS, "R": UNSURE}, allies=ALLIES
    )
    assert result.agree == {"P", "F"}
    assert result.disagree == {"X"}
    assert result.unsure == {"R"}
    assert result.passed == {"G"}
    assert result.not_voted == set()

    result = classify(author="F", votes={"P": AGREE}, allies=ALLIES)
    assert result.not_voted == {"R", "G", "X"}


def test_unknown_vote_is_refused():
    with pytest.raises(ValueError, match="unknown vote"):
        classify(author="P", votes={"F": "maybe"}, allies=ALLIES)


def test_classify_all_classifies_each_statement():
    result = classify_all(
        [(1, "P"), (2, "F"), (3, "X")],
        {1: {"F": AGREE}, 2: {"P": DISAGREE}},
        ALLIES,
    )
    assert {sid: c.standing for sid, c in result.items()} == {1: CG, 2: DIV, 3: OPEN}


# ---------------------------------------------------------------- properties

ally_ids = st.sampled_from(sorted(ALLIES))
vote_values = st.sampled_from([AGREE, DISAGREE, UNSURE, PASS])
ballots = st.dictionaries(ally_ids, vote_values)


@given(author=ally_ids, votes=ballots)
def test_every_active_ally_appears_exactly_once(author, votes):
    result = classify(author=author, votes=votes, allies=ALLIES)
    groups = [result.agree, result.disagree, result.unsure, result.passed, result.not_voted]
    assert sum(len(g) for g in groups) == len(ALLIES)
    assert set().union(*groups) == set(ALLIES)
    assert author in result.agree


@given(author=ally_ids, votes=ballots)
def test_standing_follows_the_rule(author, votes):
    result = classify(author=author, votes=votes, allies=ALLIES)
    if result.standing == DIV:
        assert result.agree and result.disagree
    elif result.standing == CG:
        assert not result.disagree and not result.unsure
        assert any(ALLIES[a].speaks_for_person for a in result.agree)
        assert any(ALLIES[a].is_professional for a in result.agree)
    else:
        assert not result.disagree or not result.agree


@given(author=ally_ids, votes=ballots, voter=ally_ids)
def test_a_disagreement_always_takes_a_statement_out_of_the_common_ground(author, votes, voter):
    if voter == author:
        return
    result = classify(author=author, votes={**votes, voter: DISAGREE}, allies=ALLIES)
    assert result.standing == DIV


@given(author=ally_ids, votes=ballots, voter=ally_ids)
def test_passing_never_changes_the_standing(author, votes, voter):
    if voter in votes:
        return
    before = classify(author=author, votes=votes, allies=ALLIES)
    after = classify(author=author, votes={**votes, voter: PASS}, allies=ALLIES)
    assert after.standing == before.standing
