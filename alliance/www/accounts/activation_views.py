"""The activation page and the choice of a way back in (ADR 0013). A GET of the
activation page never signs in: the code of a QR code arrives in the fragment and
only the form's POST uses it."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from alliance.accounts import activation, services
from alliance.accounts.limits import rate_limit, signed_in_user
from alliance.accounts.models import hash_secret
from alliance.accounts.services import normalise_code
from alliance.www import reading

from .forms import ActivationForm, FirstPasswordForm

BACKEND = settings.AUTHENTICATION_BACKENDS[0]


def _private(response):
    """Pages that carry a code or lead to one send no Referer to another site, whatever
    the site's default becomes (ADR 0013); no code is ever in their URL. Not
    `no-referrer`: on a page with a form, browsers then post with `Origin: null`,
    which the CSRF protection rightly refuses."""
    response["Referrer-Policy"] = "same-origin"
    return response


def _typed_code(request):
    """The account key of the activation page: the letter the typed code would open
    (hashed, like the letters), so that one letter's code cannot be guessed from many
    addresses either."""
    code = normalise_code(request.POST.get("code", ""))[:20]
    return hash_secret(code) if code else None


@login_not_required
@rate_limit("activation", account=_typed_code)
def activate(request):
    form = ActivationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            user = activation.redeem_letter(code=form.cleaned_data["code"])
        except ValidationError as error:
            form.add_error("code", error.messages)
        else:
            login(request, user, backend=BACKEND)
            services.note_sign_in(user)
            activation.mark_freshly_activated(request)
            return redirect("accounts:activate_choose")
    easy = request.session.get(reading.SESSION_KEY) != reading.STANDARD
    return _private(
        render(
            request,
            # Letters go mostly to persons: the page reads easily unless this browser
            # chose the usual reading (the header's switch).
            "easy/accounts/activate.html" if easy else "accounts/activate.html",
            {"form": form, "easy": easy},
            status=400 if form.errors else 200,
        )
    )


def _require_fresh(request):
    if not activation.is_freshly_activated(request):
        raise PermissionDenied


def _passkeys_url():
    """Passkeys are another part of the product: offered once it is there."""
    try:
        return reverse("mfa:passkeys")
    except NoReverseMatch:
        return None


def choose(request):
    _require_fresh(request)
    return _private(
        reading.render(
            request,
            "accounts/activate_choose.html",
            {"passkeys_url": _passkeys_url(), "password_form": FirstPasswordForm()},
        )
    )


@require_POST
def keep_device(request):
    _require_fresh(request)
    token = activation.keep_device_signed_in(user=request.user, request=request)
    messages.success(
        request,
        _("This device stays signed in. You can stop it from “My sessions” at any time."),
    )
    response = redirect("home")
    response.set_cookie(activation.DEVICE_COOKIE, token, **activation.device_cookie_settings())
    return response


@require_POST
@rate_limit("password_change", account=signed_in_user)
def first_password(request):
    _require_fresh(request)
    form = FirstPasswordForm(request.POST)
    if form.is_valid():
        try:
            services.set_password(
                user=request.user, password=form.cleaned_data["password"], keep_request=request
            )
        except ValidationError as error:
            for message in error.message_dict.get("password", error.messages):
                form.add_error("password", message)
        else:
            messages.success(request, _("Your password is saved."))
            return redirect("home")
    return _private(
        reading.render(
            request,
            "accounts/activate_choose.html",
            {"passkeys_url": _passkeys_url(), "password_form": form},
            status=400,
        )
    )


@require_POST
def revoke_device(request, device_id):
    try:
        device = activation.revoke_device(user=request.user, device_id=device_id)
    except PermissionDenied as error:
        raise Http404 from error
    messages.success(
        request, _("%(device)s no longer stays signed in.") % {"device": device.device}
    )
    return redirect("accounts:sessions")
