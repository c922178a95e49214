"""Reading a planning report (snapshot version 2): the words of every code, the
summary in five sentences, the method note, the page, and the three exports (a
tidy `;` CSV, an ODS with summary and method sheets, a PDF laid out as a report)."""

import csv
import io
import re
import zipfile
from html import unescape
from xml.etree import ElementTree

import numpy
import pypdfium2
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from alliance.audit.models import Action, AuditEntry
from alliance.reports import summary
from alliance.reports.labels import label
from alliance.reports.models import Report
from alliance.www.reports import exports, present
from tests.factories import UserFactory

from .snapshot_v2 import make_report, snapshot_v2

ODS_TABLE = "{urn:oasis:names:tc:opendocument:xmlns:table:1.0}"


def _all_tables(snapshot):
    return [*snapshot["tables"].items(), *snapshot["trends"].items()]


# ---------------------------------------------------------------- labels (no database)


def test_every_code_of_the_contract_has_words():
    snapshot = snapshot_v2()
    with translation.override("fr"):
        for key, table in _all_tables(snapshot):
            for code in [*table["rows"], *table.get("columns", [])]:
                words = label(key, code, snapshot)
                assert words and words != code, (key, code)


def test_labels_are_translated_and_name_places_from_the_snapshot():
    snapshot = snapshot_v2()
    with translation.override("fr"):
        assert label("prestation_waiting", "12+", snapshot) == "12 mois ou plus"
        assert label("age_bands", "60+", snapshot) == "60 ans ou plus"
        assert label("age_bands", "6-11", snapshot) == "De 6 à 11 ans"
        assert label("communes", "69123", snapshot) == "Lyon (69123)"
        assert label("prestations", "2.3.2", snapshot) == "Accompagnements au logement"
        assert label("prestations", "missing", snapshot) == "Manquant sur le territoire"
        assert label("service_type", "sessad", snapshot) == "SESSAD"
        assert label("trends", "2025-S2", snapshot) == "2e semestre 2025"
    with translation.override("en"):
        assert label("age_bands", "60+", snapshot) == "60 years or more"


def test_an_unknown_code_reads_as_itself_and_a_period_without_pattern_as_its_dates():
    snapshot = snapshot_v2()
    snapshot["periods"].append({"key": "p4", "start": "2026-07-01", "end": "2026-09-30"})
    with translation.override("fr"):
        assert label("communes", "99999", snapshot) == "99999"
        assert label("later_table", "zz", snapshot) == "zz"
        assert label("alliances", "p4", snapshot) == "1er juillet 2026 – 30 septembre 2026"
        snapshot["periods"] += [
            {"key": "2026-10", "start": "2026-10-01", "end": "2026-10-31"},
            {"key": "2027", "start": "2027-01-01", "end": "2027-12-31"},
            {"key": "2027-Q1", "start": "2027-01-01", "end": "2027-03-31"},
        ]
        assert label("trends", "2026-10", snapshot) == "octobre 2026"
        assert label("trends", "2027", snapshot) == "2027"
        assert label("trends", "2027-Q1", snapshot) == "Trimestre 1 de 2027"


# ---------------------------------------------------------------- summary and method


def test_the_summary_is_five_sentences_from_shown_values():
    snapshot = snapshot_v2()
    with translation.override("fr"):
        sentences = summary.sentences(snapshot)
    assert len(sentences) == 5
    assert "40 alliances" in sentences[0] and "39 personnes" in sentences[0]
    assert "69 Rhône" in sentences[0]
    # Housing is hidden among needs (None) and the leader is health, shown.
    assert "santé somatique ou psychique (12 alliances)" in sentences[1]
    assert "exercer ses droits (7 alliances" in sentences[2]
    assert "de 29 à 40" in sentences[3]


def _hide_everything(snapshot):
    for _key, table in _all_tables(snapshot):
        if table["shape"] == "table":
            table["cells"] = [[None] * len(row) for row in table["cells"]]
            table["row_totals"] = [None] * len(table["row_totals"])
            table["column_totals"] = [None] * len(table["column_totals"])
            table["grand_total"] = None
        else:
            table["cells"] = [None] * len(table["cells"])
            table["total"] = None
    return snapshot


def test_a_report_with_everything_hidden_says_so_and_nothing_else():
    snapshot = _hide_everything(snapshot_v2())
    with translation.override("fr"):
        sentences = summary.sentences(snapshot)
        values = sum(len(summary._values(t)) for t in snapshot["tables"].values())
    assert len(sentences) == 2
    assert "masqué pour protéger la vie privée" in sentences[0]
    assert sentences[1].startswith(f"{values} des {values} nombres")
    text = " ".join(sentences)
    assert "moins de" not in text.lower()
    # No count leaks: the only numbers are the dates and the count of hidden numbers.
    assert set(re.findall(r"\d+", text)) <= {"69", "1", "2025", "30", "2026", str(values)}


