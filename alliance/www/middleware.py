from django.conf import settings
from django.contrib import messages
from django.contrib.auth import authenticate, login, logout
from django.http import HttpResponse, HttpResponseRedirect, JsonResponse
from django.template.loader import render_to_string
from django.urls import Resolver404, resolve, reverse
from django.utils.cache import add_never_cache_headers
from django.utils.http import urlencode
from django.utils.translation import gettext_lazy as _

from alliance.accounts import mfa, sessions
from alliance.audit.journal import record, watching
from alliance.audit.models import Action
from alliance.collectives.models import Collective
from alliance.www.utils import shows_a_page

# The same base as the API's own problems (alliance.api.problems.TYPE_BASE).
PROBLEM_TYPES = "https://alliance.invalid/problems/"


class ContentSecurityPolicyMiddleware:
    """Django 5.2 has no CSP of its own (6.0 does). Our pages carry no inline script
    or style, so the policy can be strict."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        response.headers.setdefault("Content-Security-Policy", settings.CONTENT_SECURITY_POLICY)
        response.headers.setdefault(
            "Permissions-Policy", "camera=(), microphone=(), geolocation=()"
        )
        return response


class FrenchUnlessChosenMiddleware:
    """The product speaks French unless the user picks English with the language
    switch (a cookie). A browser's Accept-Language is ignored on purpose: shared
    computers in services are often set to English while their users read French.
    The API is the exception: a program says which language its errors should be in."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not request.path_info.startswith("/api/"):
            request.META.pop("HTTP_ACCEPT_LANGUAGE", None)
        return self.get_response(request)


class SessionLimitsMiddleware:
    """Ends a session left idle too long (ALLIANCE_IDLE_MINUTES_*), open too long
    (ALLIANCE_SESSION_MAX_HOURS) or signed out from another browser ("my sessions"),
    and sends its user to the sign-in page with a message and the page they asked
    for. It sits after the authentication and message middlewares."""

    MESSAGES = {
        sessions.IDLE: _(
            "You were signed out after a while without activity, to protect your account. "
            "Sign in again to continue."
        ),
        sessions.EXPIRED: _("Your session has ended. Sign in again to continue."),
        sessions.ENDED: _("This session was signed out. Sign in again to continue."),
    }

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.user.is_authenticated:
            reason = sessions.check_session(request)
            if reason is not None:
                return self._signed_out(request, reason)
        return self.get_response(request)

    def _signed_out(self, request, reason):
        sessions.close_session(request)
        logout(request)
        messages.info(request, self.MESSAGES[reason])
        # A POST's data is lost anyway; the page it came from is where to go back.
        target = request.get_full_path() if request.method == "GET" else ""
        url = reverse(settings.LOGIN_URL)
        if target:
            url = f"{url}?{urlencode({'next': target})}"
        if request.headers.get("HX-Request"):
            response = HttpResponse(status=204)
            response["HX-Redirect"] = url
            return response
        return HttpResponseRedirect(url)


# Exports and downloads: never kept by a browser or a proxy, signed in or not.
PRIVATE_TYPES = ("application/pdf", "text/csv", "application/vnd.oasis", "application/json")


