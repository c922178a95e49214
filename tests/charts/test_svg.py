"""The pure SVG charts: no database, no Django."""

import re
import xml.etree.ElementTree as ET
from datetime import date, datetime, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from alliance.charts import (
    Labels,
    Scale,
    Series,
    StripSeries,
    line_chart,
    strip_chart,
    strip_summary,
    strip_table,
    style_for,
    summary,
    table,
)
from alliance.charts.axes import time_ticks
from alliance.charts.markup import clean, truncate
from alliance.charts.styles import COLOURS, DASHES, SHAPES, contrast_ratio

SVG = "{http://www.w3.org/2000/svg}"


def render(series, **kwargs):
    kwargs.setdefault("title", "Weather")
    kwargs.setdefault("title_id", "chart-title")
    kwargs.setdefault("desc_id", "chart-desc")
    return line_chart(series, **kwargs)


def parse(svg: str) -> ET.Element:
    return ET.fromstring(svg)  # noqa: S314 (our own output, no entities)


def view_box(root) -> tuple[float, float]:
    x, y, width, height = (float(v) for v in root.get("viewBox").split())
    assert (x, y) == (0, 0)
    return width, height


def by_class(root, name: str) -> list[ET.Element]:
    return [e for e in root.iter() if name in (e.get("class") or "").split()]


def coordinates(root):
    """Every (x, y) an element of the chart is drawn at, patterns excluded."""
    pattern_children = {id(e) for p in root.iter(f"{SVG}pattern") for e in p.iter()}
    for e in root.iter():
        if id(e) in pattern_children:
            continue
        a = e.attrib
        for xs, ys in (("x", "y"), ("x1", "y1"), ("x2", "y2"), ("cx", "cy")):
            if xs in a and ys in a:
                yield float(a[xs]), float(a[ys])
        if "width" in a and "x" in a and e.tag != f"{SVG}svg":
            yield float(a["x"]) + float(a["width"]), float(a["y"]) + float(a["height"])
        if "r" in a:
            r = float(a["r"])
            yield float(a["cx"]) - r, float(a["cy"]) - r
            yield float(a["cx"]) + r, float(a["cy"]) + r
        if "points" in a:
            for pair in a["points"].split():
                x, y = pair.split(",")
                yield float(x), float(y)


def assert_well_formed(svg: str, *, title_id="chart-title", desc_id="chart-desc"):
    root = parse(svg)
    assert root.tag == f"{SVG}svg"
    assert root.get("role") == "img"
    assert root.get("aria-labelledby") == f"{title_id} {desc_id}"
    titles = root.findall(f"{SVG}title")
    assert len(titles) == 1 and titles[0].get("id") == title_id
    assert root[0] is titles[0]  # the accessible name comes first
    descs = root.findall(f"{SVG}desc")
    assert len(descs) == 1 and descs[0].get("id") == desc_id
    # Our CSP: no inline style, no script, no event handler.
    for e in root.iter():
        assert e.tag not in (f"{SVG}style", f"{SVG}script")
        assert "style" not in e.attrib
        assert not any(name.lower().startswith("on") for name in e.attrib)
    width, height = view_box(root)
    for x, y in coordinates(root):
        assert -0.01 <= x <= width + 0.01 and -0.01 <= y <= height + 0.01, (x, y)
    return root


# ---------------------------------------------------------------------------
# Examples

LEA = Series("Léa", [(date(2024, 3, 12), 7), (date(2024, 4, 20), 4), (date(2024, 6, 1), 6)])
MARC = Series("Marc", [(date(2024, 3, 12), 5), (date(2024, 4, 20), 9), (date(2024, 6, 1), 7)])


def test_example_chart_is_accessible_and_complete():
    root = assert_well_formed(render([LEA, MARC]))
    assert len(by_class(root, "marker")) == 6
    assert len(by_class(root, "line")) == 2
    assert len(by_class(root, "gap")) == 1
    legend = [" ".join(e.itertext()) for e in by_class(root, "legend-item")]
    assert legend == ["Léa", "Marc", "Gap between allies"]
    assert root.find(f"{SVG}desc").text == summary([LEA, MARC])


