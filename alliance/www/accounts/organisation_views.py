"""The organisation's address codes (issue 14): what its administrator records so
that reports can count by commune, EPCI and département."""

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from alliance.accounts import address
from alliance.conflicts import ConflictError
from alliance.www.utils import run_use_case


class AddressForm(forms.Form):
    commune_code = forms.CharField(
        label=gettext_lazy("INSEE code of the commune"),
        max_length=8,
        required=False,
        help_text=gettext_lazy("5 characters, for example 69123 for Lyon."),
    )
    commune_name = forms.CharField(label=gettext_lazy("Commune"), max_length=120, required=False)
    epci_code = forms.CharField(
        label=gettext_lazy("SIREN number of the EPCI"),
        max_length=12,
        required=False,
        help_text=gettext_lazy("9 digits, for example 200046977 for the Métropole de Lyon."),
    )
    epci_name = forms.CharField(label=gettext_lazy("EPCI"), max_length=160, required=False)
    departement_code = forms.CharField(
        label=gettext_lazy("Département"),
        max_length=4,
        required=False,
        help_text=gettext_lazy("Left empty, it is taken from the commune code."),
    )
    seen = forms.CharField(widget=forms.HiddenInput)


def organisation_address(request):
    admin = request.user
    if not admin.is_org_admin:
        raise PermissionDenied
    organisation = admin.organisation
    initial = {name: getattr(organisation, name) for name in address.FIELDS}
    form = AddressForm(
        request.POST or None, initial={**initial, "seen": address.fingerprint(organisation)}
    )
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            data = form.cleaned_data
            try:
                saved = run_use_case(
                    form,
                    address.set_organisation_address,
                    admin=admin,
                    expected=data.pop("seen"),
                    **data,
                )
            except ConflictError as conflict:
                # What the administrator typed is kept; the form now carries the codes
                # saved meanwhile, so that saving again is a decision taken knowingly.
                organisation.refresh_from_db()
                form = AddressForm(
                    {**request.POST.dict(), "seen": address.fingerprint(organisation)}
                )
                form.is_valid()
                form.add_error(None, str(conflict))
                saved, status = None, 409
            if saved is not None:
                messages.success(request, _("The codes of the organisation are saved."))
                return redirect("accounts:organisation_address")
    return render(
        request,
        "accounts/organisation_address.html",
        {"form": form, "organisation": organisation},
        status=status,
    )
