"""Agree / disagree / pass bars of a consultation statement: one stacked bar per set
of people (everyone, then each opinion group), each 100 % wide.

Colour is never alone: every bar is followed by its words ("Agree 72 % · Disagree
20 % · Pass 8 %"), each segment has its tooltip, and the legend names the three
colours. A set of people whose votes may not be shown (too few votes: the caller
decides, by ``publication.Share.shown``) has no bar, only ``labels.hidden``. The
chart is an image with a title and a description; the table beside it on the page
is its accessible alternative. Narrow by default (360), so that it reads on a phone
without shrinking its text.
"""

from collections.abc import Sequence
from dataclasses import dataclass

from .line import FONT_FAMILY, FONT_SIZE
from .markup import check_id, element, num, text, truncate
from .styles import COLOURS, INK

AGREE_COLOUR = COLOURS[2]  # bluish green
DISAGREE_COLOUR = COLOURS[1]  # vermillion
ABSTAIN_COLOUR = "#767676"  # grey, 4.5:1 on white
NAME_LIMIT = 48
ROW_HEIGHT = 58
BAR_HEIGHT = 14


@dataclass(frozen=True)
class VoteBar:
    name: str  # "Everyone", "Group A"...
    agree: int
    disagree: int
    passed: int
    shown: bool = True  # False: too few votes to show a share

    @property
    def votes(self) -> int:
        return self.agree + self.disagree + self.passed


@dataclass(frozen=True)
class VoteLabels:
    agree: str = "Agree"
    disagree: str = "Disagree"
    passed: str = "Pass"
    hidden: str = "too few votes"
    percent: str = "{value} %"
    votes: str = "{count} votes"
    separator: str = " · "
    decimal_separator: str = "."

    def share(self, part: int, whole: int) -> str:
        value = round(100 * part / whole) if whole else 0
        return self.percent.format(value=str(value).replace(".", self.decimal_separator))

    def line(self, bar: VoteBar) -> str:
        """The words of one bar, e.g. "Agree 72 % · Disagree 20 % · Pass 8 % (25 votes)"."""
        if not bar.shown or not bar.votes:
            return self.hidden
        parts = [
            f"{self.agree} {self.share(bar.agree, bar.votes)}",
            f"{self.disagree} {self.share(bar.disagree, bar.votes)}",
            f"{self.passed} {self.share(bar.passed, bar.votes)}",
        ]
        return self.separator.join(parts) + f" ({self.votes.format(count=bar.votes)})"


DEFAULT_VOTE_LABELS = VoteLabels()


def vote_summary(bars: Sequence[VoteBar], labels: VoteLabels = DEFAULT_VOTE_LABELS) -> str:
    """The chart in words, one part per bar: its description."""
    return "; ".join(f"{' '.join(bar.name.split())}: {labels.line(bar)}" for bar in bars) + "."


def vote_bars(
    bars: Sequence[VoteBar],
    *,
    title: str,
    title_id: str,
    desc_id: str,
    desc: str | None = None,
    labels: VoteLabels = DEFAULT_VOTE_LABELS,
    width: int = 360,
    css_class: str = "chart chart-votes",
) -> str:
    """The SVG markup (mark it safe in the template). `title_id` and `desc_id` must be
    unique on the page; `desc` defaults to ``vote_summary``."""
    check_id(title_id, what="title_id")
    check_id(desc_id, what="desc_id")
    if width < 240:
        raise ValueError("vote bars need a width of at least 240")
    for bar in bars:
        if any(isinstance(v, bool) or v < 0 for v in (bar.agree, bar.disagree, bar.passed)):
            raise ValueError(f"vote bars count votes: {bar!r}")
    left, right = 4, width - 4
    body = [_legend(labels, left)]
    top = 28
    for index, bar in enumerate(bars):
        y = top + index * ROW_HEIGHT
        body.append(
            element(
                "text",
                {"x": num(left), "y": num(y + 12), "fill": INK, "class": "votes-name"},
                text(truncate(bar.name, NAME_LIMIT)),
            )
        )
        bar_top = y + 18
        if bar.shown and bar.votes:
            x = float(left)
            for count, colour, word, css in (
                (bar.agree, AGREE_COLOUR, labels.agree, "votes-agree"),
                (bar.disagree, DISAGREE_COLOUR, labels.disagree, "votes-disagree"),
                (bar.passed, ABSTAIN_COLOUR, labels.passed, "votes-pass"),
            ):
                if not count:
                    continue
                length = (right - left) * count / bar.votes
                tip = f"{word} {labels.share(count, bar.votes)}"
                body.append(
                    element(
                        "rect",
                        {
                            "x": num(x),
                            "y": num(bar_top),
                            "width": num(length),
                            "height": str(BAR_HEIGHT),
                            "fill": colour,
                            "stroke": "#FFFFFF",
                            "stroke-width": "1",
                            "class": css,
                        },
                        element("title", None, text(tip)),
                    )
                )
                x += length
        else:
            body.append(
                element(
                    "rect",
                    {
                        "x": num(left),
                        "y": num(bar_top),
                        "width": num(right - left),
                        "height": str(BAR_HEIGHT),
                        "fill": "none",
                        "stroke": ABSTAIN_COLOUR,
                        "stroke-dasharray": "4 3",
                        "class": "votes-hidden",
                    },
                )
            )
        body.append(
            element(
                "text",
                {"x": num(left), "y": num(bar_top + BAR_HEIGHT + 14), "fill": INK},
                text(labels.line(bar)),
            )
        )
    height = top + ROW_HEIGHT * len(bars) + 4
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
        + element("desc", {"id": desc_id}, text(desc or vote_summary(bars, labels)))
        + "".join(body),
    )


def _legend(labels: VoteLabels, left: float) -> str:
    items, x = [], left
    for word, colour in (
        (labels.agree, AGREE_COLOUR),
        (labels.disagree, DISAGREE_COLOUR),
        (labels.passed, ABSTAIN_COLOUR),
    ):
        items.append(
            element(
                "rect",
                {"x": num(x), "y": "6", "width": "12", "height": "12", "fill": colour},
            )
        )
        items.append(element("text", {"x": num(x + 16), "y": "16", "fill": INK}, text(word)))
        x += 16 + 7.0 * len(word) + 18
    return element("g", {"class": "legend"}, "".join(items))