def test_names_are_escaped():
    name = '<script>alert("x")</script> & Co'
    svg = render([Series(name, [(date(2024, 1, 1), 5)])], title="<b>T</b>")
    assert "<script>" not in svg and "<b>" not in svg
    root = assert_well_formed(svg)
    assert root.find(f"{SVG}title").text == "<b>T</b>"
    assert name in " ".join(by_class(root, "legend")[0].itertext()) or name[:27] in svg


def test_long_names_are_cut_in_the_legend_with_the_full_name_in_a_title():
    name = "Marie-Christine de La Tour d'Auvergne-Lauraguais, éducatrice"
    root = assert_well_formed(render([Series(name, [(date(2024, 1, 1), 5)])]))
    item = by_class(root, "legend-item")[0]
    assert item.find(f"{SVG}title").text == name
    shown = item.find(f"{SVG}text").text
    assert shown.endswith("…") and len(shown) <= 28 and name.startswith(shown[:-1])


def test_no_data_says_so():
    for series in ([], [Series("Léa", [])]):
        root = assert_well_formed(render(series))
        assert by_class(root, "marker") == []
        assert "".join(by_class(root, "no-data")[0].itertext()) == "No readings yet."
        assert root.find(f"{SVG}desc").text == "No readings yet."


def test_one_point_sits_in_the_middle_with_one_tick():
    root = assert_well_formed(render([Series("Léa", [(date(2024, 1, 1), 10)])]))
    (circle,) = by_class(root, "marker")
    width, _ = view_box(root)
    ticks = [t.text for t in by_class(root, "axis-x")[0].iter(f"{SVG}text")]
    assert ticks == ["01/01"]
    assert by_class(root, "line") == [] and by_class(root, "gap") == []
    assert 0.3 * width < float(circle.get("cx")) < 0.7 * width


@pytest.mark.parametrize("value", [0, 10, 0.0, 10.0])
def test_values_at_the_bounds_sit_on_the_plot_edges(value):
    series = [Series("A", [(date(2024, 1, 1), value), (date(2024, 1, 2), value)])]
    root = assert_well_formed(render(series))
    ys = {float(m.get("cy")) for m in by_class(root, "marker")}
    grid = [float(line.get("y1")) for line in by_class(root, "grid")[0]]
    assert ys == {max(grid) if value == 0 else min(grid)}


def test_values_outside_the_scale_are_drawn_on_the_bound_but_told_as_they_are():
    series = [Series("A", [(date(2024, 1, 1), 14), (date(2024, 1, 2), -3)])]
    root = assert_well_formed(render(series))
    tips = ["".join(m.itertext()) for m in by_class(root, "marker")]
    assert tips == ["A: 14 (01/01/2024)", "A: −3 (02/01/2024)"]


def test_identical_values_give_a_flat_band_and_a_zero_gap():
    series = [Series(n, [(date(2024, 1, d), 5) for d in (1, 2, 3)]) for n in "ABC"]
    root = assert_well_formed(render(series))
    assert len(by_class(root, "marker")) == 9
    assert [row.gap for row in table(series).rows] == [0, 0, 0]


