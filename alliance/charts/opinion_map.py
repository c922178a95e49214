"""The opinion map of a consultation: each participant's place on the engine's 2-D
map, groups told apart by marker shape *and* colour, a legend, and table and text
alternatives.

The axes of the map have no unit (they are the engine's two main components):
only closeness means something, so the map has no axis and each coordinate is
scaled to fill the frame.

However many participants there are, at most `max_points` markers are drawn:
participants are binned on a grid over the map (per group), each bin drawn once at
the mean position of its participants with a size that grows with their number.
The grid is coarsened until the bins fit, so 100,000 participants still give a
small document, and the same input always gives the same picture.

A point whose group is not among `groups` is drawn as "not in a group large
enough": the page decides which groups may be shown (see
`alliance.consensus.publication`), the chart never shows another one.
"""

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from .labels import DEFAULT_LABELS, Labels
from .line import CHAR_WIDTH, FONT_FAMILY, FONT_SIZE, LEGEND_NAME_LIMIT
from .markup import check_id, clean, element, num, text, truncate
from .styles import INK, WHITE, SeriesStyle, marker, style_for

MAX_POINTS = 800
FIRST_GRID = 128  # cells per side of the finest grid; halved until the bins fit
OTHERS_COLOUR = "#666666"  # 5.7:1 against white
FRAME_COLOUR = "#BDBDBD"


@dataclass(frozen=True)
class MapGroup:
    key: int  # the group's id; also its style index, so it looks the same on every run
    name: str
    size: int
    centroid: tuple[float, float] | None = None  # where its name is written on the map


@dataclass(frozen=True)
class MapPoint:
    x: float
    y: float
    group: int | None  # key of a shown group; None (or an unknown key): not in one
    count: int = 1  # participants this point stands for


@dataclass(frozen=True)
class MapTableRow:
    key: int | None  # None: the row of participants not in a shown group
    name: str
    size: int
    share: str  # formatted with the labels, e.g. "33,3 %"


@dataclass(frozen=True)
class MapTable:
    headers: tuple[str, str, str]
    rows: tuple[MapTableRow, ...]
    total: int


def _finite(value, what: str) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        raise ValueError(f"{what} {value!r} is not a finite number")
    return float(value)


def bin_points(points: Iterable[MapPoint], *, max_points: int = MAX_POINTS) -> list[MapPoint]:
    """At most `max_points` weighted points standing for `points` (see the module)."""
    if max_points < 16:
        raise ValueError("max_points must be at least 16")
    pts = []
    for p in points:
        if p.count < 1:
            raise ValueError(f"a map point stands for at least one participant, not {p.count}")
        pts.append((_finite(p.x, "x"), _finite(p.y, "y"), p.group, int(p.count)))
    if not pts:
        return []
    x0, x1 = min(p[0] for p in pts), max(p[0] for p in pts)
    y0, y1 = min(p[1] for p in pts), max(p[1] for p in pts)
    groups = {p[2] for p in pts}
    side = FIRST_GRID
    while True:
        cells: dict[tuple, list[float]] = {}
        for x, y, g, c in pts:
            key = (
                -1 if g is None else g,
                _cell(x, x0, x1, side),
                _cell(y, y0, y1, side),
            )
            acc = cells.get(key)
            if acc is None:
                cells[key] = [x * c, y * c, c]
            else:
                acc[0] += x * c
                acc[1] += y * c
                acc[2] += c
        # One cell per group always fits when there are fewer groups than max_points.
        if len(cells) <= max_points or side == 1 or len(groups) > max_points:
            break
        side //= 2
    return [
        MapPoint(x=sx / c, y=sy / c, group=None if key[0] == -1 else key[0], count=int(c))
        for key, (sx, sy, c) in sorted(cells.items())
    ]


def _cell(value: float, low: float, high: float, side: int) -> int:
    if high <= low:
        return 0
    return min(int((value - low) / (high - low) * side), side - 1)


def _check_groups(groups: Sequence[MapGroup]) -> dict[int, MapGroup]:
    by_key = {}
    for g in groups:
        if g.key in by_key:
            raise ValueError(f"two groups have the key {g.key}")
        if g.key < 0 or g.size < 0:
            raise ValueError(f"group {g.key!r} has a negative key or size")
        by_key[g.key] = g
    return by_key


