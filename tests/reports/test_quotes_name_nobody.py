"""Reports name nobody (issue 9, finding 8): words go up only with first names
masked, as their author saw and confirmed them, and no report page or export
shows a first name, whether the name is an ally's or a child's named in the words."""

import csv
import datetime
import importlib
import io
import zipfile
from html import unescape

import pypdfium2
import pytest
from django.urls import reverse
from django.utils import timezone

from alliance.alliances.models import Statement
from alliance.reports import services
from alliance.reports.models import Report
from tests.factories import UserFactory, make_alliance_trio

from .data import build_world

pytestmark = pytest.mark.django_db

P = "[prénom]"
START, END = datetime.date(2025, 7, 1), datetime.date(2026, 6, 30)
# Names from the list, an ally's name that the list lacks, and their shapes.
WORDS = [
    "Que Hugo ait une AESH au collège",
    "Qu'Inès retourne à l'école du quartier, avec Jean-Pierre",
    "Que Zélindor garde sa place à la cantine",
    # léo: the person of the alliance, written in lower case.
    "Le frère d'Hugo, la sœur de Maëlys et léo",
]
NAMES = ["Hugo", "Inès", "Jean-Pierre", "Zélindor", "Kervella", "Maëlys", "léo", "Léo"]


def _quoted_statement(client, trio, words):
    """The parent lets their words go up: the page shows them masked, the parent
    confirms; returns the statement."""
    url = reverse("alliances:statement_new", args=[trio.alliance.pk])
    client.force_login(trio.parent.user)
    data = {"kind": "interest", "text": words, "may_quote": "on"}
    first = client.post(url, data)
    assert first.status_code == 200
    assert not Statement.objects.filter(text=words).exists()
    shown = first.context["quote"]
    assert P in shown and shown in unescape(first.content.decode())
    assert client.post(url, {**data, "confirmed_quote": shown}).status_code == 302
    statement = Statement.objects.get(text=words)
    assert statement.quote_text == shown
    return statement


@pytest.fixture
def report_with_names(client):
    world = build_world(5, organisations=1, alliances=30)
    organisation = world.organisations[0]
    for words in WORDS:
        professional = UserFactory(
            professional=True, organisation=organisation, display_name="Zélindor Kervella"
        )
        trio = make_alliance_trio(professional=professional)
        statement = _quoted_statement(client, trio, words)
        in_period = timezone.make_aware(datetime.datetime(2026, 1, 15, 12))
        Statement.objects.filter(pk=statement.pk).update(created_at=in_period)
    staff = UserFactory(professional=True, is_staff=True)
    admin = UserFactory(org_admin=True, organisation=organisation)
    reader = UserFactory(decision_maker=True)
    report = services.request_report(
        user=staff,
        scope_kind=Report.ScopeKind.ORGANISATIONS,
        organisation_ids=[organisation.pk],
        period_start=START,
        period_end=END,
    )
    report.refresh_from_db()
    report.owner = organisation
    report.save()
    services.publish_report(user=admin, report=report, recipients=[reader])
    return report, reader


def _pdf_text(content: bytes) -> str:
    return " ".join(page.get_textpage().get_text_range() for page in pypdfium2.PdfDocument(content))


def _ods_text(content: bytes) -> str:
    return zipfile.ZipFile(io.BytesIO(content)).read("content.xml").decode()


def _csv_text(content: bytes) -> str:
    rows = csv.reader(io.StringIO(content.decode("utf-8-sig")))
    return " ".join(cell for row in rows for cell in row)


