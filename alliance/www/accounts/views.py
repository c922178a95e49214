from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login, logout
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from alliance.accounts import activation, mfa, proconnect, services, sessions
from alliance.accounts.limits import posted, rate_limit, signed_in_user
from alliance.accounts.models import SignInSecret, User
from alliance.www import reading
from alliance.www.gatekeepers import reauthentication_required
from alliance.www.utils import run_use_case

from .forms import (
    ChoosePasswordForm,
    CodeRequestForm,
    CodeSignInForm,
    PasswordSignInForm,
    ProfessionalForm,
)

BACKEND = settings.AUTHENTICATION_BACKENDS[0]


def safe_next(request) -> str:
    """Where to go after signing in: the `next` the sign-in forms carry (from the
    login-required redirect), when it stays on this site; "" otherwise."""
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target.startswith("/") and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return ""


def _sign_in_url(request):
    target = safe_next(request)
    url = reverse("accounts:sign_in")
    return f"{url}?{urlencode({'next': target})}" if target else url


def _sign_in_page(request, *, password_form=None, code_form=None, request_form=None, status=200):
    personas = []
    if settings.ALLIANCE_DEMO_MODE:
        personas = _persona_cards()
    return reading.render(
        request,
        "accounts/sign_in.html",
        {
            "password_form": password_form or PasswordSignInForm(),
            "code_form": code_form or CodeSignInForm(),
            "request_form": request_form or CodeRequestForm(),
            "personas": personas,
            "next": safe_next(request),
            "proconnect": proconnect.enabled(),
        },
        status=status,
    )


def _persona_cards():
    """One button per demo persona, with who they are in which alliance."""
    from alliance.alliances.models import Ally
    from alliance.demo.personas import demo_personas

    users = list(demo_personas())
    roles = {}
    for ally in Ally.objects.filter(user__in=users).select_related("alliance"):
        roles.setdefault(ally.user_id, []).append(
            f"{ally.get_role_display()} · {ally.alliance.title}"
        )
    cards = []
    for user in users:
        described = roles.get(user.pk) or [
            _("Organisation administrator") if user.is_org_admin else user.get_kind_display()
        ]
        if user.organisation_id and user.is_professional:
            described.append(str(user.organisation))
        cards.append(
            {
                "slug": user.demo_persona,
                "name": user.display_name,
                "description": " — ".join(described),
            }
        )
    return cards


def _open_session(request, user, *, second_factor=None):
    target = safe_next(request)
    login(request, user, backend=BACKEND)
    services.note_sign_in(user)
    if second_factor is not None:
        mfa.verify_session_without_device(request, second_factor)
    return HttpResponseRedirect(target) if target else redirect("home")


@login_not_required
def too_many_attempts(request, exception):
    """What every rate-limited request gets (RATELIMIT_VIEW): nothing was done."""
    response = render(request, "accounts/too_many_attempts.html", status=429)
    response["Retry-After"] = str(getattr(exception, "retry_after", 60))
    return response


@login_not_required
@rate_limit("password", account=posted("email"))
def sign_in(request):
    if request.user.is_authenticated and request.method == "GET":
        return redirect("home")
    if request.method != "POST":
        return _sign_in_page(request)
    form = PasswordSignInForm(request.POST)
    if form.is_valid():
        email, password = form.cleaned_data["email"], form.cleaned_data["password"]
        user = services.check_password_sign_in(email=email, password=password)
        if user is not None:
            return _open_session(request, user)
        # One answer for an unknown account, a wrong password and an account in its
        # delay: the page must not tell who has an account.
        form.add_error(
            None,
            _(
                "This email and password do not match, or there were too many attempts "
                "just now. Wait a moment and try again, or sign in with a code."
            ),
        )
    return _sign_in_page(request, password_form=form, status=400)


@login_not_required
@require_POST
@rate_limit("code")
def sign_in_with_code(request):
    form = CodeSignInForm(request.POST)
    if form.is_valid():
        try:
            user = services.redeem_sign_in_secret(
                secret=form.cleaned_data["code"], kind=SignInSecret.Kind.CODE
            )
        except ValidationError as error:
            form.add_error("code", error.messages)
        else:
            return _open_session(request, user)
    return _sign_in_page(request, code_form=form, status=400)