@pytest.mark.parametrize(
    ("start", "end", "unit", "labels"),
    [
        (
            datetime(2024, 3, 1, 9),
            datetime(2024, 3, 1, 17),
            "hour",
            ["01/03 10:00", "12:00", "14:00", "16:00"],
        ),
        (date(2024, 3, 1), date(2024, 3, 4), "day", ["01/03", "02/03", "03/03", "04/03"]),
        (date(2024, 3, 1), date(2024, 4, 30), "day", ["01/03", "15/03", "29/03", "12/04", "26/04"]),
        (
            date(2024, 1, 15),
            date(2024, 12, 15),
            "month",
            ["03/2024", "05/2024", "07/2024", "09/2024", "11/2024"],
        ),
        (date(2019, 6, 1), date(2024, 6, 1), "year", ["2020", "2021", "2022", "2023", "2024"]),
        (date(1990, 1, 1), date(2024, 1, 1), "year", ["1990", "2000", "2010", "2020"]),
    ],
)
def test_tick_choice_follows_the_span(start, end, unit, labels):
    series = [Series("A", [(start, 1), (end, 2)])]
    root = assert_well_formed(render(series))
    assert [t.text for t in by_class(root, "axis-x")[0].iter(f"{SVG}text")] == labels
    found = time_ticks(
        datetime.combine(start, datetime.min.time()) if type(start) is date else start,
        datetime.combine(end, datetime.min.time()) if type(end) is date else end,
    )
    assert found.unit == unit


def test_a_span_under_an_hour_labels_its_ends():
    series = [Series("A", [(datetime(2024, 3, 1, 10, 5), 1), (datetime(2024, 3, 1, 10, 35), 2)])]
    root = assert_well_formed(render(series))
    labels = [t.text for t in by_class(root, "axis-x")[0].iter(f"{SVG}text")]
    assert labels == ["01/03 10:05", "10:35"]


@pytest.mark.parametrize(
    ("scale", "ticks"),
    [
        (Scale(0, 10), [0, 2, 4, 6, 8, 10]),
        (Scale(1, 5), [1, 2, 3, 4, 5]),
        (Scale(0, 100), [0, 20, 40, 60, 80, 100]),
        (Scale(-5, 5), [-4, -2, 0, 2, 4]),
        (Scale(0, 1), [0, 0.2, 0.4, 0.6, 0.8, 1]),
    ],
)
def test_value_ticks(scale, ticks):
    assert scale.ticks() == ticks


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"title_id": "1bad"}, "title_id '1bad' is not a valid element id"),
        ({"desc_id": 'a"b'}, "desc_id 'a\"b' is not a valid element id"),
        ({"scale": None}, None),
    ],
)
def test_bad_arguments_are_refused(kwargs, message):
    if message is None:
        with pytest.raises(ValueError, match="must be below"):
            Scale(5, 5)
        return
    with pytest.raises(ValueError) as error:
        render([LEA], **kwargs)
    assert str(error.value).startswith(message)


@pytest.mark.parametrize("value", [float("nan"), float("inf"), "7", None, True])
def test_a_value_that_is_not_a_number_is_refused(value):
    with pytest.raises(ValueError, match="is not a finite number"):
        render([Series("A", [(date(2024, 1, 1), value)])])


def test_same_instant_twice_keeps_the_last():
    series = [Series("A", [(date(2024, 1, 1), 3), (date(2024, 1, 1), 8)])]
    assert [row.values for row in table(series).rows] == [(8,)]
    assert len(by_class(parse(render(series)), "marker")) == 1


# ---------------------------------------------------------------------------
# Table and summary


def test_table_gap_uses_each_series_latest_value():
    parent = Series("Parent", [(date(2024, 3, 20), 2)])
    result = table([LEA, MARC, parent])
    assert result.headers == ("Date", "Léa", "Marc", "Parent", "Gap")
    assert [(r.when, r.values, r.gap) for r in result.rows] == [
        (date(2024, 3, 12), (7, 5, None), 2),
        (date(2024, 3, 20), (None, None, 2), 5),
        (date(2024, 4, 20), (4, 9, None), 7),
        (date(2024, 6, 1), (6, 7, None), 5),
    ]


def test_table_of_one_series_has_no_gap():
    result = table([LEA])
    assert result.headers == ("Date", "Léa") and not result.has_gap
    assert {r.gap for r in result.rows} == {None}


def test_table_keeps_datetimes():
    at = datetime(2024, 3, 1, 14, 30)
    assert table([Series("A", [(at, 1)])]).rows[0].when == at


