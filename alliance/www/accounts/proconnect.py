"""Sign-in with ProConnect (alliance.accounts.proconnect): 404 unless it is set up."""

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.http import Http404
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from mozilla_django_oidc.views import OIDCAuthenticationCallbackView, OIDCAuthenticationRequestView

from alliance.accounts import mfa, proconnect, services
from alliance.accounts.limits import check_rate


class Start(OIDCAuthenticationRequestView):
    def get(self, request):
        if not proconnect.enabled():
            raise Http404
        check_rate(request, "proconnect")
        return super().get(request)


class Callback(OIDCAuthenticationCallbackView):
    def get(self, request):
        if not proconnect.enabled():
            raise Http404
        check_rate(request, "proconnect")
        return super().get(request)

    def login_success(self):
        response = super().login_success()
        services.note_sign_in(self.user)
        if getattr(self.request, "proconnect_multi_factor", False):
            # ProConnect checked two factors: asking for ours again adds nothing.
            mfa.verify_session_without_device(self.request, mfa.PROCONNECT)
        return response

    def login_failure(self):
        if getattr(self.request, "proconnect_failure", None) == proconnect.UNKNOWN_ACCOUNT:
            messages.error(
                self.request,
                _(
                    "No professional account here matches your ProConnect identity. "
                    "Ask the administrator of your organisation to add you with this "
                    "email, then sign in again."
                ),
            )
        else:
            messages.error(self.request, _("Signing in with ProConnect did not work. Try again."))
        return redirect("accounts:sign_in")


start = login_not_required(Start.as_view())
callback = login_not_required(Callback.as_view())
