"""A chart in faces, for people who answer with the five faces: one row per ally,
their answers left to right in time order, each drawn as the face of its level
(1 the saddest, 5 the happiest) instead of a point on a 0–10 line. A happier face
also sits a little higher in its row, so the way it goes reads at a glance.

Any scale maps onto the five faces by `face_for`: the scale is split evenly into
five points (on 0–10: 0, 2.5, 5, 7.5, 10) and a value takes the nearest one, a
tie going to the happier face — the same faces as `alliance.acting.weather`.

The table alternative is the line chart's table without its gap column (the page
writes each face as its word); the text summary gives each ally's latest face.
"""

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime

from .axes import as_datetime
from .labels import DEFAULT_LABELS, Labels
from .line import Series, Table, table
from .markup import check_id, element, num, points, text, truncate
from .styles import GRID, INK

FACES = (1, 2, 3, 4, 5)
FONT_FAMILY = "system-ui, -apple-system, 'Segoe UI', Roboto, Arial, sans-serif"
FONT_SIZE = 13
FACE = 40  # a face's width and height
STEP = 6  # how much higher each level sits in its row
CELL = 56  # the room of one answer, left to right
NAME_LIMIT = 30
DEFAULT_WORDS = {
    1: "Not at all",
    2: "Not really",
    3: "Half and half",
    4: "Rather yes",
    5: "Completely",
}

# The faces of alliance/www/static/img/faces, drawn on a 48-unit square: fill, brows, mouth.
_FILLS = {1: "#f2c4b8", 2: "#f5d9b8", 3: "#f3ecc0", 4: "#d9ecc4", 5: "#c4e6c9"}
_BROWS = {
    1: ("M14 15 L20 18", "M34 15 L28 18"),
    2: ("M14 17 L20 17", "M28 17 L34 17"),
}
_MOUTHS = {
    1: "M17 35 Q24 27 31 35",
    2: "M17 33 Q24 29 31 33",
    3: "M17 32 L31 32",
    4: "M17 30 Q24 35 31 30",
    5: "M16 29 Q24 38 32 29",
}


@dataclass(frozen=True)
class FaceSeries:
    name: str
    points: Sequence[tuple[date | datetime, int]]  # (when, face 1–5)


def face_for(value: float, low: float, high: float) -> int:
    """The face (1–5) of `value` on the scale `low`–`high`: the nearest of five evenly
    spread points, a tie going to the happier face; outside the scale, its bound."""
    if high <= low:
        raise ValueError(f"the scale {low}–{high} is empty")
    position = (min(max(value, low), high) - low) * 4 / (high - low)
    return 1 + int(position + 0.5)


def value_for(face: int, low: int, high: int) -> int:
    """The whole value a face gives on the scale `low`–`high` (its point, rounded half
    up): `face_for` gives the face back, except on a scale too short for five faces."""
    if isinstance(face, bool) or face not in FACES:
        raise ValueError(f"face {face!r} is not one of 1 to 5")
    if high <= low:
        raise ValueError(f"the scale {low}–{high} is empty")
    return low + int((face - 1) * (high - low) / 4 + 0.5)


def _check(series: Sequence[FaceSeries]) -> None:
    for one in series:
        for when, face in one.points:
            if isinstance(face, bool) or face not in FACES:
                raise ValueError(f"series {one.name!r}: face {face!r} on {when!r} is not 1 to 5")


def _as_series(series: Sequence[FaceSeries]) -> list[Series]:
    return [Series(name=s.name, points=s.points) for s in series]


def faces_table(series: Sequence[FaceSeries], *, labels: Labels = DEFAULT_LABELS) -> Table:
    """One row per instant with an answer, one column per ally; the values are faces
    (1–5) for the page to write as words. No gap column: faces are not subtracted."""
    _check(series)
    found = table(_as_series(series), labels=labels)
    headers = found.headers[:-1] if found.has_gap else found.headers
    rows = tuple(type(row)(when=row.when, values=row.values, gap=None) for row in found.rows)
    return Table(headers=headers, rows=rows, has_gap=False)


def _ordered(one: FaceSeries) -> list[tuple[date | datetime, int]]:
    """The answers in time order, the last one given kept for an instant."""
    by_instant = {as_datetime(when): (when, face) for when, face in one.points}
    return [by_instant[at] for at in sorted(by_instant)]


