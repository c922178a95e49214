"""The three exports of a report. Each carries the scope, the period, the date it
was computed on and the threshold, and only the published (suppressed) numbers."""

import csv
import io

from django.template.loader import render_to_string
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from alliance.reports.ods import write_ods

from . import present


def _day(value) -> str:
    return formats.date_format(value, "DATE_FORMAT")


def _moment(value) -> str:
    """The page's, the list's and the exports' one way of saying when (Europe/Paris),
    never the stored UTC time."""
    if value is None:
        return ""
    return formats.date_format(timezone.localtime(value), "DATETIME_FORMAT")


def about_rows(report) -> list[list]:
    snapshot = report.snapshot
    return [
        [_("Report"), report.scope_label],
        [_("Scope"), str(report.get_scope_kind_display())],
        [_("Period"), f"{_day(report.period_start)} – {_day(report.period_end)}"],
        [_("Computed on"), _moment(report.computed_at)],
        [_("Smallest count shown"), report.threshold],
        [present.hidden_note()],
        *([line] for line in present.left_out(snapshot)),
    ]


def _cell(value: str):
    return int(value) if value.isdigit() else value


def as_csv(report) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
    for row in about_rows(report):
        writer.writerow(row)
    for table in present.tables(report.snapshot, charts=False):
        writer.writerow([])
        writer.writerow([table.title])
        writer.writerow(table.header)
        writer.writerows(table.rows)
        writer.writerow(table.footer)
    # A byte-order mark, so that spreadsheet software reads the accents right.
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def as_ods(report) -> bytes:
    sheets = [(_("About"), about_rows(report))]
    for table in present.tables(report.snapshot, charts=False):
        rows = [[table.title], table.header]
        rows += [[r[0], *(_cell(v) for v in r[1:])] for r in table.rows]
        rows.append([table.footer[0], *(_cell(v) for v in table.footer[1:])])
        sheets.append((table.title[:31], rows))
    return write_ods(sheets)


def as_pdf(report, request) -> bytes:
    from django.contrib.staticfiles import finders
    from weasyprint import CSS, HTML

    html = render_to_string(
        "reports/report_print.html",
        {
            "report": report,
            "about": about_rows(report),
            "tables": present.tables(report.snapshot),
            "quotes": present.quotes(report.snapshot),
        },
        request=request,
    )
    # The print style is read from disk: the PDF fetches nothing over the network.
    style = CSS(filename=finders.find("css/report_print.css"))
    return HTML(string=html).write_pdf(stylesheets=[style])
