"""The three exports of a report. Each carries only the published (suppressed)
numbers, read from the snapshot through `present`, so that they always show what
the page shows.

- CSV: one tidy open-data table (ADR 0036): one line per number, fixed French
  column names, `;` separator, UTF-8 with a byte-order mark, French decimals. It
  carries no comment lines: its method is on the page, in the PDF and in the
  spreadsheet's "Method" sheet.
- ODS: an "About" sheet, a "Summary" sheet, one sheet per table and per trend, and
  a "Method" sheet.
- PDF: a cover (scope, period, summary), the tables with their charts, the method."""

import csv
import datetime
import io

from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext as _

from alliance import dates
from alliance.acting.models import ITEM_LABELS
from alliance.reports import summary
from alliance.reports.labels import TOTAL, label
from alliance.reports.ods import write_ods

from . import present

CSV_COLUMNS = (
    "perimetre",
    "calcule_le",
    "table",
    "periode_debut",
    "periode_fin",
    "dimension",
    "code",
    "libelle",
    "dimension_2",
    "code_2",
    "libelle_2",
    "unite",
    "valeur",
    "secret",
)
# The name of each table's dimensions in the CSV: stable identifiers, never
# translated (a reuser's script reads them).
DIMENSIONS = {
    "alliances": ("debut_alliance", ""),
    "persons": ("debut_alliance", ""),
    "age_bands": ("tranche_age", ""),
    "orientation": ("orientation_mdph", ""),
    "service_type": ("type_service", ""),
    "needs": ("domaine_besoin", ""),
    "needs_detail": ("besoin", ""),
    "unmet": ("domaine_besoin", "duree_attente"),
    "unmet_status": ("disponibilite", ""),
    "prestations": ("prestation", "statut_prestation"),
    "prestation_waiting": ("prestation", "duree_attente"),
    "prestations_unmet": ("prestation", ""),
    "divergences": ("domaine_besoin", ""),
    "reviews": ("revue", ""),
    "communes": ("commune", ""),
    "epcis": ("epci", ""),
    "departements": ("departement", ""),
}
CSV_TABLE_NAMES = {
    "alliances": "alliances",
    "persons": "personnes",
    "age_bands": "ages",
    "orientation": "orientations",
    "service_type": "types_service",
    "needs": "besoins",
    "needs_detail": "besoins_detail",
    "unmet": "besoins_non_couverts",
    "unmet_status": "besoins_non_couverts_disponibilite",
    "prestations": "prestations",
    "prestation_waiting": "prestations_attente",
    "prestations_unmet": "prestations_non_disponibles",
    "divergences": "divergences",
    "reviews": "revues",
    "communes": "communes",
    "epcis": "epcis",
    "departements": "departements",
}
CSV_UNITS = {"alliances": "alliances", "persons": "personnes"}


def about_rows(report) -> list[list]:
    snapshot = report.snapshot
    return [
        [_("Report"), report.scope_label],
        [_("Scope"), str(report.get_scope_kind_display())],
        [_("Period"), f"{dates.show(report.period_start)} – {dates.show(report.period_end)}"],
        # In Europe/Paris, as on the list of reports (the snapshot keeps UTC).
        [_("Computed on"), dates.show(report.computed_at, "DATETIME_FORMAT")],
        [_("Smallest count shown"), report.threshold],
        [present.hidden_note()],
        *([line] for line in present.left_out(snapshot)),
    ]


def _cell(value: str):
    return int(value) if value.isdigit() else value


def french_number(value) -> str:
    """A number as a French spreadsheet reads it: a comma before the decimals."""
    if isinstance(value, int):
        return str(value)
    return f"{value:.2f}".rstrip("0").rstrip(".").replace(".", ",")


def _csv_lines(lead, name, key, table, snapshot, start, end):
    """`lead`: the scope and the moment of computation, the same on every line."""
    first, second = DIMENSIONS.get(key, ("categorie", "colonne"))
    unit = CSV_UNITS.get(table.get("unit", "alliances"), table.get("unit", ""))

    def line(code, code_2, value):
        return [
            *lead,
            name,
            start,
            end,
            first,
            code,
            label(key, code, snapshot),
            second if code_2 else "",
            code_2,
            label(key, code_2, snapshot) if code_2 else "",
            unit,
            *_value(value),
        ]

    if table["shape"] == "series":
        yield from (line(r, "", v) for r, v in zip(table["rows"], table["cells"], strict=True))
        yield line(TOTAL, "", table["total"])
        return
    for row, cells, row_total in zip(
        table["rows"], table["cells"], table["row_totals"], strict=True
    ):
        yield from (line(row, c, v) for c, v in zip(table["columns"], cells, strict=True))
        yield line(row, TOTAL, row_total)
    yield from (
        line(TOTAL, c, v) for c, v in zip(table["columns"], table["column_totals"], strict=True)
    )
    yield line(TOTAL, TOTAL, table["grand_total"])


