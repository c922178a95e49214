"""The second factor's pages: set up an authenticator app, use a code or a passkey,
list and remove one's devices, recovery codes, passkeys, re-authentication.

Who may receive what: every page here shows only the signed-in user's own devices;
the key of a new authenticator app and the recovery codes are shown once, to that
user, in a response that no browser or proxy keeps (NoStoreMiddleware)."""

import base64

import segno
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from alliance.accounts import mfa, services
from alliance.accounts.limits import rate_limit, signed_in_user
from alliance.www.accounts.views import safe_next
from alliance.www.gatekeepers import reauthentication_required
from alliance.www.utils import run_use_case

from .forms import ConfirmAuthenticatorForm, ReauthenticatePasswordForm, SecondFactorCodeForm


def _go_on(request, default="home"):
    target = safe_next(request)
    return HttpResponseRedirect(target) if target else redirect(default)


def _with_next(request, name):
    url = reverse(name)
    target = safe_next(request)
    return f"{url}?{urlencode({'next': target})}" if target else url


def _readable_key(key_hex: str) -> str:
    """The key as authenticator apps take it when typed (base32), in groups of four."""
    key = base64.b32encode(bytes.fromhex(key_hex)).decode().rstrip("=")
    return " ".join(key[i : i + 4] for i in range(0, len(key), 4))


def _recovery_codes_page(request, codes, *, status=200):
    return render(
        request,
        "mfa/recovery_codes.html",
        {"codes": codes, "next": safe_next(request)},
        status=status,
    )


@reauthentication_required
@rate_limit("second_factor", account=signed_in_user)
def setup(request):
    """An authenticator app: its key (QR code and text) goes to its owner only."""
    user = request.user
    if mfa.has_device(user) and not mfa.is_verified(request):
        # Nobody adds a factor to an account without first using one it has.
        return redirect(_with_next(request, "mfa:verify"))
    key = request.session.get(mfa.PENDING_TOTP_KEY) or mfa.new_totp_key()
    request.session[mfa.PENDING_TOTP_KEY] = key
    form = ConfirmAuthenticatorForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        added = run_use_case(
            form, mfa.add_authenticator, user=user, key=key, token=form.cleaned_data["code"]
        )
        if added is not None:
            device, codes = added
            del request.session[mfa.PENDING_TOTP_KEY]
            mfa.verify_session(request, device)
            messages.success(request, _("Your authenticator app is set up."))
            if codes:
                return _recovery_codes_page(request, codes)
            return _go_on(request, "mfa:devices")
    qr = segno.make(mfa.totp_config_url(user=user, key=key), error="m")
    return render(
        request,
        "mfa/setup.html",
        {
            "form": form,
            "qr_svg": qr.svg_inline(scale=5, title=_("QR code of your key"), border=2),
            "readable_key": _readable_key(key),
            "first": not mfa.has_device(user),
            "next": safe_next(request),
        },
        status=400 if form.errors else 200,
    )


@rate_limit("second_factor", account=signed_in_user)
def verify(request):
    user = request.user
    if mfa.is_verified(request):
        return _go_on(request)
    if not mfa.has_device(user):
        return redirect(_with_next(request, "mfa:setup"))
    form = SecondFactorCodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        device = mfa.check_code(user=user, token=form.cleaned_data["code"])
        if device is not None:
            mfa.verify_session(request, device)
            return _go_on(request)
        form.add_error(
            "code",
            _("This code does not work. Type the code shown now, or an unused recovery code."),
        )
    return render(
        request,
        "mfa/verify.html",
        {
            "form": form,
            "has_passkey": mfa.passkeys_of(user).exists(),
            "next": safe_next(request),
        },
        status=400 if form.errors else 200,
    )


def devices(request):
    user = request.user
    return render(
        request,
        "mfa/devices.html",
        {
            "authenticators": mfa.authenticators_of(user),
            "passkeys": mfa.passkeys_of(user),
            "recovery_left": mfa.recovery_codes_left(user),
        },
    )


def _back_to_devices(request, *args, **kwargs):
    return safe_next(request) or reverse("mfa:devices")


DEVICE_KINDS = {"authenticator": mfa.authenticators_of, "passkey": mfa.passkeys_of}


@require_POST
@reauthentication_required(back=_back_to_devices)
def remove_device(request, kind, device_id):
    if kind not in DEVICE_KINDS:
        raise Http404
    device = get_object_or_404(DEVICE_KINDS[kind](request.user), pk=device_id)
    try:
        mfa.remove_device(user=request.user, device=device)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("It is removed."))
    return _go_on(request, "mfa:devices")


@require_POST
@reauthentication_required(back=_back_to_devices)
def recovery_codes(request):
    codes = mfa.regenerate_recovery_codes(user=request.user)
    return _recovery_codes_page(request, codes)


@reauthentication_required
def passkeys(request):
    """Register, list and remove one's passkeys: every signed-in user, a person
    without email or password included (right after their activation)."""
    return render(
        request,
        "mfa/passkeys.html",
        {"passkeys": mfa.passkeys_of(request.user), "next": safe_next(request)},
    )


@rate_limit("reauthentication", account=signed_in_user)
def reauthenticate(request):
    user = request.user
    password_form = ReauthenticatePasswordForm(request.POST if "password" in request.POST else None)
    code_form = SecondFactorCodeForm(request.POST if "code" in request.POST else None)
    if password_form.is_bound and password_form.is_valid():
        signed = services.check_password_sign_in(
            email=user.email, password=password_form.cleaned_data["password"]
        )
        if signed is not None and signed.pk == user.pk:
            mfa.note_reauthentication(request)
            return _go_on(request)
        password_form.add_error(
            "password", _("This is not your password, or there were too many attempts.")
        )
    if code_form.is_bound and code_form.is_valid():
        device = mfa.check_code(user=user, token=code_form.cleaned_data["code"])
        if device is not None:
            mfa.verify_session(request, device)
            return _go_on(request)
        code_form.add_error("code", _("This code does not work."))
    can_use_code = mfa.authenticators_of(user).exists() or mfa.recovery_codes_left(user) > 0
    return render(
        request,
        "mfa/reauthenticate.html",
        {
            # The password signs in with the email: no email, no password sign-in.
            "password_form": password_form if user.email and user.has_usable_password() else None,
            "code_form": code_form if can_use_code else None,
            "has_passkey": mfa.passkeys_of(user).exists(),
            "next": safe_next(request),
        },
        status=400 if password_form.errors or code_form.errors else 200,
    )
