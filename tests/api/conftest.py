import datetime

import pytest
from django.utils import timezone

from alliance.accounts.api_tokens import make_personal_token, revoke_personal_token
from alliance.accounts.models import PersonalAccessToken


@pytest.fixture
def token_for():
    """A bearer header for the user with that scope, as a token made on their page."""

    def make(user, scope="read"):
        _row, raw = make_personal_token(user=user, name="test", scope=scope, days=30)
        return {"HTTP_AUTHORIZATION": f"Bearer {raw}"}

    return make


@pytest.fixture
def dead_token():
    """A bearer header for the user's write token, expired or revoked: the owner's own
    token once it no longer opens anything."""

    def make(user, state):
        row, raw = make_personal_token(user=user, name=state, scope="write", days=5)
        if state == "expired":
            PersonalAccessToken.objects.filter(pk=row.pk).update(
                expires_at=timezone.now() - datetime.timedelta(seconds=1)
            )
        else:
            assert state == "revoked"
            assert revoke_personal_token(user=user, token_id=row.pk)
        return {"HTTP_AUTHORIZATION": f"Bearer {raw}"}

    return make


@pytest.fixture
def software_for():
    """A bearer header for an organisation's DUI software, through its real doors: the
    organisation's administrator registers it, it gets an access token."""
    from alliance.accounts.api_clients import grant_client_token, make_api_client
    from tests.factories import UserFactory

    def make(organisation):
        admin = UserFactory(professional=True, organisation=organisation, is_org_admin=True)
        software, _secret = make_api_client(admin=admin, name="Arpège")
        raw, _lifetime = grant_client_token(client=software)
        return {"HTTP_AUTHORIZATION": f"Bearer {raw}"}

    return make
