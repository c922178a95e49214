"""A report's snapshot made readable: titles, row and column labels in the reader's
language, the same mark for every hidden value, and the SVG charts. The page and
the three exports all read from here, so they always show the same numbers."""

from dataclasses import dataclass, field

from django.utils import formats
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from alliance.acting.models import ITEM_LABELS, Availability
from alliance.alliances.needs import label_of
from alliance.charts.bars import bar_chart
from alliance.reports.domains import CUSTOM, NOT_CODED

# One mark for every hidden value, whatever the reason (docs/suppression.md).
HIDDEN = "s"


def hidden_note():
    return _("s: hidden to protect privacy (statistical confidentiality).")


def _titles():
    return {
        "alliances": _("Alliances"),
        "needs": _("Needs by domain (adopted common interests and goals)"),
        "unmet": _("Unmet needs by domain and time waited"),
        "unmet_status": _("Unmet needs by availability"),
        "divergences": _("Recurring divergences on means, by domain"),
        "reviews": _("Reviews on time"),
    }


def _explanations():
    return {
        "alliances": _("Alliances of the scope that started by the end of the period."),
        "needs": _(
            "Alliances with at least one adopted common interest or goal in the domain. "
            "An alliance with needs in several domains counts once in the total."
        ),
        "unmet": _(
            "Alliances with a means decided but not available at the end of the period "
            "(waiting, refused, or not existing on the territory), by how long it has waited."
        ),
        "unmet_status": _("The same alliances, by why the means is not available."),
        "divergences": _(
            "Alliances where, on a means, the person or their family supports what a "
            "professional opposes, or the reverse (latest stances)."
        ),
        "reviews": _(
            "Alliances whose review fell due in the period (on the date the allies set, "
            "or twelve months after the last review or the charter's signature): held on "
            "or before that date, held after it, or still not held."
        ),
    }


def row_label(key: str) -> str:
    if key == CUSTOM:
        return _("Domains named by the organisations")
    if key == NOT_CODED:
        return _("Not coded yet")
    words = {
        "before": _("Started before the period"),
        "during": _("Started during the period"),
        "0-3": _("Less than 3 months"),
        "3-6": _("3 to 6 months"),
        "6-12": _("6 to 12 months"),
        "12+": _("12 months or more"),
        "on_time": _("Held on time"),
        "late": _("Held late"),
        "overdue": _("Not held yet"),
    }
    if key in words:
        return words[key]
    if key in Availability.values:
        return str(Availability(key).label)
    return label_of(key) or key


def shown(value) -> str:
    return HIDDEN if value is None else str(value)


@dataclass
class ShownTable:
    key: str
    title: str
    explanation: str
    header: list[str]
    rows: list[list[str]]  # first cell: the row label
    footer: list[str]  # totals
    chart: str = ""
    values: list = field(default_factory=list)


def tables(snapshot: dict, *, charts: bool = True) -> list[ShownTable]:
    titles, explanations = _titles(), _explanations()
    result = []
    for key, table in snapshot.get("tables", {}).items():
        labels = [row_label(r) for r in table["rows"]]
        total_word = pgettext("report", "Total")
        if table["shape"] == "table":
            header = [_("Domain"), *(row_label(c) for c in table["columns"]), total_word]
            rows = [
                [label, *(shown(v) for v in cells), shown(total)]
                for label, cells, total in zip(
                    labels, table["cells"], table["row_totals"], strict=True
                )
            ]
            footer = [
                total_word,
                *(shown(v) for v in table["column_totals"]),
                shown(table["grand_total"]),
            ]
            values = table["row_totals"]
        else:
            header = [_("Category"), _("Alliances")]
            rows = [[label, shown(v)] for label, v in zip(labels, table["cells"], strict=True)]
            footer = [total_word, shown(table["total"])]
            values = table["cells"]
        title, explanation = titles.get(key, key), explanations.get(key, "")
        shown_table = ShownTable(key, title, explanation, header, rows, footer, values=values)
        if charts:
            shown_table.chart = bar_chart(
                labels,
                values,
                title=titles.get(key, key),
                title_id=f"chart-{key}-title",
                desc=_("Bar chart of the table below; the table gives the same numbers."),
                desc_id=f"chart-{key}-desc",
                hidden_mark=HIDDEN,
            )
        result.append(shown_table)
    if snapshot.get("weather"):
        result.append(_weather_table(snapshot["weather"], charts=charts))
    return result


def _average(value) -> str:
    return HIDDEN if value is None else formats.number_format(value, 1)


def _weather_table(weather: dict, *, charts: bool) -> ShownTable:
    """Averages of the alliance weather (0–10), this period and the one before it,
    each shown only over enough alliances."""
    now = weather["current"] or [None] * len(weather["items"])
    then = weather["previous"] or [None] * len(weather["items"])
    labels = [str(ITEM_LABELS[item]) for item in weather["items"]]
    trend = []
    for a, b in zip(now, then, strict=True):
        if a is None or b is None:
            trend.append("")
        else:
            trend.append("↗" if a > b else "↘" if a < b else "→")
    title = _("Alliance weather: average ratings from 0 to 10")
    table = ShownTable(
        "weather",
        title,
        _(
            "Every rating given in the period, and in the period of the same length before "
            "it, averaged; an average is shown only over enough alliances."
        ),
        [_("Item"), _("This period"), _("Period before"), _("Trend")],
        [
            [label, _average(a), _average(b), t]
            for label, a, b, t in zip(labels, now, then, trend, strict=True)
        ],
        [_("Alliances rated"), *(shown(n) for n in weather["alliances"]), ""],
        values=now,
    )
    if charts:
        table.chart = bar_chart(
            labels,
            [None if v is None else round(v) for v in now],
            title=title,
            title_id="chart-weather-title",
            desc=_("Bar chart of this period's averages, rounded; the table gives them exactly."),
            desc_id="chart-weather-desc",
            hidden_mark=HIDDEN,
        )
    return table


def quotes(snapshot: dict) -> list[dict]:
    return [
        {"text": q["text"], "domain": row_label(q["domain"]) if q["domain"] != NOT_CODED else ""}
        for q in snapshot.get("quotes", [])
    ]


def left_out(snapshot: dict) -> list[str]:
    """What a report computed by an earlier version said it lacked."""
    words = {
        "reviews": _("Reviews on time: not computed in this version."),
        "quotes": _(
            "Quotes: held back until their authors confirm their words with first names "
            "masked. Ask for the report again to see the confirmed ones."
        ),
    }
    return [words[k] for k in snapshot.get("left_out", []) if k in words]