def test_summary_in_english_and_in_french():
    assert summary([LEA, MARC]) == (
        "Léa: 7 → 6 (−1) since 12/03/2024; Marc: 5 → 7 (+2) since 12/03/2024; "
        "largest gap 5 on 20/04/2024; gap now 1."
    )
    french = Labels(
        series_change="{name} : {first} → {last} ({change}) depuis le {since}",
        series_single="{name} : {last} le {since}",
        largest_gap="écart le plus grand {gap} le {date}",
        current_gap="écart actuel {gap}",
        decimal_separator=",",
    )
    half = Series("Léa", [(date(2024, 3, 12), 7.5)])
    assert summary([half, MARC], labels=french) == (
        "Léa : 7,5 le 12/03/2024 ; Marc : 5 → 7 (+2) depuis le 12/03/2024 ; "
        "écart le plus grand 2,5 le 12/03/2024 ; écart actuel 0,5."
    ).replace(" ; ", "; ")
    assert summary([]) == "No readings yet."


# ---------------------------------------------------------------------------
# Styles


def test_every_colour_has_a_contrast_of_three_to_one_against_white():
    assert all(contrast_ratio(colour) >= 3 for colour in COLOURS)


def test_the_first_six_series_differ_by_colour_dash_and_shape():
    styles = [style_for(i) for i in range(6)]
    for attribute in ("colour", "dash", "shape"):
        assert len({getattr(s, attribute) for s in styles}) == 6
    assert len(DASHES) == len(SHAPES) == 6
    assert not any(s.hollow for s in styles) and style_for(6).hollow


def test_a_pinned_style_keeps_an_ally_look_across_charts():
    root = parse(render([Series("Marc", MARC.points, style=1)]))
    assert by_class(root, "series-1") and not by_class(root, "series-0")


def test_truncate():
    assert truncate("  a   b  ", 10) == "a b"
    assert truncate("abcdef", 4) == "abc…"
    assert clean("a\x00b\x1fc\ud800") == "abc"


# ---------------------------------------------------------------------------
# Properties

names = st.text(min_size=0, max_size=60)
instants = st.one_of(
    st.dates(min_value=date(1950, 1, 1), max_value=date(2100, 12, 31)),
    st.datetimes(min_value=datetime(1950, 1, 1), max_value=datetime(2100, 12, 31)),
)


@st.composite
def series_lists(draw, scale=Scale(0, 10)):  # noqa: B008
    result = []
    for _ in range(draw(st.integers(0, 7))):
        whens = draw(st.lists(instants, max_size=12))
        values = st.one_of(
            st.integers(int(scale.low), int(scale.high)),
            st.floats(scale.low, scale.high, allow_nan=False),
            st.sampled_from([scale.low, scale.high]),
        )
        pts = [(w, draw(values)) for w in whens]
        result.append(Series(draw(names), pts))
    return result


def xml_text(value: str) -> str:
    """`value` as an XML parser reads it back: line ends normalised."""
    return clean(value).replace("\r\n", "\n").replace("\r", "\n")


def distinct_points(series: Series) -> int:
    return len(
        {
            datetime.combine(w, datetime.min.time()) if type(w) is date else w
            for w, _ in series.points
        }
    )


@settings(max_examples=80, deadline=None)
@given(series=series_lists(), title=names)
def test_any_data_renders_a_well_formed_accessible_chart(series, title):
    svg = render(series, title=title)
    root = assert_well_formed(svg)
    assert (root.find(f"{SVG}title").text or "") == xml_text(title)
    total = sum(distinct_points(s) for s in series)
    assert len(by_class(root, "marker")) == total
    if total:
        legend_items = by_class(root, "legend-item")
        for s, item in zip(series, legend_items, strict=False):
            shown = item.find(f"{SVG}text").text or ""
            assert shown == truncate(s.name, 28)
            full = item.find(f"{SVG}title")
            if full is None:
                assert shown == " ".join(clean(s.name).split())
            else:
                assert full.text == " ".join(clean(s.name).split())


