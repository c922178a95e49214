"""The pure position check: three answers → one of the five images."""

import itertools

import pytest

from alliance.alliances.positions import ANSWERS, Image, Lead, lead_from_answer, position_image

P, T, C = Lead.PERSON, Lead.TOGETHER, Lead.COMPANIONS

# The image for each set of questions that the companions lead (path, pace, ahead),
# as documented in the module.
BY_COMPANIONS = {
    frozenset(): Image.HIKERS,
    frozenset({"path", "pace", "ahead"}): Image.BACKPACK,
    frozenset({"path", "ahead"}): Image.ROPED_PARTY,
    frozenset({"ahead"}): Image.ROPED_PARTY,
    frozenset({"pace", "ahead"}): Image.TRAILER,
    frozenset({"path"}): Image.WHEELBARROW,
    frozenset({"pace"}): Image.WHEELBARROW,
    frozenset({"path", "pace"}): Image.WHEELBARROW,
}

COMBINATIONS = list(itertools.product(ANSWERS, repeat=3))


def test_there_are_27_combinations():
    assert len(COMBINATIONS) == 27


@pytest.mark.parametrize("answered_by_person", [True, False])
@pytest.mark.parametrize(("path", "pace", "ahead"), COMBINATIONS)
def test_every_combination_maps_to_its_image(path, pace, ahead, answered_by_person):
    image = position_image(
        chooses_path=path, sets_pace=pace, walks_ahead=ahead, answered_by_person=answered_by_person
    )
    leads = {
        "path": lead_from_answer(path, answered_by_person=answered_by_person),
        "pace": lead_from_answer(pace, answered_by_person=answered_by_person),
        "ahead": lead_from_answer(ahead, answered_by_person=answered_by_person),
    }
    companions = frozenset(q for q, lead in leads.items() if lead == C)
    assert image is BY_COMPANIONS[companions]


@pytest.mark.parametrize(
    ("answers", "answered_by_person", "expected"),
    [
        # The person walks their own way: hikers side by side.
        (("me", "me", "me"), True, Image.HIKERS),
        (("together", "together", "together"), True, Image.HIKERS),
        (("together", "together", "together"), False, Image.HIKERS),
        # A professional who decides everything carries the person: the backpack.
        (("me", "me", "me"), False, Image.BACKPACK),
        (("other", "other", "other"), True, Image.BACKPACK),
        # The companions choose the way and walk ahead, the pace is shared: roped party.
        (("me", "together", "me"), False, Image.ROPED_PARTY),
        # They only walk ahead, to show and secure the way: roped party.
        (("other", "other", "me"), False, Image.ROPED_PARTY),
        # They walk ahead and set the pace, the person chooses the way: the trailer.
        (("me", "other", "other"), True, Image.TRAILER),
        # They choose the way while the person walks ahead: the wheelbarrow.
        (("other", "me", "me"), True, Image.WHEELBARROW),
        (("me", "me", "other"), False, Image.WHEELBARROW),
    ],
)
def test_documented_cases(answers, answered_by_person, expected):
    path, pace, ahead = answers
    assert (
        position_image(
            chooses_path=path,
            sets_pace=pace,
            walks_ahead=ahead,
            answered_by_person=answered_by_person,
        )
        is expected
    )


def test_every_image_can_be_reached():
    reached = {
        position_image(chooses_path=a, sets_pace=b, walks_ahead=c, answered_by_person=who)
        for (a, b, c) in COMBINATIONS
        for who in (True, False)
    }
    assert reached == set(Image)


@pytest.mark.parametrize(("path", "pace", "ahead"), COMBINATIONS)
def test_the_person_and_a_companion_who_see_the_same_thing_get_the_same_image(path, pace, ahead):
    mirror = {"me": "other", "other": "me", "together": "together"}
    as_person = position_image(
        chooses_path=path, sets_pace=pace, walks_ahead=ahead, answered_by_person=True
    )
    as_companion = position_image(
        chooses_path=mirror[path],
        sets_pace=mirror[pace],
        walks_ahead=mirror[ahead],
        answered_by_person=False,
    )
    assert as_person is as_companion


def test_together_means_nobody_leads():
    assert lead_from_answer("together", answered_by_person=True) is T
    assert lead_from_answer("me", answered_by_person=True) is P
    assert lead_from_answer("me", answered_by_person=False) is C


def test_unknown_answer_is_refused():
    with pytest.raises(ValueError, match="unknown answer"):
        position_image(
            chooses_path="nobody", sets_pace="me", walks_ahead="me", answered_by_person=True
        )
