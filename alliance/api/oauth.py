"""The OAuth2 token endpoint (RFC 6749 §4.4, client credentials) for an
organisation's DUI software. Its answers follow RFC 6749 §5, not RFC 9457: OAuth
libraries read `{"error": "invalid_client"}` and nothing else (ADR 0029). Only its
rate limit answers a problem, as everywhere in the API (429, Retry-After)."""

import base64
import binascii
from urllib.parse import unquote_plus

from django.http import JsonResponse
from django.views.decorators.csrf import csrf_exempt
from ninja import Router

from alliance.accounts.api_clients import authenticate_client, grant_client_token
from alliance.accounts.limits import RateLimited, check_rate
from alliance.accounts.models import ApiScope

from .auth import too_many

router = Router(tags=["oauth"], auth=None)

GRANT = "client_credentials"

TOKEN_REQUEST = {
    "requestBody": {
        "required": True,
        "content": {
            "application/x-www-form-urlencoded": {
                "schema": {
                    "type": "object",
                    "required": ["grant_type"],
                    "properties": {
                        "grant_type": {"type": "string", "enum": [GRANT]},
                        "client_id": {"type": "string"},
                        "client_secret": {"type": "string"},
                        "scope": {"type": "string", "enum": [ApiScope.READ.value]},
                    },
                }
            }
        },
    },
    "security": [{"ClientBasic": []}, {}],
    "responses": {
        "200": {
            "description": "An access token for one hour, read only",
            "content": {
                "application/json": {
                    "schema": {
                        "type": "object",
                        "required": ["access_token", "token_type", "expires_in", "scope"],
                        "properties": {
                            "access_token": {"type": "string"},
                            "token_type": {"type": "string", "enum": ["Bearer"]},
                            "expires_in": {"type": "integer"},
                            "scope": {"type": "string"},
                        },
                    }
                }
            },
        },
        "400": {"description": "RFC 6749 §5.2 error", "content": {"application/json": {}}},
        "401": {"description": "RFC 6749 §5.2 invalid_client", "content": {"application/json": {}}},
    },
}


def _oauth_error(error: str, status: int = 400, *, basic: bool = False) -> JsonResponse:
    response = JsonResponse({"error": error}, status=status)
    if basic:
        response["WWW-Authenticate"] = 'Basic realm="alliance"'
    return _no_store(response)


def _no_store(response):
    # Cache-Control: no-store comes with every answer of the API (the middleware);
    # RFC 6749 §5.1 also asks for Pragma, for old HTTP/1.0 caches.
    response["Pragma"] = "no-cache"
    return response


def _basic_credentials(request) -> tuple[str, str] | None:
    """The client's id and secret from HTTP Basic (form-encoded, RFC 6749 §2.3.1),
    or None when the header is not Basic. A malformed header gives ("", "")."""
    header = request.META.get("HTTP_AUTHORIZATION", "")
    scheme, _space, value = header.partition(" ")
    if scheme.lower() != "basic":
        return None
    try:
        decoded = base64.b64decode(value.strip(), validate=True).decode()
    except (binascii.Error, UnicodeDecodeError):
        return ("", "")
    client_id, colon, secret = decoded.partition(":")
    if not colon:
        return ("", "")
    return unquote_plus(client_id), unquote_plus(secret)


@router.post(
    "/token",
    url_name="oauth_token",
    summary="An access token for an organisation's DUI software (client credentials)",
    openapi_extra=TOKEN_REQUEST,
)
@csrf_exempt
def token(request):
    try:
        check_rate(request, "oauth_token")
    except RateLimited as limited:
        raise too_many(limited.retry_after) from None
    data = request.POST
    basic = _basic_credentials(request)
    in_body = "client_id" in data or "client_secret" in data
    if basic is not None and in_body:
        # RFC 6749 §2.3: one way of authenticating the client per request.
        return _oauth_error("invalid_request")
    grant_type = data.get("grant_type", "")
    if not grant_type:
        return _oauth_error("invalid_request")
    if grant_type != GRANT:
        return _oauth_error("unsupported_grant_type")
    scope = data.get("scope", "").strip()
    if scope and scope != ApiScope.READ:
        return _oauth_error("invalid_scope")
    client_id, secret = basic or (data.get("client_id", ""), data.get("client_secret", ""))
    client = authenticate_client(client_id=client_id, secret=secret)
    if client is None:
        return _oauth_error("invalid_client", 401, basic=basic is not None)
    raw, lifetime = grant_client_token(client=client)
    body = {
        "access_token": raw,
        "token_type": "Bearer",
        "expires_in": lifetime,
        "scope": ApiScope.READ.value,
    }
    return _no_store(JsonResponse(body))
