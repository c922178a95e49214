"""Voice notes through the pages (ADR 0019): who hears them, how the player's address
answers (types, ranges, caching), what a refused recording says, and what the pages
that show notes cost."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from alliance.acting import services as acting
from alliance.acting import voice_notes as journal_notes
from alliance.alliances import services, voice
from alliance.alliances.models import StatementVoiceNote
from alliance.audit.models import Action, AuditEntry
from alliance.demo.voice import tone_wav

from .scene import MEMBERS, OUTSIDERS, URL_KWARGS, WAITING, acting_objects

pytestmark = pytest.mark.django_db

HTML = b"<html><body><script>alert(document.cookie)</script></body></html>" + bytes(64)


def _url(name, scene):
    return reverse(name, kwargs=URL_KWARGS[name](scene))


def _plays(scene):
    return AuditEntry.objects.filter(
        action=Action.ALLIANCE_VIEWED,
        alliance_id=scene.alliance.pk,
        detail__page="statement_voice",
    ).count()


# ---------------------------------------------------------------- who hears it


@pytest.mark.parametrize("role", MEMBERS)
def test_every_active_ally_hears_the_note(client, scene, role):
    url = _url("alliances:statement_voice", scene)
    client.force_login(scene.user(role))
    response = client.get(url)
    assert response.status_code == 200
    assert response.content == tone_wav(1.0)


@pytest.mark.parametrize(("role", "status"), [(WAITING, 403)] + [(r, 404) for r in OUTSIDERS])
def test_nobody_else_hears_it(client, scene, role, status):
    url = _url("alliances:statement_voice", scene)
    client.force_login(scene.user(role))
    response = client.get(url)
    assert response.status_code == status
    assert tone_wav(1.0)[:64] not in response.content


def test_an_ally_removed_hears_it_no_more(client, scene):
    url = _url("alliances:statement_voice", scene)
    services.remove_ally(remover=scene.allies["person"], ally=scene.allies["relative"])
    client.force_login(scene.user("relative"))
    assert client.get(url).status_code == 404


def test_a_statement_without_a_note_has_nothing_to_play(client, scene):
    client.force_login(scene.user("relative"))
    url = reverse("alliances:statement_voice", args=[scene.alliance.pk, scene.statement.pk])
    assert client.get(url).status_code == 404


# ---------------------------------------------------------------- the player's address


def test_the_sound_is_typed_by_its_bytes_inline_and_never_cached(client, scene):
    # Sent as a WAV announced as a web page: the bytes decide.
    client.force_login(scene.user("person"))
    upload = SimpleUploadedFile("note.html", tone_wav(1.0), content_type="text/html")
    record = reverse(
        "alliances:statement_voice_record", args=[scene.alliance.pk, scene.statement.pk]
    )
    assert client.post(record, {"audio": upload, "version": 0}).status_code == 302
    client.force_login(scene.user("relative"))
    response = client.get(
        reverse("alliances:statement_voice", args=[scene.alliance.pk, scene.statement.pk])
    )
    assert response["Content-Type"] == "audio/wav"
    assert response["Content-Disposition"] == "inline"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert {"private", "no-store"} <= set(response["Cache-Control"].split(", "))
    assert response["Accept-Ranges"] == "bytes"


def test_a_player_gets_the_range_it_asks_for(client, scene):
    url = _url("alliances:statement_voice", scene)
    audio = tone_wav(1.0)
    client.force_login(scene.user("relative"))

    first = client.get(url, HTTP_RANGE="bytes=0-")
    middle = client.get(url, HTTP_RANGE="bytes=100-199")
    tail = client.get(url, HTTP_RANGE="bytes=-10")
    past = client.get(url, HTTP_RANGE=f"bytes={len(audio)}-")

    assert (first.status_code, first.content) == (206, audio)
    assert first["Content-Range"] == f"bytes 0-{len(audio) - 1}/{len(audio)}"
    assert (middle.status_code, middle.content) == (206, audio[100:200])
    assert middle["Content-Range"] == f"bytes 100-199/{len(audio)}"
    assert tail.content == audio[-10:]
    assert past.status_code == 416
    assert past["Content-Range"] == f"bytes */{len(audio)}"


def test_each_play_is_a_read_in_the_trail_not_each_range(client, scene):
    url = _url("alliances:statement_voice", scene)
    client.force_login(scene.user("relative"))
    before = _plays(scene)

    client.get(url, HTTP_RANGE="bytes=0-")  # a play begins
    client.get(url, HTTP_RANGE="bytes=100-")  # then seeks
    client.get(url, HTTP_RANGE="bytes=200-300")
    client.get(url)  # a second play, whole

    assert _plays(scene) == before + 2
    entry = AuditEntry.objects.filter(detail__page="statement_voice").first()
    assert (entry.actor_id, entry.alliance_id) == (scene.user("relative").pk, scene.alliance.pk)


def test_the_person_sees_in_the_trail_who_listened(client, scene):
    client.force_login(scene.user("relative"))
    client.get(_url("alliances:statement_voice", scene))
    client.force_login(scene.user("person"))
    page = client.get(reverse("alliances:trail", args=[scene.alliance.pk])).content.decode()
    assert "Sami Martin" in page
    assert "un message vocal" in page


# ---------------------------------------------------------------- the pages that show it


def test_the_statement_page_has_a_named_player_and_the_authors_controls(client, scene):
    _url("alliances:statement_voice", scene)
    url = reverse("alliances:statement", args=[scene.alliance.pk, scene.statement.pk])
    client.force_login(scene.user("relative"))
    page = client.get(url).content.decode()
    assert '<audio controls preload="none"' in page
    assert "Message vocal de Léo Martin, 0:01" in page
    assert "Supprimer mon message vocal" not in page

    client.force_login(scene.user("person"))
    page = client.get(url).content.decode()
    assert "Supprimer mon message vocal" in page
    assert "Enregistrer à nouveau mon message vocal" in page


def test_only_the_recorder_page_may_ask_for_the_microphone(client, scene):
    client.force_login(scene.user("person"))
    recorder = client.get(_url("alliances:statement_voice_record", scene))
    statement = client.get(
        reverse("alliances:statement", args=[scene.alliance.pk, scene.statement.pk])
    )
    assert "microphone=(self)" in recorder["Permissions-Policy"]
    assert "microphone=()" in statement["Permissions-Policy"]
    assert "media-src 'self' blob:" in recorder["Content-Security-Policy"]
    page = recorder.content.decode()
    assert 'accept="audio/*"' in page and "capture" in page
    assert "js/voice_note.js" in page
    assert 'enctype="multipart/form-data"' in page


def test_the_journal_shows_each_note_for_the_same_cost(client, scene):
    objects = acting_objects(scene)
    person = scene.allies["person"]
    url = reverse("acting:journal", args=[scene.alliance.pk])
    client.force_login(scene.user("relative"))

    def cost():
        client.get(url)
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url).status_code == 200
        return captured.captured_queries

    journal_notes.record_journal_voice_note(
        ally=person, entry=objects.entry, audio=tone_wav(1.0), expected_version=0
    )
    one = cost()
    for n in range(4):
        entry = acting.write_journal_entry(ally=person, happened=f"Une journée, numéro {n}.")
        journal_notes.record_journal_voice_note(
            ally=person, entry=entry, audio=tone_wav(1.0), expected_version=0
        )
    five = cost()
    assert len(one) == len(five)
    # The pages read the notes, never their bytes.
    assert not any('"data"' in q["sql"] for q in five)
    assert client.get(url).content.decode().count("<audio controls") == 5


# ---------------------------------------------------------------- bad input


def _post(client, scene, audio, name="note.webm", content_type="audio/webm", **data):
    client.force_login(scene.user("person"))
    url = reverse("alliances:statement_voice_record", args=[scene.alliance.pk, scene.statement.pk])
    upload = SimpleUploadedFile(name, audio, content_type=content_type)
    return client.post(url, {"audio": upload, "version": 0, **data})


def test_a_page_disguised_as_a_sound_is_refused_in_plain_words(client, scene):
    response = _post(client, scene, HTML)
    assert response.status_code == 400
    assert "pas un son" in response.content.decode()
    assert not StatementVoiceNote.objects.exists()


def test_too_big_is_refused_before_it_is_read(client, scene):
    response = _post(client, scene, b"OggS" + bytes(voice.MAX_BYTES + 70 * 1024))
    assert response.status_code == 413
    assert "trop long" in response.content.decode()
    assert not StatementVoiceNote.objects.exists()


def test_just_too_big_is_refused_too(client, scene):
    response = _post(client, scene, b"OggS" + bytes(voice.MAX_BYTES))
    assert response.status_code == 400
    assert "trop long" in response.content.decode()
    assert not StatementVoiceNote.objects.exists()


def test_another_ally_cannot_record_on_the_persons_words(client, scene):
    client.force_login(scene.user("representative"))
    url = reverse("alliances:statement_voice_record", args=[scene.alliance.pk, scene.statement.pk])
    upload = SimpleUploadedFile("n.wav", tone_wav(1.0), content_type="audio/wav")
    assert client.post(url, {"audio": upload, "version": 0}).status_code == 403
    assert not StatementVoiceNote.objects.exists()


def test_a_stale_replacement_is_refused_and_keeps_the_newer_note(client, scene):
    _url("alliances:statement_voice", scene)  # the person's note, version 1
    response = _post(client, scene, b"OggS" + bytes(100))  # as if there were none
    assert response.status_code == 409
    note = StatementVoiceNote.objects.get()
    assert (note.version, note.content_type) == (1, voice.WAV)

    assert _post(client, scene, b"OggS" + bytes(100), version=1).status_code == 302
    assert StatementVoiceNote.objects.get().content_type == voice.OGG


def test_the_author_deletes_the_note_they_heard(client, scene):
    url = _url("alliances:statement_voice_delete", scene)
    client.force_login(scene.user("person"))
    assert client.post(url, {"version": 2}).status_code == 409
    assert StatementVoiceNote.objects.exists()
    assert client.post(url, {"version": 1}).status_code == 302
    assert not StatementVoiceNote.objects.exists()
