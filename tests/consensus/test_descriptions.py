"""The results told as a report, without a database: group descriptions, a group's
votes on every statement, participation over time."""

from datetime import date

import pytest

from alliance.consensus.descriptions import (
    Wording,
    bucket_by,
    describe,
    group_profile,
    participation,
    shorten,
)
from alliance.consensus.publication import NO_VOTES, Share, ShownGroup, ShownRepresentative

TEXTS = {
    1: "Les enfants vont à l'école à pied.",
    2: "Il faut garder des places de stationnement devant chez soi.",
    3: "Le bus doit passer plus souvent.",
}


def group(*reps):
    return ShownGroup(
        id=0,
        size=12,
        centroid=(0.0, 0.0),
        representative=tuple(ShownRepresentative(s, d, Share(8, 1, 10)) for s, d in reps),
    )


def test_a_group_is_described_by_its_first_agreed_and_first_rejected_statements():
    described = describe(group((1, "agree"), (3, "agree"), (2, "disagree")), TEXTS)
    assert described == (
        "Rather agree with “Les enfants vont à l'école à pied” and disagree with "
        "“Il faut garder des places de stationnement devant chez soi”"
    )


def test_one_direction_only_or_nothing():
    assert describe(group((2, "disagree")), TEXTS) == (
        "Rather disagree with “Il faut garder des places de stationnement devant chez soi”"
    )
    assert (
        describe(group((3, "agree")), TEXTS)
        == "Rather agree with “Le bus doit passer plus souvent”"
    )
    assert describe(group(), TEXTS) == "Nothing sets this group clearly apart yet"


def test_a_statement_no_longer_shown_is_skipped():
    assert describe(group((9, "agree"), (3, "agree")), TEXTS) == (
        "Rather agree with “Le bus doit passer plus souvent”"
    )


def test_the_caller_words_it_and_long_quotes_are_cut_at_a_word():
    wording = Wording(
        both="Plutôt d'accord avec « {agree} » et en désaccord avec « {disagree} »",
        agree_only="Plutôt d'accord avec « {agree} »",
        quote_limit=20,
    )
    described = describe(group((1, "agree"), (2, "disagree")), TEXTS, wording)
    assert described == (
        "Plutôt d'accord avec « Les enfants vont à… » et en désaccord avec « Il faut garder des… »"
    )


def test_shorten_never_exceeds_its_limit():
    for limit in (5, 12, 40, 90):
        for text in TEXTS.values():
            assert len(shorten(text, limit)) <= limit
    assert shorten("  Un   mot.  ") == "Un mot"


def test_a_description_names_nobody_but_the_statements():
    """Only statement texts go in: whatever else the caller holds is not read."""
    described = describe(group((1, "agree")), {1: "Plus de bancs"})
    assert described == "Rather agree with “Plus de bancs”"


def test_group_profile_reads_counts_for_every_statement_in_order():
    summary = {
        "group_votes": {"0": {"1": [6, 2, 10], "3": [1, 4, 5]}},
        "statement_votes": {"1": [12, 8, 25], "2": [3, 3, 6], "3": [2, 9, 12]},
    }
    lines = group_profile(summary, 0, [3, 2, 1])
    assert [line.statement for line in lines] == [3, 2, 1]
    assert lines[0].group == Share(1, 4, 5) and lines[0].passed == 0
    assert lines[1].group == NO_VOTES and lines[1].overall == Share(3, 3, 6)
    assert lines[2].group == Share(6, 2, 10) and lines[2].passed == 2


def test_participation_fills_the_empty_periods():
    rows = [(date(2026, 3, 4), 10, 3), (date(2026, 3, 1), 5, 2)]
    days = participation(rows, "day")
    assert [(p.start.day, p.votes, p.participants) for p in days] == [
        (1, 5, 2),
        (2, 0, 0),
        (3, 0, 0),
        (4, 10, 3),
    ]
    weeks = participation([(date(2026, 3, 2), 4, 1), (date(2026, 3, 23), 7, 2)], "week")
    assert [p.votes for p in weeks] == [4, 0, 0, 7]
    assert participation([], "day") == []
    with pytest.raises(ValueError):
        participation(rows, "month")


def test_days_up_to_45_then_weeks():
    assert bucket_by(date(2026, 1, 1), date(2026, 2, 15)) == "day"
    assert bucket_by(date(2026, 1, 1), date(2026, 2, 16)) == "week"
