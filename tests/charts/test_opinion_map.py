"""The opinion map: pure SVG, no database."""

import random

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from alliance.charts import Labels
from alliance.charts.opinion_map import (
    MapGroup,
    MapPoint,
    bin_points,
    opinion_map,
    opinion_map_summary,
    opinion_map_table,
)
from alliance.charts.styles import style_for

from .test_svg import SVG, assert_well_formed, by_class

A = MapGroup(key=0, name="Group A", size=6, centroid=(-1.0, 0.0))
B = MapGroup(key=1, name="Group B", size=5, centroid=(1.0, 0.5))
POINTS = (
    [MapPoint(-1.0 + i / 10, 0.1 * (i % 3), 0) for i in range(6)]
    + [MapPoint(1.0 + i / 10, 0.5, 1) for i in range(5)]
    + [MapPoint(0.0, -2.0, 7), MapPoint(0.2, 2.0, None)]  # a hidden group, no group
)
FRENCH = Labels(
    decimal_separator=",",
    percent="{value}\u202f%",
    map_summary="Participants : {total}. {groups}",
    map_summary_group="{name} : {size} ({share})",
    map_others="Pas dans un groupe assez grand",
)


def render(points=POINTS, groups=(A, B), others=2, **kwargs):
    kwargs.setdefault("title", "Opinion map")
    kwargs.setdefault("title_id", "chart-title")
    kwargs.setdefault("desc_id", "chart-desc")
    return opinion_map(points, groups, others=others, **kwargs)


def test_example_map_is_accessible_and_complete():
    root = assert_well_formed(render())
    group_points = by_class(root, "series-0") + by_class(root, "series-1")
    assert len([g for g in group_points if "map-point" in g.get("class")]) == 11
    # The hidden group's point and the ungrouped one are drawn as "others".
    others = [g for g in by_class(root, "map-point") if "series" not in g.get("class")]
    assert len(others) == 2
    assert all("Not in a group large enough" in g.find(f"{SVG}*/{SVG}title").text for g in others)
    legend = [" ".join(e.itertext()).strip() for e in by_class(root, "legend-item")]
    assert legend == ["Group A (6)", "Group B (5)", "Not in a group large enough (2)"]
    names = [e.text for e in by_class(root, "map-group-name")]
    assert names == ["Group A", "Group B"]
    desc = root.find(f"{SVG}desc").text
    assert desc.startswith("Participants: 13. Group A: 6 (46.2 %); Group B: 5 (38.5 %)")
    assert "axes have no unit" in desc
    assert by_class(root, "map-you") == []


def test_groups_differ_by_shape_and_colour():
    root = assert_well_formed(render())
    a = by_class(root, "series-0")[0][0]
    b = by_class(root, "series-1")[0][0]
    assert a.tag != b.tag  # circle, square
    assert a.get("fill") != b.get("fill")
    assert style_for(0).shape != style_for(1).shape


def test_you_are_here_is_drawn_only_when_given_and_listed_in_the_legend():
    root = assert_well_formed(render(you=(0.5, 0.5)))
    (you,) = [e for e in by_class(root, "map-you") if e.find(f"{SVG}circle") is not None][:1]
    assert you.find(f"{SVG}title").text == "You are here"
    assert by_class(root, "legend-you")


def test_hundred_thousand_participants_give_a_small_svg():
    rng = random.Random(4)
    points = [
        MapPoint(rng.gauss(-2 if i % 3 else 2, 1), rng.gauss(0, 1), i % 3) for i in range(100_000)
    ]
    groups = [MapGroup(key=g, name=f"Group {g}", size=33_333 + (g == 0)) for g in range(3)]
    svg = render(points, groups, others=0, max_points=500)
    root = assert_well_formed(svg)
    drawn = by_class(root, "map-point")
    assert len(drawn) <= 500
    total = sum(int(e.find(f"{SVG}*/{SVG}title").text.rsplit(": ", 1)[1]) for e in drawn)
    assert total == 100_000
    assert len(svg) < 200_000
    assert render(points, groups, others=0, max_points=500) == svg  # deterministic


def test_binning_keeps_everyone_and_the_groups_apart():
    points = [MapPoint(0.0, 0.0, 0)] * 10 + [MapPoint(0.0, 0.0, 1)] * 3 + [MapPoint(5, 5, None)]
    binned = bin_points(points)
    assert sorted((p.group is None, p.group, p.count) for p in binned) == [
        (False, 0, 10),
        (False, 1, 3),
        (True, None, 1),
    ]


@pytest.mark.parametrize(
    ("points", "message"),
    [
        ([MapPoint(float("nan"), 0.0, 0)], "not a finite number"),
        ([MapPoint(0.0, 0.0, 0, count=0)], "at least one participant"),
    ],
)
def test_bad_points_are_refused(points, message):
    with pytest.raises(ValueError, match=message):
        render(points)


def test_bad_arguments_are_refused():
    with pytest.raises(ValueError, match="two groups"):
        render(groups=(A, A))
    with pytest.raises(ValueError, match="valid element id"):
        render(title_id="a b")
    with pytest.raises(ValueError, match="at least 16"):
        bin_points(POINTS, max_points=3)


def test_empty_map_says_there_is_no_group():
    root = assert_well_formed(render([], (), others=0))
    assert by_class(root, "map-point") == []
    assert root.find(f"{SVG}desc").text.startswith("Participants: 0. No opinion group yet.")


def test_table_and_summary_in_french():
    table = opinion_map_table((A, B), 2, labels=FRENCH)
    assert [(r.name, r.size, r.share) for r in table.rows] == [
        ("Group A", 6, "46,2\u202f%"),
        ("Group B", 5, "38,5\u202f%"),
        ("Pas dans un groupe assez grand", 2, "15,4\u202f%"),
    ]
    assert table.total == 13 and table.rows[-1].key is None
    assert opinion_map_summary((A, B), 0, labels=FRENCH) == (
        "Participants : 11. Group A : 6 (54,5\u202f%); Group B : 5 (45,5\u202f%)."
    )


def test_names_are_escaped():
    evil = MapGroup(key=0, name='<script>alert("x")</script>', size=5, centroid=(0, 0))
    svg = render([MapPoint(0, 0, 0)], (evil,), others=0, title="<b>")
    assert "<script>" not in svg and "<b>" not in svg
    assert_well_formed(svg)


@settings(max_examples=40, deadline=None)
@given(
    st.lists(
        st.tuples(
            st.floats(-1e6, 1e6),
            st.floats(-1e6, 1e6),
            st.one_of(st.none(), st.integers(0, 6)),
            st.integers(1, 50),
        ),
        max_size=200,
    ),
    st.integers(16, 64),
    st.booleans(),
)
def test_any_points_render_inside_the_view_box_with_bounded_markers(raw, max_points, with_you):
    points = [MapPoint(x, y, g, c) for x, y, g, c in raw]
    groups = [MapGroup(key=k, name=f"G{k}", size=3) for k in range(4)]
    svg = render(
        points, groups, others=1, max_points=max_points, you=(0.0, 0.0) if with_you else None
    )
    root = assert_well_formed(svg)
    drawn = by_class(root, "map-point")
    assert len(drawn) <= max_points
    assert sum(p.count for p in bin_points(points, max_points=max_points)) == sum(
        c for *_, c in raw
    )
