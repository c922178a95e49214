"""The pure alliance weather rules: no database, no Django."""

from datetime import UTC, date, datetime, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from alliance.acting.weather import (
    DIVERGENCE,
    DROP,
    FACES,
    ITEMS,
    SCALE_MAX,
    SCALE_MIN,
    AlertKind,
    Item,
    Rating,
    WeatherError,
    alert_history,
    current_alerts,
    face_to_value,
    latest,
    ratings_of_answer,
    trends,
    validate_answer,
    validate_value,
    validate_word,
    value_to_face,
)

D1, D2, D3 = date(2024, 3, 1), date(2024, 3, 15), date(2024, 4, 2)
AIM, WAY, HEARD, DECIDE = ITEMS
DROP_, DIV = AlertKind.DROP, AlertKind.DIVERGENCE


def r(ally, value, at=D1, item=AIM, round=None):
    return Rating(ally, item, value, at, round)


def summary(alerts):
    return [(a.kind, a.item, a.allies, a.values) for a in alerts]


# ---------------------------------------------------------------------------
# Faces and validation


def test_faces_map_to_the_ends_and_the_middle_of_the_scale():
    assert [face_to_value(f) for f in (1, 2, 3, 4, 5)] == [0, 3, 5, 8, 10]
    assert face_to_value(1) == SCALE_MIN and face_to_value(5) == SCALE_MAX


@pytest.mark.parametrize(
    ("value", "face"),
    [(0, 1), (1, 1), (2, 2), (3, 2), (4, 3), (5, 3), (6, 3), (7, 4), (8, 4), (9, 5), (10, 5)],
)
def test_value_to_face_is_the_nearest_face(value, face):
    assert value_to_face(value) == face


def test_a_face_read_back_gives_the_same_face():
    assert all(value_to_face(face_to_value(f)) == f for f in FACES)


@pytest.mark.parametrize("face", [0, 6, -1, True, "3", None, 2.5])
def test_unknown_face_is_refused(face):
    with pytest.raises(WeatherError, match="is not one of 1 to 5") as error:
        face_to_value(face)
    assert error.value.code == "unknown_face"


@pytest.mark.parametrize(
    ("value", "code", "message"),
    [
        (11, "out_of_scale", "rating 11 for item 'aim' is outside the scale 0–10"),
        (-1, "out_of_scale", "rating -1 for item 'aim' is outside the scale 0–10"),
        (7.5, "not_an_integer", "rating 7.5 for item 'aim' is not a whole number from 0 to 10"),
        ("7", "not_an_integer", "rating '7' for item 'aim' is not a whole number from 0 to 10"),
        (True, "not_an_integer", "rating True for item 'aim' is not a whole number from 0 to 10"),
        (None, "not_an_integer", "rating None for item 'aim' is not a whole number from 0 to 10"),
    ],
)
def test_a_value_off_the_scale_is_refused_with_a_precise_message(value, code, message):
    with pytest.raises(ValueError) as error:
        validate_value(value, item=Item.AIM)
    assert str(error.value) == message
    assert error.value.code == code and error.value.params["value"] == value


@pytest.mark.parametrize("value", [0, 10])
def test_the_bounds_are_on_the_scale(value):
    assert validate_value(value) == value


def test_unknown_item_is_refused():
    with pytest.raises(ValueError) as error:
        Rating("lea", "mood", 5, D1)
    assert str(error.value) == "unknown weather item 'mood' (known: aim, way, heard, decide)"
    assert error.value.code == "unknown_item" and error.value.params == {"item": "mood"}


def test_an_answer_needs_all_four_items_and_may_carry_a_word():
    values, word = validate_answer(
        {"decide": 4, "aim": 8, "way": 7, "heard": 9}, word="  plutôt   content "
    )
    assert list(values) == list(ITEMS) and values[Item.DECIDE] == 4
    assert word == "plutôt content"
    with pytest.raises(WeatherError, match="the answer has no rating for way, decide") as error:
        validate_answer({"aim": 8, "heard": 9})
    assert error.value.params == {"items": (Item.WAY, Item.DECIDE)}
    with pytest.raises(WeatherError, match="rating 12 for item 'heard'"):
        validate_answer({"aim": 8, "way": 7, "heard": 12, "decide": 3})


def test_the_word_is_short():
    assert validate_word(None) == "" and validate_word("x" * 40) == "x" * 40
    with pytest.raises(WeatherError, match="the word has 41 characters, more than 40"):
        validate_word("x" * 41)


def test_a_rating_needs_a_date():
    with pytest.raises(WeatherError, match="is not a date or a datetime"):
        Rating("lea", AIM, 5, "2024-03-01")


# ---------------------------------------------------------------------------
# Drops


