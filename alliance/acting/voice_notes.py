"""Voice notes on journal entries (ADR 0019): the same use cases as on statements
(`alliance.alliances.voice_notes`), with the journal's rule: only the entry's author."""

from alliance.alliances.models import Ally
from alliance.alliances.voice_notes import Subject, delete_voice_note, save_voice_note

from . import perms
from .models import JournalEntry, JournalVoiceNote


def journal_subject(ally: Ally, entry: JournalEntry) -> Subject:
    return Subject(
        model=JournalVoiceNote,
        field="entry",
        target=entry,
        may_record=entry.alliance_id == ally.alliance_id
        and perms.can_record_journal_voice_note(ally, entry),
    )


def record_journal_voice_note(
    *,
    ally: Ally,
    entry: JournalEntry,
    audio: bytes,
    seconds: int | None = None,
    supported_by: Ally | None = None,
    expected_version: int,
) -> JournalVoiceNote:
    return save_voice_note(
        ally=ally,
        subject=journal_subject(ally, entry),
        audio=audio,
        seconds=seconds,
        supported_by=supported_by,
        expected_version=expected_version,
    )


def delete_journal_voice_note(*, ally: Ally, entry: JournalEntry, expected_version: int):
    delete_voice_note(
        ally=ally, subject=journal_subject(ally, entry), expected_version=expected_version
    )


def journal_voice_note(entry: JournalEntry, *, with_audio: bool = False):
    """The note on a journal entry (None without one); its bytes only to be played."""
    notes = JournalVoiceNote.objects.filter(entry=entry).select_related(
        "author__user", "supported_by__user"
    )
    return (notes if with_audio else notes.defer("data")).first()
