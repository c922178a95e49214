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
    # Movement 3: a non-member finds no collective, a plain user has no report nor
    # proposal addressed to them (empty lists); a write-only path refuses GET (405).
    "api:collective_list": ({}, 401, 200),
    "api:collective_detail": ({"collective_id": 1}, 401, 404),
    "api:collective_proposals": ({"collective_id": 1}, 401, 404),
    "api:consultation_list": ({"collective_id": 1}, 401, 404),
    "api:consultation_detail": ({"collective_id": 1, "consultation_id": 1}, 401, 404),
    "api:consultation_statements": ({"collective_id": 1, "consultation_id": 1}, 401, 404),
    "api:consultation_statement_write": ({"collective_id": 1, "consultation_id": 1}, 401, 404),
    "api:consultation_statement_vote": (
        {"collective_id": 1, "consultation_id": 1, "statement_id": 1},
        405,
        405,
    ),
    "api:consultation_results": ({"collective_id": 1, "consultation_id": 1}, 401, 404),
    "api:consultation_results_export": ({"collective_id": 1, "consultation_id": 1}, 401, 404),
    "api:report_list": ({}, 401, 200),
    "api:report_detail": ({"report_id": 1}, 401, 404),
    "api:proposal_list": ({}, 401, 200),
    "api:proposal_detail": ({"proposal_id": 1}, 401, 404),
    "api:proposal_answer": ({"proposal_id": 1}, 405, 405),
}


def test_the_table_covers_every_route():
    assert set(TABLE) == api_url_names()


@pytest.mark.parametrize("name", sorted(TABLE))
def test_each_route_answers_whom_it_should(client, token_for, name):
    kwargs, anonymous, reader = TABLE[name]
    url = reverse(name, kwargs=kwargs)
    assert client.get(url).status_code == anonymous
    assert client.get(url, **token_for(UserFactory())).status_code == reader
