"""A person's own personal access tokens, through the API: listed, and revoked (a
program rotating its token revokes the old one). Made only on the settings page,
after confirming one's identity: a token never makes another token."""

from datetime import datetime

from django.http import Http404
from ninja import Path, Router, Schema, Status

from alliance.accounts.api_tokens import revoke_personal_token
from alliance.accounts.models import PersonalAccessToken

from .auth import require_user, require_write

router = Router(tags=["tokens"])

# The database's ids: a larger number is refused as input (422), never sent to it.
ID_MAX = 2**63 - 1


class TokenOut(Schema):
    id: int
    name: str
    scope: str
    prefix: str
    created_at: datetime
    expires_at: datetime
    last_used_at: datetime | None
    revoked_at: datetime | None


@router.get("", response=list[TokenOut], url_name="token_list", summary="My access tokens")
def token_list(request):
    user = require_user(request)
    return list(PersonalAccessToken.objects.filter(user=user))


@router.delete(
    "/{token_id}",
    response={204: None},
    url_name="token_revoke",
    summary="Revoke one of my access tokens",
)
def token_revoke(request, token_id: int = Path(..., ge=1, le=ID_MAX)):
    require_write(request)
    user = require_user(request)
    if not revoke_personal_token(user=user, token_id=token_id):
        raise Http404
    return Status(204, None)
