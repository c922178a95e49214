"""The charter diff is pure: two snapshots in, the changes out, no database."""

from alliance.alliances.charter_diff import (
    ADDED,
    CHANGED,
    COMMITMENTS,
    INDICATORS,
    INTERESTS,
    PERIMETER,
    REMOVED,
    UNDERSTANDING,
    Change,
    Item,
    Snapshot,
    WordRun,
    compare,
    word_runs,
)

V1 = Snapshot(
    interests=(Item(1, "Léa grows well"),),
    commitments=(Item(10, "Anne: call every week"), Item(11, "Paul: drive to school")),
    perimeter=(Item("school", "School: in the alliance"),),
    indicators=(Item("k1", "Léa's sleep (0–10)"),),
    understanding="Léa likes school and her friends.",
)


def test_same_versions_have_no_change():
    diff = compare(V1, V1)
    assert diff.is_empty
    assert diff.understanding == ()


def test_an_added_indicator_is_one_change():
    v2 = Snapshot(**{**V1.__dict__, "indicators": (*V1.indicators, Item("k2", "Meals (0–5)"))})
    assert compare(V1, v2).changes == (Change(INDICATORS, ADDED, after="Meals (0–5)"),)


def test_a_reworded_entry_with_the_same_key_is_a_change_not_two():
    v2 = Snapshot(
        **{
            **V1.__dict__,
            "commitments": (Item(10, "Anne: call twice a week"), *V1.commitments[1:]),
        }
    )
    assert compare(V1, v2).in_section(COMMITMENTS) == [
        Change(
            COMMITMENTS, CHANGED, before="Anne: call every week", after="Anne: call twice a week"
        )
    ]


def test_removed_entries_and_moved_perimeter():
    v2 = Snapshot(
        commitments=V1.commitments,
        perimeter=(Item("school", "School: the person's own"),),
        indicators=V1.indicators,
        understanding=V1.understanding,
    )
    diff = compare(V1, v2)
    assert diff.in_section(INTERESTS) == [Change(INTERESTS, REMOVED, before="Léa grows well")]
    assert diff.in_section(PERIMETER) == [
        Change(
            PERIMETER, CHANGED, before="School: in the alliance", after="School: the person's own"
        )
    ]


def test_two_entries_under_one_key_are_paired_in_order():
    before = Snapshot(commitments=(Item(10, "a"), Item(10, "b")))
    after = Snapshot(commitments=(Item(10, "b"), Item(10, "c"), Item(10, "d")))
    assert compare(before, after).changes == (
        Change(COMMITMENTS, CHANGED, before="a", after="c"),
        Change(COMMITMENTS, ADDED, after="d"),
    )


def test_understanding_is_compared_word_by_word():
    v2 = Snapshot(**{**V1.__dict__, "understanding": "Léa likes the canteen and her friends."})
    diff = compare(V1, v2)
    assert diff.in_section(UNDERSTANDING)[0].kind == CHANGED
    assert diff.understanding == (
        WordRun("same", "Léa likes"),
        WordRun(REMOVED, "school"),
        WordRun(ADDED, "the canteen"),
        WordRun("same", "and her friends."),
    )


def test_spacing_alone_is_not_a_change():
    v2 = Snapshot(**{**V1.__dict__, "understanding": "Léa  likes school\nand her friends. "})
    assert compare(V1, v2).is_empty


def test_an_understanding_written_for_the_first_time_is_added():
    diff = compare(Snapshot(), Snapshot(understanding="We agree."))
    assert diff.changes == (Change(UNDERSTANDING, ADDED, after="We agree."),)
    assert word_runs("", "We agree.") == (WordRun(ADDED, "We agree."),)


def test_an_emptied_understanding_is_removed():
    diff = compare(Snapshot(understanding="We agree."), Snapshot())
    assert diff.changes == (Change(UNDERSTANDING, REMOVED, before="We agree."),)
