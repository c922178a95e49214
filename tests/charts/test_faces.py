"""The faces chart: pure SVG, each answer drawn as the face of its level."""

import xml.etree.ElementTree as ET
from datetime import date, datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st

from alliance.charts import FaceSeries, face_for, faces_chart, faces_summary, faces_table, value_for

SVG = "{http://www.w3.org/2000/svg}"


def chart(series, **kwargs):
    kwargs.setdefault("title", "We decide together")
    kwargs.setdefault("title_id", "f-title")
    kwargs.setdefault("desc_id", "f-desc")
    return ET.fromstring(faces_chart(series, **kwargs))  # noqa: S314 (our own output)


def faces_of(root):
    return [g.get("class") for g in root.iter(f"{SVG}g") if "face" in g.get("class", "")]


SAMIR = FaceSeries("Samir", [(date(2026, 3, 1), 2), (date(2026, 1, 1), 1), (date(2026, 5, 1), 4)])
JULIE = FaceSeries("Julie", [(date(2026, 3, 2), 5)])


def test_each_answer_is_the_face_of_its_level_in_time_order():
    root = chart([SAMIR, JULIE])
    assert faces_of(root) == ["face face-1", "face face-2", "face face-4", "face face-5"]
    assert root.get("role") == "img"
    assert root.get("aria-labelledby") == "f-title f-desc"
    assert root.find(f"{SVG}title").text == "We decide together"


def test_every_face_says_its_words_who_and_when():
    root = chart(
        [SAMIR], words={1: "Pas du tout", 2: "Pas trop", 3: "Moyen", 4: "Plutôt oui", 5: "Oui"}
    )
    titles = [g.find(f"{SVG}title").text for g in root.iter(f"{SVG}g")]
    assert titles == [
        "Samir: Pas du tout (01/01/2026)",
        "Samir: Pas trop (01/03/2026)",
        "Samir: Plutôt oui (01/05/2026)",
    ]


def test_a_happier_face_sits_higher():
    root = chart([SAMIR])
    ys = [float(g.get("transform").split()[1].rstrip(")")) for g in root.iter(f"{SVG}g")]
    assert ys[0] > ys[1] > ys[2]


def test_only_the_last_answers_are_drawn_the_table_keeps_them_all():
    many = FaceSeries("Noé", [(date(2026, 1, d), 1 + d % 5) for d in range(1, 11)])
    assert len(faces_of(chart([many], last=4))) == 4
    assert len(faces_table([many]).rows) == 10


def test_the_table_has_no_gap_and_keeps_the_faces():
    found = faces_table([SAMIR, JULIE])
    assert found.headers == ("Date", "Samir", "Julie")
    assert not found.has_gap
    assert [row.values for row in found.rows] == [(1, None), (2, None), (None, 5), (4, None)]


def test_the_summary_gives_each_latest_face_in_words():
    assert faces_summary([SAMIR, JULIE]) == (
        "Samir: Rather yes on 01/05/2026; Julie: Completely on 02/03/2026."
    )
    assert faces_summary([]) == "No readings yet."


def test_no_answer_yet_is_said_in_words():
    root = chart([FaceSeries("Samir", [])])
    assert root.find(f"{SVG}text").text == "No readings yet."


def test_names_are_escaped():
    svg = faces_chart(
        [FaceSeries("<b>Léa & co</b>", [(datetime(2026, 1, 1, 9), 3)])],
        title="t",
        title_id="t",
        desc_id="d",
    )
    assert "<b>" not in svg
    ET.fromstring(svg)  # noqa: S314


@pytest.mark.parametrize("face", [0, 6, True, 2.5, None])
def test_a_face_outside_one_to_five_is_refused(face):
    with pytest.raises(ValueError):
        faces_chart(
            [FaceSeries("x", [(date(2026, 1, 1), face)])], title="t", title_id="t", desc_id="d"
        )


@given(st.integers(0, 10))
def test_face_for_matches_the_weather_faces(value):
    from alliance.acting.weather import value_to_face  # pure module, no database

    assert face_for(value, 0, 10) == value_to_face(value)


@given(st.integers(-5, 5), st.integers(1, 20), st.integers(-30, 30))
def test_face_for_is_a_face_and_grows_with_the_value(low, span, value):
    high = low + span
    face = face_for(value, low, high)
    assert 1 <= face <= 5
    assert face_for(value + 1, low, high) >= face
    assert face_for(low, low, high) == 1
    assert face_for(high, low, high) == 5


def test_an_empty_scale_is_refused():
    with pytest.raises(ValueError):
        face_for(3, 5, 5)


@given(st.integers(-5, 5), st.integers(4, 30), st.sampled_from([1, 2, 3, 4, 5]))
def test_value_for_gives_the_face_back_on_a_scale_of_five_steps_or_more(low, span, face):
    value = value_for(face, low, low + span)
    assert low <= value <= low + span
    assert face_for(value, low, low + span) == face


def test_value_for_on_zero_to_ten_gives_the_weather_values():
    from alliance.acting.weather import FACES

    assert {face: value_for(face, 0, 10) for face in FACES} == FACES
