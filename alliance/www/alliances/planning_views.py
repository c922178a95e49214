"""The alliance's planning codes (issue 14): a page for the professionals of the
alliance's organisation only. The labels of the codes are the organisation's
vocabulary for planning, never shown to the person, and the page has no easy-read
version: the person's pages never show them."""

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy

from alliance.alliances import perms, planning_codes
from alliance.alliances.planning import SERVICE_TYPES
from alliance.conflicts import ConflictError
from alliance.www.gatekeepers import alliance_view
from alliance.www.utils import run_use_case

# planning.py is pure: its labels are translated here, where they are shown.
SERVICE_TYPE_LABELS = {
    "camsp": pgettext_lazy("service type", "CAMSP"),
    "cmpp": pgettext_lazy("service type", "CMPP"),
    "sessad": pgettext_lazy("service type", "SESSAD"),
    "ime": pgettext_lazy("service type", "IME"),
    "itep": pgettext_lazy("service type", "ITEP / DITEP"),
    "iem": pgettext_lazy("service type", "IEM"),
    "eeap": pgettext_lazy("service type", "EEAP"),
    "ulis": pgettext_lazy("service type", "ULIS / ordinary school with support"),
    "esat": pgettext_lazy("service type", "ESAT"),
    "ea": pgettext_lazy("service type", "Adapted company (EA)"),
    "savs": pgettext_lazy("service type", "SAVS"),
    "samsah": pgettext_lazy("service type", "SAMSAH"),
    "foyer_vie": pgettext_lazy("service type", "Foyer de vie / EANM"),
    "fam": pgettext_lazy("service type", "FAM / EAM"),
    "mas": pgettext_lazy("service type", "MAS"),
    "plateforme": pgettext_lazy("service type", "Platform / integrated service"),
    "other": pgettext_lazy("service type", "Other"),
}


def service_type_choices():
    return [("", _("— not recorded —"))] + [
        (code, SERVICE_TYPE_LABELS[code]) for code, _label in SERVICE_TYPES
    ]


class PlanningForm(forms.Form):
    mdph_orientation = forms.ChoiceField(label=gettext_lazy("MDPH orientation"), required=False)
    service_type = forms.ChoiceField(
        label=gettext_lazy("Type of service that accompanies the person"), required=False
    )
    seen = forms.CharField(widget=forms.HiddenInput)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["mdph_orientation"].choices = service_type_choices()
        self.fields["service_type"].choices = service_type_choices()


def _initial(alliance):
    return {
        "mdph_orientation": alliance.mdph_orientation,
        "service_type": alliance.service_type,
        "seen": planning_codes.seen(alliance),
    }


@alliance_view("planning")
def planning(request, alliance, me):
    if not perms.can_set_planning_codes(me):
        raise PermissionDenied
    form = PlanningForm(request.POST or None, initial=_initial(alliance))
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            data = form.cleaned_data
            try:
                saved = run_use_case(
                    form,
                    planning_codes.set_planning_codes,
                    ally=me,
                    mdph_orientation=data["mdph_orientation"],
                    service_type=data["service_type"],
                    expected=data["seen"],
                )
            except ConflictError as conflict:
                # The choices made are kept; the form now carries the codes saved
                # meanwhile, so that saving again is a decision taken knowingly.
                alliance.refresh_from_db()
                form = PlanningForm({**request.POST.dict(), "seen": planning_codes.seen(alliance)})
                form.is_valid()
                form.add_error(None, str(conflict))
                saved, status = None, 409
            if saved is not None:
                messages.success(request, _("The planning codes are saved."))
                return redirect("alliances:planning", alliance.pk)
    return render(
        request,
        "alliances/planning.html",
        {"alliance": alliance, "me": me, "form": form},
        status=status,
    )
