"""The use cases of voice notes (ADR 0019), without views: only the author records,
replaces and deletes; the bytes are checked, not the announced type; a stale note is
refused; every write leaves its entry; a refused one changes nothing."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from alliance.acting import services as acting
from alliance.acting import voice_notes as journal_notes
from alliance.acting.models import JournalVoiceNote
from alliance.alliances import services, voice, voice_notes
from alliance.alliances.models import StatementKind, StatementVoiceNote
from alliance.audit.models import Action, AuditEntry
from alliance.conflicts import ConflictError
from alliance.demo.voice import tone_wav
from tests.factories import make_alliance_trio

pytestmark = pytest.mark.django_db

OGG = b"OggS\x00\x02" + bytes(200)


@pytest.fixture
def trio():
    return make_alliance_trio()


@pytest.fixture
def statement(trio):
    return services.write_statement(
        ally=trio.person, kind=StatementKind.INTEREST, text="Aller à l'école du quartier."
    )


def _entries(action):
    return list(AuditEntry.objects.filter(action=action))


def _record(trio, statement, audio=None, **kwargs):
    kwargs.setdefault("expected_version", 0)
    return voice_notes.record_statement_voice_note(
        ally=trio.person, statement=statement, audio=audio or tone_wav(2.0), **kwargs
    )


def test_the_author_records_their_voice_on_their_words(trio, statement):
    note = _record(trio, statement)

    assert (note.content_type, note.seconds, note.version) == (voice.WAV, 2, 1)
    assert bytes(StatementVoiceNote.objects.get().data) == tone_wav(2.0)
    (entry,) = _entries(Action.VOICE_NOTE_RECORDED)
    assert (entry.actor_id, entry.alliance_id) == (trio.person.user_id, trio.alliance.pk)
    assert (entry.target_type, entry.target_id) == ("statement", statement.pk)
    assert entry.detail == {"type": "audio/wav", "size": note.size, "seconds": 2, "version": 1}


@pytest.mark.parametrize("who", ["parent", "professional"])
def test_nobody_else_records_on_the_authors_words(trio, statement, who):
    with pytest.raises(PermissionDenied):
        voice_notes.record_statement_voice_note(
            ally=getattr(trio, who), statement=statement, audio=OGG, expected_version=0
        )
    assert not StatementVoiceNote.objects.exists()
    assert not _entries(Action.VOICE_NOTE_RECORDED)


def test_a_supporter_who_helped_is_named_and_must_be_another_ally(trio, statement):
    note = _record(trio, statement, supported_by=trio.parent)
    assert note.supported_by == trio.parent
    with pytest.raises(ValidationError):
        _record(trio, statement, supported_by=trio.person, expected_version=1)


def test_the_type_comes_from_the_bytes_not_from_the_name(trio, statement):
    note = _record(trio, statement, audio=OGG, seconds=42)
    assert (note.content_type, note.seconds) == (voice.OGG, 42)


@pytest.mark.parametrize(
    "audio",
    [
        b"<html><script>alert(1)</script>" + bytes(100),
        b"%PDF-1.7\n" + bytes(100),
        b"OggS",  # too short to be a sound
        bytes(1000),
    ],
)
def test_what_is_not_a_sound_is_refused_and_changes_nothing(trio, statement, audio):
    with pytest.raises(ValidationError) as refused:
        _record(trio, statement, audio=audio)
    assert "WebM, Ogg, MP4, MP3" in str(refused.value) or "sound" in str(refused.value)
    assert not StatementVoiceNote.objects.exists()
    assert not _entries(Action.VOICE_NOTE_RECORDED)


def test_too_big_or_too_long_is_refused(trio, statement):
    with pytest.raises(ValidationError):
        _record(trio, statement, audio=OGG + bytes(voice.MAX_BYTES))
    with pytest.raises(ValidationError):
        _record(trio, statement, audio=OGG, seconds=voice.MAX_SECONDS + 1)
    # A WAV's own header counts, whatever the page said.
    with pytest.raises(ValidationError):
        _record(trio, statement, audio=tone_wav(voice.MAX_SECONDS + 2), seconds=10)
    assert not StatementVoiceNote.objects.exists()


def test_exactly_the_cap_passes(trio, statement):
    audio = OGG + bytes(voice.MAX_BYTES - len(OGG))
    assert _record(trio, statement, audio=audio).size == voice.MAX_BYTES


def test_replacing_builds_on_the_note_the_author_heard(trio, statement):
    _record(trio, statement)
    with pytest.raises(ConflictError):
        _record(trio, statement, audio=OGG, expected_version=0)  # as if there were none

    note = _record(trio, statement, audio=OGG, expected_version=1)

    assert (note.version, note.content_type) == (2, voice.OGG)
    assert StatementVoiceNote.objects.count() == 1
    (entry,) = _entries(Action.VOICE_NOTE_REPLACED)
    assert entry.detail["version"] == 2
    with pytest.raises(ConflictError):  # another tab still shows version 1
        _record(trio, statement, expected_version=1)


def test_only_the_author_deletes_and_only_the_note_they_heard(trio, statement):
    _record(trio, statement)
    with pytest.raises(PermissionDenied):
        voice_notes.delete_statement_voice_note(
            ally=trio.parent, statement=statement, expected_version=1
        )
    with pytest.raises(ConflictError):
        voice_notes.delete_statement_voice_note(
            ally=trio.person, statement=statement, expected_version=2
        )
    assert StatementVoiceNote.objects.exists()

    voice_notes.delete_statement_voice_note(
        ally=trio.person, statement=statement, expected_version=1
    )

    assert not StatementVoiceNote.objects.exists()
    (entry,) = _entries(Action.VOICE_NOTE_DELETED)
    assert (entry.actor_id, entry.target_id) == (trio.person.user_id, statement.pk)
    with pytest.raises(ConflictError):  # already gone
        voice_notes.delete_statement_voice_note(
            ally=trio.person, statement=statement, expected_version=1
        )


def test_a_withdrawn_statement_takes_no_new_note_but_its_author_may_delete_one(trio, statement):
    _record(trio, statement)
    services.withdraw_statement(ally=trio.person, statement=statement)
    with pytest.raises(ValidationError):
        _record(trio, statement, expected_version=1)
    voice_notes.delete_statement_voice_note(
        ally=trio.person, statement=statement, expected_version=1
    )
    assert not StatementVoiceNote.objects.exists()


def test_an_author_who_left_records_nothing_more(trio):
    mine = services.write_statement(
        ally=trio.professional, kind=StatementKind.CONCERN, text="Le temps manque."
    )
    services.leave_alliance(ally=trio.professional)
    trio.professional.refresh_from_db()
    with pytest.raises(PermissionDenied):
        voice_notes.record_statement_voice_note(
            ally=trio.professional, statement=mine, audio=OGG, expected_version=0
        )


def test_the_note_goes_with_what_it_belongs_to(trio, statement):
    _record(trio, statement)
    statement.delete()
    assert not StatementVoiceNote.objects.exists()


def test_pages_read_a_note_without_its_bytes(trio, statement):
    _record(trio, statement)
    note = voice_notes.statement_voice_note(statement)
    assert "data" in note.get_deferred_fields()
    assert (
        voice_notes.statement_voice_note(statement, with_audio=True).get_deferred_fields() == set()
    )


# ---------------------------------------------------------------- journal entries


def test_the_journal_has_the_same_rules(trio):
    entry = acting.write_journal_entry(ally=trio.person, happened="On a parlé.")
    with pytest.raises(PermissionDenied):
        journal_notes.record_journal_voice_note(
            ally=trio.parent, entry=entry, audio=OGG, expected_version=0
        )
    note = journal_notes.record_journal_voice_note(
        ally=trio.person, entry=entry, audio=tone_wav(1.0), expected_version=0
    )
    assert (note.entry, note.seconds) == (entry, 1)
    (recorded,) = _entries(Action.VOICE_NOTE_RECORDED)
    assert (recorded.target_type, recorded.target_id) == ("journalentry", entry.pk)
    with pytest.raises(ValidationError):
        journal_notes.record_journal_voice_note(
            ally=trio.person, entry=entry, audio=b"not a sound" * 10, expected_version=1
        )
    journal_notes.delete_journal_voice_note(ally=trio.person, entry=entry, expected_version=1)
    assert not JournalVoiceNote.objects.exists()
    assert len(_entries(Action.VOICE_NOTE_DELETED)) == 1
