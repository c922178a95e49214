"""The API's rate limits (ADR 0029): each token on its own, and the token endpoint
per address. Past the limit: 429, a problem in the caller's language, Retry-After,
and nothing done."""

import pytest
from django.core.cache import cache

from alliance.accounts.api_clients import make_api_client
from alliance.accounts.models import ApiClientToken
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def small_limits(settings):
    cache.clear()
    settings.ALLIANCE_RATE_LIMITS = {
        **settings.ALLIANCE_RATE_LIMITS,
        "api": {"account": "3/m", "ip": "8/m"},
        "oauth_token": {"ip": "2/m"},
    }
    yield
    cache.clear()


def assert_too_many(response):
    assert response.status_code == 429
    assert response["Content-Type"] == "application/problem+json"
    assert int(response["Retry-After"]) >= 1
    body = response.json()
    assert body["type"].endswith("/too-many-requests") and body["title"] == "Trop de requêtes"


def test_each_token_has_its_own_limit(client, token_for):
    mine, other = token_for(UserFactory()), token_for(UserFactory())
    for _ in range(3):
        assert client.get("/api/v1/me", **mine).status_code == 200
    assert_too_many(client.get("/api/v1/me", **mine))
    assert client.get("/api/v1/me", **other).status_code == 200


def test_a_wrong_token_is_limited_too_and_speaks_english_when_asked(client):
    bearer = {"HTTP_AUTHORIZATION": "Bearer alp_wrong"}
    for _ in range(3):
        assert client.get("/api/v1/me", **bearer).status_code == 401
    response = client.get("/api/v1/me", HTTP_ACCEPT_LANGUAGE="en", **bearer)
    assert response.status_code == 429
    assert response.json()["title"] == "Too many requests"


def test_the_token_endpoint_is_limited_per_address(client):
    row, secret = make_api_client(admin=UserFactory(org_admin=True), name="DUI")
    good = {"grant_type": "client_credentials", "client_id": row.client_id}
    wrong = {**good, "client_secret": "guess"}
    for _ in range(2):
        assert client.post("/api/v1/oauth/token", wrong).status_code == 401
    # Even the right secret waits: guessing from one address stays slow.
    response = client.post("/api/v1/oauth/token", {**good, "client_secret": secret})
    assert_too_many(response)
    assert not ApiClientToken.objects.exists()
    elsewhere = client.post(
        "/api/v1/oauth/token", {**good, "client_secret": secret}, REMOTE_ADDR="192.0.2.7"
    )
    assert elsewhere.status_code == 200


def test_made_up_tokens_are_limited_per_address(client):
    for number in range(8):
        bearer = {"HTTP_AUTHORIZATION": f"Bearer alp_made-up-{number}"}
        assert client.get("/api/v1/me", **bearer).status_code == 401
    assert_too_many(client.get("/api/v1/me", HTTP_AUTHORIZATION="Bearer alp_one-more"))
    elsewhere = client.get("/api/v1/me", HTTP_AUTHORIZATION="Bearer alp_x", REMOTE_ADDR="192.0.2.9")
    assert elsewhere.status_code == 401
