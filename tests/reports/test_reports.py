"""Reports through their use cases and pages: the whole pipeline (grouped queries,
suppression, snapshot) on random alliance data, differencing between two reports
whose scopes differ by one organisation, quotes, bad input, exports."""

import csv
import datetime
import io
import itertools
import zipfile
from html import unescape
from xml.etree import ElementTree

import numpy
import pypdfium2
import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import translation
from django.utils.html import escape
from django.utils.translation import gettext
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from alliance.audit.models import Action, AuditEntry
from alliance.reports import aggregates, computation, services
from alliance.reports.models import Report
from alliance.reports.suppression import (
    CountSeries,
    CountTable,
    as_published,
    differencing_exposures,
    suppress,
)
from alliance.reports.suppression import suppress_related as suppress_pair
from alliance.www.reports import exports
from tests.factories import OrganisationFactory, UserFactory

from .data import build_world, expected_counts

pytestmark = pytest.mark.django_db

START, END = datetime.date(2025, 7, 1), datetime.date(2026, 6, 30)


def _staff():
    return UserFactory(professional=True, is_staff=True)


def _report(user, organisations, *, k=5, start=START, end=END):
    report = services.request_report(
        user=user,
        scope_kind=Report.ScopeKind.ORGANISATIONS,
        organisation_ids=[o.pk for o in organisations],
        period_start=start,
        period_end=end,
        threshold=k,
    )
    report.refresh_from_db()
    return report


def _published_values(table: dict) -> list:
    if table["shape"] == "table":
        return [
            *itertools.chain.from_iterable(table["cells"]),
            *table["row_totals"],
            *table["column_totals"],
            table["grand_total"],
        ]
    return [*table["cells"], table["total"]]


def _raw_values(raw) -> list:
    if isinstance(raw, aggregates.Table):
        return [
            *itertools.chain.from_iterable(raw.counts),
            *raw.row_totals,
            *raw.column_totals,
            raw.grand_total,
        ]
    return [*raw.counts, raw.total]


@settings(
    max_examples=12,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    seed=st.integers(0, 10_000),
    alliances=st.integers(1, 35),
    k=st.integers(5, 9),
)
def test_no_published_cell_counts_fewer_alliances_than_the_threshold(seed, alliances, k):
    """Random alliances through the whole pipeline: every number shown is the true
    count and is 0 or at least k, and no row or column has a single hidden value."""
    world = build_world(seed, organisations=2, alliances=alliances)
    report = _report(_staff(), world.organisations, k=k)
    assert report.status == Report.Status.READY
    raw = expected_counts([o.pk for o in world.organisations], START, END)
    # The version-1 tables here; the planning ones in test_planning_snapshot.py.
    for key in computation.TABLES:
        table = report.snapshot["tables"][key]
        published = _published_values(table)
        for shown, true in zip(published, _raw_values(getattr(raw, key)), strict=True):
            assert shown is None or shown == true
            assert shown is None or shown == 0 or shown >= k
        if table["shape"] == "table":
            rows = [*table["cells"], table["column_totals"]]
            totals = [*table["row_totals"], table["grand_total"]]
            lines = [[*row, total] for row, total in zip(rows, totals, strict=True)]
            lines += [list(column) for column in zip(*rows, strict=True)]
        else:
            lines = [[*table["cells"], table["total"]]]
        for line in lines:
            assert sum(v is None for v in line) != 1


def test_two_reports_whose_scopes_differ_by_one_organisation_do_not_reveal_it():
    """Without the pair protection, subtracting the reports pins a small count of the
    added organisation; with it, no difference in 1..k-1 can be proven."""
    world = build_world(11, organisations=3, alliances=45)
    smaller_scope, larger_scope = world.organisations[:2], world.organisations
    staff = _staff()
    small = _report(staff, smaller_scope)
    large = _report(staff, larger_scope)
    assert large.snapshot["protected_with"] == 1
    raw_small = aggregates.counts([o.pk for o in smaller_scope], START, END)
    raw_large = aggregates.counts([o.pk for o in larger_scope], START, END)
    exposed_alone = 0
    for key in computation.TABLES:
        pair = [computation._as_suppressible(getattr(r, key)) for r in (raw_small, raw_large)]
        protected = suppress_pair(pair, k=5)
        published = []
        for report, table, needed in zip((small, large), pair, protected, strict=True):
            mine = report.snapshot["tables"][key]
            shown = _published_values(mine)
            # Each report hides at least what the pair protection hides (tables linked
            # to others, docs/suppression.md, may hide more), and shows true counts.
            for value, true, wanted in zip(
                shown,
                table._values(),
                _published_values({"shape": mine["shape"]} | needed.published()),
                strict=True,
            ):
                assert value is None or (value == true and wanted is not None)
            published.append(as_published(table, shown, 5))
        assert differencing_exposures(*published) == []
        exposed_alone += len(differencing_exposures(*(suppress(t, k=5) for t in pair)))
    # The attack works on reports suppressed one by one: the protection is needed here.
    assert exposed_alone > 0


