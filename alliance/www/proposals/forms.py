from django import forms
from django.utils.translation import gettext_lazy as _

from alliance.reports.models import ProposalStatus
from alliance.reports.proposals.services import TEXT_MAX
from alliance.www.utils import IdsChoiceField


class ProposalForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    text = forms.CharField(
        label=_("What the collective proposes"),
        max_length=TEXT_MAX,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=_("Plain words: the decision maker and the public page read it as it is."),
    )
    addressee = forms.ModelChoiceField(
        label=_("Addressed to"),
        queryset=None,
        empty_label=_("— choose a decision maker —"),
    )

    interests = IdsChoiceField(
        label=_("Common interests of the collective it rests on"),
        queryset=None,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    consultation = forms.ModelChoiceField(
        label=_("Consultation whose common ground it rests on"),
        queryset=None,
        required=False,
        empty_label=_("— none —"),
    )

    report = forms.ModelChoiceField(
        label=_("Report it rests on"),
        queryset=None,
        required=False,
        empty_label=_("— none —"),
        help_text=_("A report of your organisation, already published to this decision maker."),
    )

    def __init__(self, *args, decision_makers, interests, consultations, reports, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["addressee"].queryset = decision_makers
        self.fields["interests"].queryset = interests
        self.fields["consultation"].queryset = consultations
        if reports.exists():
            self.fields["report"].queryset = reports
        else:  # only professionals of an organisation have reports to attach
            del self.fields["report"]
        self.fields["addressee"].label_from_instance = _decision_maker_label


def _decision_maker_label(user):
    where = user.organisation.name if user.organisation_id else user.job_title
    return f"{user.display_name} — {where}" if where else user.display_name


class CoSignForm(forms.Form):
    """Empty for one's own signature; `signatory` names the person a legal
    representative signs for."""

    signatory = forms.IntegerField(required=False, widget=forms.HiddenInput)


class JoinForm(forms.Form):
    alliance = forms.ChoiceField(label=_("Which alliance joins?"))

    def __init__(self, *args, allies=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["alliance"].choices = [(a.pk, a.alliance.title) for a in allies]


class AnswerForm(forms.Form):
    status = forms.ChoiceField(
        label=_("Next step"),
        widget=forms.RadioSelect,
        error_messages={
            "invalid_choice": _(
                "This step cannot come now: the timeline only goes forward. "
                "Choose one of the next steps."
            )
        },
    )
    words = forms.CharField(
        label=_("Your answer, in your own words"),
        required=False,
        max_length=TEXT_MAX,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("Required to answer or to refuse. The collective and its public page read it."),
    )
    version = forms.IntegerField(widget=forms.HiddenInput)

    def __init__(self, *args, steps=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["status"].choices = [(s, ProposalStatus(s).label) for s in steps]