@settings(max_examples=30, deadline=None)
@given(
    low=st.integers(-1000, 1000),
    size=st.integers(1, 5000),
    data=st.data(),
)
def test_any_scale_renders_inside_the_view_box(low, size, data):
    scale = Scale(low, low + size)
    series = data.draw(series_lists(scale=scale))
    assert_well_formed(render(series, scale=scale))


@settings(max_examples=40, deadline=None)
@given(series=series_lists())
def test_table_has_a_row_per_instant_and_a_gap_between_extremes(series):
    result = table(series)
    instants_seen = [r.when for r in result.rows]
    assert instants_seen == sorted(set(instants_seen))
    assert len(result.headers) == 1 + len(series) + (1 if len(series) >= 2 else 0)
    for row in result.rows:
        assert len(row.values) == len(series)
        assert any(v is not None for v in row.values)
        if row.gap is not None:
            assert 0 <= row.gap <= 10


@settings(max_examples=100, deadline=None)
@given(
    start=st.datetimes(min_value=datetime(1900, 1, 1), max_value=datetime(2200, 1, 1)),
    span=st.timedeltas(min_value=timedelta(0), max_value=timedelta(days=365 * 300)),
)
def test_time_ticks_lie_inside_the_span_and_are_few(start, span):
    found = time_ticks(start, start + span)
    assert 1 <= len(found.ticks) <= 6
    assert all(start <= t <= start + span for t in found.ticks)
    assert list(found.ticks) == sorted(set(found.ticks))


def test_no_python_repr_leaks_into_the_markup():
    svg = render([LEA, MARC])
    assert not re.search(r"None|datetime|\bnan\b", svg)


# ---------------------------------------------------------------------------
# Strip chart (the weather items)

ROWS = ["We agree on what we aim for", "We agree on how", "I feel heard", "We decide together"]


def test_strip_chart_example():
    series = [StripSeries("Léa", [8, 7, 9, 8]), StripSeries("Marc", [8, 2, 9, None])]
    svg = strip_chart(ROWS, series, title="Weather", title_id="chart-title", desc_id="chart-desc")
    root = assert_well_formed(svg)
    assert len(by_class(root, "marker")) == 7
    assert len(by_class(root, "gap")) == 3  # the last row has a single value
    assert [t.text for t in by_class(root, "row-label")] == ROWS
    assert strip_summary(ROWS, series) == (
        "We agree on what we aim for: Léa 8, Marc 8, gap 0; We agree on how: Léa 7, Marc 2, "
        "gap 5; I feel heard: Léa 9, Marc 9, gap 0; We decide together: Léa 8."
    )
    result = strip_table(ROWS, series)
    assert result.headers == ("Item", "Léa", "Marc", "Gap")
    assert [(r.when, r.values, r.gap) for r in result.rows][-1] == (ROWS[3], (8, None), None)


def test_strip_chart_refuses_a_series_of_the_wrong_length():
    with pytest.raises(ValueError, match="series 'Léa' has 3 values for 4 rows"):
        strip_table(ROWS, [StripSeries("Léa", [1, 2, 3])])


@settings(max_examples=40, deadline=None)
@given(
    rows=st.lists(names, min_size=0, max_size=5),
    data=st.data(),
)
def test_any_strip_data_renders_well(rows, data):
    values = st.none() | st.integers(0, 10) | st.floats(0, 10, allow_nan=False)
    series = data.draw(
        st.lists(
            st.builds(StripSeries, names, st.lists(values, min_size=len(rows), max_size=len(rows))),
            max_size=6,
        )
    )
    svg = strip_chart(rows, series, title="W", title_id="chart-title", desc_id="chart-desc")
    root = assert_well_formed(svg)
    expected = sum(v is not None for s in series for v in s.values)
    assert len(by_class(root, "marker")) == expected