def test_a_version_1_or_sparse_snapshot_still_reads():
    v1 = snapshot_v2()
    v1["version"] = 1
    for key in ("persons", "age_bands", "prestations", "prestation_waiting", "needs_detail"):
        del v1["tables"][key]
    del v1["trends"], v1["periods"], v1["labels"]
    v1["tables"]["unmet"]["column_totals"] = [None, 0, 5, 0]
    with translation.override("fr"):
        sentences = summary.sentences(v1)
        assert "40 alliances dans" in sentences[0] and "personnes" not in sentences[0]
        assert any("activités domestiques (7 alliances)" in s for s in sentences)
        assert "Aucune alliance n'a attendu 12 mois ou plus" in " ".join(sentences)
        assert present.trends(v1) == []
        assert summary.method_note(v1)
        sparse = {"period": v1["period"], "scope": v1["scope"], "tables": {}, "threshold": 5}
        assert len(summary.sentences(sparse)) == 1


def test_the_method_note_names_sources_threshold_hidden_mark_and_the_two_tables():
    snapshot = snapshot_v2()
    snapshot["threshold"] = 7
    with translation.override("fr"):
        note = summary.method_note(snapshot)
    text = " ".join(p for _heading, paragraphs in note for p in paragraphs)
    assert len(note) == 4
    assert "SERAFIN-PH" in text and "INSEE" in text
    assert "inférieur à 7" in text and "«\xa0s\xa0»" in text
    assert "différenciation" in text
    assert "1er semestre 2025, 2e semestre 2025, 1er semestre 2026" in text
    assert "besoins non couverts" in text


# ---------------------------------------------------------------- page and exports


@pytest.fixture
def planner_report(db):
    """A report whose snapshot is the contract's version 2, read by the decision
    maker it was published to."""
    reader = UserFactory(decision_maker=True)
    return make_report(reader), reader


def _filled(page) -> float:
    """How far down the page its content goes (0 to 1), footer excepted."""
    image = numpy.asarray(page.render(scale=0.5).to_pil().convert("L"))
    body = image[: int(image.shape[0] * 0.9)]  # above the page number
    inked = numpy.nonzero((body < 200).any(axis=1))[0]
    return (inked[-1] + 1) / image.shape[0] if len(inked) else 0.0


def _pdf_pages(content) -> list[tuple[str, float]]:
    pdf = pypdfium2.PdfDocument(content)
    return [(page.get_textpage().get_text_range(), _filled(page)) for page in pdf]


def _csv(client, report) -> list[dict]:
    response = client.get(reverse("reports:export", args=[report.pk, "csv"]))
    assert response.status_code == 200
    assert response.content.startswith("\ufeff".encode())
    text = response.content.decode("utf-8-sig")
    return list(csv.DictReader(io.StringIO(text), delimiter=";"))


def test_the_csv_is_one_tidy_table_with_hidden_values_marked(client, planner_report):
    report, reader = planner_report
    client.force_login(reader)
    lines = _csv(client, report)
    assert list(lines[0]) == list(exports.CSV_COLUMNS)
    assert all(None not in line and len(line) == len(exports.CSV_COLUMNS) for line in lines)
    keys = [
        (x["table"], x["periode_debut"], x["periode_fin"], x["code"], x["code_2"]) for x in lines
    ]
    assert len(keys) == len(set(keys))  # one line per number
    waiting = next(
        x
        for x in lines
        if x["table"] == "prestations" and (x["code"], x["code_2"]) == ("2.3.1", "waiting")
    )
    assert (waiting["valeur"], waiting["secret"], waiting["unite"]) == ("7", "0", "alliances")
    assert waiting["libelle"] == "Accompagnements pour exercer ses droits"
    assert waiting["libelle_2"] == "En attente"
    housing = next(x for x in lines if x["table"] == "besoins" and x["code"] == "1.3.2")
    assert (housing["valeur"], housing["secret"]) == ("", "1")
    trend = [x for x in lines if x["table"] == "tendance_alliances" and x["code"] == "total"]
    assert [(x["periode_debut"], x["periode_fin"], x["valeur"]) for x in trend] == [
        ("2025-01-01", "2025-06-30", "29"),
        ("2025-07-01", "2025-12-31", "35"),
        ("2026-01-01", "2026-06-30", "40"),
        ("2025-01-01", "2026-06-30", "40"),
    ]
    aim = next(x for x in lines if x["table"] == "meteo" and x["code"] == "aim")
    assert (aim["valeur"], aim["unite"]) == ("7,25", "moyenne_0_10")
    for line in lines:
        if line["unite"] in ("alliances", "personnes") and line["secret"] == "0":
            assert int(line["valeur"]) == 0 or int(line["valeur"]) >= report.threshold
    # Every number of the page is in the file, none more.
    numbers = sum(len(summary._values(t)) for _k, t in _all_tables(report.snapshot))
    assert len([x for x in lines if x["table"] != "meteo"]) == numbers