def test_a_narrower_report_beside_a_published_wider_one_is_refused_if_unsafe():
    world = build_world(11, organisations=3, alliances=45)
    staff = _staff()
    large = _report(staff, world.organisations)
    small = _report(staff, world.organisations[:2])
    assert large.status == Report.Status.READY
    raw_small = aggregates.counts([o.pk for o in world.organisations[:2]], START, END)
    raw_large = aggregates.counts([o.pk for o in world.organisations], START, END)
    needed = [
        computation._shows_hidden(
            large.snapshot["tables"][key],
            suppress_pair(
                [computation._as_suppressible(getattr(r, key)) for r in (raw_small, raw_large)], k=5
            )[1],
        )
        for key in computation.TABLES
    ]
    if any(needed):
        assert small.status == Report.Status.FAILED
        assert small.snapshot == {}
    else:
        assert small.status == Report.Status.READY


def test_a_threshold_below_five_is_refused_and_nothing_is_saved():
    org_admin = UserFactory(org_admin=True)
    for bad in (4, 3, 2, 0, -1, "deux"):
        with pytest.raises(ValidationError) as refused:
            services.request_report(
                user=org_admin,
                scope_kind=Report.ScopeKind.ORGANISATION,
                organisation_ids=[org_admin.organisation_id],
                period_start=START,
                period_end=END,
                threshold=bad,
            )
        assert "au moins 5" in str(refused.value)
    assert not Report.objects.exists()
    assert not AuditEntry.objects.filter(action=Action.REPORT_REQUESTED).exists()


def test_a_scope_the_user_may_not_see_is_refused_and_nothing_is_saved():
    pro = UserFactory(professional=True)
    other = OrganisationFactory(territory="13 Bouches-du-Rhône")
    cases = [
        (Report.ScopeKind.ORGANISATION, [other.pk], ""),
        (Report.ScopeKind.ORGANISATIONS, [pro.organisation_id, other.pk], ""),
        # A professional who does not administer the organisation asks for its territory.
        (Report.ScopeKind.TERRITORY, [], pro.organisation.territory),
    ]
    for kind, ids, territory in cases:
        with pytest.raises(PermissionDenied):
            services.request_report(
                user=pro,
                scope_kind=kind,
                organisation_ids=ids,
                territory=territory,
                period_start=START,
                period_end=END,
            )
    with pytest.raises(PermissionDenied):
        services.request_report(
            user=UserFactory(decision_maker=True),
            scope_kind=Report.ScopeKind.ORGANISATION,
            organisation_ids=[other.pk],
            period_start=START,
            period_end=END,
        )
    assert not Report.objects.exists()


def test_the_page_refuses_a_forbidden_scope_and_a_low_threshold(client):
    org_admin = UserFactory(org_admin=True)
    other = OrganisationFactory()
    client.force_login(org_admin)
    base = {
        "scope_kind": "organisation",
        "organisation": org_admin.organisation_id,
        "period_start": "2025-07-01",
        "period_end": "2026-06-30",
        "threshold": "2",
    }
    response = client.post(reverse("reports:create"), base)
    assert response.status_code == 400
    assert "au moins 5" in unescape(response.content.decode())
    response = client.post(
        reverse("reports:create"), {**base, "threshold": "5", "organisation": other.pk}
    )
    assert response.status_code == 400  # not one of the choices offered
    response = client.post(
        reverse("reports:create"),
        {**base, "threshold": "5", "scope_kind": "territory", "territory": "75 Paris"},
    )
    assert response.status_code == 403
    assert not Report.objects.exists()


