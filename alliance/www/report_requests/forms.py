from django import forms
from django.utils.translation import gettext_lazy as _

from alliance.accounts.models import Organisation
from alliance.reports.requests import PURPOSE_MAX, WORDS_MAX
from alliance.www.utils import IdsChoiceField


class DateInput(forms.DateInput):
    input_type = "date"


class AskForm(forms.Form):
    territory = forms.ChoiceField(
        label=_("Territory"),
        required=False,
        help_text=_("Every organisation that serves it is asked."),
    )
    organisations = IdsChoiceField(
        label=_("Or organisations you choose"),
        queryset=Organisation.objects.order_by("name"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    period_start = forms.DateField(label=_("From"), widget=DateInput)
    period_end = forms.DateField(label=_("To"), widget=DateInput)
    purpose = forms.CharField(
        label=_("What the report is for, in your words"),
        max_length=PURPOSE_MAX,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("The organisations read it before they answer."),
    )
    answer_by = forms.DateField(
        label=_("Answers expected by (optional)"),
        required=False,
        widget=DateInput,
        help_text=_("Thirty days from today if you leave it empty."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        territories = (
            Organisation.objects.exclude(territory="")
            .order_by("territory")
            .values_list("territory", flat=True)
            .distinct()
        )
        self.fields["territory"].choices = [("", _("— choose —"))] + [(t, t) for t in territories]


class AnswerForm(forms.Form):
    accept = forms.TypedChoiceField(
        label=_("Your organisation's answer"),
        choices=(("1", _("We accept: our alliances are counted")), ("0", _("We decline"))),
        coerce=lambda value: value == "1",
        widget=forms.RadioSelect,
    )
    words = forms.CharField(
        label=_("A word for the decision maker (optional)"),
        max_length=WORDS_MAX,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    version = forms.IntegerField(widget=forms.HiddenInput)


class CloseForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput)