@pytest.mark.parametrize(
    ("previous", "current", "fires"),
    [
        (8, 5, True),  # −3: the threshold
        (8, 4, True),
        (10, 0, True),
        (8, 6, False),  # −2
        (5, 8, False),  # a rise
        (5, 5, False),
        (3, 0, True),
        (2, 0, False),
    ],
)
def test_a_drop_of_three_points_or_more_fires(previous, current, fires):
    alerts = current_alerts([r("lea", previous, D1), r("lea", current, D2)])
    expected = [(DROP_, AIM, ("lea",), (previous, current))] if fires else []
    assert summary(alerts) == expected
    if fires:
        assert alerts[0].dates == (D1, D2) and alerts[0].points == previous - current >= DROP


def test_a_drop_compares_with_the_previous_rating_only():
    # 9 → 7 → 5: each step −2, no alert, even though 9 → 5 is −4.
    assert current_alerts([r("lea", 9, D1), r("lea", 7, D2), r("lea", 5, D3)]) == []
    # The drop is on another item: no alert on this one.
    assert current_alerts([r("lea", 9, D1), r("lea", 5, D2, item=WAY)]) == []


def test_a_drop_that_recovered_is_no_longer_current_but_stays_in_history():
    ratings = [r("lea", 9, D1), r("lea", 4, D2), r("lea", 6, D3)]
    assert current_alerts(ratings) == []
    (alert,) = alert_history(ratings)
    assert (alert.kind, alert.values, alert.dates) == (DROP_, (9, 4), (D1, D2))


# ---------------------------------------------------------------------------
# Divergences


@pytest.mark.parametrize(
    ("a", "b", "fires"),
    [(2, 6, True), (6, 2, True), (0, 10, True), (2, 5, False), (5, 5, False), (6, 10, True)],
)
def test_two_allies_four_points_apart_fire(a, b, fires):
    alerts = current_alerts([r("lea", a), r("marc", b)])
    if not fires:
        assert alerts == []
        return
    low, high = sorted([("lea", a), ("marc", b)], key=lambda p: (p[1], p[0]))
    assert summary(alerts) == [(DIV, AIM, (low[0], high[0]), (low[1], high[1]))]
    assert alerts[0].points == abs(a - b) >= DIVERGENCE


def test_one_divergence_per_item_names_every_ally_involved():
    # 2 and 9 are 7 apart, 6 is 4 from 2, 4 is 5 from 9: all four are involved.
    ratings = [r("lea", 2), r("marc", 9), r("paul", 6), r("zoe", 4)]
    alerts = current_alerts(ratings)
    assert summary(alerts) == [(DIV, AIM, ("lea", "zoe", "paul", "marc"), (2, 4, 6, 9))]
    # 5 is within 3 points of both 2 and 8: Paul is not involved.
    ratings = [r("lea", 2), r("marc", 8), r("paul", 5)]
    assert summary(current_alerts(ratings)) == [(DIV, AIM, ("lea", "marc"), (2, 8))]


def test_divergence_uses_each_ally_latest_rating():
    ratings = [r("lea", 2, D1), r("marc", 9, D1), r("lea", 7, D1 + timedelta(days=1))]
    assert current_alerts(ratings) == []


@pytest.mark.parametrize(("days", "fires"), [(0, True), (14, True), (15, False), (60, False)])
def test_without_round_ids_the_same_round_is_a_window_of_fourteen_days(days, fires):
    ratings = [r("lea", 2, D1), r("marc", 9, D1 + timedelta(days=days))]
    assert bool(current_alerts(ratings)) is fires


def test_the_window_can_be_set():
    ratings = [r("lea", 2, D1), r("marc", 9, D1 + timedelta(days=20))]
    assert current_alerts(ratings, window=timedelta(days=30))


def test_with_round_ids_only_the_newest_round_counts():
    # Paul rated the previous meeting, two days before: not the same round.
    ratings = [
        r("lea", 2, D1, round="m2"),
        r("marc", 5, D1, round="m2"),
        r("paul", 9, D1 - timedelta(days=2), round="m1"),
    ]
    assert current_alerts(ratings) == []
    # The same meeting, rated a month apart: the same round.
    ratings = [r("lea", 2, D1, round="m2"), r("marc", 9, D1 + timedelta(days=30), round="m2")]
    assert summary(current_alerts(ratings)) == [(DIV, AIM, ("lea", "marc"), (2, 9))]


