from django import forms
from django.utils.translation import gettext_lazy as _

from alliance.alliances.models import REASON_MAX_LENGTH, Role
from alliance.home.caseload import QUIET_DAYS, Filters, Review, Sort, Status


class CaseloadForm(forms.Form):
    """The search and filters of the caseload, sent by GET (they work without
    JavaScript and can be bookmarked)."""

    q = forms.CharField(
        label=_("Search"),
        required=False,
        max_length=100,
        help_text=_("A title, the person's name or an ally's name."),
    )
    status = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=[
            ("", _("Open and closed")),
            (Status.OPEN, _("Open")),
            (Status.CLOSED, _("Closed")),
        ],
    )
    review = forms.ChoiceField(
        label=_("Review"),
        required=False,
        choices=[
            ("", _("Any date")),
            (Review.SOON, _("Due within 30 days")),
            (Review.OVERDUE, _("Overdue")),
        ],
    )
    late = forms.BooleanField(label=_("Only with late actions"), required=False)
    quiet = forms.TypedChoiceField(
        label=_("Last activity"),
        required=False,
        coerce=int,
        empty_value=None,
        choices=[("", _("Any time"))]
        + [(days, _("No activity for %(days)s days") % {"days": days}) for days in QUIET_DAYS],
    )
    role = forms.ChoiceField(
        label=_("My role"), required=False, choices=[("", _("Any role")), *Role.choices]
    )
    sort = forms.ChoiceField(
        label=_("Sort by"),
        required=False,
        choices=[
            (Sort.TITLE, _("Title")),
            (Sort.NEXT_REVIEW, _("Next review")),
            (Sort.LAST_ACTIVITY, _("Last activity")),
            (Sort.LATE_ACTIONS, _("Late actions")),
        ],
    )

    def filters(self) -> Filters:
        data = self.cleaned_data
        return Filters(
            q=data["q"].strip(),
            status=data["status"],
            review=data["review"],
            late=data["late"],
            quiet_days=data["quiet"],
            role=data["role"],
            sort=data["sort"] or Sort.TITLE,
        )


class ReasonForm(forms.Form):
    reason = forms.CharField(
        label=_("Why, in a few words"),
        max_length=REASON_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=0)


class AnswerForm(forms.Form):
    answer = forms.ChoiceField(choices=[("yes", _("Yes")), ("no", _("No"))])
    request = forms.IntegerField(widget=forms.HiddenInput, min_value=1)
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=0)


class HandoverForm(forms.Form):
    """Who leaves (chosen by an org admin; a professional hands over their own), the
    colleague who takes over, and which alliances (all when none is ticked)."""

    leaving = forms.ModelChoiceField(
        label=_("The professional who leaves"), queryset=None, empty_label=_("— choose —")
    )
    successor = forms.ModelChoiceField(
        label=_("The colleague who takes over"), queryset=None, empty_label=_("— choose —")
    )
    alliances = forms.MultipleChoiceField(
        label=_("Which alliances"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("None ticked: all of them."),
    )

    def __init__(self, *args, professionals, alliances=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["leaving"].queryset = professionals
        self.fields["successor"].queryset = professionals
        self.fields["leaving"].label_from_instance = self.fields[
            "successor"
        ].label_from_instance = lambda user: user.display_name
        if alliances is None:
            # The org admin reads no alliance they are not in (DESIGN rule 3): they
            # hand over all of them, without seeing their titles.
            del self.fields["alliances"]
        else:
            self.fields["alliances"].choices = [(str(a.pk), a.title) for a in alliances]
