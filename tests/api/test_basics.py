import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from alliance.accounts.api_tokens import make_personal_token, revoke_personal_token
from alliance.accounts.models import PersonalAccessToken, hash_secret
from alliance.audit.models import Action, AuditEntry
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_a_token_acts_as_its_owner_and_is_stored_hashed(client):
    user = UserFactory(display_name="Amina")
    row, raw = make_personal_token(user=user, name="DUI", scope="read", days=30)
    assert raw.startswith("alp_") and len(raw) > 40
    assert row.token_hash == hash_secret(raw) and raw not in str(row.__dict__)
    response = client.get("/api/v1/me", HTTP_AUTHORIZATION=f"Bearer {raw}")
    assert response.status_code == 200
    assert response.json() == {"kind": "user", "display_name": "Amina", "scope": "read"}
    assert (
        response["Cache-Control"].startswith("max-age=0") or "no-store" in response["Cache-Control"]
    )
    assert AuditEntry.objects.filter(action=Action.API_TOKEN_CREATED, actor=user).exists()


@pytest.mark.parametrize("state", ["unknown", "expired", "revoked", "inactive"])
def test_a_token_that_opens_nothing_gets_the_same_problem(client, state):
    user = UserFactory()
    row, raw = make_personal_token(user=user, name="t", scope="write", days=1)
    if state == "unknown":
        raw = raw[:-2] + "xx"
    elif state == "expired":
        PersonalAccessToken.objects.filter(pk=row.pk).update(
            expires_at=timezone.now() - datetime.timedelta(seconds=1)
        )
    elif state == "revoked":
        assert revoke_personal_token(user=user, token_id=row.pk)
    else:
        user.is_active = False
        user.save()
    response = client.get("/api/v1/me", HTTP_AUTHORIZATION=f"Bearer {raw}")
    assert response.status_code == 401
    assert response["Content-Type"] == "application/problem+json"
    assert response["WWW-Authenticate"].startswith("Bearer")
    body = response.json()
    assert body["status"] == 401 and body["type"].endswith("/not-authenticated")
    assert body["title"] == "Authentification nécessaire"


def test_problems_speak_the_language_the_program_asks_for(client):
    response = client.get("/api/v1/me", HTTP_ACCEPT_LANGUAGE="en")
    assert response.json()["title"] == "Authentication needed"


def test_someone_else_cannot_revoke_my_token():
    owner, other = UserFactory(), UserFactory()
    row, _raw = make_personal_token(user=owner, name="t", scope="read", days=1)
    assert not revoke_personal_token(user=other, token_id=row.pk)
    row.refresh_from_db()
    assert row.revoked_at is None


@pytest.mark.parametrize(
    ("scope", "days", "name"),
    [("admin", 30, "t"), ("read", 0, "t"), ("read", 366, "t"), ("read", 30, " ")],
)
def test_a_bad_token_request_changes_nothing(scope, days, name):
    user = UserFactory()
    with pytest.raises(ValidationError):
        make_personal_token(user=user, name=name, scope=scope, days=days)
    assert not PersonalAccessToken.objects.exists()


def test_the_description_is_public_and_documents_problems(client):
    schema = client.get("/api/v1/openapi.json").json()
    assert schema["openapi"].startswith("3.")
    operation = schema["paths"]["/api/v1/me"]["get"]
    assert {"401", "403", "404", "429"} <= set(operation["responses"])


def test_no_two_schemas_share_a_name():
    """The description names each schema by its class: two classes of one name would
    silently describe one route with the other's shape."""
    import importlib
    import pkgutil

    from ninja import Schema

    import alliance.api

    for module in pkgutil.iter_modules(alliance.api.__path__):
        importlib.import_module(f"alliance.api.{module.name}")
    seen = {}
    pending = list(Schema.__subclasses__())
    while pending:
        schema = pending.pop()
        pending.extend(schema.__subclasses__())
        if not schema.__module__.startswith("alliance.api"):
            continue
        other = seen.setdefault(schema.__name__, schema)
        assert other is schema, f"{schema.__name__}: {other.__module__} and {schema.__module__}"


def test_what_misses_every_route_is_still_a_problem_document(client):
    unknown = client.get("/api/v1/no-such-thing")
    assert unknown.status_code == 404
    assert unknown["Content-Type"] == "application/problem+json"
    assert unknown.json()["type"].endswith("/not-found")
    wrong_method = client.delete("/api/v1/me")
    assert wrong_method.status_code == 405
    assert wrong_method["Content-Type"] == "application/problem+json"
    assert "GET" in wrong_method["Allow"]
