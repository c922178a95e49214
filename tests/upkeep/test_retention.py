"""`alliance purge_expired` deletes what is past its retention period, and only that;
a second run deletes nothing; the run is in the trail without an account as actor."""

import datetime

import pytest
from django.contrib.sessions.models import Session
from django.core.cache import caches
from django.core.management import call_command
from django.utils import timezone
from django_tasks.base import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from alliance.accounts.models import ActivationLetter, DeviceCredential, SignInSecret, UserSession
from alliance.audit.models import Action, AuditEntry
from alliance.notifications.models import Notification
from alliance.privacy.models import DataArchive, DataArchiveFile
from alliance.upkeep.retention import purge_expired

NOW = timezone.now()
DAY = datetime.timedelta(days=1)


def _task(status, finished_days_ago):
    return DBTaskResult.objects.create(
        status=status,
        task_path="alliance.example.task",
        args_kwargs={"args": [], "kwargs": {}},
        backend_name="default",
        run_after=NOW,
        finished_at=NOW - finished_days_ago * DAY,
    )


def _secret(user, n, **times):
    return SignInSecret.objects.create(
        user=user, kind="code", secret_hash=f"{n:064d}", expires_at=NOW + DAY, **times
    )


@pytest.fixture
def rows(professional, individual):
    user = professional
    kept, gone = [], []
    gone.append(Session.objects.create(session_key="old", session_data="", expire_date=NOW - DAY))
    kept.append(Session.objects.create(session_key="new", session_data="", expire_date=NOW + DAY))
    gone.append(UserSession.objects.create(user=user, last_seen_at=NOW, ended_at=NOW - 31 * DAY))
    kept.append(UserSession.objects.create(user=user, last_seen_at=NOW, ended_at=NOW - 29 * DAY))
    kept.append(UserSession.objects.create(user=user, last_seen_at=NOW - 99 * DAY))  # open
    gone.append(_task(TaskResultStatus.SUCCESSFUL, 15))
    kept.append(_task(TaskResultStatus.SUCCESSFUL, 13))
    kept.append(_task(TaskResultStatus.FAILED, 89))
    gone.append(_task(TaskResultStatus.FAILED, 91))
    kept.append(_task(TaskResultStatus.READY, 400))  # never finished: not a result yet
    note = {"user": user, "kind": "action_due", "url": "/"}
    gone.append(Notification.objects.create(**note, read_at=NOW - 366 * DAY))
    kept.append(Notification.objects.create(**note, read_at=NOW - 364 * DAY))
    kept.append(Notification.objects.create(**note))  # unread, however old
    Notification.objects.filter(pk=kept[-1].pk).update(created_at=NOW - 999 * DAY)
    gone.append(_secret(user, 1, used_at=NOW - 31 * DAY))
    kept.append(_secret(user, 2, used_at=NOW - 29 * DAY))
    gone.append(_secret(user, 3))
    SignInSecret.objects.filter(pk=gone[-1].pk).update(expires_at=NOW - 31 * DAY)
    letter = {"user": individual, "issued_by": user, "expires_at": NOW + DAY}
    gone.append(ActivationLetter.objects.create(**letter, code_hash="a", voided_at=NOW - 40 * DAY))
    kept.append(ActivationLetter.objects.create(**letter, code_hash="b"))  # still usable
    device = {"user": individual, "expires_at": NOW + DAY}
    gone.append(
        DeviceCredential.objects.create(**device, token_hash="a", revoked_at=NOW - 31 * DAY)
    )
    kept.append(DeviceCredential.objects.create(**device, token_hash="b"))
    archive = {"subject": individual, "requested_by": individual, "status": "ready"}
    gone.append(DataArchive.objects.create(**archive, expires_at=NOW - DAY))
    gone.append(DataArchiveFile.objects.create(archive=gone[-1], data=b"PK"))
    kept.append(DataArchive.objects.create(**archive, expires_at=NOW + DAY))
    kept.append(DataArchive.objects.create(subject=user, requested_by=user))  # being made
    return kept, gone


def _exists(row):
    return type(row).objects.filter(pk=row.pk).exists()


@pytest.mark.django_db
def test_only_what_is_past_its_period_is_deleted(rows):
    kept, gone = rows

    counts = purge_expired(now=NOW)

    assert [row for row in gone if _exists(row)] == []
    assert [row for row in kept if not _exists(row)] == []
    assert counts == {
        "sessions": 1,
        "ended_sessions": 1,
        "task_results": 1,
        "failed_task_results": 1,
        "notifications": 1,
        "sign_in_secrets": 2,
        "activation_letters": 1,
        "devices": 1,
        "data_archives": 1,
        "invitation_batches": 0,  # tests/collectives/test_invitation_batches.py
        "cache_rows": 0,
    }


@pytest.mark.django_db
def test_a_second_run_deletes_nothing_and_writes_no_entry(rows):
    purge_expired(now=NOW)
    entries = AuditEntry.objects.count()

    counts = purge_expired(now=NOW)

    assert set(counts.values()) == {0}
    assert AuditEntry.objects.count() == entries


@pytest.mark.django_db
def test_the_run_is_in_the_trail_without_an_account(rows):
    purge_expired(now=NOW)

    entry = AuditEntry.objects.get(action=Action.RETENTION_APPLIED)
    assert entry.actor is None
    assert entry.alliance_id is None
    assert entry.detail["job"] == "purge_expired"
    assert entry.detail["notifications"] == 1


@pytest.mark.django_db
def test_expired_rows_of_the_database_cache_go(settings):
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.db.DatabaseCache",
            "LOCATION": "alliance_cache",
        }
    }
    call_command("createcachetable")  # the tests' cache lives in memory
    cache = caches["default"]
    cache.set("stale", 1, timeout=1)
    cache.set("fresh", 2, timeout=3600)

    counts = purge_expired(now=timezone.now() + datetime.timedelta(seconds=5))

    assert counts["cache_rows"] == 1
    assert cache.get("fresh") == 2


@pytest.mark.django_db
def test_the_command_prints_the_counts(rows, capsys):
    call_command("purge_expired")

    out = capsys.readouterr().out
    assert "sessions: 1" in out
    assert "notifications: 1" in out