def test_the_ods_has_summary_method_and_one_sheet_per_table(client, planner_report):
    report, reader = planner_report
    client.force_login(reader)
    response = client.get(reverse("reports:export", args=[report.pk, "ods"]))
    archive = zipfile.ZipFile(io.BytesIO(response.content))
    root = ElementTree.fromstring(archive.read("content.xml"))  # noqa: S314 (our own output)
    names = [sheet.get(f"{ODS_TABLE}name") for sheet in root.iter(f"{ODS_TABLE}table")]
    snapshot = report.snapshot
    tables = len(snapshot["tables"]) + 1 + len(snapshot["trends"])  # and the weather
    assert len(names) == len(set(names)) == 2 + tables + 1
    assert names[:2] == ["À propos", "Résumé"] and names[-1] == "Méthode"
    text = "".join(root.itertext())
    with translation.override("fr"):
        for sentence in summary.sentences(snapshot):
            assert sentence in text
        assert summary.method_note(snapshot)[3][1][0] in text


def test_the_pdf_is_a_report_with_no_empty_page(client, planner_report):
    report, reader = planner_report
    client.force_login(reader)
    response = client.get(reverse("reports:export", args=[report.pk, "pdf"]))
    found = _pdf_pages(response.content)
    pages = [text for text, _filled in found]
    # 17 tables and 4 trends, each with its chart: a report, not a page per table.
    assert 4 <= len(pages) <= 14, len(pages)
    # Every page has text, and every page but the last (where the method ends) is
    # filled at least half-way down.
    assert all(len(text.strip()) > 100 for text in pages), [len(t) for t in pages]
    assert all(filled > 0.5 for _text, filled in found[:-1]), [f for _t, f in found]
    with translation.override("fr"):
        first = summary.sentences(report.snapshot)[0]
    assert "69 Rhône" in pages[0]
    assert " ".join(first.split()[:4]) in " ".join(pages[0].split())
    assert "Méthode" in pages[-1] or "Méthode" in pages[-2]


def test_the_page_shows_summary_trends_and_method_and_every_read_is_audited(client, planner_report):
    report, reader = planner_report
    client.force_login(reader)
    with CaptureQueriesContext(connection) as queries:
        page = unescape(client.get(reverse("reports:detail", args=[report.pk])).content.decode())
    assert len(queries) <= 10
    with translation.override("fr"):
        for sentence in summary.sentences(report.snapshot):
            assert sentence in page
    assert 'id="method"' in page and 'href="#method"' in page
    for key in report.snapshot["trends"]:
        assert f'id="trend-{key}-title"' in page
    for key in report.snapshot["tables"]:
        assert f'id="chart-{key}-title"' in page
    for fmt in ("csv", "ods", "pdf"):
        assert client.get(reverse("reports:export", args=[report.pk, fmt])).status_code == 200
    entries = AuditEntry.objects.filter(action=Action.REPORT_VIEWED, actor=reader)
    assert [e.detail for e in entries.order_by("pk")] == [
        {"as": "page"},
        {"as": "csv"},
        {"as": "ods"},
        {"as": "pdf"},
    ]


@pytest.mark.django_db
def test_the_pdf_of_the_demo_report_has_few_pages_and_text_on_each(client):
    from django.core.management import call_command

    from alliance.accounts.models import User

    call_command("demo", stdout=io.StringIO())
    # Claire's territory report, not the town hall's made from its request.
    report = Report.objects.get(request__isnull=True)
    client.force_login(User.objects.get(demo_persona="decideur-claire"))
    response = client.get(reverse("reports:export", args=[report.pk, "pdf"]))
    pages = [
        page.get_textpage().get_text_range() for page in pypdfium2.PdfDocument(response.content)
    ]
    tables = len(report.snapshot["tables"]) + len(report.snapshot.get("trends", {}))
    # A cover, then fewer pages than tables (each with its chart), then the method.
    assert len(pages) <= 3 + tables * 3 // 4, len(pages)
    # Only the last page may be short (where the method ends).
    assert all(len(text.strip()) > 600 for text in pages[:-1]), [len(t) for t in pages]
    assert "Méthode" in " ".join(pages[-2:])
