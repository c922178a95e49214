from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login, logout
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from alliance.accounts import services
from alliance.accounts.models import SignInSecret, User
from alliance.www.utils import run_use_case

from .forms import (
    ChoosePasswordForm,
    CodeRequestForm,
    CodeSignInForm,
    PasswordSignInForm,
    ProfessionalForm,
)

BACKEND = settings.AUTHENTICATION_BACKENDS[0]


def _sign_in_page(request, *, password_form=None, code_form=None, request_form=None, status=200):
    personas = []
    if settings.ALLIANCE_DEMO_MODE:
        personas = _persona_cards()
    return render(
        request,
        "accounts/sign_in.html",
        {
            "password_form": password_form or PasswordSignInForm(),
            "code_form": code_form or CodeSignInForm(),
            "request_form": request_form or CodeRequestForm(),
            "personas": personas,
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


def _open_session(request, user):
    login(request, user, backend=BACKEND)
    services.note_sign_in(user)
    return redirect(request.POST.get("next") or "home")


@login_not_required
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
        if services.is_locked_out(email):
            form.add_error(
                None,
                _(
                    "Too many failed attempts: this account is locked for "
                    "%(minutes)s minutes. You can also sign in with a code."
                )
                % {"minutes": settings.ALLIANCE_LOCKOUT_MINUTES},
            )
        else:
            form.add_error(None, _("This email and password do not match."))
    return _sign_in_page(request, password_form=form, status=400)


@login_not_required
@require_POST
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
def request_code(request):
    form = CodeRequestForm(request.POST)
    if not form.is_valid():
        return _sign_in_page(request, request_form=form, status=400)
    services.email_sign_in_code(email=form.cleaned_data["email"])
    messages.info(
        request, _("If this address has an account, a code is on its way. Type it below.")
    )
    return redirect("accounts:sign_in")


@login_not_required
def sign_in_with_link(request, token):
    # The link opens a page with a button: mail scanners that follow links must not
    # use up the single-use link.
    if request.method != "POST":
        return render(request, "accounts/sign_in_link.html", {"token": token})
    try:
        user = services.redeem_sign_in_secret(secret=token, kind=SignInSecret.Kind.LINK)
    except ValidationError as error:
        return render(
            request,
            "accounts/sign_in_link.html",
            {"token": token, "errors": error.messages},
            status=400,
        )
    return _open_session(request, user)


@login_not_required
@require_POST
def sign_in_as_demo(request, persona):
    if not settings.ALLIANCE_DEMO_MODE:
        raise Http404
    user = get_object_or_404(User, demo_persona=persona, is_active=True)
    return _open_session(request, user)


@require_POST
def sign_out(request):
    logout(request)
    return redirect("accounts:sign_in")


def choose_password(request):
    form = ChoosePasswordForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.set_password(user=request.user, password=form.cleaned_data["password"])
        except ValidationError as error:
            form.add_error("password", error.messages)
        else:
            login(request, request.user, backend=BACKEND)
            messages.success(request, _("Your password is saved."))
            return redirect("home")
    return render(
        request, "accounts/password.html", {"form": form}, status=400 if form.errors else 200
    )


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
