"""The use cases of a person's data: ask for an archive, download it (ADR 0032)."""

import datetime

from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.utils import timezone

from alliance.alliances.models import Alliance
from alliance.audit.journal import record
from alliance.audit.models import Action

from . import perms
from .models import DataArchive
from .tasks import make_archive_task


class ArchiveNotReady(Exception):
    pass


# A pending archive older than this was lost by the worker (stopped mid-task): it is
# marked failed when asked again, so that it never blocks a new request.
STALE_AFTER = datetime.timedelta(hours=6)


def pending_archive(subject) -> DataArchive | None:
    return DataArchive.objects.filter(subject=subject, status=DataArchive.Status.PENDING).first()


def _fail_stale(subject):
    DataArchive.objects.filter(
        subject=subject,
        status=DataArchive.Status.PENDING,
        created_at__lt=timezone.now() - STALE_AFTER,
    ).update(status=DataArchive.Status.FAILED)


def request_archive(*, requester, subject) -> tuple[DataArchive, bool]:
    """Asks for an archive of `subject`'s data, made in the background. One at a
    time per subject: while one is being made, returns it with False."""
    if not perms.can_ask_archive(requester, subject):
        raise PermissionDenied
    alliance_ids = perms.represented_alliances(requester, subject)
    _fail_stale(subject)
    already = pending_archive(subject)
    if already is not None:
        return already, False
    try:
        with transaction.atomic():
            archive = DataArchive.objects.create(
                subject=subject, requested_by=requester, alliance_ids=alliance_ids
            )
            detail = {"subject": subject.display_name}
            record(requester, Action.DATA_ARCHIVE_REQUESTED, target=archive, detail=detail)
            # The person sees in each alliance's trail that their representative took
            # what concerns it.
            for alliance in Alliance.objects.filter(pk__in=alliance_ids).order_by("pk"):
                record(
                    requester,
                    Action.DATA_ARCHIVE_REQUESTED,
                    alliance_id=alliance.pk,
                    organisation_id=alliance.organisation_id,
                    target=archive,
                    detail=detail,
                )
            make_archive_task.enqueue(archive.pk)
    except IntegrityError:  # two clicks at once: the other one made it
        return pending_archive(subject), False
    archive.refresh_from_db()
    return archive, True


def archives_of(user):
    """The archives this user asked for, newest first."""
    return DataArchive.objects.filter(requested_by=user).select_related("subject")


def download_archive(*, user, archive: DataArchive) -> bytes:
    if not perms.can_download(user, archive):
        raise PermissionDenied
    now = timezone.now()
    if archive.status != DataArchive.Status.READY or archive.expires_at <= now:
        raise ArchiveNotReady
    with transaction.atomic():
        data = bytes(archive.file.data)
        archive.downloaded_at = now
        archive.save(update_fields=["downloaded_at"])
        alliance_ids = archive.alliance_ids or [None]
        for alliance_id in alliance_ids:
            record(
                user,
                Action.DATA_ARCHIVE_DOWNLOADED,
                alliance_id=alliance_id,
                target=archive,
                detail={"subject": archive.subject.display_name, "sha256": archive.sha256},
            )
    return data
