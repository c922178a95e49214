"""Use cases of attached files (ADR 0026): attaching and deleting. Each is
keyword-only and atomic, checks who may, writes its audit entry (with the file's id and
hash, never its content). A refused file changes nothing and says why, in words the
uploader can act on."""

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from alliance.audit.journal import record_by_ally
from alliance.audit.models import Action

from . import content, perms
from .models import Attachment, AttachmentBytes


def max_bytes() -> int:
    return settings.ALLIANCE_ATTACHMENT_MAX_BYTES


def accepted_types_message() -> str:
    return _("Choose a PDF file or a photo (JPEG, PNG or WebP).")


def too_big_message() -> str:
    return _("This file is too big: at most %(megabytes)d MB.") % {
        "megabytes": max_bytes() // (1024 * 1024)
    }


def read_upload(upload) -> bytes:
    """The bytes of an uploaded file, refused without reading them when it is too big:
    at most one byte past the limit is ever read into memory."""
    if upload is None:
        raise ValidationError({"file": _("Choose a file to send.")})
    if upload.size > max_bytes():
        raise ValidationError({"file": too_big_message()})
    return upload.read(max_bytes() + 1)


def _refusal(reason: str) -> str:
    if reason == content.HEIF:
        return _(
            "This photo is in HEIC format, which we cannot read. Send it as JPEG: on an "
            "iPhone, Settings › Camera › Formats › Most Compatible."
        )
    if reason == content.TOO_MANY_PIXELS:
        return _("This picture is too large (too many pixels). Send a smaller one.")
    if reason == content.BROKEN_IMAGE:
        return _("This picture is damaged and cannot be opened.") + " " + accepted_types_message()
    return _("This type of file is not accepted.") + " " + accepted_types_message()


@transaction.atomic
def attach_file(
    *, ally, data: bytes, name: str, description: str = "", alt_text: str = "", entry=None
) -> Attachment:
    """Keeps the file on the alliance, or on one of its journal entries (`entry`)."""
    if entry is not None:
        if not perms.can_attach_to_entry(ally, entry):
            raise PermissionDenied(_("Only its author attaches a file to a journal entry."))
    elif not perms.can_attach(ally):
        raise PermissionDenied(_("Only the allies of the alliance attach files to it."))
    if len(data) > max_bytes():
        raise ValidationError({"file": too_big_message()})
    description, alt_text = description.strip(), alt_text.strip()
    try:
        content_type = content.checked_type(data)
        picture = (
            content.clean_picture(data, content_type) if content_type in content.IMAGES else None
        )
    except content.Refused as refused:
        raise ValidationError({"file": _refusal(refused.reason)}) from None
    if picture is not None and not alt_text:
        raise ValidationError(
            {
                "alt_text": _(
                    "Say in a few words what this photo shows, for those who cannot see it."
                )
            }
        )
    kept = picture.data if picture else data
    attachment = Attachment.objects.create(
        alliance_id=ally.alliance_id,
        entry=entry,
        uploader=ally,
        name=content.clean_name(name, content_type),
        content_type=content_type,
        size=len(kept),
        sha256=content.sha256(kept),
        width=picture.width if picture else None,
        height=picture.height if picture else None,
        description=description,
        alt_text=alt_text if picture else "",
        created_at=timezone.now(),
    )
    AttachmentBytes.objects.create(
        attachment=attachment,
        data=kept,
        thumbnail=picture.thumbnail if picture else None,
        thumbnail_type=picture.thumbnail_type if picture else "",
    )
    record_by_ally(
        ally,
        Action.ATTACHMENT_ADDED,
        target=attachment,
        type=content_type,
        size=len(kept),
        sha256=attachment.sha256,
        entry=entry.pk if entry else None,
    )
    return attachment


@transaction.atomic
def delete_attachment(*, ally, attachment: Attachment) -> None:
    """Erases the bytes and the words about the file; the trail keeps its id, name and
    hash. Deleting a file already deleted changes nothing."""
    if not perms.can_delete_attachment(ally, attachment):
        raise PermissionDenied(_("Only the one who sent this file, or the person, can delete it."))
    locked = Attachment.objects.select_for_update().get(pk=attachment.pk)
    if locked.deleted_at is not None:
        return
    AttachmentBytes.objects.filter(attachment=locked).delete()
    locked.deleted_at = timezone.now()
    locked.deleted_by = ally
    locked.description = ""
    locked.alt_text = ""
    locked.save(update_fields=["deleted_at", "deleted_by", "description", "alt_text"])
    record_by_ally(
        ally, Action.ATTACHMENT_DELETED, target=locked, name=locked.name, sha256=locked.sha256
    )
