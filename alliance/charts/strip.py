"""A strip chart: one row per item (e.g. the four weather items), each ally's
current value as a marker on the row's scale, and the gap between the lowest and
the highest as a hatched band. Same styles, legend and rules as the line chart.

Each ally has a lane of their own inside a row, so equal values never hide each
other.
"""

from collections.abc import Sequence
from dataclasses import dataclass

from .axes import Scale
from .labels import DEFAULT_LABELS, Labels
from .line import (
    FONT_FAMILY,
    FONT_SIZE,
    ZERO_TO_TEN,
    Table,
    TableRow,
    _Frame,
    _hatch_pattern,
    _legend,
    _number,
)
from .markup import check_id, clean, element, num, text
from .styles import GAP_HATCH, GRID, INK, SeriesStyle, marker, style_for

LANE = 10  # vertical space of one ally inside a row


@dataclass(frozen=True)
class StripSeries:
    name: str
    values: Sequence[float | None]  # one per row; None: no value on that row
    style: int | None = None  # as `Series.style`


@dataclass(frozen=True)
class _Prepared:
    name: str
    style: SeriesStyle
    values: tuple[float | None, ...]


def _prepare(rows: Sequence[str], series: Sequence[StripSeries]) -> list[_Prepared]:
    prepared = []
    for position, one in enumerate(series):
        name = " ".join(clean(one.name).split())
        if len(one.values) != len(rows):
            raise ValueError(f"series {name!r} has {len(one.values)} values for {len(rows)} rows")
        values = tuple(
            None if v is None else _number(v, name=name, when=row)
            for v, row in zip(one.values, rows, strict=True)
        )
        style = style_for(position if one.style is None else one.style)
        prepared.append(_Prepared(name=name, style=style, values=values))
    return prepared


def _gap(values) -> float | None:
    present = [v for v in values if v is not None]
    return max(present) - min(present) if len(present) >= 2 else None


def strip_table(
    rows: Sequence[str], series: Sequence[StripSeries], *, labels: Labels = DEFAULT_LABELS
) -> Table:
    """The chart as a table: one row per item (`TableRow.when` holds its label)."""
    prepared = _prepare(rows, series)
    has_gap = len(prepared) >= 2
    body = []
    for index, row in enumerate(rows):
        values = tuple(s.values[index] for s in prepared)
        body.append(TableRow(when=str(row), values=values, gap=_gap(values) if has_gap else None))
    headers = (labels.row_header, *(s.name for s in prepared))
    if has_gap:
        headers += (labels.gap_header,)
    return Table(headers=headers, rows=tuple(body), has_gap=has_gap)


def strip_summary(
    rows: Sequence[str], series: Sequence[StripSeries], *, labels: Labels = DEFAULT_LABELS
) -> str:
    """E.g. "We decide together: Léa 8, Marc 3, gap 5; …"."""
    prepared = _prepare(rows, series)
    parts = []
    for index, row in enumerate(rows):
        shown = [
            labels.strip_value.format(name=s.name, value=labels.number(s.values[index]))
            for s in prepared
            if s.values[index] is not None
        ]
        if not shown:
            continue
        gap = _gap([s.values[index] for s in prepared])
        if gap is not None:
            shown.append(labels.strip_gap.format(gap=labels.number(gap)))
        parts.append(
            labels.strip_row.format(row=" ".join(clean(row).split()), values=", ".join(shown))
        )
    return labels.separator.join(parts) + labels.end if parts else labels.no_data


def strip_chart(
    rows: Sequence[str],
    series: Sequence[StripSeries],
    *,
    title: str,
    title_id: str,
    desc_id: str,
    desc: str | None = None,
    scale: Scale = ZERO_TO_TEN,
    labels: Labels = DEFAULT_LABELS,
    width: int = 640,
    css_class: str = "chart chart-strip",
) -> str:
    """The SVG markup of the strip chart; arguments as `line_chart`."""
    check_id(title_id, what="title_id")
    check_id(desc_id, what="desc_id")
    if width < 240:
        raise ValueError("a chart needs a width of at least 240")
    prepared = _prepare(rows, series)
    if desc is None:
        desc = strip_summary(rows, series, labels=labels)
    pattern_id = f"{title_id}-hatch"
    ticks = scale.ticks()
    left, right = 24.0, width - 24.0
    frame = _Frame(width=width, left=left, top=0, right=right, bottom=0)

    def to_x(value: float) -> float:
        return left + scale.fraction(value) * (right - left)

    lanes = max(len(prepared), 1)
    row_height = 22 + lanes * LANE + 10
    body, y0 = [], 8.0
    for index, row in enumerate(rows):
        lane_top = y0 + 22
        lane_bottom = lane_top + lanes * LANE
        parts = [
            element(
                "text",
                {"class": "row-label", "x": num(left), "y": num(y0 + 12), "fill": INK},
                text(" ".join(clean(row).split())),
            )
        ]
        grid = [
            element(
                "line",
                {
                    "x1": num(to_x(t)),
                    "y1": num(lane_top - 2),
                    "x2": num(to_x(t)),
                    "y2": num(lane_bottom + 2),
                },
            )
            for t in ticks
        ]
        parts.append(
            element("g", {"class": "grid", "stroke": GRID, "stroke-width": "1"}, "".join(grid))
        )
        values = [s.values[index] for s in prepared]
        present = [v for v in values if v is not None]
        if len(present) >= 2:
            low, high = to_x(min(present)), to_x(max(present))
            parts.append(
                element(
                    "rect",
                    {
                        "class": "gap",
                        "x": num(low),
                        "y": num(lane_top - 2),
                        "width": num(high - low),
                        "height": num(lanes * LANE + 4),
                        "fill": f"url(#{pattern_id})",
                        "stroke": GAP_HATCH,
                        "stroke-width": "0.75",
                    },
                )
            )
        for lane, s in enumerate(prepared):
            value = s.values[index]
            if value is None:
                continue
            tip = labels.point_value.format(name=s.name, value=labels.number(value))
            parts.append(
                element(
                    "g",
                    {"class": s.style.css_class},
                    marker(
                        s.style,
                        to_x(value),
                        lane_top + lane * LANE + LANE / 2,
                        size=4.5,
                        css_class="marker",
                        title=element("title", None, text(tip)),
                    ),
                )
            )
        body.append(element("g", {"class": "row"}, "".join(parts)))
        y0 += row_height

    axis = [
        element(
            "line",
            {
                "class": "axis-line",
                "x1": num(left),
                "y1": num(y0),
                "x2": num(right),
                "y2": num(y0),
                "stroke": INK,
            },
        )
    ]
    for t in ticks:
        x = to_x(t)
        axis.append(
            element(
                "line",
                {"x1": num(x), "y1": num(y0), "x2": num(x), "y2": num(y0 + 5), "stroke": INK},
            )
        )
        axis.append(
            element(
                "text",
                {"x": num(x), "y": num(y0 + 19), "text-anchor": "middle", "fill": INK},
                text(labels.number(t)),
            )
        )
    body.append(element("g", {"class": "axis axis-x"}, "".join(axis)))
    legend_top = y0 + 40
    show_band = len(prepared) >= 2 and any(
        _gap([s.values[i] for s in prepared]) is not None for i in range(len(rows))
    )
    legend_height = 0.0
    if prepared:
        legend, legend_height = _legend(frame, prepared, show_band, pattern_id, labels, legend_top)
        body.append(legend)
    height = legend_top + legend_height + 4
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
        + element("defs", None, _hatch_pattern(pattern_id))
        + "".join(body),
    )