def test_no_report_page_or_export_shows_a_first_name(client, report_with_names):
    report, reader = report_with_names
    client.force_login(reader)
    page = unescape(client.get(reverse("reports:detail", args=[report.pk])).content.decode())
    exports = {
        fmt: client.get(reverse("reports:export", args=[report.pk, fmt])).content
        for fmt in ("csv", "ods", "pdf")
    }
    texts = {
        "page": page,
        "csv": _csv_text(exports["csv"]),
        "ods": unescape(_ods_text(exports["ods"])),
        "pdf": _pdf_text(exports["pdf"]),
    }
    # The quotes are there, masked...
    assert "Que [prénom] ait une AESH au collège" in page
    assert "Qu'[prénom] retourne à l'école du quartier, avec [prénom]" in page
    assert "Que [prénom] ait une AESH" in texts["pdf"]
    # ...and no name, anywhere.
    for where, text in texts.items():
        for name in NAMES:
            assert name not in text, (where, name)
    for quote in report.snapshot["quotes"]:
        for name in NAMES:
            assert name not in quote["text"]


def test_unconfirmed_words_never_go_up(client):
    trio = make_alliance_trio()
    url = reverse("alliances:statement_new", args=[trio.alliance.pk])
    client.force_login(trio.parent.user)
    data = {"kind": "interest", "text": "Que Léo aille à la piscine", "may_quote": "on"}
    # Confirming other words than the masked ones (typed, or an older version) saves
    # nothing and shows the masked words again.
    forged = client.post(url, {**data, "confirmed_quote": "Que Léo aille à la piscine"})
    assert forged.status_code == 200
    assert forged.context["quote"] == f"Que {P} aille à la piscine"
    assert not Statement.objects.exists()
    client.post(url, {**data, "confirmed_quote": f"Que {P} aille à la piscine"})
    statement = Statement.objects.get()
    assert statement.quote_text == f"Que {P} aille à la piscine"


def test_changed_words_go_up_only_once_confirmed_again(client):
    trio = make_alliance_trio()
    statement = _quoted_statement(client, trio, "Que Léo aille à la piscine")
    edit = reverse("alliances:statement_edit", args=[trio.alliance.pk, statement.pk])
    data = {"kind": "interest", "text": "Que Léo et Hugo aillent au stade", "may_quote": "on"}
    asked = client.post(edit, {**data, "version": 1, "confirmed_quote": statement.quote_text})
    assert asked.status_code == 200
    assert asked.context["quote"] == f"Que {P} et {P} aillent au stade"
    statement.refresh_from_db()
    assert statement.text == "Que Léo aille à la piscine"  # nothing saved yet
    client.post(edit, {**data, "version": 1, "confirmed_quote": asked.context["quote"]})
    statement.refresh_from_db()
    assert statement.text == data["text"]
    assert statement.quote_text == f"Que {P} et {P} aillent au stade"
    # The same words saved again need no new confirmation.
    same = {**data, "version": 2, "confirmed_quote": statement.quote_text}
    assert client.post(edit, same).status_code == 302
    # Unticked, nothing goes up any more.
    client.post(edit, {"kind": "interest", "text": data["text"], "version": 3})
    statement.refresh_from_db()
    assert (statement.may_quote, statement.quote_text) == (False, "")


def test_the_author_is_told_when_their_words_wait_for_confirmation(client):
    trio = make_alliance_trio()
    statement = _quoted_statement(client, trio, "Que Léo aille à la piscine")
    Statement.objects.filter(pk=statement.pk).update(quote_text="")  # as after the migration
    page = client.get(reverse("alliances:statement", args=[trio.alliance.pk, statement.pk]))
    assert "not before you check them" in page.content.decode() or (
        "pas avant que vous" in unescape(page.content.decode())
    )


def test_reports_computed_before_masking_lose_their_quotes(client, report_with_names):
    from django.apps import apps

    migration = importlib.import_module(
        "alliance.reports.migrations.0005_reports_hold_unconfirmed_quotes"
    )
    report, reader = report_with_names
    report.snapshot["quotes"] = [{"text": "Que Hugo ait une AESH", "domain": "not_coded"}]
    report.save()
    migration.hold_quotes(apps, None)
    client.force_login(reader)
    page = unescape(client.get(reverse("reports:detail", args=[report.pk])).content.decode())
    assert "Hugo" not in page
    assert "Citations\u00a0: retenues" in page
