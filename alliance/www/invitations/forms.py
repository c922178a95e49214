from django import forms
from django.utils.translation import gettext_lazy as _


class NewAccountForm(forms.Form):
    """The owner of an invited address creates their own account."""

    display_name = forms.CharField(
        label=_("Your name"),
        max_length=150,
        help_text=_("As the others will see it. You can change what was typed for you."),
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )
    password = forms.CharField(
        label=_("Choose a password"),
        strip=False,
        max_length=200,
        help_text=_("At least 12 characters."),
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )


class AnswerForm(forms.Form):
    answer = forms.ChoiceField(choices=[("accept", "accept"), ("decline", "decline")])
