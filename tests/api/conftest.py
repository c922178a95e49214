import pytest

from alliance.accounts.api_tokens import make_personal_token


@pytest.fixture
def token_for():
    """A bearer header for the user with that scope, as a token made on their page."""

    def make(user, scope="read"):
        _row, raw = make_personal_token(user=user, name="test", scope=scope, days=30)
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
