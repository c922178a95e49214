"""Retention: what the product no longer needs is deleted, every day, by
`alliance purge_expired` (the scheduler calls it). Each period is a setting whose
reason is written beside it (settings/base.py) and in docs/operations.md.

Nothing of the audit trail is deleted here: its partitions are archived, then
dropped, by `alliance archive_audit` (alliance.upkeep.partitions)."""

import datetime
import logging

from django.conf import settings
from django.contrib.sessions.models import Session
from django.core.cache import caches
from django.core.cache.backends.db import DatabaseCache
from django.db import connections, router, transaction
from django.db.models import Q
from django.utils import timezone
from django_tasks.base import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from alliance.accounts.models import (
    ActivationLetter,
    DeviceCredential,
    SignInSecret,
    UserSession,
)
from alliance.audit.journal import record
from alliance.audit.models import Action
from alliance.collectives.models import MemberInvitationBatch
from alliance.notifications.models import Notification
from alliance.privacy.models import DataArchive

log = logging.getLogger("alliance.retention")


def _days(setting):
    return datetime.timedelta(days=getattr(settings, setting))


def _expired_cache_rows(now) -> int:
    deleted = 0
    for alias in settings.CACHES:
        cache = caches[alias]
        if not isinstance(cache, DatabaseCache):
            continue
        connection = connections[router.db_for_write(cache.cache_model_class)]
        quote = connection.ops.quote_name
        with connection.cursor() as cursor:
            cursor.execute(
                f"DELETE FROM {quote(cache._table)} WHERE {quote('expires')} < %s",  # noqa: S608
                [connection.ops.adapt_datetimefield_value(now)],
            )
            deleted += cursor.rowcount
    return deleted


def purge_expired(now=None) -> dict[str, int]:
    """Deletes what is past its retention period and returns how many rows of each
    kind went. Running it again at once deletes nothing."""
    now = now or timezone.now()
    credentials_before = now - _days("ALLIANCE_RETENTION_SPENT_CREDENTIAL_DAYS")
    with transaction.atomic():
        counts = {
            "sessions": Session.objects.filter(expire_date__lt=now).delete()[0],
            "ended_sessions": UserSession.objects.filter(ended_at__lt=credentials_before).delete()[
                0
            ],
            "task_results": DBTaskResult.objects.filter(
                status=TaskResultStatus.SUCCESSFUL,
                finished_at__lt=now - _days("ALLIANCE_RETENTION_TASK_RESULT_DAYS"),
            ).delete()[0],
            "failed_task_results": DBTaskResult.objects.filter(
                status=TaskResultStatus.FAILED,
                finished_at__lt=now - _days("ALLIANCE_RETENTION_FAILED_TASK_DAYS"),
            ).delete()[0],
            "notifications": Notification.objects.filter(
                read_at__lt=now - _days("ALLIANCE_RETENTION_READ_NOTIFICATION_DAYS")
            ).delete()[0],
            "sign_in_secrets": SignInSecret.objects.filter(
                Q(used_at__lt=credentials_before) | Q(expires_at__lt=credentials_before)
            ).delete()[0],
            "activation_letters": ActivationLetter.objects.filter(
                Q(used_at__lt=credentials_before)
                | Q(voided_at__lt=credentials_before)
                | Q(expires_at__lt=credentials_before)
            ).delete()[0],
            "devices": DeviceCredential.objects.filter(
                Q(revoked_at__lt=credentials_before) | Q(expires_at__lt=credentials_before)
            ).delete()[0],
            # A person's archive (ADR 0032): gone once its download days are over.
            "data_archives": DataArchive.objects.filter(expires_at__lt=now)
            .delete()[1]
            .get(DataArchive._meta.label, 0),
            # A list read from a file and never sent (ADR 0040): names and addresses
            # kept no longer than it may wait for its confirmation.
            "invitation_batches": MemberInvitationBatch.objects.filter(
                status=MemberInvitationBatch.Status.DRAFT,
                created_at__lt=now
                - datetime.timedelta(hours=settings.ALLIANCE_INVITATION_BATCH_HOURS),
            ).delete()[0],
            "cache_rows": _expired_cache_rows(now),
        }
        if any(counts.values()):
            # No account did it: the trail's actor is empty, the job is named.
            record(None, Action.RETENTION_APPLIED, detail={"job": "purge_expired", **counts})
    log.info("retention applied", extra={"job": "purge_expired", "counts": counts})
    return counts
