"""The client credentials door (RFC 6749 §4.4): who may receive a DUI client's
credentials (its organisation's administrator), who may receive an access token
(whoever presents them), and that nobody else gets either."""

import base64
import datetime

import pytest
from django.core.cache import cache
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from alliance.accounts.api_clients import (
    authenticate_client,
    grant_client_token,
    make_api_client,
    revoke_api_client,
)
from alliance.accounts.models import ApiClient, ApiClientToken, hash_secret
from alliance.audit.models import Action, AuditEntry
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

URL = "/api/v1/oauth/token"


@pytest.fixture(autouse=True)
def fresh_limits():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def admin():
    return UserFactory(org_admin=True)


@pytest.fixture
def registered(admin):
    return make_api_client(admin=admin, name="Logiciel DUI")


def basic(client_id, secret):
    return "Basic " + base64.b64encode(f"{client_id}:{secret}".encode()).decode()


def ask(client, data, **headers):
    return client.post(URL, data, **headers)


def test_the_admin_registers_a_client_whose_secret_is_stored_hashed(admin, registered):
    row, secret = registered
    assert row.organisation_id == admin.organisation_id and row.created_by == admin
    assert secret.startswith("alcs_") and row.secret_hash == hash_secret(secret)
    assert secret not in str(row.__dict__)
    assert row.display_name == "Logiciel DUI «\u00a0Logiciel DUI\u00a0»"
    entry = AuditEntry.objects.get(action=Action.API_CLIENT_CREATED)
    assert (entry.actor, entry.organisation_id) == (admin, admin.organisation_id)


@pytest.mark.parametrize(
    "who", ["professional", "other_org_admin", "individual", "decision_maker", "inactive"]
)
def test_nobody_but_an_active_admin_registers_or_revokes_a_client(who, registered):
    row, _secret = registered
    if who == "professional":
        user = UserFactory(professional=True, organisation=row.organisation)
    elif who == "other_org_admin":
        user = UserFactory(org_admin=True)
    elif who == "inactive":
        user = UserFactory(org_admin=True, organisation=row.organisation, is_active=False)
    else:
        user = UserFactory(**{who: True})
    if who == "other_org_admin":
        assert not revoke_api_client(admin=user, client_pk=row.pk)
    else:
        with pytest.raises(PermissionDenied):
            make_api_client(admin=user, name="x")
        with pytest.raises(PermissionDenied):
            revoke_api_client(admin=user, client_pk=row.pk)
    row.refresh_from_db()
    assert row.revoked_at is None
    assert ApiClient.objects.count() == 1


def test_a_client_needs_a_name(admin):
    with pytest.raises(ValidationError):
        make_api_client(admin=admin, name="  ")
    assert not ApiClient.objects.exists()


@pytest.mark.parametrize("how", ["basic", "body"])
def test_the_client_gets_a_read_token_for_an_hour(client, registered, how):
    row, secret = registered
    data = {"grant_type": "client_credentials"}
    headers = {}
    if how == "basic":
        headers["HTTP_AUTHORIZATION"] = basic(row.client_id, secret)
    else:
        data |= {"client_id": row.client_id, "client_secret": secret}
    response = ask(client, data, **headers)
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"] and response["Pragma"] == "no-cache"
    body = response.json()
    assert body["token_type"] == "Bearer" and body["expires_in"] == 3600
    assert body["scope"] == "read" and body["access_token"].startswith("alc_")
    stored = ApiClientToken.objects.get(client=row)
    assert stored.token_hash == hash_secret(body["access_token"])
    me = client.get("/api/v1/me", HTTP_AUTHORIZATION=f"Bearer {body['access_token']}")
    assert me.status_code == 200
    assert me.json() == {"kind": "client", "display_name": row.display_name, "scope": "read"}
    entry = AuditEntry.objects.get(action=Action.API_CLIENT_TOKEN_GRANTED)
    assert entry.actor is None and entry.actor_label == row.display_name
    assert entry.organisation_id == row.organisation_id


