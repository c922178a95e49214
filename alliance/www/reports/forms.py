from django import forms
from django.utils.translation import gettext_lazy as _

from alliance.accounts.models import User
from alliance.reports.models import Report
from alliance.reports.services import threshold_floor
from alliance.www.utils import IdsChoiceField


class DateInput(forms.DateInput):
    input_type = "date"


class ReportForm(forms.Form):
    scope_kind = forms.ChoiceField(label=_("What the report covers"), choices=())
    organisation = forms.ModelChoiceField(
        label=_("Organisation"), queryset=None, required=False, empty_label=_("— choose —")
    )
    territory = forms.CharField(label=_("Territory"), max_length=80, required=False)
    period_start = forms.DateField(label=_("From"), widget=DateInput)
    period_end = forms.DateField(label=_("To"), widget=DateInput)
    threshold = forms.IntegerField(label=_("Smallest count shown"))

    def __init__(self, *args, user, organisations, **kwargs):
        super().__init__(*args, **kwargs)
        kinds = [(Report.ScopeKind.ORGANISATION, Report.ScopeKind.ORGANISATION.label)]
        if user.is_org_admin or user.is_staff:
            kinds.append((Report.ScopeKind.TERRITORY, Report.ScopeKind.TERRITORY.label))
        self.fields["scope_kind"].choices = kinds
        # Read at each request: the platform's setting may change without a restart
        # of the tests, and the page shows the floor it enforces.
        floor = threshold_floor()
        self.fields["threshold"].initial = floor
        self.fields["threshold"].widget.attrs["min"] = floor
        self.fields["threshold"].help_text = _(
            "Any number of alliances below it is hidden, with others around it. "
            "It cannot be lower than %(minimum)d."
        ) % {"minimum": floor}
        self.fields["organisation"].queryset = organisations
        if user.organisation_id:
            self.fields["organisation"].initial = user.organisation_id
            self.fields["territory"].initial = user.organisation.territory


class PublishForm(forms.Form):
    recipients = IdsChoiceField(
        label=_("Decision makers"),
        queryset=User.objects.filter(kind=User.Kind.DECISION_MAKER, is_active=True).order_by(
            "display_name"
        ),
        widget=forms.CheckboxSelectMultiple,
    )


class NeedCodingForm(forms.Form):
    domain = forms.ChoiceField(label=_("Need domain (optional)"), required=False, choices=())
    new_domain = forms.CharField(label=_("Or name your own domain"), max_length=120, required=False)

    def __init__(self, *args, needs=(), custom=(), **kwargs):
        super().__init__(*args, **kwargs)
        choices = [("", _("— not coded —")), (_("SERAFIN-PH needs"), list(needs))]
        if custom:
            choices.append(
                (_("Our organisation's domains"), [(f"c{d.pk}", d.name) for d in custom])
            )
        self.fields["domain"].choices = choices
