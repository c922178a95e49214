"""Quotes of reports computed before names were masked held back.

Before this version a report quoted its authors' words as written, first names
included. Statements keep their authors' consent, but their words go up again only
once each author has seen and confirmed them with first names masked
(alliances 0005: an empty `quote_text` waits for that). A report already computed
holds the words in its snapshot: they are taken out here, and the report says so
(`left_out`), rather than masked without their authors seeing it."""

from django.db import migrations


def hold_quotes(apps, schema_editor):
    Report = apps.get_model("reports", "Report")
    for report in Report.objects.only("snapshot").iterator():
        snapshot = report.snapshot
        if not snapshot.get("quotes"):
            continue
        snapshot["quotes"] = []
        snapshot["left_out"] = sorted({*snapshot.get("left_out", []), "quotes"})
        report.snapshot = snapshot
        report.save(update_fields=["snapshot"])


class Migration(migrations.Migration):
    dependencies = [
        ("reports", "0004_proposal_report"),
        ("alliances", "0005_statement_quote_text"),
    ]

    operations = [migrations.RunPython(hold_quotes, migrations.RunPython.noop)]