@pytest.mark.parametrize(
    ("data", "status", "error"),
    [
        ({}, 400, "invalid_request"),
        ({"grant_type": "password"}, 400, "unsupported_grant_type"),
        ({"grant_type": "client_credentials", "scope": "write"}, 400, "invalid_scope"),
        ({"grant_type": "client_credentials", "client_secret": "SECRET"}, 401, "invalid_client"),
        ({"grant_type": "client_credentials", "client_id": "ID"}, 401, "invalid_client"),
        (
            {"grant_type": "client_credentials", "client_id": "ID", "client_secret": "wrong"},
            401,
            "invalid_client",
        ),
        (
            {"grant_type": "client_credentials", "client_id": "nope", "client_secret": "SECRET"},
            401,
            "invalid_client",
        ),
    ],
)
def test_a_bad_token_request_gets_an_oauth_error_and_nothing_else(
    client, registered, data, status, error
):
    row, secret = registered
    data = {k: v.replace("SECRET", secret).replace("ID", row.client_id) for k, v in data.items()}
    response = ask(client, data)
    assert response.status_code == status
    assert response.json() == {"error": error}
    assert "no-store" in response["Cache-Control"]
    assert not ApiClientToken.objects.exists()
    assert not AuditEntry.objects.filter(action=Action.API_CLIENT_TOKEN_GRANTED).exists()


def test_basic_and_body_together_are_refused(client, registered):
    row, secret = registered
    data = {"grant_type": "client_credentials", "client_id": row.client_id}
    response = ask(client, data, HTTP_AUTHORIZATION=basic(row.client_id, secret))
    assert (response.status_code, response.json()) == (400, {"error": "invalid_request"})


@pytest.mark.parametrize("header", ["Basic !!!", "Basic " + base64.b64encode(b"nocolon").decode()])
def test_a_wrong_basic_header_is_an_invalid_client(client, registered, header):
    response = ask(client, {"grant_type": "client_credentials"}, HTTP_AUTHORIZATION=header)
    assert (response.status_code, response.json()) == (401, {"error": "invalid_client"})
    assert response["WWW-Authenticate"].startswith("Basic")


def test_a_revoked_client_gets_nothing_and_its_tokens_stop_at_once(client, admin, registered):
    row, secret = registered
    raw, _lifetime = grant_client_token(client=row)
    bearer = {"HTTP_AUTHORIZATION": f"Bearer {raw}"}
    assert client.get("/api/v1/me", **bearer).status_code == 200
    assert revoke_api_client(admin=admin, client_pk=row.pk)
    assert not revoke_api_client(admin=admin, client_pk=row.pk)
    assert client.get("/api/v1/me", **bearer).status_code == 401
    assert authenticate_client(client_id=row.client_id, secret=secret) is None
    data = {"grant_type": "client_credentials"}
    response = ask(client, data, HTTP_AUTHORIZATION=basic(row.client_id, secret))
    assert response.status_code == 401
    entry = AuditEntry.objects.get(action=Action.API_CLIENT_REVOKED)
    assert (entry.actor, entry.target_id) == (admin, row.pk)


def test_an_expired_client_token_opens_nothing_and_is_dropped_later(client, registered):
    row, _secret = registered
    raw, _lifetime = grant_client_token(client=row)
    ApiClientToken.objects.update(expires_at=timezone.now() - datetime.timedelta(seconds=1))
    assert client.get("/api/v1/me", HTTP_AUTHORIZATION=f"Bearer {raw}").status_code == 401
    grant_client_token(client=row)
    assert ApiClientToken.objects.count() == 1


def test_a_client_may_not_use_a_persons_routes_nor_write(client, registered):
    row, _secret = registered
    raw, _lifetime = grant_client_token(client=row)
    bearer = {"HTTP_AUTHORIZATION": f"Bearer {raw}"}
    response = client.get("/api/v1/tokens", **bearer)
    assert response.status_code == 403
    assert response.json()["type"].endswith("/user-only")
    response = client.delete("/api/v1/tokens/1", **bearer)
    assert response.status_code == 403
    assert response.json()["type"].endswith("/insufficient-scope")


def test_the_token_endpoint_is_described(client):
    schema = client.get("/api/v1/openapi.json").json()
    operation = schema["paths"]["/api/v1/oauth/token"]["post"]
    assert "application/x-www-form-urlencoded" in operation["requestBody"]["content"]
    assert operation["responses"]["401"]["description"].startswith("RFC 6749")


@pytest.mark.parametrize(("token_id", "status"), [("9" * 25, 422), ("0", 422), ("12", 404)])
def test_an_impossible_token_id_is_refused_as_input(client, token_for, token_id, status):
    response = client.delete(f"/api/v1/tokens/{token_id}", **token_for(UserFactory(), "write"))
    assert response.status_code == status
    assert response["Content-Type"] == "application/problem+json"
