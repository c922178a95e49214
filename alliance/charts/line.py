"""A line chart of several series over time on a fixed scale, with the gap between
the highest and the lowest series, and its table and text alternatives.

One series per ally: `Series(name, points)` where points are (date or datetime,
value). Within a series two points at the same instant keep the last one given.

The gap at an instant compares each series' latest value at or before that
instant (an ally's rating holds until they rate again), over the series that
have started; it exists once two series have. The band drawn on the chart, the
"Gap" column of the table and the summary all use that definition.

Values outside the scale are drawn on its nearest bound (their tooltip, table
cell and summary keep the real value): check readings against the scale before
saving them, not here.
"""

import math
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime

from .axes import Scale, as_datetime, seconds, time_ticks
from .labels import DEFAULT_LABELS, Labels
from .markup import check_id, clean, element, num, points, text, truncate
from .styles import GAP_FILL, GAP_HATCH, GRID, INK, SeriesStyle, marker, style_for

FONT_FAMILY = "system-ui, -apple-system, 'Segoe UI', Roboto, Arial, sans-serif"
FONT_SIZE = 12
CHAR_WIDTH = 7.0  # estimated average width of a character at FONT_SIZE
LEGEND_NAME_LIMIT = 28
ZERO_TO_TEN = Scale(0, 10)


@dataclass(frozen=True)
class Series:
    name: str
    points: Sequence[tuple[date | datetime, float]]
    # The style index (colour, dash, shape). None: the series' position in the list.
    # Give each ally the same index on every chart of a page.
    style: int | None = None


@dataclass(frozen=True)
class TableRow:
    when: date | datetime | str  # the row's label in a strip chart's table
    values: tuple[float | None, ...]  # one per series; None: no reading at that instant
    gap: float | None  # None: fewer than two series have started


@dataclass(frozen=True)
class Table:
    headers: tuple[str, ...]  # date, one per series, then gap if there are two series
    rows: tuple[TableRow, ...]
    has_gap: bool


# ---------------------------------------------------------------------------
# Data


@dataclass(frozen=True)
class _Prepared:
    name: str
    style: SeriesStyle
    # (instant, original date or datetime, value), sorted, one per instant.
    points: tuple[tuple[datetime, date | datetime, float], ...]


def _number(value, *, name: str, when) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        raise ValueError(f"series {name!r}: value {value!r} on {when!r} is not a finite number")
    return value


def _prepare(series: Sequence[Series]) -> list[_Prepared]:
    prepared = []
    for position, one in enumerate(series):
        by_instant = {}
        for when, value in one.points:
            by_instant[as_datetime(when)] = (when, _number(value, name=one.name, when=when))
        pts = tuple((at, orig, value) for at, (orig, value) in sorted(by_instant.items()))
        style = style_for(position if one.style is None else one.style)
        name = " ".join(clean(one.name).split())  # one line, only characters XML carries
        prepared.append(_Prepared(name=name, style=style, points=pts))
    return prepared


def _dates_only(prepared: list[_Prepared]) -> bool:
    return all(not isinstance(orig, datetime) for s in prepared for _, orig, _ in s.points)


def _timeline(prepared: list[_Prepared]):
    """Every instant with a point, and for each the latest value of every series
    (None before a series starts) and the gap."""
    instants = sorted({at for s in prepared for at, _, _ in s.points})
    latest: list[float | None] = [None] * len(prepared)
    cursors = [0] * len(prepared)
    for at in instants:
        for i, s in enumerate(prepared):
            while cursors[i] < len(s.points) and s.points[cursors[i]][0] <= at:
                latest[i] = s.points[cursors[i]][2]
                cursors[i] += 1
        started = [v for v in latest if v is not None]
        gap = max(started) - min(started) if len(started) >= 2 else None
        yield at, tuple(latest), gap


def table(series: Sequence[Series], *, labels: Labels = DEFAULT_LABELS) -> Table:
    """The chart as a table: one row per instant with a reading, in time order."""
    prepared = _prepare(series)
    dates_only = _dates_only(prepared)
    has_gap = len(prepared) >= 2
    rows = []
    readings = [{at: value for at, _, value in s.points} for s in prepared]
    for at, _, gap in _timeline(prepared):
        rows.append(
            TableRow(
                when=at.date() if dates_only else at,
                values=tuple(r.get(at) for r in readings),
                gap=gap if has_gap else None,
            )
        )
    headers = (labels.date_header, *(s.name for s in prepared))
    if has_gap:
        headers += (labels.gap_header,)
    return Table(headers=headers, rows=tuple(rows), has_gap=has_gap)


