"""The demo's DUI software: the README's curl example, step by step, against the demo."""

import base64

import pytest
from django.core.management import call_command

from alliance.accounts.models import ApiClient
from alliance.alliances.models import Ally
from alliance.demo.api import DEMO_CLIENT_ID, DEMO_CLIENT_SECRET
from alliance.interop.services import give_dui_consent

pytestmark = pytest.mark.django_db


def test_the_readme_example_gets_a_token_for_the_tilleuls_dui(client, settings):
    call_command("demo", stdout=None)
    row = ApiClient.objects.get(client_id=DEMO_CLIENT_ID)
    assert row.organisation.name == "Plateforme médico-sociale Les Tilleuls"
    assert row.created_by.demo_persona == "admin-sophie"
    credentials = base64.b64encode(f"{DEMO_CLIENT_ID}:{DEMO_CLIENT_SECRET}".encode()).decode()
    response = client.post(
        "/api/v1/oauth/token",
        {"grant_type": "client_credentials"},
        HTTP_AUTHORIZATION=f"Basic {credentials}",
    )
    assert response.status_code == 200
    token = response.json()["access_token"]
    bearer = {"HTTP_AUTHORIZATION": f"Bearer {token}"}
    me = client.get("/api/v1/me", **bearer)
    assert me.json()["kind"] == "client"
    # As the README tells: nothing of Noé's alliance until his mother agrees on its page.
    assert client.get("/api/v1/alliances", **bearer).json()["count"] == 0
    lea = Ally.objects.get(user__demo_persona="parent-lea")
    give_dui_consent(ally=lea)
    [listed] = client.get("/api/v1/alliances", **bearer).json()["items"]
    assert listed["id"] == lea.alliance_id
    bundle = client.get(f"/api/v1/fhir/alliances/{listed['id']}", **bearer)
    assert bundle.status_code == 200 and bundle.json()["resourceType"] == "Bundle"
    export = client.get("/api/v1/fhir/organisations/export.ndjson", **bearer)
    assert export.status_code == 200 and b"".join(export.streaming_content).count(b"\n") > 5


def test_outside_demo_mode_no_known_secret_is_made(settings):
    from alliance.demo.api import load_api_client

    settings.ALLIANCE_DEMO_MODE = False
    assert load_api_client({}) is None
    assert not ApiClient.objects.exists()
