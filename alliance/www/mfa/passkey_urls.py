"""The passkey ceremonies under django-otp-webauthn's own URL names (its template tags
reverse them), served by our views (alliance.www.mfa.passkey_views)."""

from django.contrib.auth.decorators import login_not_required
from django.urls import path
from django.views.i18n import JavaScriptCatalog

from . import passkey_views

app_name = "otp_webauthn"
urlpatterns = [
    path(
        "registration/begin/",
        passkey_views.begin_registration,
        name="credential-registration-begin",
    ),
    path(
        "registration/complete/",
        passkey_views.complete_registration,
        name="credential-registration-complete",
    ),
    path(
        "authentication/begin/",
        passkey_views.begin_authentication,
        name="credential-authentication-begin",
    ),
    path(
        "authentication/complete/",
        passkey_views.complete_authentication,
        name="credential-authentication-complete",
    ),
    path(
        "jsi18n/",
        login_not_required(JavaScriptCatalog.as_view(packages=["django_otp_webauthn"])),
        name="js-i18n-catalog",
    ),
]
