"""Pages of meetings: the list of an alliance's meetings, a meeting with its invited
allies and their answers, scheduling, changing (409 on a stale version), cancelling,
and setting aside the weather prompt after a meeting. Thin: the use cases are in
`alliance.acting.meetings`."""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from alliance.acting import meetings as use_cases
from alliance.acting import perms
from alliance.acting.models import Meeting, MeetingAnswer
from alliance.alliances.models import Ally
from alliance.conflicts import ConflictError
from alliance.www.gatekeepers import alliance_view
from alliance.www.reading import render
from alliance.www.utils import run_use_case

from . import forms


def _meeting(alliance, pk):
    """A meeting of this alliance only: anything else is not found."""
    meeting = use_cases._with_invitations(Meeting.objects.filter(alliance=alliance, pk=pk)).first()
    if meeting is None:
        raise Http404
    return meeting


def _allies(alliance):
    return alliance.allies.filter(status=Ally.Status.ACTIVE).select_related("user").order_by("pk")


def _run(form, use_case, **kwargs):
    """(result, status): 409 for a stale version, 400 for anything else refused."""
    try:
        result = run_use_case(form, use_case, **kwargs)
    except ConflictError as conflict:
        form.add_error(None, str(conflict))
        return None, 409
    return result, 400


def _detail_context(alliance, me, meeting, mine, form, cancel_form=None):
    invitations = list(meeting.invitations.all())
    return {
        "alliance": alliance,
        "me": me,
        "meeting": meeting,
        "mine": mine,
        "form": form,
        "invitations": invitations,
        "coming": [i for i in invitations if i.answer == MeetingAnswer.COMING],
        "brought": [i for i in invitations if i.brings],
        "can_change": perms.can_change_meeting(me, meeting) and not meeting.is_cancelled,
        "cancel_form": cancel_form or forms.CancelForm(initial={"version": meeting.version}),
        "weather_prompt": mine is not None
        and meeting.has_ended
        and not meeting.is_cancelled
        and mine.weather_settled_at is None
        and mine.answer != MeetingAnswer.NOT_COMING,
    }


@alliance_view("meetings")
def meetings(request, alliance, me):
    upcoming, past = use_cases.meetings_of(alliance)
    return render(
        request,
        "meetings/list.html",
        {
            "alliance": alliance,
            "me": me,
            "upcoming": upcoming,
            "past": past,
            # A closed alliance is read-only: no button to a form that would be refused.
            "can_schedule": perms.can_schedule_meeting(me) and not alliance.is_closed,
        },
    )


@alliance_view("meeting_new")
def meeting_new(request, alliance, me):
    allies = _allies(alliance)
    form = forms.MeetingForm(
        request.POST or None,
        allies=allies,
        initial={"invited": [a.pk for a in allies]},
    )
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            meeting, status = _run(
                form, use_cases.schedule_meeting, ally=me, **form.meeting_fields()
            )
            if meeting is not None:
                messages.success(
                    request, _("The meeting is scheduled. The invited allies are told.")
                )
                return redirect("meetings:detail", alliance.pk, meeting.pk)
    return render(
        request,
        "meetings/form.html",
        {"alliance": alliance, "me": me, "form": form, "meeting": None},
        status=status,
    )


@alliance_view("meeting")
def meeting(request, alliance, me, meeting_id):
    meeting = _meeting(alliance, meeting_id)
    mine = next((i for i in meeting.invitations.all() if i.ally_id == me.pk), None)
    form = forms.AnswerForm(
        request.POST or None,
        initial={"answer": mine.answer, "word": mine.word, "brings": mine.brings}
        if mine and mine.answer != MeetingAnswer.PENDING
        else ({"brings": mine.brings} if mine else None),
    )
    status = 200
    if request.method == "POST":
        status = 400
        if mine is None:
            form.add_error(None, _("You are not invited to this meeting."))
        elif form.is_valid():
            done, status = _run(
                form, use_cases.answer_meeting, ally=me, meeting=meeting, **form.cleaned_data
            )
            if done is not None:
                messages.success(request, _("Your answer is recorded."))
                return redirect("meetings:detail", alliance.pk, meeting.pk)
    return render(
        request,
        "meetings/detail.html",
        _detail_context(alliance, me, meeting, mine, form),
        status=status,
    )


@alliance_view("meeting_edit")
def meeting_edit(request, alliance, me, meeting_id):
    meeting = _meeting(alliance, meeting_id)
    if not perms.can_change_meeting(me, meeting) or meeting.is_cancelled:
        raise Http404
    allies = _allies(alliance)
    form = forms.MeetingForm(
        request.POST or None, allies=allies, initial=forms.MeetingForm.initial_for(meeting)
    )
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            done, status = _run(
                form,
                use_cases.change_meeting,
                ally=me,
                meeting=meeting,
                expected_version=form.cleaned_data["version"],
                **form.meeting_fields(),
            )
            if done is not None:
                messages.success(request, _("The meeting is changed. The invited allies are told."))
                return redirect("meetings:detail", alliance.pk, meeting.pk)
        if status == 409:
            # The meeting as it is now is shown above; the user's words stay in the form.
            meeting = _meeting(alliance, meeting_id)
            form.data = form.data.copy()
            form.data["version"] = meeting.version
    return render(
        request,
        "meetings/form.html",
        {
            "alliance": alliance,
            "me": me,
            "form": form,
            "meeting": meeting,
            "conflict": status == 409,
        },
        status=status,
    )


@require_POST
@alliance_view("meeting_cancel")
def meeting_cancel(request, alliance, me, meeting_id):
    meeting = _meeting(alliance, meeting_id)
    form = forms.CancelForm(request.POST)
    status = 400
    if form.is_valid():
        done, status = _run(
            form,
            use_cases.cancel_meeting,
            ally=me,
            meeting=meeting,
            expected_version=form.cleaned_data["version"],
            reason=form.cleaned_data["reason"],
        )
        if done is not None:
            messages.success(request, _("The meeting is cancelled. The invited allies are told."))
            return redirect("meetings:detail", alliance.pk, meeting.pk)
    meeting = _meeting(alliance, meeting_id)
    mine = next((i for i in meeting.invitations.all() if i.ally_id == me.pk), None)
    context = _detail_context(alliance, me, meeting, mine, forms.AnswerForm(), cancel_form=form)
    return render(request, "meetings/detail.html", context | {"cancel_failed": True}, status=status)


@require_POST
@alliance_view("meeting_weather_dismiss")
def weather_dismiss(request, alliance, me, meeting_id):
    meeting = _meeting(alliance, meeting_id)
    use_cases.dismiss_weather_prompt(ally=me, meeting=meeting)
    messages.success(request, _("Understood: we will not ask again for this meeting."))
    # Back where the prompt was: the weather page, or the alliance home.
    back = "acting:weather" if request.POST.get("next") == "weather" else "alliances:overview"
    return redirect(back, alliance.pk)
