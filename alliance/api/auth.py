"""Who calls the API. A bearer token is looked up by its SHA-256 (a copy of the
database opens nothing); a token that is unknown, expired or revoked gets the same
401. The caller's scope is checked by `require_write` before any use case runs.
Every token is rate limited on its own (settings ALLIANCE_RATE_LIMITS["api"]): 429
with Retry-After, before it is even looked up."""

from dataclasses import dataclass

from django.utils import timezone
from django.utils.translation import gettext as _
from ninja.security import HttpBearer

from alliance.accounts.api_clients import TOKEN_PREFIX as CLIENT_TOKEN_PREFIX
from alliance.accounts.api_clients import client_of_token
from alliance.accounts.limits import RateLimited, check_rate
from alliance.accounts.models import ApiClient, ApiScope, PersonalAccessToken, User, hash_secret

from .problems import ApiProblem

PERSONAL_TOKEN_PREFIX = "alp_"  # noqa: S105 (a prefix, not a secret)


@dataclass(frozen=True)
class Caller:
    """`user` is the token's owner, acting exactly as on the pages. `client` is set
    instead when an organisation's DUI software calls with client credentials."""

    scope: str
    user: User | None = None
    client: ApiClient | None = None

    @property
    def may_write(self) -> bool:
        return self.scope == ApiScope.WRITE


def _personal(raw: str, now) -> Caller | None:
    token = (
        PersonalAccessToken.objects.select_related("user", "user__organisation")
        .filter(token_hash=hash_secret(raw))
        .first()
    )
    if token is None or not token.is_usable(now) or not token.user.is_active:
        return None
    # Written at most once a minute, not at every call.
    if token.last_used_at is None or (now - token.last_used_at).total_seconds() > 60:
        PersonalAccessToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return Caller(scope=token.scope, user=token.user)


def _client(raw: str, now) -> Caller | None:
    # A DUI client only ever reads, whatever it asked for.
    client = client_of_token(raw, now)
    return Caller(scope=ApiScope.READ, client=client) if client is not None else None


def too_many(retry_after: int) -> ApiProblem:
    return ApiProblem(
        429,
        "too-many-requests",
        _("Too many requests"),
        _("Wait %(seconds)s seconds before trying again.") % {"seconds": retry_after},
        headers={"Retry-After": str(retry_after)},
    )


def _limit(request, token: str) -> None:
    try:
        check_rate(request, "api", account=hash_secret(token))
    except RateLimited as limited:
        raise too_many(limited.retry_after) from None


class TokenAuth(HttpBearer):
    def authenticate(self, request, token):
        _limit(request, token)
        now = timezone.now()
        if token.startswith(PERSONAL_TOKEN_PREFIX):
            caller = _personal(token, now)
        elif token.startswith(CLIENT_TOKEN_PREFIX):
            caller = _client(token, now)
        else:
            caller = None
        if caller is not None:
            request.caller = caller
            # Refused before the body is even read: a read-only token learns nothing of
            # what a write would have needed.
            if request.method not in ("GET", "HEAD", "OPTIONS") and not caller.may_write:
                raise insufficient_scope()
        return caller


def caller_of(request) -> Caller:
    return request.auth


def insufficient_scope() -> ApiProblem:
    return ApiProblem(
        403,
        "insufficient-scope",
        _("This token may only read"),
        _("Make a token with the write scope to change anything."),
        headers={"WWW-Authenticate": 'Bearer error="insufficient_scope", scope="write"'},
    )


def require_write(request) -> Caller:
    caller = caller_of(request)
    if not caller.may_write:
        raise insufficient_scope()
    return caller


def require_user(request) -> User:
    """The pages of a person's alliances act as someone: a DUI client has no words of
    its own to write and no alliance of its own to read outside the consented ones."""
    caller = caller_of(request)
    if caller.user is None:
        raise ApiProblem(403, "user-only", _("Only a person's own token may do this"), "")
    return caller.user
