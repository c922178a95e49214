import pytest

from alliance.accounts.api_tokens import make_personal_token


@pytest.fixture
def token_for():
    """A bearer header for the user with that scope, as a token made on their page."""

    def make(user, scope="read"):
        _row, raw = make_personal_token(user=user, name="test", scope=scope, days=30)
        return {"HTTP_AUTHORIZATION": f"Bearer {raw}"}

    return make
