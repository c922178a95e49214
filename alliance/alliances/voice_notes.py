"""Use cases of voice notes (ADR 0019), written once for whatever a note belongs to: a
statement here, a journal entry in movement 2 (`alliance.acting.services`). Each
write is keyword-only, atomic, checks that the ally is the author, refuses a note
based on an older one (409), writes its audit entry and returns the note. A refused
recording changes nothing and says why, in words the author can act on."""

from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from alliance.audit.journal import record_by_ally
from alliance.audit.models import Action
from alliance.conflicts import ConflictError

from . import perms, voice
from .models import Ally, Statement, StatementVoiceNote, VoiceNote


@dataclass(frozen=True)
class Subject:
    """What a note belongs to, and its rules: the model of its notes, the name of
    their link to it, who is its author, and whether it still takes a new note."""

    model: type[VoiceNote]
    field: str
    target: object
    may_record: bool
    closed_message: str = ""


def statement_subject(ally: Ally, statement: Statement) -> Subject:
    return Subject(
        model=StatementVoiceNote,
        field="statement",
        target=statement,
        may_record=perms.can_record_voice_note(ally, statement),
        closed_message=_("A withdrawn statement takes no new voice note.")
        if statement.withdrawn_at
        else "",
    )


def read_audio(upload) -> bytes:
    """The bytes of an uploaded file, refused before it is read when it is too big."""
    if upload is None:
        raise ValidationError({"audio": _("Record your voice note, or choose a sound file.")})
    if upload.size > voice.MAX_BYTES:
        raise ValidationError({"audio": too_big_message()})
    return upload.read(voice.MAX_BYTES + 1)


def too_big_message() -> str:
    return _(
        "This voice note is too long: keep it under %(minutes)d minutes (%(megabytes)d MB)."
    ) % {"minutes": voice.MAX_SECONDS // 60, "megabytes": voice.MAX_BYTES // (1024 * 1024)}


def _clean_audio(audio: bytes, seconds: int | None) -> tuple[str, int | None]:
    if len(audio) > voice.MAX_BYTES:
        raise ValidationError({"audio": too_big_message()})
    content_type = voice.sniff(audio[:64]) if len(audio) >= voice.MIN_BYTES else None
    if content_type is None:
        raise ValidationError(
            {
                "audio": _(
                    "This file is not a sound we can play. Record again, or choose "
                    "a WebM, Ogg, MP4, MP3 or WAV file."
                )
            }
        )
    measured = voice.wav_seconds(audio) if content_type == voice.WAV else None
    if measured is not None:
        seconds = measured
    if seconds is not None and seconds > voice.MAX_SECONDS:
        raise ValidationError({"audio": too_big_message()})
    if seconds is not None and seconds < 0:
        seconds = None
    return content_type, seconds


def _check_supporter(ally: Ally, supported_by: Ally | None):
    if supported_by is None:
        return
    if supported_by.alliance_id != ally.alliance_id or not perms.can_support_expression_of(
        supported_by, ally
    ):
        raise ValidationError({"supported_by": _("The supporter must be another ally.")})


def _current(subject: Subject):
    return (
        subject.model.objects.select_for_update()
        .defer("data")
        .filter(**{subject.field: subject.target})
        .first()
    )


def save_voice_note(
    *,
    ally: Ally,
    subject: Subject,
    audio: bytes,
    seconds: int | None = None,
    supported_by: Ally | None = None,
    expected_version: int,
) -> VoiceNote:
    """Records the note, or replaces the one the author heard (`expected_version`:
    the version of the note they saw, 0 when there was none)."""
    if not subject.may_record:
        raise PermissionDenied(_("Only its author records a voice note on it."))
    if subject.closed_message:
        raise ValidationError(subject.closed_message)
    content_type, seconds = _clean_audio(audio, seconds)
    _check_supporter(ally, supported_by)
    fields = {
        "author": ally,
        "supported_by": supported_by,
        "content_type": content_type,
        "size": len(audio),
        "seconds": seconds,
        "data": audio,
        "recorded_at": timezone.now(),
    }
    with transaction.atomic():
        note = _current(subject)
        if (note.version if note else 0) != expected_version:
            raise ConflictError()
        if note is None:
            note = subject.model.objects.create(**{subject.field: subject.target}, **fields)
            action = Action.VOICE_NOTE_RECORDED
        else:
            for name, value in fields.items():
                setattr(note, name, value)
            note.version = expected_version + 1
            note.save()
            action = Action.VOICE_NOTE_REPLACED
        record_by_ally(
            ally,
            action,
            target=subject.target,
            type=content_type,
            size=len(audio),
            seconds=seconds,
            version=note.version,
        )
    return note


def delete_voice_note(*, ally: Ally, subject: Subject, expected_version: int) -> None:
    """Deletes the note the author heard; the trail keeps that there was one."""
    if not subject.may_record:
        raise PermissionDenied(_("Only its author deletes a voice note on it."))
    with transaction.atomic():
        note = _current(subject)
        if note is None or note.version != expected_version:
            raise ConflictError()
        note.delete()
        record_by_ally(ally, Action.VOICE_NOTE_DELETED, target=subject.target)


# ---------------------------------------------------------------- statements


def record_statement_voice_note(
    *,
    ally: Ally,
    statement: Statement,
    audio: bytes,
    seconds: int | None = None,
    supported_by: Ally | None = None,
    expected_version: int,
) -> StatementVoiceNote:
    return save_voice_note(
        ally=ally,
        subject=statement_subject(ally, statement),
        audio=audio,
        seconds=seconds,
        supported_by=supported_by,
        expected_version=expected_version,
    )


def delete_statement_voice_note(*, ally: Ally, statement: Statement, expected_version: int):
    delete_voice_note(
        ally=ally, subject=statement_subject(ally, statement), expected_version=expected_version
    )


def statement_voice_note(statement: Statement, *, with_audio: bool = False):
    """The note on a statement (None without one); its bytes only to be played."""
    notes = StatementVoiceNote.objects.filter(statement=statement).select_related(
        "author__user", "supported_by__user"
    )
    return (notes if with_audio else notes.defer("data")).first()
