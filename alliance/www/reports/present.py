"""A report's snapshot made readable: titles, row and column labels in the reader's
language, the same mark for every hidden value, and the SVG charts. The page and
the three exports all read from here, so they always show the same numbers."""

import datetime
from dataclasses import dataclass, field

from django.utils import formats
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from alliance.acting.models import ITEM_LABELS
from alliance.charts import Scale, Series, line_chart
from alliance.charts.bars import bar_chart
from alliance.reports.domains import NOT_CODED
from alliance.reports.labels import label

# One mark for every hidden value, whatever the reason (docs/suppression.md).
HIDDEN = "s"


def hidden_note():
    return _("s: hidden to protect privacy (statistical confidentiality).")


def _titles():
    return {
        "alliances": _("Alliances"),
        "persons": _("Persons"),
        "age_bands": _("Persons by age"),
        "orientation": _("Alliances by MDPH orientation"),
        "service_type": _("Alliances by type of service"),
        "needs": _("Needs by domain (adopted common interests and goals)"),
        "needs_detail": _("Needs in detail"),
        "unmet": _("Unmet needs by domain and time waited"),
        "unmet_status": _("Unmet needs by availability"),
        "prestations": _("Direct services asked for, decided and not available"),
        "prestation_waiting": _("Direct services waited for, by time waited"),
        "divergences": _("Recurring divergences on means, by domain"),
        "reviews": _("Reviews on time"),
        "communes": _("Alliances by commune"),
        "epcis": _("Alliances by EPCI"),
        "departements": _("Alliances by département"),
    }


def _trend_titles():
    return {
        "alliances": _("Alliances over the periods"),
        "persons": _("Persons over the periods"),
        "needs": _("Needs over the periods"),
        "prestations_unmet": _("Direct services not available over the periods"),
    }


def _explanations():
    return {
        "alliances": _("Alliances of the scope that started by the end of the period."),
        "persons": _(
            "Persons of these alliances, each counted once even when part of several alliances."
        ),
        "age_bands": _("The same persons, by their age at the end of the period."),
        "orientation": _(
            "The MDPH orientation of each alliance, when the organisation records it."
        ),
        "service_type": _(
            "The type of service that accompanies the person, when the organisation records it."
        ),
        "needs": _(
            "Alliances with at least one adopted common interest or goal in the domain. "
            "An alliance with needs in several domains counts once in the total."
        ),
        "needs_detail": _("The same needs, one level finer in the SERAFIN-PH nomenclature."),
        "unmet": _(
            "Alliances with a means decided but not available at the end of the period "
            "(waiting, refused, or not existing on the territory), by how long it has waited."
        ),
        "unmet_status": _("The same alliances, by why the means is not available."),
        "prestations": _(
            "Alliances by the SERAFIN-PH direct service of their means: asked for, decided, "
            "and at the end of the period waiting, refused or missing on the territory."
        ),
        "prestation_waiting": _(
            "Alliances with a means still waiting at the end of the period, by months waited."
        ),
        "divergences": _(
            "Alliances where, on a means, the person or their family supports what a "
            "professional opposes, or the reverse (latest stances)."
        ),
        "reviews": _(
            "Alliances whose review fell due in the period (on the date the allies set, "
            "or twelve months after the last review or the charter's signature): held on "
            "or before that date, held after it, or still not held."
        ),
        "communes": _("By the commune of the organisation's address, never the person's."),
        "epcis": _("By the EPCI of the organisation's address."),
        "departements": _("By the département of the organisation's address."),
    }


def _row_headers():
    return {
        "alliances": _("Start of the alliance"),
        "persons": _("Start of the alliance"),
        "needs": _("Domain"),
        "divergences": _("Domain"),
        "age_bands": _("Age"),
        "orientation": _("Orientation"),
        "service_type": _("Type of service"),
        "needs_detail": _("Need"),
        "prestations": _("Direct service"),
        "prestation_waiting": _("Direct service"),
        "prestations_unmet": _("Direct service"),
        "reviews": _("Review"),
        "unmet_status": _("Availability"),
        "communes": _("Commune"),
        "epcis": _("EPCI"),
        "departements": _("Département"),
    }


# The order of the sections: who, what they need, what is missing, where.
ORDER = (
    "alliances",
    "persons",
    "age_bands",
    "orientation",
    "service_type",
    "needs",
    "needs_detail",
    "unmet",
    "unmet_status",
    "prestations",
    "prestation_waiting",
    "divergences",
    "reviews",
    "communes",
    "epcis",
    "departements",
)


def row_label(key: str) -> str:
    """The words for a code of a version 1 table (quotes' domains)."""
    return label("needs", key, {})


def shown(value) -> str:
    return HIDDEN if value is None else str(value)


def unit_word(unit: str) -> str:
    return _("Persons") if unit == "persons" else _("Alliances")


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
    unit: str = "alliances"


def _ordered(found: dict) -> list[str]:
    return [k for k in ORDER if k in found] + [k for k in found if k not in ORDER]


