from django import forms
from django.utils.translation import gettext_lazy as _

from alliance.alliances.needs import label_of, life_domains
from alliance.collectives.models import GroupDescription


class AdoptInterestForm(forms.Form):
    text = forms.CharField(
        label=_("The common interest, in the collective's words"),
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    need_code = forms.ChoiceField(
        label=_("Need it answers (SERAFIN-PH)"),
        required=False,
        help_text=_("Optional: choose the need it answers, or leave it empty if none fits."),
    )

    def __init__(self, *args, suggestion="", **kwargs):
        """`suggestion`: a need code guessed from the statement's words. It is only
        said, never chosen in the user's place: a guess by keywords is often wrong."""
        super().__init__(*args, **kwargs)
        self.fields["need_code"].choices = [("", _("No need chosen")), *life_domains()]
        if suggestion and label_of(suggestion):
            self.fields["need_code"].help_text = _(
                "Optional. The words of the statement make us think of: “%(need)s”. "
                "It is only a guess from its words: choose it yourself if it fits."
            ) % {"need": label_of(suggestion)}


class GroupDescriptionForm(forms.Form):
    text = forms.CharField(
        label=_("The group in one line"),
        required=False,
        max_length=GroupDescription.MAX_LENGTH,
        help_text=_(
            "Say what the group thinks, never who is in it. Leave it empty to show the "
            "description made from the group's votes."
        ),
    )
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=0)
