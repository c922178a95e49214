"""The API's credentials on the pages (ADR 0029): a user's personal access tokens on
"My settings", and an organisation's DUI software on its administrator's page. A
secret is made only right after the user confirmed who they are, kept in the session
for one display (never in a URL), then forgotten: the database holds its hash."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from alliance.accounts import api_clients as clients
from alliance.accounts.api_tokens import make_personal_token, revoke_personal_token
from alliance.www.gatekeepers import reauthentication_required
from alliance.www.reading import render
from alliance.www.utils import run_use_case

from .forms import ApiClientForm, ApiTokenForm
from .reading_views import TOKEN_SECRET, settings_page

CLIENT_SECRET = "api_client_secret"  # noqa: S105 (a session key, not a secret)


def _settings_tokens():
    return reverse("accounts:settings") + "#api"


@require_POST
@reauthentication_required(back=lambda request: _settings_tokens())
def api_token_make(request):
    form = ApiTokenForm(request.POST)
    if form.is_valid():
        made = run_use_case(
            form,
            make_personal_token,
            user=request.user,
            name=form.cleaned_data["name"],
            scope=form.cleaned_data["scope"],
            days=form.cleaned_data["days"],
        )
        if made is not None:
            _token, raw = made
            request.session[TOKEN_SECRET] = raw
            return redirect(_settings_tokens())
    return settings_page(request, token_form=form)


@require_POST
def api_token_revoke(request, token_id):
    if not revoke_personal_token(user=request.user, token_id=token_id):
        raise Http404
    messages.success(request, _("The token no longer works."))
    return redirect(_settings_tokens())


def _clients_page(request, *args, **kwargs):
    return reverse("accounts:api_clients")


def _check_org_admin(request):
    if not request.user.is_org_admin:
        raise PermissionDenied


def api_clients(request):
    _check_org_admin(request)
    if request.method == "POST":
        return _make_client(request)
    return _clients_page_render(request, ApiClientForm())


@reauthentication_required(back=_clients_page)
def _make_client(request):
    form = ApiClientForm(request.POST)
    if form.is_valid():
        made = run_use_case(
            form, clients.make_api_client, admin=request.user, name=form.cleaned_data["name"]
        )
        if made is not None:
            client, raw = made
            request.session[CLIENT_SECRET] = {"client_id": client.client_id, "secret": raw}
            return redirect("accounts:api_clients")
    return _clients_page_render(request, form)


def _clients_page_render(request, form):
    new = request.session.pop(CLIENT_SECRET, None)
    context = {
        "form": form,
        "clients": clients.clients_of(request.user),
        "organisation": request.user.organisation,
        "new_client": new,
        "token_url": request.build_absolute_uri(reverse("api:oauth_token")),
    }
    return render(request, "accounts/api_clients.html", context, status=400 if form.errors else 200)


@require_POST
def api_client_revoke(request, api_client_id):
    _check_org_admin(request)
    if not clients.revoke_api_client(admin=request.user, client_pk=api_client_id):
        raise Http404
    messages.success(request, _("This software can no longer read the API."))
    return redirect("accounts:api_clients")
