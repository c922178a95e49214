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
    # Movements 1 and 2 (tests/api/test_alliances_api.py, test_acting_api.py). A write
    # shares its path with a read (the read answers here) or has its own, where a GET
    # is 405 before any token is read.
    "api:alliance_list": ({}, 401, 200),
    "api:alliance_detail": ({"alliance_id": 1}, 401, 404),
    "api:ally_list": ({"alliance_id": 1}, 401, 404),
    "api:statement_list": ({"alliance_id": 1}, 401, 404),
    "api:statement_create": ({"alliance_id": 1}, 401, 404),
    "api:statement_detail": ({"alliance_id": 1, "statement_id": 1}, 401, 404),
    "api:statement_change": ({"alliance_id": 1, "statement_id": 1}, 401, 404),
    "api:statement_withdraw": ({"alliance_id": 1, "statement_id": 1}, 405, 405),
    "api:statement_vote": ({"alliance_id": 1, "statement_id": 1}, 405, 405),
    "api:charter_list": ({"alliance_id": 1}, 401, 404),
    "api:charter_detail": ({"alliance_id": 1, "charter_number": 1}, 401, 404),
    "api:charter_sign": ({"alliance_id": 1, "charter_number": 1}, 405, 405),
    "api:means_list": ({"alliance_id": 1}, 401, 404),
    "api:means_stance": ({"alliance_id": 1, "option_id": 1}, 405, 405),
    "api:action_list": ({"alliance_id": 1}, 401, 404),
    "api:journal_list": ({"alliance_id": 1}, 401, 404),
    "api:journal_create": ({"alliance_id": 1}, 401, 404),
    "api:indicator_list": ({"alliance_id": 1}, 401, 404),
    "api:indicator_reading": (
        {"alliance_id": 1, "indicator_key": "7f8c3a2e-1111-4222-8333-444455556666"},
        405,
        405,
    ),
    "api:weather_list": ({"alliance_id": 1}, 401, 404),
    "api:weather_give": ({"alliance_id": 1}, 401, 404),
    "api:review_list": ({"alliance_id": 1}, 401, 404),
    "api:review_detail": ({"alliance_id": 1, "review_id": 1}, 401, 404),
    "api:action_join": ({"alliance_id": 1, "action_id": 1}, 405, 405),
    "api:journal_revise": ({"alliance_id": 1, "entry_id": 1}, 405, 405),
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
    # The follow-through and the requests for a report (issue 14, docs/api.md).
    "api:proposal_request_answer": ({"proposal_id": 1, "request_id": 1}, 405, 405),
    "api:proposal_progress": ({"proposal_id": 1}, 405, 405),
    "api:proposal_answer_reaction": ({"proposal_id": 1, "answer_id": 1}, 401, 404),
    "api:proposal_answer_my_reaction": ({"proposal_id": 1, "answer_id": 1}, 401, 404),
    "api:report_request_list": ({}, 401, 200),
    "api:report_request_create": ({}, 401, 200),
    "api:report_request_detail": ({"report_request_id": 1}, 401, 404),
    "api:report_request_answer": ({"report_request_id": 1}, 405, 405),
    "api:report_request_close": ({"report_request_id": 1}, 405, 405),
    # FHIR (docs/interop-fhir.md): an alliance the reader is not in is not found; the
    # bulk export is for an organisation's DUI software only.
    "api:fhir_alliance_bundle": ({"alliance_id": 1}, 401, 404),
    "api:fhir_organisation_export": ({}, 401, 403),
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
