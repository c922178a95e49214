from django import forms
from django.utils.translation import gettext_lazy as _

from alliance.alliances.needs import life_domains


class AdoptInterestForm(forms.Form):
    text = forms.CharField(
        label=_("The common interest, in the collective's words"),
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    need_code = forms.ChoiceField(
        label=_("Need it answers (SERAFIN-PH)"),
        required=False,
        help_text=_("A suggestion: change it or leave it empty if none fits."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["need_code"].choices = [("", _("No need chosen")), *life_domains()]
