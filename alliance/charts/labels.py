"""The words and formats of a chart, with English defaults.

This package does not import Django: the page passes `Labels` whose strings it
has already translated, e.g.::

    Labels(date_header=gettext("Date"), decimal_separator=",", ...)

Templates use `str.format` fields, named in each default below.
"""

from dataclasses import dataclass, replace
from datetime import datetime

MINUS = "\u2212"  # the typographic minus sign


@dataclass(frozen=True)
class Labels:
    # Summary, one part per series then one for the gap; parts joined by `separator`.
    series_change: str = "{name}: {first} → {last} ({change}) since {since}"
    series_single: str = "{name}: {last} on {since}"
    largest_gap: str = "largest gap {gap} on {date}"
    current_gap: str = "gap now {gap}"
    no_data: str = "No readings yet."
    separator: str = "; "
    end: str = "."
    # Table and legend.
    date_header: str = "Date"
    gap_header: str = "Gap"
    gap_legend: str = "Gap between allies"
    # On a marker's tooltip.
    point: str = "{name}: {value} ({date})"
    # The strip chart (one row per item, e.g. the weather): tooltip and summary.
    point_value: str = "{name}: {value}"
    strip_row: str = "{row}: {values}"
    strip_value: str = "{name} {value}"
    strip_gap: str = "gap {gap}"
    row_header: str = "Item"
    # Formats (strftime) of dates in text and of the ticks of each time unit.
    date_format: str = "%d/%m/%Y"
    datetime_format: str = "%d/%m/%Y %H:%M"
    tick_hour: str = "%H:%M"
    tick_hour_first: str = "%d/%m %H:%M"
    tick_day: str = "%d/%m"
    tick_day_years: str = "%d/%m/%y"
    tick_month: str = "%m/%Y"
    tick_year: str = "%Y"
    decimal_separator: str = "."
    # The opinion map of a consultation (opinion_map.py).
    percent: str = "{value} %"
    map_point: str = "{name}: {count}"
    map_others: str = "Not in a group large enough"
    map_you: str = "You are here"
    map_explanation: str = "People who voted alike are close to each other; the axes have no unit."
    map_summary: str = "Participants: {total}. {groups}"
    map_summary_group: str = "{name}: {size} ({share})"
    map_no_group: str = "No opinion group yet"
    map_group_header: str = "Group"
    map_size_header: str = "Participants"
    map_share_header: str = "Share"

    def replace(self, **changes) -> "Labels":
        return replace(self, **changes)

    def number(self, value: float, *, signed: bool = False) -> str:
        """`value` with at most one decimal; a typographic minus; "+" if `signed`."""
        rounded = round(float(value), 1)
        if rounded == 0:
            rounded = 0.0
        body = f"{abs(rounded):.1f}".removesuffix(".0").replace(".", self.decimal_separator)
        if rounded < 0:
            return MINUS + body
        return ("+" + body) if signed and rounded > 0 else body

    def when(self, value) -> str:
        """A date, or a datetime with its time unless it is midnight."""
        if isinstance(value, datetime) and (value.hour, value.minute) != (0, 0):
            return _strftime(value, self.datetime_format)
        return _strftime(value, self.date_format)


def _strftime(value, fmt: str) -> str:
    # strftime pads years below 1000 inconsistently across platforms; do it here.
    return value.strftime(fmt.replace("%Y", f"{value.year:04d}"))


DEFAULT_LABELS = Labels()
