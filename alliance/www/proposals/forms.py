from django import forms
from django.utils.translation import gettext_lazy as _

from alliance.reports.models import ProposalStatus, RequestDecision
from alliance.reports.proposals.services import REACTION_MAX, REQUEST_MAX, REQUESTS_MAX, TEXT_MAX
from alliance.www.utils import IdsChoiceField


class ProposalForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    text = forms.CharField(
        label=_("What the collective proposes"),
        max_length=TEXT_MAX,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=_("Plain words: the decision maker and the public page read it as it is."),
    )
    requests = forms.CharField(
        label=_("What you ask for, one request per line"),
        # Room for every request at its longest; the use case says which one is too long.
        max_length=(REQUEST_MAX + 1) * REQUESTS_MAX,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_(
            "Each line is one request: the decision maker answers each one, and the "
            "collective follows each one."
        ),
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

    def clean_requests(self):
        return [line.strip() for line in self.cleaned_data["requests"].splitlines() if line.strip()]


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


class RequestAnswerForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("Your answer to this request"),
        choices=RequestDecision.choices,
        widget=forms.RadioSelect,
    )
    words = forms.CharField(
        label=_("Your answer, in your own words"),
        max_length=TEXT_MAX,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("The collective and its public page read it. Members may react to it."),
    )
    version = forms.IntegerField(widget=forms.HiddenInput)


class ProgressForm(forms.Form):
    request = forms.TypedChoiceField(
        label=_("What it is about"), coerce=int, required=False, empty_value=None
    )
    status_label = forms.CharField(
        label=_("Where it stands"),
        max_length=120,
        help_text=_("A few words: studied, voted, works started, trial under way…"),
    )
    percentage = forms.IntegerField(
        label=_("How far, in %"),
        min_value=0,
        max_value=100,
        help_text=_("At 100 %, an accepted request is carried out."),
    )
    words = forms.CharField(
        label=_("What was done"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    next_step = forms.CharField(label=_("Next step"), required=False, max_length=300)
    next_step_on = forms.DateField(
        label=_("Date of the next step"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    cost = forms.DecimalField(
        label=_("Cost, in euros"), required=False, min_value=0, max_digits=12, decimal_places=2
    )
    budget_line = forms.CharField(label=_("Budget line"), required=False, max_length=200)
    cost_public = forms.BooleanField(
        label=_("Show the cost and the budget line to the collective and on its public page"),
        required=False,
    )

    def __init__(self, *args, requests=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["request"].choices = [("", _("The whole proposal"))] + [
            (r.pk, _("Request %(position)s: %(text)s") % {"position": r.position, "text": r.text})
            for r in requests
        ]


class ReactionForm(forms.Form):
    satisfied = forms.TypedChoiceField(
        label=_("Does this answer satisfy you?"),
        choices=[("1", _("Satisfied")), ("0", _("Not satisfied"))],
        coerce=lambda value: value == "1",
        widget=forms.RadioSelect,
    )
    words = forms.CharField(
        label=_("Why, in your own words"),
        required=False,
        max_length=REACTION_MAX,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("The members read it without your name. Outside, only the counts show."),
    )