@login_not_required
@require_POST
@rate_limit("code_email", account=posted("email"))
def request_code(request):
    form = CodeRequestForm(request.POST)
    if not form.is_valid():
        return _sign_in_page(request, request_form=form, status=400)
    services.email_sign_in_code(email=form.cleaned_data["email"])
    messages.info(
        request, _("If this address has an account, a code is on its way. Type it below.")
    )
    return HttpResponseRedirect(_sign_in_url(request))


@login_not_required
@rate_limit("link")
def sign_in_with_link(request, token):
    # The link opens a page with a button: mail scanners that follow links must not
    # use up the single-use link.
    context = {"token": token, "next": safe_next(request)}
    if request.method != "POST":
        return render(request, "accounts/sign_in_link.html", context)
    try:
        user = services.redeem_sign_in_secret(secret=token, kind=SignInSecret.Kind.LINK)
    except ValidationError as error:
        context["errors"] = error.messages
        return render(request, "accounts/sign_in_link.html", context, status=400)
    return _open_session(request, user)


@login_not_required
@require_POST
def sign_in_as_demo(request, persona):
    if not settings.ALLIANCE_DEMO_MODE:
        raise Http404
    user = get_object_or_404(User, demo_persona=persona, is_active=True)
    # Demo personas are shared by everyone trying the demo: nobody could hold their
    # authenticator app. Demo mode holds no real person's data, so its professionals
    # are let through without a second factor; outside demo mode this view is a 404.
    return _open_session(request, user, second_factor=mfa.DEMO)


@require_POST
def sign_out(request):
    activation.forget_this_device(request)
    sessions.close_session(request)
    logout(request)
    response = redirect("accounts:sign_in")
    response.delete_cookie(activation.DEVICE_COOKIE, samesite="Lax")
    return response


@reauthentication_required
@rate_limit("password_change", account=signed_in_user)
def choose_password(request):
    user = request.user
    form = ChoosePasswordForm(request.POST or None, user=user)
    if request.method == "POST" and form.is_valid():
        changed = run_use_case(
            form,
            services.set_password,
            user=user,
            password=form.cleaned_data["password"],
            current_password=form.cleaned_data.get("current_password"),
            keep_request=request,
        )
        if changed is not None:
            messages.success(
                request,
                _("Your password is saved. Your other sessions are signed out."),
            )
            return redirect("accounts:sessions")
    return render(
        request, "accounts/password.html", {"form": form}, status=400 if form.errors else 200
    )


def my_sessions(request):
    rows = list(sessions.open_sessions_of(request.user))
    current = sessions.current_row_id(request)
    return render(
        request,
        "accounts/sessions.html",
        {
            "rows": rows,
            "current": current,
            "others": [row for row in rows if row.pk != current],
            "devices": list(activation.devices_of(request.user)),
        },
    )


@require_POST
def end_session(request, session_id):
    try:
        row = sessions.end_session(user=request.user, session_id=session_id, request=request)
    except PermissionDenied as error:
        raise Http404 from error
    messages.success(request, _("%(device)s is signed out.") % {"device": row.device})
    return redirect("accounts:sessions")


@require_POST
def end_other_sessions(request):
    sessions.end_other_sessions(user=request.user, request=request)
    messages.success(request, _("Every other session is signed out."))
    return redirect("accounts:sessions")


def professionals(request):
    admin = request.user
    if not admin.is_org_admin:
        raise PermissionDenied
    form = ProfessionalForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        user = run_use_case(form, services.add_professional, admin=admin, **form.cleaned_data)
        if user is not None:
            messages.success(
                request,
                _("%(name)s can now sign in with the link sent by email.")
                % {"name": user.display_name},
            )
            return redirect("accounts:professionals")
    members = admin.organisation.members.filter(kind=User.Kind.PROFESSIONAL).order_by(
        "display_name"
    )
    return render(
        request,
        "accounts/professionals.html",
        {
            "form": form,
            "members": members,
            "organisation": admin.organisation,
        },
        status=400 if form.errors else 200,
    )


@require_POST
def professional_active(request, user_id):
    if not request.user.is_org_admin:
        raise PermissionDenied
    professional = get_object_or_404(User, pk=user_id, organisation=request.user.organisation)
    try:
        services.set_professional_active(
            admin=request.user, professional=professional, active=request.POST.get("active") == "1"
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    return redirect("accounts:professionals")