def summary(series: Sequence[Series], *, labels: Labels = DEFAULT_LABELS) -> str:
    """A sentence or two: each series' first and last value, the largest and the
    current gap. E.g. "Léa: 7 → 4 (−3) since 12/03/2024; largest gap 5 on …"."""
    prepared = [s for s in _prepare(series) if s.points]
    if not prepared:
        return labels.no_data
    parts = []
    for s in prepared:
        (_, first_when, first), (_, _, last) = s.points[0], s.points[-1]
        if len(s.points) == 1:
            parts.append(
                labels.series_single.format(
                    name=s.name, last=labels.number(last), since=labels.when(first_when)
                )
            )
        else:
            parts.append(
                labels.series_change.format(
                    name=s.name,
                    first=labels.number(first),
                    last=labels.number(last),
                    change=labels.number(last - first, signed=True),
                    since=labels.when(first_when),
                )
            )
    gaps = [(at, gap) for at, _, gap in _timeline(prepared) if gap is not None]
    if gaps:
        largest_at, largest = max(gaps, key=lambda pair: (pair[1], -seconds(pair[0])))
        dates_only = _dates_only(prepared)
        parts.append(
            labels.largest_gap.format(
                gap=labels.number(largest),
                date=labels.when(largest_at.date() if dates_only else largest_at),
            )
        )
        parts.append(labels.current_gap.format(gap=labels.number(gaps[-1][1])))
    return labels.separator.join(parts) + labels.end


# ---------------------------------------------------------------------------
# Drawing


@dataclass(frozen=True)
class _Frame:
    width: float
    left: float
    top: float
    right: float
    bottom: float
    pad: float = 10.0  # between the y axis and the first point, the last point and the edge

    def y(self, scale: Scale, value: float) -> float:
        return self.bottom - scale.fraction(value) * (self.bottom - self.top)


def line_chart(
    series: Sequence[Series],
    *,
    title: str,
    title_id: str,
    desc_id: str,
    desc: str | None = None,
    scale: Scale = ZERO_TO_TEN,
    show_gap: bool = True,
    labels: Labels = DEFAULT_LABELS,
    width: int = 640,
    plot_height: int = 220,
    css_class: str = "chart chart-line",
) -> str:
    """The SVG markup of the chart (a string; mark it safe in the template).

    `title_id` and `desc_id` must be unique on the page. `desc` defaults to
    `summary()`. No inline style, no script: colours, dashes and sizes are
    presentation attributes; the root and each series carry CSS classes.
    """
    check_id(title_id, what="title_id")
    check_id(desc_id, what="desc_id")
    if width < 240 or plot_height < 80:
        raise ValueError("a chart needs a width of at least 240 and a plot height of 80")
    prepared = _prepare(series)
    if desc is None:
        desc = summary(series, labels=labels)
    has_data = any(s.points for s in prepared)

    y_ticks = scale.ticks()
    y_labels = [labels.number(v) for v in y_ticks]
    left = 12 + CHAR_WIDTH * max(len(lab) for lab in y_labels)
    frame = _Frame(width=width, left=left, top=14, right=width - 24, bottom=14 + plot_height)

    body = [_grid(frame, scale, y_ticks, y_labels)]
    timeline = list(_timeline(prepared)) if has_data else []
    if has_data:
        start, end = timeline[0][0], timeline[-1][0]
        to_x = _x_mapper(frame, start, end)
        body.append(_time_axis(frame, start, end, to_x, labels, _dates_only(prepared)))
        band = [(at, lat) for at, lat, gap in timeline if gap is not None]
        show_band = show_gap and bool(band)
        if show_band:
            body.append(_gap_band(frame, scale, band, to_x, f"{title_id}-hatch"))
        for s in prepared:
            body.append(_series(frame, scale, s, to_x, labels))
        legend_top = frame.bottom + 34
        legend, legend_height = _legend(
            frame, prepared, show_band, f"{title_id}-hatch", labels, legend_top
        )
        body.append(legend)
    else:
        body.append(
            element(
                "line",
                {
                    "class": "axis-line",
                    "x1": num(frame.left),
                    "y1": num(frame.bottom),
                    "x2": num(frame.right),
                    "y2": num(frame.bottom),
                    "stroke": INK,
                },
            )
        )
        body.append(
            element(
                "text",
                {
                    "class": "no-data",
                    "x": num((frame.left + frame.right) / 2),
                    "y": num((frame.top + frame.bottom) / 2),
                    "text-anchor": "middle",
                    "fill": INK,
                },
                text(labels.no_data),
            )
        )
        legend_top, legend_height = frame.bottom + 10, 0
    height = legend_top + legend_height + 6

    defs = element("defs", None, _hatch_pattern(f"{title_id}-hatch"))
    return element(
        "svg",
        {
            "xmlns": "http://www.w3.org/2000/svg",
            "class": css_class,
            "viewBox": f"0 0 {num(width)} {num(height)}",
            "width": num(width),
            "height": num(height),
            "role": "img",
            "aria-labelledby": f"{title_id} {desc_id}",
            "font-family": FONT_FAMILY,
            "font-size": str(FONT_SIZE),
        },
        element("title", {"id": title_id}, text(title))
        + element("desc", {"id": desc_id}, text(desc))
        + defs
        + "".join(body),
    )