def _share(part: int, total: int, labels: Labels) -> str:
    value = 100.0 * part / total if total else 0.0
    return labels.percent.format(value=labels.number(value))


def opinion_map_table(
    groups: Sequence[MapGroup], others: int, *, labels: Labels = DEFAULT_LABELS
) -> MapTable:
    """One row per shown group (size and share of the participants), then the
    participants not in a shown group when there are any."""
    _check_groups(groups)
    if others < 0:
        raise ValueError("others must not be negative")
    total = sum(g.size for g in groups) + others
    rows = [
        MapTableRow(key=g.key, name=_name(g.name), size=g.size, share=_share(g.size, total, labels))
        for g in groups
    ]
    if others:
        rows.append(
            MapTableRow(
                key=None, name=labels.map_others, size=others, share=_share(others, total, labels)
            )
        )
    headers = (labels.map_group_header, labels.map_size_header, labels.map_share_header)
    return MapTable(headers=headers, rows=tuple(rows), total=total)


def opinion_map_summary(
    groups: Sequence[MapGroup], others: int, *, labels: Labels = DEFAULT_LABELS
) -> str:
    """E.g. "Participants: 300. Group A: 150 (50 %); Group B: 100 (33,3 %); …"."""
    table = opinion_map_table(groups, others, labels=labels)
    parts = [
        labels.map_summary_group.format(name=r.name, size=r.size, share=r.share) for r in table.rows
    ]
    if not groups:
        parts.insert(0, labels.map_no_group)
    return (
        labels.map_summary.format(total=table.total, groups=labels.separator.join(parts))
        + labels.end
    )


def _name(name: str) -> str:
    return " ".join(clean(name).split())


def _others_style() -> SeriesStyle:
    return SeriesStyle(index=-1, colour=OTHERS_COLOUR, dash=None, shape="circle", hollow=True)


def opinion_map(
    points: Iterable[MapPoint],
    groups: Sequence[MapGroup],
    *,
    others: int,
    title: str,
    title_id: str,
    desc_id: str,
    desc: str | None = None,
    you: tuple[float, float] | None = None,
    labels: Labels = DEFAULT_LABELS,
    width: int = 640,
    plot_height: int = 360,
    max_points: int = MAX_POINTS,
    css_class: str = "chart chart-opinion-map",
) -> str:
    """The SVG markup of the map (a string; mark it safe in the template).

    `groups` are the groups the page may show, `others` the number of participants
    in none of them. `you` is the viewer's own position, only ever theirs. `desc`
    defaults to the summary followed by how to read the map.
    """
    check_id(title_id, what="title_id")
    check_id(desc_id, what="desc_id")
    if width < 240 or plot_height < 120:
        raise ValueError("a map needs a width of at least 240 and a plot height of 120")
    by_key = _check_groups(groups)
    if desc is None:
        desc = opinion_map_summary(groups, others, labels=labels) + " " + labels.map_explanation
    shown = [
        MapPoint(p.x, p.y, p.group if p.group in by_key else None, p.count)
        for p in bin_points(points, max_points=max_points)
    ]
    if you is not None:
        you = (_finite(you[0], "x"), _finite(you[1], "y"))

    pad = 14.0
    left, top, right, bottom = pad, pad, width - pad, pad + plot_height
    xs = [p.x for p in shown] + ([you[0]] if you else [])
    ys = [p.y for p in shown] + ([you[1]] if you else [])
    for g in groups:
        if g.centroid is not None:
            xs.append(_finite(g.centroid[0], "x"))
            ys.append(_finite(g.centroid[1], "y"))
    inner = 12.0  # room for the largest marker inside the frame

    def mapper(values, lo_px, hi_px, flip=False):
        lo, hi = (min(values), max(values)) if values else (0.0, 0.0)
        a, b = lo_px + inner, hi_px - inner

        def to_px(v: float) -> float:
            f = 0.5 if hi <= lo else (v - lo) / (hi - lo)
            return b - f * (b - a) if flip else a + f * (b - a)

        return to_px

    to_x, to_y = mapper(xs, left, right), mapper(ys, top, bottom, flip=True)
    body = [
        element(
            "rect",
            {
                "class": "map-frame",
                "x": num(left),
                "y": num(top),
                "width": num(right - left),
                "height": num(bottom - top),
                "fill": WHITE,
                "stroke": FRAME_COLOUR,
                "stroke-width": "1",
            },
        )
    ]
    names = {key: _name(g.name) for key, g in by_key.items()}
    # Others first, so that the groups are drawn on top of them.
    for p in sorted(shown, key=lambda p: (p.group is not None, -p.count)):
        style = _others_style() if p.group is None else style_for(p.group)
        name = labels.map_others if p.group is None else names[p.group]
        tip = labels.map_point.format(name=name, count=p.count)
        size = min(3.5 + 1.6 * math.log2(p.count), 10.0)
        body.append(
            element(
                "g",
                {"class": "map-point" if p.group is None else f"map-point {style.css_class}"},
                marker(
                    style,
                    to_x(p.x),
                    to_y(p.y),
                    size=size,
                    css_class="marker",
                    title=element("title", None, text(tip)),
                ),
            )
        )
    for g in groups:
        if g.centroid is None:
            continue
        body.append(
            element(
                "text",
                {
                    "class": "map-group-name",
                    "x": num(to_x(g.centroid[0])),
                    "y": num(to_y(g.centroid[1]) - 14),
                    "text-anchor": "middle",
                    "fill": INK,
                    "stroke": WHITE,
                    "stroke-width": "3",
                    "paint-order": "stroke",
                    "font-weight": "bold",
                },
                text(truncate(g.name, LEGEND_NAME_LIMIT)),
            )
        )
    if you is not None:
        body.append(_you_marker(to_x(you[0]), to_y(you[1]), labels.map_you))

    entries = [(names[g.key] + f" ({g.size})", style_for(g.key)) for g in groups]
    if others:
        entries.append((labels.map_others + f" ({others})", _others_style()))
    if you is not None:
        entries.append((labels.map_you, None))
    legend, legend_height = _legend(entries, width, bottom + 24)
    body.append(legend)
    height = bottom + 24 + legend_height
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
        + "".join(body),
    )