def _trend_lines(lead, key, table, snapshot):
    """A trend is a table whose columns are periods: each column becomes the lines of
    its period, so that the period stays in the period columns."""
    periods = {p["key"]: p for p in snapshot.get("periods", [])}
    name = "tendance_" + CSV_TABLE_NAMES.get(key, key)
    for index, column in enumerate(table["columns"]):
        period = periods[column]
        one = {
            "shape": "series",
            "unit": table.get("unit", "alliances"),
            "rows": table["rows"],
            "cells": [cells[index] for cells in table["cells"]],
            "total": table["column_totals"][index],
        }
        yield from _csv_lines(lead, name, key, one, snapshot, period["start"], period["end"])
    # The total column of the page: each row over the whole period.
    whole = {
        "shape": "series",
        "unit": table.get("unit", "alliances"),
        "rows": table["rows"],
        "cells": table["row_totals"],
        "total": table["grand_total"],
    }
    period = snapshot["period"]
    yield from _csv_lines(lead, name, key, whole, snapshot, period["start"], period["end"])


def _value(value) -> list[str]:
    """The `valeur` and `secret` columns: a hidden value is an empty value, marked."""
    return ["", "1"] if value is None else [french_number(value), "0"]


def _weather_lines(lead, snapshot, start: str, end: str):
    """Averages of the alliance weather in each sub-period (version 3), the whole
    period and the one of the same length just before it, as the page shows them,
    with how many alliances were rated in each."""
    weather = snapshot["weather"]
    low = datetime.date.fromisoformat(start)
    length = datetime.date.fromisoformat(end) - low + datetime.timedelta(days=1)
    before = ((low - length).isoformat(), (low - datetime.timedelta(days=1)).isoformat())
    dates_of = {p["key"]: (p["start"], p["end"]) for p in snapshot.get("periods", [])}
    spans = [
        (*dates_of[p["key"]], p["averages"], p["alliances"]) for p in weather.get("periods", [])
    ]
    spans += [
        (start, end, weather["current"], weather["alliances"][0]),
        (*before, weather["previous"], weather["alliances"][1]),
    ]
    for first, last, averages, rated in spans:
        averages = averages or [None] * len(weather["items"])
        before_item = [*lead, "meteo", first, last, "question"]
        for item, value in zip(weather["items"], averages, strict=True):
            words = str(ITEM_LABELS[item])
            yield [*before_item, item, words, "", "", "", "moyenne_0_10", *_value(value)]
        words = _("Alliances rated")
        yield [*before_item, TOTAL, words, "", "", "", "alliances", *_value(rated)]


def as_csv(report) -> bytes:
    snapshot = report.snapshot
    start, end = snapshot["period"]["start"], snapshot["period"]["end"]
    # In Europe/Paris with its offset, as the pages say it (the snapshot keeps UTC).
    lead = [report.scope_label, dates.iso(report.computed_at)]
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
    writer.writerow(CSV_COLUMNS)
    # Labels in French whatever the reader's language: an open-data file keeps the
    # same words from one download to the next.
    with translation.override("fr"):
        tables = snapshot.get("tables", {})
        for key in present.ORDER + tuple(k for k in tables if k not in present.ORDER):
            if key in tables:
                name = CSV_TABLE_NAMES.get(key, key)
                writer.writerows(_csv_lines(lead, name, key, tables[key], snapshot, start, end))
        for key, table in snapshot.get("trends", {}).items():
            writer.writerows(_trend_lines(lead, key, table, snapshot))
        if snapshot.get("weather"):
            writer.writerows(_weather_lines(lead, snapshot, start, end))
    # A byte-order mark, so that spreadsheet software reads the accents right.
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def _sheet(table: present.ShownTable) -> list[list]:
    rows = [[table.title], [table.explanation], table.header]
    rows += [[r[0], *(_cell(v) for v in r[1:])] for r in table.rows]
    rows.append([table.footer[0], *(_cell(v) for v in table.footer[1:])])
    return rows


def _sheet_name(title: str, taken: set[str]) -> str:
    """At most 31 characters (what spreadsheets accept), unique in the file."""
    name, n = title[:31], 2
    while name in taken:
        suffix = f" ({n})"
        name, n = title[: 31 - len(suffix)] + suffix, n + 1
    taken.add(name)
    return name


def as_ods(report) -> bytes:
    snapshot = report.snapshot
    taken: set[str] = set()
    sheets = [
        (_sheet_name(_("About"), taken), about_rows(report)),
        (_sheet_name(_("Summary"), taken), [[s] for s in summary.sentences(snapshot)]),
    ]
    for table in present.tables(snapshot, charts=False) + present.trends(snapshot, charts=False):
        sheets.append((_sheet_name(table.title, taken), _sheet(table)))
    method = []
    for heading, paragraphs in summary.method_note(snapshot):
        method += [[heading], *([p] for p in paragraphs), []]
    sheets.append((_sheet_name(_("Method"), taken), method))
    return write_ods(sheets)


def as_pdf(report, request) -> bytes:
    from django.contrib.staticfiles import finders
    from weasyprint import CSS, HTML

    snapshot = report.snapshot
    html = render_to_string(
        "reports/report_print.html",
        {
            "report": report,
            "about": about_rows(report),
            "summary": summary.sentences(snapshot),
            "tables": present.tables(snapshot),
            "trends": present.trends(snapshot),
            "quotes": present.quotes(snapshot),
            "method": summary.method_note(snapshot),
        },
        request=request,
    )
    # The print style is read from disk: the PDF fetches nothing over the network.
    style = CSS(filename=finders.find("css/report_print.css"))
    return HTML(string=html).write_pdf(stylesheets=[style])
