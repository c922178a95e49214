"""A horizontal bar chart of counts, one bar per row, for report tables.

A value may be hidden (None: small-count suppression). A hidden value has no bar
and reads as the same mark as in the table beside the chart (`hidden_mark`), so the
chart tells nothing the table does not. The chart is an image with a title and a
description; the table is its accessible alternative and must be on the page.
"""

from collections.abc import Sequence

from .line import FONT_FAMILY, FONT_SIZE
from .markup import check_id, element, num, text, truncate
from .styles import COLOURS, GRID, INK

ROW_HEIGHT = 26
BAR_HEIGHT = 16
LABEL_LIMIT = 34
CHAR_WIDTH = 6.6


def bar_chart(
    labels: Sequence[str],
    values: Sequence[int | None],
    *,
    title: str,
    title_id: str,
    desc: str,
    desc_id: str,
    hidden_mark: str = "s",
    width: int = 640,
    css_class: str = "chart chart-bars",
) -> str:
    """The SVG markup of the chart (mark it safe in the template). `title_id` and
    `desc_id` must be unique on the page."""
    check_id(title_id, what="title_id")
    check_id(desc_id, what="desc_id")
    if len(labels) != len(values):
        raise ValueError("a bar chart needs one value per label")
    if width < 240:
        raise ValueError("a bar chart needs a width of at least 240")
    for value in values:
        if value is not None and (isinstance(value, bool) or value < 0):
            raise ValueError(f"a bar chart counts: {value!r} is not a count")
    names = [truncate(label, LABEL_LIMIT) for label in labels]
    left = 8 + CHAR_WIDTH * max((len(n) for n in names), default=0)
    left = min(left, width * 0.55)
    right = width - 48
    top = 6
    largest = max((v for v in values if v is not None), default=0) or 1
    body = []
    for index, (name, value) in enumerate(zip(names, values, strict=True)):
        y = top + index * ROW_HEIGHT
        middle = y + ROW_HEIGHT / 2
        body.append(
            element(
                "text",
                {
                    "x": num(left - 6),
                    "y": num(middle + 4),
                    "text-anchor": "end",
                    "fill": INK,
                    "class": "bar-label",
                },
                text(name),
            )
        )
        if value is None:
            shown, end = hidden_mark, left
        else:
            length = (right - left) * value / largest
            end = left + length
            shown = str(value)
            if value:
                body.append(
                    element(
                        "rect",
                        {
                            "x": num(left),
                            "y": num(middle - BAR_HEIGHT / 2),
                            "width": num(length),
                            "height": str(BAR_HEIGHT),
                            "fill": COLOURS[0],
                            "class": "bar",
                        },
                    )
                )
        body.append(
            element(
                "text",
                {"x": num(end + 4), "y": num(middle + 4), "fill": INK, "class": "bar-value"},
                text(shown),
            )
        )
    bottom = top + ROW_HEIGHT * len(values)
    body.append(
        element(
            "line",
            {
                "x1": num(left),
                "y1": num(top),
                "x2": num(left),
                "y2": num(bottom),
                "stroke": GRID,
                "class": "axis-line",
            },
        )
    )
    height = bottom + 6
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