def _you_marker(x: float, y: float, label: str) -> str:
    """A black ring with a cross: unlike every group marker, in any colour vision."""
    ring = element(
        "circle",
        {
            "cx": num(x),
            "cy": num(y),
            "r": "9",
            "fill": "none",
            "stroke": INK,
            "stroke-width": "2.5",
        },
    )
    cross = "".join(
        element("line", {"x1": num(a), "y1": num(b), "x2": num(c), "y2": num(d), "stroke": INK})
        for a, b, c, d in ((x - 13, y, x + 13, y), (x, y - 13, x, y + 13))
    )
    return element(
        "g",
        {"class": "map-you", "stroke-width": "2"},
        element("title", None, text(label)) + ring + cross,
    )


def _legend(entries, width: float, top: float) -> tuple[str, float]:
    shown = [truncate(name, LEGEND_NAME_LIMIT + 8) for name, _ in entries]
    if not entries:
        return element("g", {"class": "legend"}, ""), 0.0
    column = 36 + CHAR_WIDTH * max(len(n) for n in shown)
    columns = max(1, min(len(entries), int((width - 24) // column)))
    row_height = 24
    items = []
    for index, ((name, style), label) in enumerate(zip(entries, shown, strict=True)):
        x = 14 + (index % columns) * column
        y = top + (index // columns) * row_height
        parts = [] if label == name else [element("title", None, text(name))]
        if style is None:
            parts.append(_you_marker(x + 12, y, name))
            css = "legend-item legend-you"
        else:
            parts.append(marker(style, x + 12, y, size=6, css_class="legend-marker"))
            css = "legend-item" if style.index < 0 else f"legend-item {style.css_class}"
        parts.append(element("text", {"x": num(x + 30), "y": num(y + 4), "fill": INK}, text(label)))
        items.append(element("g", {"class": css}, "".join(parts)))
    rows = math.ceil(len(entries) / columns)
    return element("g", {"class": "legend"}, "".join(items)), rows * row_height
