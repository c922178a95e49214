from django import forms
from django.utils.translation import gettext_lazy as _

from alliance.www.accounts.forms import PASSWORD_MAX_LENGTH

# A code of an authenticator app has 6 digits, a recovery code 16 letters and digits;
# room for the spaces people type between groups.
CODE_MAX_LENGTH = 32


class SecondFactorCodeForm(forms.Form):
    code = forms.CharField(
        label=_("Code"),
        max_length=CODE_MAX_LENGTH,
        help_text=_("The 6 digits shown by your authenticator app, or one of your recovery codes."),
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "autocapitalize": "none", "spellcheck": "false"}
        ),
    )


class ConfirmAuthenticatorForm(forms.Form):
    code = forms.CharField(
        label=_("Code shown by the app"),
        max_length=CODE_MAX_LENGTH,
        help_text=_("6 digits."),
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric"}),
    )


class ReauthenticatePasswordForm(forms.Form):
    password = forms.CharField(
        label=_("Your password"),
        strip=False,
        max_length=PASSWORD_MAX_LENGTH,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )

    def __init__(self, *args, **kwargs):
        # It shares the page with the code form.
        kwargs.setdefault("auto_id", "id_password_%s")
        super().__init__(*args, **kwargs)
