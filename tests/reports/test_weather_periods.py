"""The alliance weather of a report across its sub-periods (snapshot version 3): the
publication rule on its own, the service, the page's table and chart, the CSV, the
method, and the reading of older snapshots."""

import csv
import datetime
import io

import pytest
from django.urls import reverse
from django.utils import translation

from alliance.acting.models import WeatherRating
from alliance.alliances.models import Alliance, Ally
from alliance.reports import averages, summary
from alliance.www.reports import exports, present
from tests.factories import UserFactory

from .data import build_world
from .snapshot_v2 import make_report, snapshot_v2
from .test_reports import _report, _staff

# ---------------------------------------------------------------- the rule (no database)


def test_an_average_is_shown_only_over_k_alliances_and_zero_is_shown():
    assert averages.shown_averages((6.5, 5.0), 5, 5) == [6.5, 5.0]
    assert averages.shown_averages((6.5, 5.0), 4, 5) is None
    assert [averages.shown_count(n, 5) for n in (0, 1, 4, 5, 12)] == [0, None, None, 5, 12]
    assert averages.published_periods(
        ["2026-Q1", "2026-Q2", "2026-Q3"], [((7.0,), 6), ((2.0,), 3), ((None,), 0)], 5
    ) == [
        {"key": "2026-Q1", "averages": [7.0], "alliances": 6},
        {"key": "2026-Q2", "averages": None, "alliances": None},
        {"key": "2026-Q3", "averages": None, "alliances": 0},
    ]
    with pytest.raises(ValueError):
        averages.published_periods(["2026-Q1"], [], 5)


# ---------------------------------------------------------------- the service


def _rate(alliance, when, values):
    ally = Ally.objects.filter(alliance=alliance).first()
    rating = WeatherRating.objects.create(alliance=alliance, ally=ally, **values)
    WeatherRating.objects.filter(pk=rating.pk).update(created_at=when)


@pytest.mark.django_db
def test_each_sub_period_shows_its_averages_only_over_enough_alliances():
    world = build_world(17, organisations=1, alliances=8)
    alliances = list(Alliance.objects.order_by("pk"))

    def at(day):
        return datetime.datetime.combine(day, datetime.time(12), tzinfo=datetime.UTC)

    # The report runs from 2025-07-01 to 2026-06-30: four quarters.
    q3, q4, q1 = datetime.date(2025, 8, 10), datetime.date(2025, 11, 5), datetime.date(2026, 2, 3)
    for n, alliance in enumerate(alliances):
        _rate(alliance, at(q3), {"aim": n, "way": 5, "heard": 6, "decide": 7})
        _rate(alliance, at(q3), {"aim": 10, "way": 5, "heard": 6, "decide": 7})
    for alliance in alliances[:3]:  # three alliances only: too few
        _rate(alliance, at(q4), {"aim": 1, "way": 1, "heard": 1, "decide": 1})
    for alliance in alliances[:5]:  # five: just enough
        _rate(alliance, at(q1), {"aim": 9, "way": 8, "heard": 7, "decide": 6})
    weather = _report(_staff(), world.organisations).snapshot["weather"]
    aim_q3 = round(sum([*range(8), *[10] * 8]) / 16, 1)
    assert weather["periods"] == [
        {"key": "2025-Q3", "averages": [aim_q3, 5.0, 6.0, 7.0], "alliances": 8},
        {"key": "2025-Q4", "averages": None, "alliances": None},
        {"key": "2026-Q1", "averages": [9.0, 8.0, 7.0, 6.0], "alliances": 5},
        {"key": "2026-Q2", "averages": None, "alliances": 0},
    ]
    assert weather["alliances"] == [8, 0]
    # The whole period still counts the hidden quarter's ratings.
    whole_aim = (sum(range(8)) + 80 + 3 + 45) / (16 + 3 + 5)
    assert weather["current"][0] == round(whole_aim, 1)
    assert weather["previous"] is None


# ---------------------------------------------------------------- reading


def snapshot_v3():
    snapshot = snapshot_v2()
    snapshot["version"] = 3
    snapshot["weather"]["periods"] = [
        {"key": "2025-S1", "averages": None, "alliances": None},
        {"key": "2025-S2", "averages": [6.5, 5.5, 8.0, 5.0], "alliances": 7},
        {"key": "2026-S1", "averages": [7.5, 6.25, 9.0, 6.0], "alliances": 9},
    ]
    return snapshot


def _weather_table(snapshot, charts=True):
    return next(t for t in present.tables(snapshot, charts=charts) if t.key == "weather")


def test_the_weather_reads_by_period_with_the_alliances_rated_and_a_line_chart():
    with translation.override("en"):
        table = _weather_table(snapshot_v3())
    assert table.header == [
        "Item",
        "First half of 2025",
        "Second half of 2025",
        "First half of 2026",
        "Whole period",
        "Period before",
    ]
    assert table.rows[0][1:] == ["s", "6.5", "7.5", "7.2", "s"]
    assert table.footer == ["Alliances rated", "s", "7", "9", "12", "s"]
    assert 'role="img"' in table.chart and "chart-trend" in table.chart
    assert "<polyline" in table.chart or "<path" in table.chart


def test_an_older_snapshot_keeps_its_weather_of_two_periods():
    with translation.override("en"):
        table = _weather_table(snapshot_v2())
    assert table.header == ["Item", "This period", "Period before", "Trend"]
    assert table.footer[1:3] == ["12", "s"]


def test_the_method_says_how_averages_are_protected():
    with translation.override("en"):
        note = dict(summary.method_note(snapshot_v3()))
    hidden = " ".join(note["Small numbers hidden"])
    assert "An average is shown only when at least 5 alliances were rated" in hidden
    assert "number of ratings behind an average is not published" in hidden


@pytest.mark.django_db
def test_the_csv_has_one_line_per_average_of_each_period(client):
    reader = UserFactory(decision_maker=True)
    report = make_report(reader)
    report.snapshot = snapshot_v3()
    report.save(update_fields=["snapshot"])
    client.force_login(reader)
    response = client.get(reverse("reports:export", args=[report.pk, "csv"]))
    lines = list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))
    weather = [x for x in lines if x["table"] == "meteo"]
    spans = [(x["periode_debut"], x["periode_fin"]) for x in weather if x["code"] == "total"]
    assert spans == [
        ("2025-01-01", "2025-06-30"),
        ("2025-07-01", "2025-12-31"),
        ("2026-01-01", "2026-06-30"),
        ("2025-01-01", "2026-06-30"),
        ("2023-07-05", "2024-12-31"),
    ]
    assert len(weather) == 5 * 5
    first = [x for x in weather if x["periode_debut"] == "2025-01-01"][:5]
    assert {(x["valeur"], x["secret"]) for x in first} == {("", "1")}
    aim = next(x for x in weather if x["periode_debut"] == "2026-01-01" and x["code"] == "aim")
    assert (aim["valeur"], aim["secret"], aim["unite"]) == ("7,5", "0", "moyenne_0_10")
    keys = [(x["periode_debut"], x["periode_fin"], x["code"]) for x in weather]
    assert len(keys) == len(set(keys))
    assert tuple(lines[0]) == exports.CSV_COLUMNS
