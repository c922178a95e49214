from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from alliance.notifications.kinds import choosable_groups
from alliance.notifications.models import Delivery


class PreferencesForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput)
    language = forms.ChoiceField(label=_("Language of my emails"), choices=settings.LANGUAGES)
    details_in_email = forms.BooleanField(
        label=_("My emails may say what the news is about (names of the alliance, the action…)"),
        required=False,
        help_text=_(
            "Off: an email only says that something new waits for you, and of which kind. "
            "Anyone who reads your mailbox then learns nothing about the alliances."
        ),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for group in choosable_groups():
            self.fields[f"group_{group.value}"] = forms.ChoiceField(
                label=group.label, choices=Delivery.choices, widget=forms.RadioSelect
            )

    def deliveries(self):
        return {g.value: self.cleaned_data[f"group_{g.value}"] for g in choosable_groups()}