def test_alerts_are_sorted_and_not_repeated():
    ratings = []
    for ally, values in {
        "lea": {"aim": 8, "way": 7, "heard": 9, "decide": 8},
        "marc": {"aim": 8, "way": 7, "heard": 9, "decide": 3},
    }.items():
        ratings += ratings_of_answer(ally, D1, values)
    for ally, values in {
        "lea": {"aim": 5, "way": 7, "heard": 9, "decide": 8},
        "marc": {"aim": 8, "way": 2, "heard": 9, "decide": 3},
    }.items():
        ratings += ratings_of_answer(ally, D2, values)
    expected = [
        (DROP_, AIM, ("lea",), (8, 5)),
        (DROP_, WAY, ("marc",), (7, 2)),
        (DIV, WAY, ("marc", "lea"), (2, 7)),
        (DIV, DECIDE, ("marc", "lea"), (3, 8)),
    ]
    assert summary(current_alerts(ratings)) == expected
    assert summary(current_alerts(ratings[::-1])) == expected
    history = alert_history(ratings)
    assert summary(history) == [
        (DIV, DECIDE, ("marc", "lea"), (3, 8)),  # on D1
        *expected,  # on D2: the decide divergence is a new one (new ratings)
    ]
    assert [a.at for a in history] == [D1, D2, D2, D2, D2]


def test_a_divergence_that_grows_in_a_round_is_kept_once_in_history():
    ratings = [r("lea", 2, D1), r("marc", 9, D1), r("paul", 6, D2)]
    assert summary(alert_history(ratings)) == [(DIV, AIM, ("lea", "paul", "marc"), (2, 6, 9))]


def test_aware_and_naive_instants():
    paris = datetime(2024, 3, 1, 10, tzinfo=UTC)
    ratings = [r("lea", 9, paris), r("lea", 4, paris + timedelta(hours=1))]
    assert summary(current_alerts(ratings)) == [(DROP_, AIM, ("lea",), (9, 4))]


# ---------------------------------------------------------------------------
# Trends


def test_trends_and_latest():
    ratings = [r("marc", 5, D2), r("lea", 7, D2), r("lea", 3, D1), r("lea", 6, D2)]
    result = trends(ratings)
    assert list(result) == list(ITEMS)
    assert result[AIM] == {"lea": ((D1, 3), (D2, 6)), "marc": ((D2, 5),)}
    assert result[WAY] == {}
    assert {a: x.value for a, x in latest(ratings)[AIM].items()} == {"lea": 6, "marc": 5}


# ---------------------------------------------------------------------------
# Properties

allies = st.sampled_from(["lea", "marc", "paul"])
ratings_lists = st.lists(
    st.builds(
        Rating,
        ally=allies,
        item=st.sampled_from(ITEMS),
        value=st.integers(0, 10),
        at=st.dates(min_value=date(2024, 1, 1), max_value=date(2024, 6, 30)),
        round=st.none() | st.sampled_from(["m1", "m2"]),
    ),
    max_size=30,
)


@settings(max_examples=80, deadline=None)
@given(ratings=ratings_lists, shuffle=st.randoms())
def test_alerts_are_deterministic_and_meet_the_thresholds(ratings, shuffle):
    alerts = current_alerts(ratings)
    shuffled = ratings[:]
    shuffle.shuffle(shuffled)
    # Same-instant duplicates keep the last given, so only shuffle distinct ones.
    if len({(x.ally, x.item, x.at) for x in ratings}) == len(ratings):
        assert current_alerts(shuffled) == alerts
    assert len({(a.kind, a.item, a.allies) for a in alerts}) == len(alerts)
    for alert in alerts:
        if alert.kind is AlertKind.DROP:
            assert alert.values[0] - alert.values[1] >= DROP
        else:
            assert max(alert.values) - min(alert.values) >= DIVERGENCE
            assert len(set(alert.allies)) == len(alert.allies) >= 2
    history = alert_history(ratings)
    identities = [(a.kind, a.item, a.allies, a.values, a.dates) for a in history]
    assert len(set(identities)) == len(identities)
    # The history keeps a divergence once, in its largest form: a standing one that
    # lost an ally (who rated again since) shows there as the larger one it was part of.
    for alert in alerts:
        assert (alert.kind, alert.item, alert.allies, alert.values, alert.dates) in identities or (
            alert.kind is AlertKind.DIVERGENCE
            and any(
                past.kind is AlertKind.DIVERGENCE
                and past.item is alert.item
                and set(alert.ratings) < set(past.ratings)
                for past in history
            )
        )


@settings(max_examples=100, deadline=None)
@given(previous=st.integers(0, 10), current=st.integers(0, 10))
def test_drop_fires_exactly_from_minus_three(previous, current):
    alerts = current_alerts([r("lea", previous, D1), r("lea", current, D2)])
    assert bool(alerts) is (previous - current >= 3)


@settings(max_examples=100, deadline=None)
@given(a=st.integers(0, 10), b=st.integers(0, 10))
def test_divergence_fires_exactly_from_four(a, b):
    assert bool(current_alerts([r("lea", a), r("marc", b)])) is (abs(a - b) >= 4)