def test_a_territory_report_covers_the_organisations_of_the_territory():
    world = build_world(3, organisations=3, alliances=20)
    elsewhere = OrganisationFactory(territory="13 Bouches-du-Rhône")
    admin = UserFactory(org_admin=True, organisation=world.organisations[0])
    report = services.request_report(
        user=admin,
        scope_kind=Report.ScopeKind.TERRITORY,
        territory="69 Rhône",
        period_start=START,
        period_end=END,
    )
    assert set(report.organisations.all()) == set(world.organisations)
    assert elsewhere not in report.organisations.all()
    assert report.scope_label == "69 Rhône"


def test_only_words_whose_authors_opted_in_are_quoted_without_names():
    world = build_world(7, organisations=1, alliances=30)
    report = _report(_staff(), world.organisations)
    from alliance.alliances.models import Statement

    opted = set(
        Statement.objects.filter(may_quote=True, kind__in=["interest", "goal"]).values_list(
            "text", flat=True
        )
    )
    quoted = {q["text"] for q in report.snapshot["quotes"]}
    assert quoted and quoted <= opted
    assert all(set(q) == {"text", "domain"} for q in report.snapshot["quotes"])


def test_a_report_too_small_to_show_its_total_quotes_nobody():
    world = build_world(7, organisations=1, alliances=3)
    report = _report(_staff(), world.organisations)
    assert report.snapshot["tables"]["alliances"]["total"] is None
    assert report.snapshot["quotes"] == []


# ---------------------------------------------------------------- pages and exports


@pytest.fixture
def published():
    world = build_world(5, organisations=1, alliances=30)
    admin = UserFactory(org_admin=True, organisation=world.organisations[0])
    reader = UserFactory(decision_maker=True, display_name="Élue de la ville")
    report = _report(_staff(), world.organisations)
    report.owner = world.organisations[0]
    report.save()
    services.publish_report(user=admin, report=report, recipients=[reader])
    return report, reader


def test_csv_export_is_one_tidy_table_of_the_published_numbers(client, published):
    report, reader = published
    client.force_login(reader)
    response = client.get(reverse("reports:export", args=[report.pk, "csv"]))
    assert response.status_code == 200
    text = response.content.decode("utf-8-sig")
    lines = list(csv.DictReader(io.StringIO(text), delimiter=";"))
    assert {line["perimetre"] for line in lines} == {report.scope_label}
    whole = [x for x in lines if x["table"] in exports.CSV_TABLE_NAMES.values()]
    assert {line["periode_fin"] for line in whole} == {report.period_end.isoformat()}
    for key, table in report.snapshot["tables"].items():
        name = exports.CSV_TABLE_NAMES[key]
        shown = [
            None if x["secret"] == "1" else int(x["valeur"]) for x in lines if x["table"] == name
        ]
        assert sorted(shown, key=str) == sorted(_published_values(table), key=str)
        assert all(v is None or v == 0 or v >= report.threshold for v in shown)


def test_ods_export_is_a_spreadsheet_with_one_sheet_per_table(client, published):
    report, reader = published
    client.force_login(reader)
    response = client.get(reverse("reports:export", args=[report.pk, "ods"]))
    archive = zipfile.ZipFile(io.BytesIO(response.content))
    assert archive.namelist()[0] == "mimetype"
    assert archive.read("mimetype") == b"application/vnd.oasis.opendocument.spreadsheet"
    assert archive.getinfo("mimetype").compress_type == zipfile.ZIP_STORED
    root = ElementTree.fromstring(archive.read("content.xml"))  # noqa: S314 (our own output)
    ns = {"table": "urn:oasis:names:tc:opendocument:xmlns:table:1.0"}
    sheets = root.findall(".//table:table", ns)
    snapshot = report.snapshot
    # About, summary, the tables, the weather, the trends, the method.
    assert len(sheets) == 2 + len(snapshot["tables"]) + 1 + len(snapshot.get("trends", {})) + 1
    text = "".join(root.itertext())
    assert report.scope_label in text
    numbers = [
        int(cell.get("{urn:oasis:names:tc:opendocument:xmlns:office:1.0}value"))
        for cell in root.iter("{urn:oasis:names:tc:opendocument:xmlns:table:1.0}table-cell")
        if cell.get("{urn:oasis:names:tc:opendocument:xmlns:office:1.0}value-type") == "float"
    ]
    assert report.snapshot["tables"]["alliances"]["total"] in numbers
    assert all(n == 0 or n >= report.threshold for n in numbers if n != report.threshold)


