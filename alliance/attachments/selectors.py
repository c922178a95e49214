"""Reading attached files (ADR 0026): the lists never load the bytes, which live in
their own table; only a download or a thumbnail does, one file at a time."""

from collections import defaultdict

from django.http import Http404

from .models import Attachment, AttachmentBytes


def listed(alliance):
    """The alliance's files, newest first, with their uploader and entry: one query."""
    return (
        Attachment.objects.live()
        .filter(alliance=alliance)
        .select_related("uploader__user", "entry__author__user")
    )


def by_entry(alliance) -> dict[int, list[Attachment]]:
    """The files of the alliance's journal entries, by entry id: one query."""
    files = defaultdict(list)
    for attachment in (
        Attachment.objects.live()
        .filter(alliance=alliance, entry__isnull=False)
        .select_related("uploader__user")
        .order_by("created_at", "pk")
    ):
        files[attachment.entry_id].append(attachment)
    return files


def attachment_in(alliance, attachment_id) -> Attachment:
    """A live file of this alliance, or 404 (another alliance's file is not found)."""
    try:
        return (
            Attachment.objects.live()
            .select_related("uploader__user")
            .get(alliance=alliance, pk=attachment_id)
        )
    except Attachment.DoesNotExist:
        raise Http404 from None


def stored(attachment) -> AttachmentBytes:
    try:
        return AttachmentBytes.objects.get(attachment=attachment)
    except AttachmentBytes.DoesNotExist:
        raise Http404 from None