class NoStoreMiddleware:
    """Personal pages and exports are never stored by a browser or a proxy: the next
    person at a shared computer must not find them with the back button or in the
    cache. Public pages (static files, the sign-in page, a collective's public page)
    keep their ordinary caching."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if (
            (user is not None and user.is_authenticated)
            # The API answers a token, not a session: its answers are personal too.
            or request.path_info.startswith("/api/")
            or response.get("Content-Type", "").startswith(PRIVATE_TYPES)
            or response.has_header("Content-Disposition")
        ):
            add_never_cache_headers(response)
            response.headers["Pragma"] = "no-cache"
        return response


class CollectiveReadsMiddleware:
    """Every page of a collective shown to a signed-in member, whatever the method, is
    written to the trail, as alliance pages are (ADR 0008). In one place for the three
    areas whose URLs name a collective (collectives, results, proposals): their views
    load the collective through the gatekeeper each in their own way, and a new view
    cannot forget it. A POST whose use case wrote its own entry is not a read again; a
    refusal (403), a redirect or a not found showed nothing."""

    AREAS = ("collectives", "results", "proposals")

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        with watching() as written:
            response = self.get_response(request)
        match = request.resolver_match
        if (
            match is not None
            and match.namespace in self.AREAS
            and "collective_id" in match.kwargs
            and request.user.is_authenticated
            and shows_a_page(response)
            and response.status_code != 403
            and not (request.method == "POST" and response.status_code < 400 and written)
        ):
            detail = {"page": match.view_name}
            if request.method != "GET":
                detail["method"] = request.method
            record(
                request.user,
                Action.COLLECTIVE_VIEWED,
                target=Collective(pk=match.kwargs["collective_id"]),
                detail=detail,
            )
        return response


class SecondFactorMiddleware:
    """Professionals and decision makers read nothing personal before their second
    factor is verified in this session (ADR 0011): any other page sends them to use
    it, or to set one up when they have none. Only the pages listed here stay open:
    signing out, the second factor's own pages, the language switch, static files
    and the public pages that need no sign-in. It sits after django-otp's
    OTPMiddleware."""

    ALLOWED = frozenset(
        {
            "accounts:sign_out",
            "accounts:sign_in",
            "accounts:sign_in_code",
            "accounts:request_code",
            "accounts:sign_in_link",
            "accounts:sign_in_demo",
            "accounts:proconnect_start",
            "accounts:proconnect_callback",
            "mfa:setup",
            "mfa:verify",
            "mfa:passkeys",
            "mfa:reauthenticate",
            "proposals:public",
            "set_language",
        }
    )
    ALLOWED_NAMESPACES = frozenset({"otp_webauthn"})

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if (
            mfa.needs_second_factor(request.user)
            and not mfa.is_verified(request)
            and not self._allowed(request)
        ):
            name = "mfa:verify" if mfa.has_device(request.user) else "mfa:setup"
            return self._redirect(request, name)
        return self.get_response(request)

    def _allowed(self, request) -> bool:
        if request.path_info.startswith(settings.STATIC_URL):
            return True
        try:
            match = resolve(request.path_info)
        except Resolver404:
            return False
        return match.view_name in self.ALLOWED or match.namespace in self.ALLOWED_NAMESPACES

    def _redirect(self, request, name):
        url = reverse(name)
        if request.method == "GET":
            url = f"{url}?{urlencode({'next': request.get_full_path()})}"
        if request.headers.get("HX-Request"):
            response = HttpResponse(status=204)
            response["HX-Redirect"] = url
            return response
        return HttpResponseRedirect(url)


class DeviceSignInMiddleware:
    """A browser without a session but with a device cookie ("keep this device
    signed in", alliance.accounts.activation) is signed in as its owner, on a GET or
    HEAD only: signing in rotates the CSRF token, which a POST in flight would fail.
    A cookie that no longer opens anything (revoked, expired) is removed."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        from alliance.accounts import activation, services

        token = request.COOKIES.get(activation.DEVICE_COOKIE)
        stale = False
        if token and not request.user.is_authenticated and request.method in ("GET", "HEAD"):
            user = authenticate(request, device_token=token)
            if user is None:
                stale = True
            else:
                login(request, user)
                services.note_sign_in(user)
        response = self.get_response(request)
        if stale:
            response.delete_cookie(activation.DEVICE_COOKIE, samesite="Lax")
        return response


class ErrorPagesMiddleware:
    """An error answered with an empty body — a method the view does not take
    (require_POST's bare 405), an HttpResponseForbidden() or a 403 of a probe — gets
    the product's error page in the reader's language instead of the browser's bare
    one. A response with a body of its own (a form shown again with its errors, a
    gatekeeper's 404 page) is left as it is."""

    PAGES = {400: "400.html", 403: "403.html", 404: "404.html", 405: "405.html"}
    # Under /api/ a program reads the error: the same refusals as RFC 9457 problem
    # details (alliance.api.problems), for what never reaches the API's own handlers
    # (an unknown address, a method a route does not take).
    API_PROBLEMS = {
        400: ("invalid", _("The request cannot be accepted")),
        403: ("forbidden", _("Not allowed")),
        404: ("not-found", _("Not found")),
        405: ("method-not-allowed", _("This method is not allowed here")),
    }

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if request.path_info.startswith("/api/"):
            return self._as_problem(response)
        template = self.PAGES.get(response.status_code)
        if template is None or response.streaming or response.content or request.method == "HEAD":
            return response
        # Rendered without the request, as Django renders 500.html: the page must not
        # depend on what failed (error_base.html).
        response.content = render_to_string(template)
        response["Content-Type"] = "text/html; charset=utf-8"
        return response

    def _as_problem(self, response):
        problem = self.API_PROBLEMS.get(response.status_code)
        answered = response.get("Content-Type", "").startswith("application/")
        if problem is None or answered or response.streaming:
            return response
        kind, title = problem
        status = response.status_code
        body = {"type": f"{PROBLEM_TYPES}{kind}", "title": str(title), "status": status}
        refused = JsonResponse(body, status=status, content_type="application/problem+json")
        if response.has_header("Allow"):
            refused["Allow"] = response["Allow"]
        return refused