def _shown_table(key, table, snapshot, *, title, explanation, chart_prefix, charts, trend=False):
    rows_words = [label(key, r, snapshot) for r in table["rows"]]
    unit = table.get("unit", "alliances")
    total_word = pgettext("report", "Total")
    headers = _row_headers()
    row_header = headers.get(key, _("Domain"))
    if table["shape"] == "table":
        header = [row_header, *(label(key, c, snapshot) for c in table["columns"]), total_word]
        rows = [
            [words, *(shown(v) for v in cells), shown(total)]
            for words, cells, total in zip(
                rows_words, table["cells"], table["row_totals"], strict=True
            )
        ]
        footer = [
            total_word,
            *(shown(v) for v in table["column_totals"]),
            shown(table["grand_total"]),
        ]
        values = table["row_totals"]
    else:
        header = [row_header if key in headers else _("Category"), unit_word(unit)]
        rows = [[words, shown(v)] for words, v in zip(rows_words, table["cells"], strict=True)]
        footer = [total_word, shown(table["total"])]
        values = table["cells"]
    result = ShownTable(key, title, explanation, header, rows, footer, values=values, unit=unit)
    if charts:
        if trend:
            result.chart = _trend_chart(key, table, snapshot, title, f"{chart_prefix}-{key}")
        else:
            result.chart = bar_chart(
                rows_words,
                values,
                title=title,
                title_id=f"{chart_prefix}-{key}-title",
                desc=_("Bar chart of the table below; the table gives the same numbers."),
                desc_id=f"{chart_prefix}-{key}-desc",
                hidden_mark=HIDDEN,
            )
    return result


# A trend chart draws at most this many categories (the largest), beside the total:
# more lines could not be told apart; the table gives them all.
TREND_LINES = 4


def _trend_chart(key, table, snapshot, title, prefix) -> str:
    starts = {p["key"]: datetime.date.fromisoformat(p["start"]) for p in snapshot["periods"]}
    columns = table["columns"]

    def points(values):
        return [(starts[c], v) for c, v in zip(columns, values, strict=True) if v is not None]

    lines = [(pgettext("report", "Total"), table["column_totals"])]
    if len(table["rows"]) > 1:
        ranked = sorted(
            zip(table["rows"], table["cells"], table["row_totals"], strict=True),
            key=lambda r: -(r[2] or 0),
        )
        lines += [(label(key, r, snapshot), cells) for r, cells, _t in ranked[:TREND_LINES]]
    series = [Series(name, points(values)) for name, values in lines]
    shown_values = [v for _name, values in lines for v in values if v is not None]
    return line_chart(
        series,
        title=title,
        title_id=f"{prefix}-title",
        desc_id=f"{prefix}-desc",
        desc=_(
            "Line chart of the table below, one point per period at its start; a hidden "
            "number has no point. The table gives the same numbers."
        ),
        scale=Scale(0, max(max(shown_values, default=0), 1)),
        show_gap=False,
        css_class="chart chart-line chart-trend",
    )


def tables(snapshot: dict, *, charts: bool = True) -> list[ShownTable]:
    titles, explanations = _titles(), _explanations()
    found = snapshot.get("tables", {})
    result = [
        _shown_table(
            key,
            found[key],
            snapshot,
            title=titles.get(key, key),
            explanation=explanations.get(key, ""),
            chart_prefix="chart",
            charts=charts,
        )
        for key in _ordered(found)
    ]
    weather = snapshot.get("weather")
    if weather and "periods" in weather:
        result.append(_weather_over_periods(weather, snapshot, charts=charts))
    elif weather:  # a snapshot of version 2 or less: this period and the one before
        result.append(_weather_table(weather, charts=charts))
    return result


def trends(snapshot: dict, *, charts: bool = True) -> list[ShownTable]:
    """The tables across periods (rows: categories, columns: periods)."""
    titles = _trend_titles()
    found = snapshot.get("trends", {})
    return [
        _shown_table(
            key,
            found[key],
            snapshot,
            title=titles.get(key, key),
            explanation=_("Each column is one period; the total is that of the whole period."),
            chart_prefix="trend",
            charts=charts,
            trend=True,
        )
        for key in found
    ]


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


def weather_explanation() -> str:
    return _(
        "Every rating the allies gave after their meetings, averaged in each period, in "
        "the whole period and in the period of the same length before it. An average is "
        "shown only over enough alliances rated in its period; the last line says how "
        "many alliances were rated."
    )


def _weather_over_periods(weather: dict, snapshot: dict, *, charts: bool) -> ShownTable:
    """The weather's averages in each sub-period (columns), then over the whole
    period and the period before it, one row per item; a line chart of the items
    across the sub-periods."""
    items = weather["items"]
    labels = [str(ITEM_LABELS[item]) for item in items]
    spans = [
        *((p["averages"], p["alliances"]) for p in weather["periods"]),
        (weather["current"], weather["alliances"][0]),
        (weather["previous"], weather["alliances"][1]),
    ]
    columns = [averages or [None] * len(items) for averages, _n in spans]
    title = _("Alliance weather: average ratings from 0 to 10")
    table = ShownTable(
        "weather",
        title,
        weather_explanation(),
        [
            _("Item"),
            *(label("weather", p["key"], snapshot) for p in weather["periods"]),
            _("Whole period"),
            _("Period before"),
        ],
        [[words, *(_average(column[i]) for column in columns)] for i, words in enumerate(labels)],
        [_("Alliances rated"), *(shown(n) for _averages, n in spans)],
        values=columns[-2],
    )
    if charts:
        starts = {p["key"]: datetime.date.fromisoformat(p["start"]) for p in snapshot["periods"]}
        series = [
            Series(
                words,
                [
                    (starts[p["key"]], p["averages"][i])
                    for p in weather["periods"]
                    if p["averages"] is not None and p["averages"][i] is not None
                ],
            )
            for i, words in enumerate(labels)
        ]
        table.chart = line_chart(
            series,
            title=title,
            title_id="chart-weather-title",
            desc_id="chart-weather-desc",
            desc=_(
                "Line chart of the table below, one point per period at its start; a hidden "
                "average has no point. The table gives the same numbers."
            ),
            scale=Scale(0, 10),
            show_gap=False,
            css_class="chart chart-line chart-trend",
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