def test_pdf_export_renders_a_page_with_the_report(client, published):
    report, reader = published
    client.force_login(reader)
    response = client.get(reverse("reports:export", args=[report.pk, "pdf"]))
    assert response["Content-Type"] == "application/pdf"
    pdf = pypdfium2.PdfDocument(response.content)
    page = pdf[0]
    image = page.render(scale=1).to_pil().convert("L")
    dark = int((numpy.asarray(image) < 128).sum())
    assert dark > 500  # not a blank page
    text = page.get_textpage().get_text_range()
    assert report.scope_label in text
    assert "s" in text
    every_page = " ".join(p.get_textpage().get_text_range() for p in pdf)
    with translation.override("fr"):
        assert gettext("Reviews on time") in every_page


def test_the_page_shows_reviews_on_time_as_a_chart_and_a_table(client, published):
    report, reader = published
    from alliance.www.reports import present

    client.force_login(reader)
    page = client.get(reverse("reports:detail", args=[report.pk])).content.decode()
    with translation.override("fr"):
        title, missing = gettext("Reviews on time"), gettext("Not in this report")
        held = gettext("Held on time")
    assert 'id="chart-reviews-title"' in page
    assert escape(title) in page and escape(held) in page
    assert escape(missing) not in page
    shown = next(t for t in present.tables(report.snapshot) if t.key == "reviews")
    published_cells = report.snapshot["tables"]["reviews"]["cells"]
    assert [row[1] for row in shown.rows] == [present.shown(v) for v in published_cells]


def test_a_report_computed_before_reviews_were_counted_still_says_so(client, published):
    report, reader = published
    del report.snapshot["tables"]["reviews"]
    report.snapshot["left_out"] = ["reviews"]
    report.save()
    client.force_login(reader)
    page = client.get(reverse("reports:detail", args=[report.pk])).content.decode()
    with translation.override("fr"):
        missing = gettext("Reviews on time: not computed in this version.")
    assert escape(missing) in page
    assert 'id="chart-reviews-title"' not in page


def test_the_decision_maker_reads_the_report_and_never_an_alliance(client, published):
    report, reader = published
    from alliance.alliances.models import Alliance, Ally

    client.force_login(reader)
    page = unescape(client.get(reverse("reports:detail", args=[report.pk])).content.decode())
    listing = unescape(client.get(reverse("reports:list")).content.decode())
    assert report.scope_label in page and report.scope_label in listing
    for alliance in Alliance.objects.all()[:10]:
        assert client.get(reverse("alliances:overview", args=[alliance.pk])).status_code == 404
    names = set(Ally.objects.values_list("user__display_name", flat=True))
    titles = set(Alliance.objects.values_list("title", flat=True))
    for word in names | titles:
        assert f">{word}<" not in page
    entries = AuditEntry.objects.filter(action=Action.REPORT_VIEWED, actor=reader)
    assert [e.detail for e in entries] == [{"as": "page"}]


def test_a_report_page_costs_the_same_queries_whatever_its_size(client, django_assert_num_queries):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    staff = _staff()
    client.force_login(staff)
    costs = []
    for alliances in (2, 40):
        world = build_world(alliances, organisations=1, alliances=alliances)
        report = _report(staff, world.organisations)
        for name in ("reports:detail", "reports:list"):
            args = [report.pk] if name == "reports:detail" else []
            with CaptureQueriesContext(connection) as queries:
                assert client.get(reverse(name, args=args)).status_code == 200
            costs.append((name, len(queries)))
    assert costs[:2] == costs[2:]
    assert max(n for _name, n in costs) <= 10


def test_a_report_is_computed_in_a_task_and_keeps_its_scope_and_date():
    world = build_world(9, organisations=2, alliances=10)
    report = _report(_staff(), world.organisations)
    assert report.status == Report.Status.READY
    assert report.computed_at is not None
    assert report.snapshot["period"] == {"start": START.isoformat(), "end": END.isoformat()}
    assert report.snapshot["scope"]["organisations"] == 2
    assert report.snapshot["tables"]["reviews"]["rows"] == ["on_time", "late", "overdue"]
    assert "left_out" not in report.snapshot


