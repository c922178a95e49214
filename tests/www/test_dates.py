"""One way to write dates and times (ADR 0027): Europe/Paris everywhere, the named
formats of the reader's language, "1er" for the first of the month in French — on
pages, in exports and in emails — and no template with a format of its own."""

import csv
import datetime
import io
import re
from pathlib import Path

import pytest
from django.core import mail
from django.template import engines
from django.urls import reverse
from django.utils import translation

from alliance import dates
from alliance.notifications import services as notifications
from alliance.notifications.kinds import choosable_groups
from alliance.notifications.models import Delivery, Notification
from alliance.reports.models import Report
from tests.factories import UserFactory

SUMMER = datetime.datetime(2026, 7, 1, 16, 52, tzinfo=datetime.UTC)  # 18:52 in Paris
WINTER = datetime.datetime(2026, 1, 15, 16, 52, tzinfo=datetime.UTC)  # 17:52 in Paris
TEMPLATES = Path(__file__).resolve().parents[2] / "alliance"


@pytest.mark.parametrize(
    ("fmt", "escaped"),
    [
        ("j F Y", r"\1\e\r F Y"),
        (r"j F Y \à G \h i", r"\1\e\r F Y \à G \h i"),
        (r"\j j", r"\j \1\e\r"),
        ("d/m/Y", "d/m/Y"),
    ],
)
def test_the_first_of_the_month_writes_1er_only_where_the_day_is(fmt, escaped):
    assert dates.first_of_month(fmt) == escaped


@pytest.mark.parametrize(
    ("language", "fmt", "value", "expected"),
    [
        ("fr", "DATE_FORMAT", datetime.date(2026, 4, 1), "1er avril 2026"),
        ("fr", "DATE_FORMAT", datetime.date(2026, 4, 2), "2 avril 2026"),
        ("fr", "DATETIME_FORMAT", SUMMER, "1er juillet 2026 à 18 h 52"),
        ("fr", "DATETIME_FORMAT", WINTER, "15 janvier 2026 à 17 h 52"),
        ("fr", "SHORT_DATE_FORMAT", datetime.date(2026, 4, 1), "01/04/2026"),
        ("fr", "SHORT_DATETIME_FORMAT", SUMMER, "01/07/2026 à 18 h 52"),
        ("en", "DATE_FORMAT", datetime.date(2026, 4, 1), "1 April 2026"),
        ("en", "DATETIME_FORMAT", WINTER, "15 January 2026, 17:52"),
        ("en", "SHORT_DATE_FORMAT", datetime.date(2026, 4, 1), "1 Apr 2026"),
        ("en", "SHORT_DATETIME_FORMAT", SUMMER, "1 Jul 2026, 18:52"),
    ],
)
def test_named_formats_in_french_and_english(language, fmt, value, expected):
    with translation.override(language):
        assert dates.show(value, fmt) == expected
        template = engines["django"].from_string("{{ v|date:f }}")
        assert template.render({"v": value, "f": fmt}) == expected


def test_the_template_filter_is_ours_without_loading_anything():
    template = engines["django"].from_string('{{ v|date }} · {{ v|date:"c" }} · {{ none|date }}')
    with translation.override("fr"):
        assert template.render({"v": SUMMER, "none": None}) == (
            "1er juillet 2026 · 2026-07-01T18:52:00+02:00 · "
        )


def test_machine_readable_moments_are_iso_in_paris_with_the_offset():
    assert dates.iso(WINTER) == "2026-01-15T17:52:00+01:00"
    assert dates.iso(datetime.date(2026, 4, 1)) == "2026-04-01"


# A named format, or "c" (ISO 8601, for <time datetime>): nothing else.
ALLOWED = {f'"{name}"' for name in dates.NAMED} | {"'c'", '"c"'}
FILTER = re.compile(r"\|\s*date\s*(?::\s*(\"[^\"]*\"|'[^']*'|[\w.]+))?")


def test_no_template_writes_a_date_format_of_its_own():
    found = []
    for path in TEMPLATES.rglob("templates/**/*"):
        if path.suffix not in {".html", ".txt"}:
            continue
        for number, line in enumerate(path.read_text().splitlines(), 1):
            for match in FILTER.finditer(line):
                if match.group(1) not in ALLOWED:
                    found.append(f"{path.relative_to(TEMPLATES)}:{number}: {match.group(0)}")
            if "now " in line and "{% now" in line:
                found.append(f"{path.relative_to(TEMPLATES)}:{number}: {{% now %}}")
    assert not found, "use a named format (ADR 0027):\n" + "\n".join(found)


def test_the_filter_test_catches_a_literal_format():
    line = '{{ a|date:"j F Y" }} {{ b|date:"DATE_FORMAT" }} {{ c|date }} {{ d|date:fmt }}'
    assert [m.group(1) for m in FILTER.finditer(line)] == ['"j F Y"', '"DATE_FORMAT"', None, "fmt"]


# ---------------------------------------------------------------- pages, exports, emails


@pytest.mark.django_db
@pytest.mark.parametrize(("moment", "clock"), [(SUMMER, "18 h 52"), (WINTER, "17 h 52")])
def test_a_page_shows_the_time_in_paris(client, moment, clock):
    user = UserFactory()
    (notification,) = notifications.notify(
        [user], "review_due", url="/", alliance="Aller à l'école", due="2026-04-01"
    )
    Notification.objects.filter(pk=notification.pk).update(created_at=moment)
    client.force_login(user)
    page = client.get(reverse("notifications:list")).content.decode()
    assert clock in page
    assert "16 h 52" not in page and "16:52" not in page
    assert "1er avril 2026" in page  # the due date of the notification


@pytest.mark.django_db
@pytest.mark.parametrize(("moment", "clock"), [(SUMMER, "18 h 52"), (WINTER, "17 h 52")])
def test_the_report_list_and_its_csv_say_the_same_time(client, moment, clock):
    from tests.reports.data import build_world
    from tests.reports.test_reports import _report, _staff

    world = build_world(3, organisations=1, alliances=6)
    staff = _staff()
    report = _report(staff, world.organisations)
    Report.objects.filter(pk=report.pk).update(computed_at=moment)
    client.force_login(staff)
    listed = client.get(reverse("reports:list")).content.decode()
    assert clock in listed
    response = client.get(reverse("reports:export", args=[report.pk, "csv"]))
    text = response.content.decode("utf-8-sig")
    lines = list(csv.DictReader(io.StringIO(text), delimiter=";"))
    # A tidy open-data table (ADR 0036): the moment in ISO 8601, in Paris with its offset.
    day, offset = ("2026-07-01", "+02:00") if moment is SUMMER else ("2026-01-15", "+01:00")
    hour = clock.replace(" h ", ":")
    assert {line["calcule_le"] for line in lines} == {f"{day}T{hour}:00{offset}"}
    assert {line["periode_debut"] for line in lines if line["table"] == "alliances"} == {
        "2025-07-01"
    }


@pytest.mark.django_db
@pytest.mark.parametrize(("language", "day"), [("fr", "1er avril 2026"), ("en", "1 April 2026")])
def test_an_email_writes_its_dates_in_the_readers_language(language, day):
    user = UserFactory(email="lea@example.org")
    notifications.set_preferences(
        user=user,
        deliveries=dict.fromkeys([g.value for g in choosable_groups()], Delivery.IMMEDIATE),
        language=language,
        details_in_email=True,
        expected_version=1,
    )
    notifications.notify(
        [user], "review_due", url="/", alliance="Aller à l'école", due="2026-04-01"
    )
    (email,) = mail.outbox
    assert day in email.body