def _x_mapper(frame: _Frame, start: datetime, end: datetime):
    s0, s1 = seconds(start), seconds(end)
    x0, x1 = frame.left + frame.pad, frame.right - frame.pad
    if s1 == s0:
        middle = (x0 + x1) / 2
        return lambda at: middle
    return lambda at: x0 + (seconds(at) - s0) / (s1 - s0) * (x1 - x0)


def _hatch_pattern(pattern_id: str) -> str:
    return element(
        "pattern",
        {
            "id": pattern_id,
            "patternUnits": "userSpaceOnUse",
            "width": "6",
            "height": "6",
            "patternTransform": "rotate(45)",
        },
        element("rect", {"width": "6", "height": "6", "fill": GAP_FILL})
        + element(
            "line",
            {
                "x1": "0",
                "y1": "0",
                "x2": "0",
                "y2": "6",
                "stroke": GAP_HATCH,
                "stroke-width": "1.5",
            },
        ),
    )


def _grid(frame: _Frame, scale: Scale, ticks, tick_labels) -> str:
    lines, texts = [], []
    for value, label in zip(ticks, tick_labels, strict=True):
        y = frame.y(scale, value)
        lines.append(
            element(
                "line", {"x1": num(frame.left), "y1": num(y), "x2": num(frame.right), "y2": num(y)}
            )
        )
        texts.append(
            element(
                "text",
                {"x": num(frame.left - 6), "y": num(y + 4), "text-anchor": "end"},
                text(label),
            )
        )
    return (
        element("g", {"class": "grid", "stroke": GRID, "stroke-width": "1"}, "".join(lines))
        + element("g", {"class": "axis axis-y", "fill": INK}, "".join(texts))
        + element(
            "line",
            {
                "class": "axis-line",
                "x1": num(frame.left),
                "y1": num(frame.top),
                "x2": num(frame.left),
                "y2": num(frame.bottom),
                "stroke": INK,
            },
        )
    )


def _tick_format(unit: str, ticks, labels: Labels, index: int) -> str:
    if unit == "hour":
        if index == 0 or ticks[index].date() != ticks[index - 1].date():
            return labels.tick_hour_first
        return labels.tick_hour
    if unit == "day":
        return labels.tick_day_years if ticks[0].year != ticks[-1].year else labels.tick_day
    return labels.tick_month if unit == "month" else labels.tick_year


def _time_axis(frame: _Frame, start, end, to_x, labels: Labels, dates_only: bool) -> str:
    found = time_ticks(start, end, dates_only=dates_only)
    parts = [
        element(
            "line",
            {
                "class": "axis-line",
                "x1": num(frame.left),
                "y1": num(frame.bottom),
                "x2": num(frame.right),
                "y2": num(frame.bottom),
                "stroke": INK,
            },
        )
    ]
    for index, tick in enumerate(found.ticks):
        x = to_x(tick)
        label = tick.strftime(
            _tick_format(found.unit, found.ticks, labels, index).replace("%Y", f"{tick.year:04d}")
        )
        half = CHAR_WIDTH * len(label) / 2
        label_x = min(max(x, half + 2), frame.width - half - 2)
        parts.append(
            element(
                "line",
                {
                    "x1": num(x),
                    "y1": num(frame.bottom),
                    "x2": num(x),
                    "y2": num(frame.bottom + 5),
                    "stroke": INK,
                },
            )
        )
        parts.append(
            element(
                "text",
                {
                    "x": num(label_x),
                    "y": num(frame.bottom + 19),
                    "text-anchor": "middle",
                    "fill": INK,
                },
                text(label),
            )
        )
    return element("g", {"class": "axis axis-x"}, "".join(parts))


