"""How series look: colour, dash pattern and marker shape, never colour alone.

The colours come from the Okabe–Ito colour-blind safe palette, darkened where
needed so that each one has a contrast of at least 3:1 against white (WCAG 1.4.11
for graphical objects). A series also gets its own dash pattern and marker shape,
so the chart reads in greyscale, on paper, and for any colour vision. Past six
series the shapes repeat hollow.
"""

from dataclasses import dataclass

from .markup import element, num, points

COLOURS = (
    "#0072B2",  # blue
    "#D55E00",  # vermillion
    "#007A5E",  # bluish green, darkened
    "#A6487E",  # reddish purple, darkened
    "#7A5C00",  # yellow, darkened to ochre
    "#5D3A9B",  # violet
    "#333333",  # near black
)
DASHES = (None, "8 4", "2 3", "10 3 2 3", "4 4", "12 3 2 3 2 3")
SHAPES = ("circle", "square", "triangle", "diamond", "triangle_down", "plus")

INK = "#1A1A1A"  # text and axes
GRID = "#BDBDBD"  # grid lines (decoration: no contrast requirement)
GAP_FILL = "#E8E8E8"
GAP_HATCH = "#8C8C8C"
WHITE = "#FFFFFF"


def contrast_ratio(colour: str, other: str = WHITE) -> float:
    """WCAG contrast ratio between two "#RRGGBB" colours."""

    def luminance(hex_colour: str) -> float:
        channels = [int(hex_colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
        linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
        return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]

    high, low = sorted((luminance(colour), luminance(other)), reverse=True)
    return (high + 0.05) / (low + 0.05)


@dataclass(frozen=True)
class SeriesStyle:
    index: int
    colour: str
    dash: str | None
    shape: str
    hollow: bool

    @property
    def css_class(self) -> str:
        return f"series series-{self.index}"


def style_for(index: int) -> SeriesStyle:
    """The style of the `index`-th series (stable: pass the same index for the same
    ally on every chart of a page)."""
    if index < 0:
        raise ValueError(f"style index {index} must not be negative")
    return SeriesStyle(
        index=index,
        colour=COLOURS[index % len(COLOURS)],
        dash=DASHES[index % len(DASHES)],
        shape=SHAPES[index % len(SHAPES)],
        hollow=(index // len(SHAPES)) % 2 == 1,
    )


def marker(
    style: SeriesStyle,
    x: float,
    y: float,
    *,
    size: float = 5.0,
    css_class: str,
    title: str | None = None,
) -> str:
    """One marker centred on (x, y), fitting in a 2·size square. `title` is markup."""
    fill = WHITE if style.hollow else style.colour
    common = {"class": css_class, "fill": fill, "stroke": style.colour, "stroke-width": "1.5"}
    s = size
    if style.shape == "circle":
        tag, geometry = "circle", {"cx": num(x), "cy": num(y), "r": num(s * 0.9)}
    elif style.shape == "square":
        side = s * 1.6
        tag = "rect"
        geometry = {
            "x": num(x - side / 2),
            "y": num(y - side / 2),
            "width": num(side),
            "height": num(side),
        }
    else:
        tag, geometry = "polygon", {"points": points(_outline(style.shape, x, y, s))}
    return element(tag, {**common, **geometry}, title)


def _outline(shape: str, x: float, y: float, s: float) -> list[tuple[float, float]]:
    if shape == "triangle":
        return [(x, y - s), (x + s, y + s * 0.8), (x - s, y + s * 0.8)]
    if shape == "triangle_down":
        return [(x - s, y - s * 0.8), (x + s, y - s * 0.8), (x, y + s)]
    if shape == "diamond":
        return [(x, y - s), (x + s, y), (x, y + s), (x - s, y)]
    if shape == "plus":
        t = s * 0.35
        return [
            (x - t, y - s),
            (x + t, y - s),
            (x + t, y - t),
            (x + s, y - t),
            (x + s, y + t),
            (x + t, y + t),
            (x + t, y + s),
            (x - t, y + s),
            (x - t, y + t),
            (x - s, y + t),
            (x - s, y - t),
            (x - t, y - t),
        ]
    raise ValueError(f"unknown marker shape {shape!r}")
