from django import forms
from django.utils.translation import gettext_lazy as _

from alliance.alliances.models import Role
from alliance.interop.importing import INVITED_ROLES


class UploadForm(forms.Form):
    bundle = forms.FileField(
        label=_("The file exported by the organisation's DUI (FHIR, JSON)"),
        help_text=_("A TDDUI bundle of one person, at most 2 MB. Nothing is created yet."),
    )


class ReviewForm(forms.Form):
    """What the professional confirms: the title, the person's address and status, and
    for each relative or professional the bundle names, whether to invite them, in
    which role, at which address. Nobody is invited without a tick."""

    title = forms.CharField(label=_("Title of the alliance"), max_length=160)
    person_email = forms.EmailField(label=_("The person's email (optional)"), required=False)
    person_is_protected = forms.BooleanField(
        label=_("The person is a minor or a protected adult"),
        required=False,
        help_text=_("A legal representative may then sign for them."),
    )

    def __init__(self, *args, people=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.people = list(people)
        roles = [("", _("Choose a role")), *((r.value, r.label) for r in INVITED_ROLES)]
        for index, someone in enumerate(self.people):
            self.fields[f"invite_{index}"] = forms.BooleanField(
                label=_("Invite %(name)s") % {"name": someone.name}, required=False
            )
            self.fields[f"role_{index}"] = forms.ChoiceField(
                label=_("Role of %(name)s") % {"name": someone.name},
                choices=roles,
                required=False,
                initial=someone.role,
            )
            self.fields[f"email_{index}"] = forms.EmailField(
                label=_("Email of %(name)s (optional)") % {"name": someone.name},
                required=False,
                initial=someone.email,
            )

    def rows(self):
        """Per person of the bundle: what the bundle says, and the three fields."""
        for index, someone in enumerate(self.people):
            yield (
                someone,
                self[f"invite_{index}"],
                self[f"role_{index}"],
                self[f"email_{index}"],
            )

    def clean(self):
        data = super().clean()
        for index, someone in enumerate(self.people):
            if data.get(f"invite_{index}") and not data.get(f"role_{index}"):
                self.add_error(
                    f"role_{index}", _("Choose the role of %(name)s.") % {"name": someone.name}
                )
            if (
                data.get(f"invite_{index}")
                and data.get(f"role_{index}") == Role.REPRESENTATIVE
                and not data.get("person_is_protected")
            ):
                self.add_error(
                    "person_is_protected",
                    _("A legal representative acts only for a minor or a protected adult."),
                )
        return data

    def invitations(self):
        return [
            (index, self.cleaned_data[f"role_{index}"], self.cleaned_data[f"email_{index}"])
            for index in range(len(self.people))
            if self.cleaned_data.get(f"invite_{index}")
        ]
