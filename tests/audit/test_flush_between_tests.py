"""On SQLite, the trail's triggers refuse DELETE, which the test runner uses to empty
the tables after a transactional test: its flush alone may (tests/conftest.py), and
the triggers are back after it."""

import pytest
from django.db import DatabaseError, connection, transaction

from alliance.audit.journal import record
from alliance.audit.models import Action, AuditEntry


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("run", [1, 2])
def test_each_transactional_test_starts_on_an_empty_trail_that_still_refuses_changes(run):
    assert not AuditEntry.objects.exists()
    entry = record(None, Action.SIGN_IN)
    with (
        pytest.raises(DatabaseError, match="append-only"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute("DELETE FROM audit_auditentry WHERE id = %s", [entry.pk])
