"""The read replica (a second alias mirroring the test database): the report and
results pages read their domain rows from it; every write, the trail, the accounts and
sessions stay on the primary, as do the reads after a write and the next requests of
a browser that has just written."""

import datetime

import pytest
from django.db import connections
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from alliance.alliances.models import Alliance
from alliance.audit.models import AuditEntry
from alliance.db_routers import STICKY_COOKIE, ReplicaRouter, _current, _Request
from alliance.reports import services
from alliance.reports.models import Report

pytestmark = pytest.mark.django_db(transaction=True, databases=["default", "replica"])

WRITES = ("INSERT", "UPDATE", "DELETE")
PRIMARY_ONLY_TABLES = ("audit_", "accounts_", "django_session", "django_tasks", "otp_")


@pytest.fixture
def replica(settings):
    settings.ALLIANCE_READ_REPLICA = "replica"
    return "replica"


class Queries:
    def __init__(self):
        self.contexts = {alias: CaptureQueriesContext(connections[alias]) for alias in connections}

    def __enter__(self):
        for context in self.contexts.values():
            context.__enter__()
        return self

    def __exit__(self, *exc):
        for context in self.contexts.values():
            context.__exit__(*exc)

    def on(self, alias):
        return [query["sql"] for query in self.contexts[alias].captured_queries]


def _report(user):
    report = services.request_report(
        user=user,
        scope_kind=Report.ScopeKind.ORGANISATIONS,
        organisation_ids=[user.organisation_id],
        period_start=datetime.date(2025, 7, 1),
        period_end=datetime.date(2026, 6, 30),
        threshold=5,
    )
    report.refresh_from_db()
    return report


def _assert_replica_only_reads_domain_rows(sql_on_replica):
    for sql in sql_on_replica:
        assert not sql.lstrip().upper().startswith(WRITES), sql
        # A domain row may join its organisation or author; never read them alone.
        assert not any(f'FROM "{table}' in sql for table in PRIMARY_ONLY_TABLES), sql


def test_a_report_list_reads_its_reports_from_the_replica(client, replica, professional):
    client.force_login(professional)

    with Queries() as queries:
        response = client.get(reverse("reports:list"))

    assert response.status_code == 200
    assert any('"reports_report"' in sql for sql in queries.on("replica"))
    _assert_replica_only_reads_domain_rows(queries.on("replica"))
    assert any('"django_session"' in sql for sql in queries.on("default"))


def test_a_report_page_writes_its_read_on_the_primary_then_reads_there(
    client, replica, professional
):
    report = _report(professional)
    client.force_login(professional)

    with Queries() as queries:
        response = client.get(reverse("reports:detail", args=[report.pk]))

    assert response.status_code == 200
    on_replica, on_primary = queries.on("replica"), queries.on("default")
    assert any('FROM "reports_report"' in sql for sql in on_replica)
    _assert_replica_only_reads_domain_rows(on_replica)
    written = next(i for i, sql in enumerate(on_primary) if sql.startswith('INSERT INTO "audit_'))
    # After the write, the page's reads went to the primary.
    assert len(on_primary) > written + 1
    assert AuditEntry.objects.filter(target_id=report.pk, target_type="report").exists()


def test_after_a_write_the_browser_reads_from_the_primary(client, replica, professional):
    client.force_login(professional)
    response = client.post(reverse("accounts:end_other_sessions"))
    assert response.cookies[STICKY_COOKIE]["max-age"] == 30

    with Queries() as queries:
        client.get(reverse("reports:list"))

    assert queries.on("replica") == []
    assert any('"reports_report"' in sql for sql in queries.on("default"))


def test_other_pages_read_only_from_the_primary(client, replica, professional):
    client.force_login(professional)

    with Queries() as queries:
        assert client.get(reverse("home")).status_code == 200

    assert queries.on("replica") == []


def test_without_a_replica_everything_is_on_the_primary(client, professional, settings):
    settings.ALLIANCE_READ_REPLICA = ""
    client.force_login(professional)

    with Queries() as queries:
        client.get(reverse("reports:list"))

    assert queries.on("replica") == []
    assert STICKY_COOKIE not in client.post(reverse("accounts:end_other_sessions")).cookies


def test_the_router_keeps_the_trail_and_the_accounts_on_the_primary(replica, professional):
    router = ReplicaRouter()
    state = _Request()
    state.replica = True
    token = _current.set(state)
    try:
        assert router.db_for_read(Alliance) == "replica"
        assert router.db_for_read(AuditEntry) == "default"
        assert router.db_for_read(type(professional)) == "default"
        assert router.db_for_write(Alliance) == "default"
        assert router.db_for_read(Alliance) == "default"
    finally:
        _current.reset(token)
    assert router.allow_migrate("replica", "alliances") is False
    assert router.allow_migrate("default", "alliances") is True
