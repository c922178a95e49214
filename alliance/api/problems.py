"""Errors as RFC 9457 problem details, in the caller's language: every refusal of
the API answers `application/problem+json` with a stable `type`, a `title` and a
`detail` a person can read. Nothing of what was refused is echoed back."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, JsonResponse
from django.utils.translation import gettext as _
from ninja import Schema
from ninja.errors import AuthenticationError, AuthorizationError, HttpError
from ninja.errors import ValidationError as NinjaValidationError

from alliance.conflicts import ConflictError

PROBLEM_TYPE = "application/problem+json"
TYPE_BASE = "https://alliance.invalid/problems/"


class Problem(Schema):
    type: str
    title: str
    status: int
    detail: str = ""
    # Which fields were refused and why (bad input only): names, never values.
    errors: list[dict] | None = None


class ApiProblem(Exception):
    """Raised by the API's views and gates to answer a problem."""

    def __init__(self, status: int, kind: str, title: str, detail: str = "", headers=None):
        super().__init__(detail or title)
        self.status = status
        self.kind = kind
        self.title = title
        self.detail = detail
        self.headers = headers or {}


def problem(status: int, kind: str, title: str, detail: str = "", *, errors=None, headers=None):
    body = {"type": TYPE_BASE + kind, "title": str(title), "status": status, "detail": str(detail)}
    if errors is not None:
        body["errors"] = errors
    response = JsonResponse(body, status=status, content_type=PROBLEM_TYPE)
    for name, value in (headers or {}).items():
        response[name] = value
    return response


def not_authenticated():
    return problem(
        401,
        "not-authenticated",
        _("Authentication needed"),
        _("Send a valid access token in the Authorization header: Bearer <token>."),
        headers={"WWW-Authenticate": 'Bearer realm="alliance"'},
    )


def not_found():
    # The same answer whether the thing does not exist or is not yours to see.
    return problem(404, "not-found", _("Not found"), _("Nothing here, or nothing you may see."))


def forbidden(detail=""):
    return problem(403, "forbidden", _("Not allowed"), detail or _("You may not do this."))


def install(api):
    """Registers the handlers of every error the API may meet."""

    @api.exception_handler(ApiProblem)
    def _problem(request, exc):
        return problem(exc.status, exc.kind, exc.title, exc.detail, headers=exc.headers)

    @api.exception_handler(AuthenticationError)
    def _authentication(request, exc):
        return not_authenticated()

    @api.exception_handler(AuthorizationError)
    def _authorization(request, exc):
        return forbidden()

    @api.exception_handler(Http404)
    def _not_found(request, exc):
        return not_found()

    @api.exception_handler(PermissionDenied)
    def _denied(request, exc):
        return forbidden(str(exc) if exc.args else "")

    @api.exception_handler(ConflictError)
    def _conflict(request, exc):
        return problem(409, "conflict", _("Changed meanwhile"), str(exc))

    @api.exception_handler(ValidationError)
    def _invalid(request, exc):
        # A use case's refusal names its fields when it has any, as bad input does.
        errors = (
            [
                {"field": field, "reason": " ".join(messages)}
                for field, messages in exc.message_dict.items()
            ]
            if hasattr(exc, "error_dict")
            else None
        )
        return problem(
            422,
            "invalid",
            _("The request cannot be accepted"),
            " ".join(exc.messages),
            errors=errors,
        )

    @api.exception_handler(NinjaValidationError)
    def _malformed(request, exc):
        errors = [
            {
                "field": ".".join(str(part) for part in error.get("loc", ())),
                "reason": error.get("type", ""),
            }
            for error in exc.errors
        ]
        return problem(
            422,
            "invalid",
            _("The request cannot be accepted"),
            _("Some fields are missing or malformed."),
            errors=errors,
        )

    @api.exception_handler(HttpError)
    def _http(request, exc):
        return problem(exc.status_code, "error", str(exc), "")
