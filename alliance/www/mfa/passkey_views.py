"""django-otp-webauthn's passkey ceremonies, with our rules: rate limits, a recent
authentication to add a passkey, the trail, our sign-in bookkeeping, and `next`
honoured only when it stays on this site.

Who may receive what: registration answers only the signed-in owner (the options
name their own account and exclude their own passkeys); authentication answers
anyone (it is a way in) but signs in only the owner of the passkey that signed the
challenge, and a signed-in user can only use a passkey of their own."""

import json

from django.contrib.auth import authenticate, login
from django.contrib.auth.decorators import login_not_required
from django.utils.translation import gettext_lazy as _
from django_otp_webauthn import exceptions, views

from alliance.accounts import mfa, services
from alliance.accounts.limits import check_rate
from alliance.www.accounts.views import safe_next


class NotRecentlyAuthenticated(exceptions.OTPWebAuthnApiError):
    status_code = 403
    default_code = "reauthentication_required"
    default_detail = _("Confirm it is you first: reload this page to do so.")


class NotVerified(exceptions.OTPWebAuthnApiError):
    status_code = 403
    default_code = "user_not_verified"
    default_detail = _("Confirm it is you with one of your ways in first, then add a passkey.")


class RegistrationMixin:
    def _check_user_verified(self, user):
        # A session verified by ProConnect or a demo button counts too.
        if not mfa.is_verified(self.request) and mfa.has_device(user):
            raise NotVerified()

    def check_can_register(self):
        check_rate(self.request, "passkey", account=self.request.user.pk)
        if not mfa.is_recently_authenticated(self.request):
            raise NotRecentlyAuthenticated()


class BeginRegistration(RegistrationMixin, views.BeginCredentialRegistrationView):
    pass


class CompleteRegistration(RegistrationMixin, views.CompleteCredentialRegistrationView):
    def post(self, *args, **kwargs):
        response = super().post(*args, **kwargs)
        if response.status_code == 200:
            device = mfa.passkeys_of(self.request.user).get(pk=json.loads(response.content)["id"])
            mfa.note_passkey_added(user=self.request.user, device=device)
        return response


class AuthenticationMixin:
    def check_can_authenticate(self):
        check_rate(self.request, "passkey")
        super().check_can_authenticate()


class BeginAuthentication(AuthenticationMixin, views.BeginCredentialAuthenticationView):
    pass


class CompleteAuthentication(AuthenticationMixin, views.CompleteCredentialAuthenticationView):
    def complete_auth(self, device):
        if not self.request.user.is_authenticated:
            user = authenticate(self.request, webauthn_credential=device)
            if user is None:
                raise exceptions.UserDisabled()
            login(self.request, user)
            services.note_sign_in(user)
        # A passkey checks possession of the device and, with user verification, a PIN
        # or a fingerprint: a second factor, and a fresh authentication.
        mfa.verify_session(self.request, device)

    def get_redirect_url(self):
        return safe_next(self.request)


begin_registration = BeginRegistration.as_view()
complete_registration = CompleteRegistration.as_view()
begin_authentication = login_not_required(BeginAuthentication.as_view())
complete_authentication = login_not_required(CompleteAuthentication.as_view())