def test_publishing_needs_decision_makers():
    world = build_world(9, organisations=1, alliances=3)
    admin = UserFactory(org_admin=True, organisation=world.organisations[0])
    report = _report(admin, world.organisations)
    with pytest.raises(ValidationError):
        services.publish_report(user=admin, report=report, recipients=[])
    with pytest.raises(ValidationError):
        services.publish_report(
            user=admin, report=report, recipients=[UserFactory(professional=True)]
        )
    assert not report.published_to.exists()
    colleague = UserFactory(professional=True, organisation=admin.organisation)
    with pytest.raises(PermissionDenied):
        services.publish_report(
            user=colleague, report=report, recipients=[UserFactory(decision_maker=True)]
        )


def test_tables_for_suppression_keep_distinct_margins():
    raw = aggregates.Table(("a", "b"), ("x", "y"), ((5, 1), (0, 7)), (5, 7), (5, 8), 11)
    table = computation._as_suppressible(raw)
    assert isinstance(table, CountTable) and table.grand_total == 11
    series = computation._as_suppressible(aggregates.Series(("a",), (3,), 3))
    assert isinstance(series, CountSeries)


def test_weather_averages_are_shown_only_over_enough_alliances():
    from alliance.acting.models import WeatherRating
    from alliance.alliances.models import Alliance, Ally

    world = build_world(13, organisations=1, alliances=8)
    alliances = list(Alliance.objects.all())
    now = datetime.datetime(2026, 6, 1, 12, tzinfo=datetime.UTC)
    before = datetime.datetime(2025, 3, 1, 12, tzinfo=datetime.UTC)
    given = {"now": [], "before": []}
    for n, alliance in enumerate(alliances):
        ally = Ally.objects.filter(alliance=alliance).first()
        for when, key in ((now, "now"), (before, "before")):
            if key == "before" and n >= 3:
                continue  # only three alliances rated in the period before: too few
            values = {"aim": n % 11, "way": 5, "heard": (n * 3) % 11, "decide": 7}
            rating = WeatherRating.objects.create(alliance=alliance, ally=ally, **values)
            WeatherRating.objects.filter(pk=rating.pk).update(created_at=when)
            given[key].append(values)
    report = _report(_staff(), world.organisations)
    weather = report.snapshot["weather"]
    expected = [
        round(sum(v[item] for v in given["now"]) / len(given["now"]), 1)
        for item in ("aim", "way", "heard", "decide")
    ]
    assert weather["current"] == expected
    assert weather["alliances"] == [len(alliances), None]
    assert weather["previous"] is None


def test_the_weather_table_reads_as_averages_with_their_trend():
    from alliance.www.reports import present

    table = present._weather_table(
        {
            "items": ["aim", "way", "heard", "decide"],
            "current": [6.5, 5.0, 4.0, 7.0],
            "previous": [6.0, 5.0, 4.5, 7.0],
            "alliances": [12, 9],
        },
        charts=True,
    )
    assert [row[3] for row in table.rows] == ["↗", "→", "↘", "→"]
    assert table.footer[1:3] == ["12", "9"]
    assert 'role="img"' in table.chart


def test_only_the_author_ticks_that_their_words_may_go_up(client):
    from alliance.alliances.models import Statement
    from tests.factories import make_alliance_trio

    trio = make_alliance_trio()
    client.force_login(trio.parent.user)
    url = reverse("alliances:statement_new", args=[trio.alliance.pk])
    client.post(url, {"kind": "interest", "text": "Une école près de chez nous."})
    words = {"kind": "goal", "text": "Des amis à l'école.", "may_quote": "on"}
    assert client.post(url, words).status_code == 200  # the words to confirm
    client.post(url, {**words, "confirmed_quote": "Des amis à l'école."})
    assert dict(Statement.objects.values_list("text", "may_quote")) == {
        "Une école près de chez nous.": False,
        "Des amis à l'école.": True,
    }
    opted = Statement.objects.get(may_quote=True)
    edit = reverse("alliances:statement_edit", args=[trio.alliance.pk, opted.pk])
    client.force_login(trio.professional.user)
    assert client.post(edit, {"kind": "goal", "text": "Autre.", "version": 1}).status_code == 403
    client.force_login(trio.parent.user)
    client.post(edit, {"kind": "goal", "text": "Des amis à l'école.", "version": 1})
    opted.refresh_from_db()
    assert opted.may_quote is False  # unticked when the author saves without it
