"""Pages of voice notes (ADR 0019), on statements and on journal entries: the player's
address, the recorder page and the deletion. Thin: the gatekeeper loads the alliance
(404 for outsiders, 403 for allies not yet approved, a read in the trail for every
play), the use cases decide."""

from dataclasses import dataclass

from django import forms
from django.contrib import messages
from django.core.exceptions import ObjectDoesNotExist, PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST, require_safe

from alliance.acting import voice_notes as journal_notes
from alliance.acting.models import JournalEntry
from alliance.alliances import voice, voice_notes
from alliance.alliances.access import get_statement_in
from alliance.alliances.models import Ally
from alliance.conflicts import ConflictError
from alliance.www.gatekeepers import alliance_view
from alliance.www.reading import is_informal, render
from alliance.www.uploads import capped_upload, private_file
from alliance.www.utils import id_from

# The recorder asks for the microphone: only its page lets the browser do so.
MICROPHONE_ALLOWED = "camera=(), microphone=(self), geolocation=()"


@dataclass
class VoicePanel:
    """What a page needs to show a note, or to offer its author to record one."""

    key: str  # unique on a page: the ids of the player's label
    note: object  # the note without its bytes, or None
    author_name: str
    play_url: str
    record_url: str
    delete_url: str
    mine: bool  # the reader is the author, who records, replaces and deletes
    can_record: bool = True  # not on a withdrawn statement (its author still deletes)

    @property
    def duration(self):
        return voice.duration_label(self.note.seconds) if self.note else ""

    @property
    def label(self):
        """The player's accessible name: whose voice, and how long when known."""
        if self.duration:
            return _("Voice note from %(name)s, %(duration)s") % {
                "name": self.author_name,
                "duration": self.duration,
            }
        return _("Voice note from %(name)s") % {"name": self.author_name}

    @property
    def shown(self):
        return self.note is not None or (self.mine and self.can_record)


def statement_panel(alliance, me, statement, note) -> VoicePanel:
    args = [alliance.pk, statement.pk]
    return VoicePanel(
        key=f"voice-statement-{statement.pk}",
        note=note,
        author_name=statement.author.user.display_name,
        play_url=reverse("alliances:statement_voice", args=args),
        record_url=reverse("alliances:statement_voice_record", args=args),
        delete_url=reverse("alliances:statement_voice_delete", args=args),
        mine=voice_notes.statement_subject(me, statement).may_record,
        can_record=not statement.withdrawn_at,
    )


def journal_panel(alliance, me, entry, note) -> VoicePanel:
    args = [alliance.pk, entry.pk]
    return VoicePanel(
        key=f"voice-journal-{entry.pk}",
        note=note,
        author_name=entry.author.user.display_name,
        play_url=reverse("acting:journal_voice", args=args),
        record_url=reverse("acting:journal_voice_record", args=args),
        delete_url=reverse("acting:journal_voice_delete", args=args),
        mine=journal_notes.journal_subject(me, entry).may_record,
    )


def with_journal_panels(alliance, me, entries):
    """The entries, each with its `voice` panel; their notes come with them, without
    their bytes (`acting.selectors.journal`)."""
    entries = list(entries)
    for entry in entries:
        try:
            note = entry.voice_note
        except ObjectDoesNotExist:
            note = None
        entry.voice = journal_panel(alliance, me, entry, note)
    return entries


def allow_microphone(response):
    response.headers["Permissions-Policy"] = MICROPHONE_ALLOWED
    return response


# ---------------------------------------------------------------- the player's address


def audio_response(request, note):
    """The note's bytes, whole or the range asked for (a browser's player asks for
    ranges to seek), typed by what the bytes are, never cached, never guessed at."""
    data = bytes(note.data)
    size = len(data)
    try:
        wanted = voice.byte_range(request.headers.get("Range"), size)
    except voice.UnsatisfiableRange:
        response = HttpResponse(status=416)
        response.headers["Content-Range"] = f"bytes */{size}"
        return _audio_headers(response)
    if wanted is None:
        response = HttpResponse(data, content_type=note.content_type)
    else:
        start, end = wanted
        response = HttpResponse(data[start : end + 1], content_type=note.content_type, status=206)
        response.headers["Content-Range"] = f"bytes {start}-{end}/{size}"
    response.headers["Content-Disposition"] = "inline"
    return _audio_headers(response)


