import datetime

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from alliance.acting.models import Meeting, MeetingAnswer, MeetingInvitation


class AllyChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, ally):
        # The name alone: the role's label has a point médian, which easy-read avoids.
        return ally.user.display_name


class MeetingForm(forms.Form):
    """When (Europe/Paris), how long, where, what for, what to prepare and who comes.
    The use case checks what the fields cannot."""

    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    day = forms.DateField(label=_("Day"), widget=forms.DateInput(attrs={"type": "date"}))
    # "Time" alone is a category of resources ("Temps" in French): the hour of a
    # meeting has its own context.
    time = forms.TimeField(
        label=pgettext_lazy("time of day", "Time"),
        widget=forms.TimeInput(attrs={"type": "time"}),
    )
    duration_minutes = forms.IntegerField(
        label=_("Duration (minutes)"), min_value=5, max_value=12 * 60, initial=60
    )
    place = forms.CharField(
        label=_("Where"),
        max_length=Meeting.PLACE_MAX,
        help_text=_("An address, or “by phone” or “video call” and how to join."),
    )
    purpose = forms.CharField(label=_("What for"), max_length=Meeting.PURPOSE_MAX)
    prepare = forms.CharField(
        label=_("What to prepare (optional)"),
        required=False,
        max_length=Meeting.PREPARE_MAX,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    invited = AllyChoiceField(
        label=_("Who is invited"),
        queryset=None,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("The person is always invited, unless they say otherwise."),
    )

    def __init__(self, *args, allies, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["invited"].queryset = allies

    def starts_at(self):
        data = self.cleaned_data
        return timezone.make_aware(datetime.datetime.combine(data["day"], data["time"]))

    def meeting_fields(self):
        data = self.cleaned_data
        return {
            "starts_at": self.starts_at(),
            "duration_minutes": data["duration_minutes"],
            "place": data["place"],
            "purpose": data["purpose"],
            "prepare": data["prepare"],
            "invited": list(data["invited"]),
        }

    @classmethod
    def initial_for(cls, meeting):
        local = timezone.localtime(meeting.starts_at)
        return {
            "version": meeting.version,
            "day": local.date(),
            "time": local.time().replace(second=0, microsecond=0),
            "duration_minutes": meeting.duration_minutes,
            "place": meeting.place,
            "purpose": meeting.purpose,
            "prepare": meeting.prepare,
            "invited": [i.ally_id for i in meeting.invitations.all()],
        }


class AnswerForm(forms.Form):
    answer = forms.ChoiceField(
        label=_("Are you coming?"),
        choices=[
            (MeetingAnswer.COMING, _("I am coming")),
            (MeetingAnswer.MAYBE, _("Maybe")),
            (MeetingAnswer.NOT_COMING, _("I am not coming")),
        ],
        widget=forms.RadioSelect,
    )
    word = forms.CharField(
        label=_("A word for the others (optional)"),
        required=False,
        max_length=MeetingInvitation.WORD_MAX,
    )
    brings = forms.CharField(
        label=_("What I bring (optional)"),
        required=False,
        max_length=MeetingInvitation.BRINGS_MAX,
    )


class CancelForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput)
    reason = forms.CharField(
        label=_("Why is the meeting cancelled?"), max_length=Meeting.REASON_MAX
    )
