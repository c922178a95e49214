"""Every route of the API, found by walking the resolver, must say here who may call
it: a new route without a line fails `test_the_table_covers_every_route`."""

import pytest
from django.urls import reverse

from tests.factories import UserFactory
from tests.www.scene import api_url_names

pytestmark = pytest.mark.django_db

# name -> (kwargs, status for a caller without a token, status for a read token)
TABLE = {
    "api:api-root": ({}, 200, 200),
    "api:openapi-json": ({}, 200, 200),
    "api:who_am_i": ({}, 401, 200),
    # The doors (ADR 0029): the token endpoint and a person's tokens; a GET on a route
    # that only POSTs or DELETEs is not allowed, whoever asks (tests/api/test_role_matrix.py
    # walks them with their own method).
    "api:oauth_token": ({}, 405, 405),
    "api:token_list": ({}, 401, 200),
    "api:token_revoke": ({"token_id": 1}, 405, 405),
}


def test_the_table_covers_every_route():
    assert set(TABLE) == api_url_names()


@pytest.mark.parametrize("name", sorted(TABLE))
def test_each_route_answers_whom_it_should(client, token_for, name):
    kwargs, anonymous, reader = TABLE[name]
    url = reverse(name, kwargs=kwargs)
    assert client.get(url).status_code == anonymous
    assert client.get(url, **token_for(UserFactory())).status_code == reader