def _audio_headers(response):
    response.headers["Accept-Ranges"] = "bytes"
    return private_file(response)


def _note_to_play(note):
    if note is None:
        raise Http404
    return note


# ---------------------------------------------------------------- the recorder


class VoiceNoteForm(forms.Form):
    audio = forms.FileField(
        label=gettext_lazy("My voice note"),
        help_text=gettext_lazy(
            "At most 2 minutes. Without the recorder, choose a sound file or record "
            "one with your phone."
        ),
        required=False,
        widget=forms.ClearableFileInput(
            attrs={"accept": "audio/*", "capture": "user", "data-voice-input": ""}
        ),
    )
    supported_by = forms.TypedChoiceField(
        label=gettext_lazy("Recorded with the support of (optional)"),
        coerce=int,
        required=False,
        empty_value=None,
    )
    # Counted by the recorder in the page; a WAV says its own length.
    seconds = forms.IntegerField(
        required=False, min_value=0, max_value=60 * 60, widget=forms.HiddenInput
    )
    version = forms.IntegerField(required=False, min_value=0, widget=forms.HiddenInput)

    def __init__(self, *args, allies=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.allies = {ally.pk: ally for ally in allies}
        self.fields["supported_by"].choices = [("", "—")] + [
            (ally.pk, ally.user.display_name) for ally in allies
        ]


# The voice notes' cap: a body past it is refused before it is read.
upload_capped = capped_upload(lambda: voice.MAX_BYTES)


def _record_page(request, context, form, status):
    if is_informal(request):  # a child is told "tu" (issue 11)
        form.fields["audio"].help_text = pgettext(
            "tu",
            "At most 2 minutes. Without the recorder, choose a sound file or record "
            "one with your phone.",
        )
    context["form"] = form
    context["max_seconds"] = voice.MAX_SECONDS
    context["max_label"] = voice.duration_label(voice.MAX_SECONDS)
    response = render(request, "alliances/voice_note_record.html", context, status=status)
    return allow_microphone(response)


def _record(request, me, panel, context, use_case, too_big, **target):
    """The recorder page and its POST, for a statement or a journal entry."""
    if not panel.mine:
        raise PermissionDenied
    allies = [a for a in context.pop("allies") if a.pk != me.pk]
    form = VoiceNoteForm(request.POST or None, request.FILES or None, allies=allies)
    if request.method != "POST":
        return _record_page(request, context, form, 200)
    if too_big:
        form = _refused_form(allies)
        form.add_error("audio", voice_notes.too_big_message())
        return _record_page(request, context, form, 413)
    status = 400
    if form.is_valid():
        data = form.cleaned_data
        try:
            audio = voice_notes.read_audio(data["audio"])
            use_case(
                ally=me,
                **target,
                audio=audio,
                seconds=data["seconds"],
                supported_by=form.allies.get(data["supported_by"]),
                # A missing or malformed version is refused as a stale one: 409.
                expected_version=id_from(request.POST, "version") or 0,
            )
        except ValidationError as error:
            _add_errors(form, error)
        except ConflictError as conflict:
            form.add_error(None, str(conflict))
            status = 409
        else:
            messages.success(request, _("Your voice note is saved. The allies can listen to it."))
            return redirect(context["back_url"])
    return _record_page(request, context, form, status)


def _refused_form(allies):
    """An empty form that carries the reason of a refusal (add_error needs it bound
    and cleaned; every field is optional, so it is)."""
    form = VoiceNoteForm({}, allies=allies)
    form.is_valid()
    return form


def _add_errors(form, error):
    if hasattr(error, "error_dict"):
        for field, texts in error.message_dict.items():
            form.add_error(field if field in form.fields else None, texts)
    else:
        form.add_error(None, error.messages)


def _delete(request, me, panel, context, use_case, **target):
    """A deletion based on a note that changed meanwhile is refused (409) on the
    recorder page, which plays the note as it is now."""
    if not panel.mine:
        raise PermissionDenied
    try:
        use_case(ally=me, **target, expected_version=id_from(request.POST, "version") or 0)
    except ConflictError:
        form = _refused_form([a for a in context.pop("allies") if a.pk != me.pk])
        form.add_error(
            None, _("This voice note changed or was deleted meanwhile: listen to it again first.")
        )
        return _record_page(request, context, form, 409)
    messages.success(request, _("Your voice note is deleted."))
    return redirect(context["back_url"])


def _live_allies(alliance):
    return list(alliance.allies.filter(status=Ally.Status.ACTIVE).select_related("user"))


# ---------------------------------------------------------------- statements


# A sound is only read: GET, or HEAD (405 for anything else, before the gatekeeper).
@require_safe
@alliance_view("statement_voice")
def statement_voice(request, alliance, me, statement_id):
    statement = get_statement_in(alliance, statement_id)
    note = _note_to_play(voice_notes.statement_voice_note(statement, with_audio=True))
    return audio_response(request, note)


def _statement_context(alliance, me, statement):
    note = voice_notes.statement_voice_note(statement)
    panel = statement_panel(alliance, me, statement, note)
    back_url = reverse("alliances:statement", args=[alliance.pk, statement.pk])
    return panel, {
        "alliance": alliance,
        "me": me,
        "voice": panel,
        "words": statement.text,
        "back_url": back_url,
        "action_url": panel.record_url,
        "allies": _live_allies(alliance),
    }


@csrf_exempt
@alliance_view("statement_voice_record")
@upload_capped
def statement_voice_record(request, alliance, me, statement_id, too_big=False):
    statement = get_statement_in(alliance, statement_id)
    panel, context = _statement_context(alliance, me, statement)
    return _record(
        request,
        me,
        panel,
        context,
        voice_notes.record_statement_voice_note,
        too_big,
        statement=statement,
    )


@require_POST
@alliance_view("statement_voice_record")
def statement_voice_delete(request, alliance, me, statement_id):
    statement = get_statement_in(alliance, statement_id)
    panel, context = _statement_context(alliance, me, statement)
    return _delete(
        request, me, panel, context, voice_notes.delete_statement_voice_note, statement=statement
    )


# ---------------------------------------------------------------- journal entries


def _entry_in(alliance, entry_id):
    try:
        return JournalEntry.objects.select_related("author__user").get(
            alliance=alliance, pk=entry_id
        )
    except JournalEntry.DoesNotExist:
        raise Http404 from None


@require_safe
@alliance_view("journal_voice")
def journal_voice(request, alliance, me, entry_id):
    entry = _entry_in(alliance, entry_id)
    note = _note_to_play(journal_notes.journal_voice_note(entry, with_audio=True))
    return audio_response(request, note)


def _journal_context(alliance, me, entry):
    note = journal_notes.journal_voice_note(entry)
    panel = journal_panel(alliance, me, entry, note)
    back_url = reverse("acting:journal", args=[alliance.pk]) + f"#j{entry.pk}"
    return panel, {
        "alliance": alliance,
        "me": me,
        "voice": panel,
        "words": entry.happened,
        "back_url": back_url,
        "action_url": panel.record_url,
        "allies": _live_allies(alliance),
    }


@csrf_exempt
@alliance_view("journal_voice_record")
@upload_capped
def journal_voice_record(request, alliance, me, entry_id, too_big=False):
    entry = _entry_in(alliance, entry_id)
    panel, context = _journal_context(alliance, me, entry)
    return _record(
        request,
        me,
        panel,
        context,
        journal_notes.record_journal_voice_note,
        too_big,
        entry=entry,
    )


@require_POST
@alliance_view("journal_voice_record")
def journal_voice_delete(request, alliance, me, entry_id):
    entry = _entry_in(alliance, entry_id)
    panel, context = _journal_context(alliance, me, entry)
    return _delete(
        request, me, panel, context, journal_notes.delete_journal_voice_note, entry=entry
    )
