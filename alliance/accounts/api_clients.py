"""An organisation's DUI software as an API client (ADR 0029): OAuth2 client
credentials (RFC 6749 §4.4). Who may receive the credentials: the organisation's
administrator, on their organisation's page, right after confirming their identity
again; the secret is shown to them once and stored as a SHA-256. Who may receive an
access token: whoever presents that client's id and secret to the token endpoint;
the token reads, for one hour, only the consented alliances of the organisation.
Revoking the client stops its tokens at once (they are checked against it)."""

import datetime
import secrets
from types import SimpleNamespace

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from alliance.audit.journal import record
from alliance.audit.models import Action

from .models import ApiClient, ApiClientToken, User, hash_secret

CLIENT_ID_PREFIX = "alcid_"
SECRET_PREFIX = "alcs_"  # noqa: S105 (a prefix, not a secret)
TOKEN_PREFIX = "alc_"  # noqa: S105 (a prefix, not a secret)
SECRET_BYTES = 32  # 256 bits


def as_actor(client: ApiClient):
    """The trail's actor for a client: no account of ours, its name as the label."""
    return SimpleNamespace(pk=None, display_name=client.display_name)


def _check_admin(admin: User) -> None:
    if not (admin.is_org_admin and admin.organisation_id and admin.is_active):
        raise PermissionDenied


def clients_of(admin: User):
    _check_admin(admin)
    return ApiClient.objects.filter(organisation_id=admin.organisation_id).select_related(
        "created_by"
    )


@transaction.atomic
def make_api_client(*, admin: User, name: str) -> tuple[ApiClient, str]:
    """Returns the client and its secret, the only time the secret is known."""
    _check_admin(admin)
    name = name.strip()
    if not name:
        raise ValidationError(_("Give the software a name, to recognise it later."))
    raw = SECRET_PREFIX + secrets.token_urlsafe(SECRET_BYTES)
    client = ApiClient.objects.create(
        organisation_id=admin.organisation_id,
        name=name[:80],
        client_id=CLIENT_ID_PREFIX + secrets.token_urlsafe(12),
        secret_hash=hash_secret(raw),
        created_by=admin,
    )
    record(
        admin,
        Action.API_CLIENT_CREATED,
        organisation_id=admin.organisation_id,
        target=client,
        detail={"client": client.client_id, "name": client.name},
    )
    return client, raw


@transaction.atomic
def revoke_api_client(*, admin: User, client_pk) -> bool:
    """Only an administrator of the client's organisation revokes it; its tokens go
    with it. Another organisation's client is not found."""
    _check_admin(admin)
    client = (
        ApiClient.objects.select_for_update()
        .filter(pk=client_pk, organisation_id=admin.organisation_id, revoked_at__isnull=True)
        .first()
    )
    if client is None:
        return False
    client.revoked_at = timezone.now()
    client.save(update_fields=["revoked_at"])
    client.tokens.all().delete()
    record(
        admin,
        Action.API_CLIENT_REVOKED,
        organisation_id=client.organisation_id,
        target=client,
        detail={"client": client.client_id},
    )
    return True


def authenticate_client(*, client_id: str, secret: str) -> ApiClient | None:
    """The client whose id and secret these are, if it is not revoked. The secret is
    found by its hash in an index, never compared character by character."""
    if not client_id or not secret:
        return None
    return (
        ApiClient.objects.select_related("organisation")
        .filter(client_id=client_id, secret_hash=hash_secret(secret), revoked_at__isnull=True)
        .first()
    )


@transaction.atomic
def grant_client_token(*, client: ApiClient) -> tuple[str, int]:
    """A new access token for the client: (the token, its lifetime in seconds). The
    client's expired tokens are dropped at the same time."""
    now = timezone.now()
    lifetime = settings.ALLIANCE_API_CLIENT_TOKEN_SECONDS
    client.tokens.filter(expires_at__lte=now).delete()
    raw = TOKEN_PREFIX + secrets.token_urlsafe(SECRET_BYTES)
    ApiClientToken.objects.create(
        client=client,
        token_hash=hash_secret(raw),
        expires_at=now + datetime.timedelta(seconds=lifetime),
    )
    record(
        as_actor(client),
        Action.API_CLIENT_TOKEN_GRANTED,
        organisation_id=client.organisation_id,
        target=client,
        detail={"client": client.client_id},
    )
    return raw, lifetime


def client_of_token(raw: str, now) -> ApiClient | None:
    token = (
        ApiClientToken.objects.select_related("client", "client__organisation")
        .filter(token_hash=hash_secret(raw), expires_at__gt=now, client__revoked_at__isnull=True)
        .first()
    )
    return token.client if token is not None else None
