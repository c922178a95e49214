from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from alliance.accounts.models import ApiScope

# Hashing a password costs time and memory: a megabyte of it would too.
PASSWORD_MAX_LENGTH = 128


class PasswordSignInForm(forms.Form):
    email = forms.EmailField(
        label=_("Email"), widget=forms.EmailInput(attrs={"autocomplete": "email"})
    )
    password = forms.CharField(
        label=_("Password"),
        strip=False,
        max_length=PASSWORD_MAX_LENGTH,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )


class CodeSignInForm(forms.Form):
    code = forms.CharField(
        label=_("Your code"),
        max_length=20,
        help_text=_("The code you received, for example ABCDE-12345."),
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "autocapitalize": "characters"}
        ),
    )


class CodeRequestForm(forms.Form):
    email = forms.EmailField(
        label=_("Your email"), widget=forms.EmailInput(attrs={"autocomplete": "email"})
    )

    def __init__(self, *args, **kwargs):
        # It shares the sign-in page with the password form: its ids must differ, or
        # the labels and error messages point at the other form's email field.
        kwargs.setdefault("auto_id", "id_request_%s")
        super().__init__(*args, **kwargs)


class ChoosePasswordForm(forms.Form):
    current_password = forms.CharField(
        label=_("Your current password"),
        strip=False,
        max_length=PASSWORD_MAX_LENGTH,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )
    password = forms.CharField(
        label=_("New password"),
        strip=False,
        max_length=PASSWORD_MAX_LENGTH,
        help_text=_("At least 12 characters."),
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        # An account without a password (signed in with a code) sets its first one.
        if not user.has_usable_password():
            del self.fields["current_password"]


class ProfessionalForm(forms.Form):
    display_name = forms.CharField(label=_("Name"), max_length=150)
    email = forms.EmailField(label=_("Email"))
    job_title = forms.CharField(label=_("Job title"), max_length=120, required=False)


class ActivationForm(forms.Form):
    code = forms.CharField(
        label=_("Your code"),
        max_length=20,
        help_text=_("It is on your letter, for example ABCDE-12345."),
        widget=forms.TextInput(
            attrs={
                "autocomplete": "one-time-code",
                "autocapitalize": "characters",
                "spellcheck": "false",
                "data-code-from-fragment": "",
            }
        ),
    )


class FirstPasswordForm(forms.Form):
    password = forms.CharField(
        label=_("Choose a password"),
        strip=False,
        max_length=PASSWORD_MAX_LENGTH,
        help_text=_("At least 12 characters."),
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )


class ApiTokenForm(forms.Form):
    """A personal access token (ADR 0029): 90 days unless said otherwise, never more
    than ALLIANCE_API_TOKEN_MAX_DAYS."""

    DEFAULT_DAYS = 90

    name = forms.CharField(
        label=_("Name of the token"),
        help_text=_("For instance the software that will use it."),
        max_length=80,
    )
    scope = forms.ChoiceField(
        label=_("What it may do"),
        choices=ApiScope.choices,
        initial=ApiScope.READ,
        widget=forms.RadioSelect,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        most = settings.ALLIANCE_API_TOKEN_MAX_DAYS
        self.fields["days"] = forms.IntegerField(
            label=_("Lifetime in days"),
            help_text=_("From 1 to %(days)s days.") % {"days": most},
            min_value=1,
            max_value=most,
            initial=min(self.DEFAULT_DAYS, most),
        )


class ApiClientForm(forms.Form):
    name = forms.CharField(
        label=_("Name of the software"),
        help_text=_("The DUI software of your organisation that will read the API."),
        max_length=80,
    )