def _gap_band(frame: _Frame, scale: Scale, band, to_x, pattern_id: str) -> str:
    highs, lows = [], []
    for at, latest in band:
        started = [v for v in latest if v is not None]
        x = to_x(at)
        highs.append((x, frame.y(scale, max(started))))
        lows.append((x, frame.y(scale, min(started))))
    if len(highs) == 1:  # a single instant: a narrow bar rather than a line
        (x, top), (_, bottom) = highs[0], lows[0]
        highs = [(x - 4, top), (x + 4, top)]
        lows = [(x - 4, bottom), (x + 4, bottom)]
    outline = highs + lows[::-1]
    return element(
        "g",
        {"class": "gap"},
        element(
            "polygon",
            {
                "points": points(outline),
                "fill": f"url(#{pattern_id})",
                "stroke": GAP_HATCH,
                "stroke-width": "0.75",
            },
        ),
    )


def _series(frame: _Frame, scale: Scale, s: _Prepared, to_x, labels: Labels) -> str:
    style = s.style
    coords = [(to_x(at), frame.y(scale, value)) for at, _, value in s.points]
    parts = []
    if len(coords) >= 2:
        parts.append(
            element(
                "polyline",
                {
                    "class": "line",
                    "points": points(coords),
                    "fill": "none",
                    "stroke": style.colour,
                    "stroke-width": "2",
                    "stroke-dasharray": style.dash,
                    "stroke-linejoin": "round",
                },
            )
        )
    for (x, y), (_, when, value) in zip(coords, s.points, strict=True):
        tip = labels.point.format(name=s.name, value=labels.number(value), date=labels.when(when))
        parts.append(
            marker(style, x, y, css_class="marker", title=element("title", None, text(tip)))
        )
    return element("g", {"class": style.css_class}, "".join(parts))


def _legend(
    frame: _Frame, prepared, show_band: bool, pattern_id: str, labels: Labels, top: float
) -> tuple[str, float]:
    entries = [(s.name, s.style) for s in prepared]
    if show_band:
        entries.append((labels.gap_legend, None))
    names = [truncate(name, LEGEND_NAME_LIMIT) for name, _ in entries]
    column = 40 + CHAR_WIDTH * max(len(n) for n in names)
    columns = max(1, int((frame.width - 24) // column))
    columns = min(columns, len(entries))
    row_height = 22
    items = []
    for index, ((name, style), shown) in enumerate(zip(entries, names, strict=True)):
        x = 12 + (index % columns) * column
        y = top + (index // columns) * row_height
        parts = []
        if shown != name:
            parts.append(element("title", None, text(name)))
        if style is None:
            parts.append(
                element(
                    "rect",
                    {
                        "x": num(x),
                        "y": num(y - 6),
                        "width": "30",
                        "height": "12",
                        "fill": f"url(#{pattern_id})",
                        "stroke": GAP_HATCH,
                        "stroke-width": "0.75",
                    },
                )
            )
            css = "legend-item legend-gap"
        else:
            parts.append(
                element(
                    "line",
                    {
                        "x1": num(x),
                        "y1": num(y),
                        "x2": num(x + 30),
                        "y2": num(y),
                        "stroke": style.colour,
                        "stroke-width": "2",
                        "stroke-dasharray": style.dash,
                    },
                )
            )
            parts.append(marker(style, x + 15, y, css_class="legend-marker"))
            css = f"legend-item {style.css_class}"
        parts.append(element("text", {"x": num(x + 38), "y": num(y + 4), "fill": INK}, text(shown)))
        items.append(element("g", {"class": css}, "".join(parts)))
    rows = math.ceil(len(entries) / columns)
    return element("g", {"class": "legend"}, "".join(items)), rows * row_height