def faces_summary(
    series: Sequence[FaceSeries],
    *,
    words: Mapping[int, str] = DEFAULT_WORDS,
    labels: Labels = DEFAULT_LABELS,
) -> str:
    """Each ally's latest face in words, e.g. "Samir: Rather yes on 03/12/2026."."""
    _check(series)
    parts = []
    for one in series:
        answers = _ordered(one)
        if answers:
            when, face = answers[-1]
            name = " ".join(one.name.split())
            parts.append(
                labels.series_single.format(name=name, last=words[face], since=labels.when(when))
            )
    if not parts:
        return labels.no_data
    return labels.separator.join(parts) + labels.end


def _face(face: int, x: float, y: float, title: str) -> str:
    """One face, scaled from its 48-unit drawing, with its words as a tooltip."""
    scale = FACE / 48
    shapes = [
        element(
            "circle",
            {
                "cx": "24",
                "cy": "24",
                "r": "21",
                "fill": _FILLS[face],
                "stroke": INK,
                "stroke-width": "2",
            },
        ),
        element("circle", {"cx": "17", "cy": "21", "r": "2.5", "fill": INK}),
        element("circle", {"cx": "31", "cy": "21", "r": "2.5", "fill": INK}),
    ]
    for brow in _BROWS.get(face, ()):
        shapes.append(
            element(
                "path", {"d": brow, "stroke": INK, "stroke-width": "2", "stroke-linecap": "round"}
            )
        )
    shapes.append(
        element(
            "path",
            {
                "d": _MOUTHS[face],
                "fill": "none",
                "stroke": INK,
                "stroke-width": "2.5",
                "stroke-linecap": "round",
            },
        )
    )
    return element(
        "g",
        {
            "class": f"face face-{face}",
            "transform": f"translate({num(x)} {num(y)}) scale({num(scale)})",
        },
        element("title", None, text(title)) + "".join(shapes),
    )


def faces_chart(
    series: Sequence[FaceSeries],
    *,
    title: str,
    title_id: str,
    desc_id: str,
    desc: str | None = None,
    words: Mapping[int, str] = DEFAULT_WORDS,
    labels: Labels = DEFAULT_LABELS,
    last: int = 6,
    css_class: str = "chart chart-faces",
) -> str:
    """The SVG markup (a string; mark it safe in the template). Each row shows an
    ally's `last` answers at most (the table keeps them all), so the chart stays
    narrow enough for a phone. `title_id` and `desc_id` must be unique on the page."""
    check_id(title_id, what="title_id")
    check_id(desc_id, what="desc_id")
    if last < 1:
        raise ValueError("a faces chart shows at least one answer per row")
    _check(series)
    if desc is None:
        desc = faces_summary(series, words=words, labels=labels)
    rows = [(one, _ordered(one)[-last:]) for one in series]
    rows = [(one, answers) for one, answers in rows if answers]
    columns = max((len(answers) for _, answers in rows), default=0)
    width = max(CELL * columns + 16, 240)
    row_height = 20 + FACE + STEP * 4 + 18  # name, face at any level, date
    body = []
    for index, (one, answers) in enumerate(rows):
        top = 8 + index * row_height
        name = truncate(one.name, NAME_LIMIT)
        body.append(
            element(
                "text",
                {
                    "class": "face-name",
                    "x": "8",
                    "y": num(top + 14),
                    "fill": INK,
                    "font-weight": "bold",
                },
                text(name),
            )
        )
        centres = []
        for column, (when, face) in enumerate(answers):
            x = 8 + column * CELL + (CELL - FACE) / 2
            y = top + 20 + (5 - face) * STEP
            centres.append((x + FACE / 2, y + FACE / 2))
            moment = labels.when(when)
            body.append(
                _face(face, x, y, labels.point.format(name=name, value=words[face], date=moment))
            )
            body.append(
                element(
                    "text",
                    {
                        "class": "face-date",
                        "x": num(x + FACE / 2),
                        "y": num(top + row_height - 4),
                        "text-anchor": "middle",
                        "fill": INK,
                        "font-size": "11",
                    },
                    text(_short(when, labels)),
                )
            )
        if len(centres) > 1:
            body.insert(
                len(body) - 2 * len(answers),
                element(
                    "polyline",
                    {
                        "points": points(centres),
                        "fill": "none",
                        "stroke": GRID,
                        "stroke-width": "2",
                    },
                ),
            )
    if not rows:
        body.append(
            element(
                "text",
                {"class": "no-data", "x": "8", "y": "24", "fill": INK},
                text(labels.no_data),
            )
        )
    height = max(8 + len(rows) * row_height + 4, 40)
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


def _short(when: date | datetime, labels: Labels) -> str:
    """A date under a face: day and month (the tick format of days)."""
    return when.strftime(labels.tick_day)
