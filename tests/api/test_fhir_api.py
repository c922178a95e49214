"""The FHIR routes (docs/interop-fhir.md): an ally's token gets the bundle while the
person's agreement holds; DUI software reads only the consented alliances of its own
organisation, one by one or in bulk as NDJSON, each read signed with its name."""

import json

import pytest
from django.urls import reverse

from alliance.audit.models import Action, AuditEntry
from alliance.interop import services
from alliance.interop.fhir.export import alliance_bundle, bundle_bytes, sha256
from tests.factories import OrganisationFactory, UserFactory, make_alliance_trio
from tests.interop.builders import make_exported_alliance

pytestmark = pytest.mark.django_db


@pytest.fixture
def dui_client(software_for):
    """An organisation's DUI software signed in with its client credentials."""
    return software_for


def _bundle_url(alliance):
    return reverse("api:fhir_alliance_bundle", kwargs={"alliance_id": alliance.pk})


def test_an_allys_token_gets_the_bundle_only_while_the_person_agrees(client, token_for):
    trio, _parts = make_exported_alliance()
    headers = token_for(trio.professional.user)
    refused = client.get(_bundle_url(trio.alliance), **headers)
    assert refused.status_code == 403
    assert refused.json()["type"].endswith("/dui-consent-missing")

    services.give_dui_consent(ally=trio.person)
    before = set(AuditEntry.objects.values_list("pk", flat=True))
    response = client.get(_bundle_url(trio.alliance), **headers)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/fhir+json"
    assert response.content == bundle_bytes(alliance_bundle(trio.alliance))
    [read] = AuditEntry.objects.exclude(pk__in=before)
    assert (read.action, read.actor_id, read.alliance_id) == (
        Action.ALLIANCE_VIEWED,
        trio.professional.user_id,
        trio.alliance.pk,
    )
    assert read.detail == {"page": "api:fhir_alliance_bundle", "sha256": sha256(response.content)}

    services.withdraw_dui_consent(ally=trio.person)
    assert client.get(_bundle_url(trio.alliance), **headers).status_code == 403


def test_a_stranger_finds_nothing_and_a_relative_may_not_export(client, token_for):
    trio = make_alliance_trio()
    services.give_dui_consent(ally=trio.person)
    stranger = client.get(_bundle_url(trio.alliance), **token_for(UserFactory()))
    assert stranger.status_code == 404
    from alliance.alliances import services as alliance_services
    from alliance.alliances.models import Role

    relative = alliance_services.invite_ally(
        inviter=trio.professional, display_name="Tante Zoé", role=Role.RELATIVE
    )
    alliance_services.accept_invitation(ally=relative)
    alliance_services.decide_on_ally(approver=trio.parent, ally=relative, approve=True)
    assert client.get(_bundle_url(trio.alliance), **token_for(relative.user)).status_code == 403


def test_dui_software_reads_only_consented_alliances_of_its_organisation(client, dui_client):
    trio, _parts = make_exported_alliance()
    headers = dui_client(trio.alliance.organisation)
    assert client.get(_bundle_url(trio.alliance), **headers).status_code == 404
    services.give_dui_consent(ally=trio.person)
    before = set(AuditEntry.objects.values_list("pk", flat=True))
    response = client.get(_bundle_url(trio.alliance), **headers)
    assert response.status_code == 200
    assert json.loads(response.content)["type"] == "transaction"
    [read] = AuditEntry.objects.exclude(pk__in=before)
    # The person sees which software read their alliance.
    assert (read.actor_id, read.actor_label) == (None, "Logiciel DUI «\u00a0Arpège\u00a0»")

    other = dui_client(OrganisationFactory())
    assert client.get(_bundle_url(trio.alliance), **other).status_code == 404
    headers = dui_client(trio.alliance.organisation)
    services.withdraw_dui_consent(ally=trio.person)
    assert client.get(_bundle_url(trio.alliance), **headers).status_code == 404


def test_the_bulk_export_streams_every_consented_alliance_to_its_software_only(
    client, dui_client, token_for
):
    shared, _ = make_exported_alliance()
    organisation = shared.alliance.organisation
    quiet = make_alliance_trio(professional=shared.professional.user, title="Sans accord")
    services.give_dui_consent(ally=shared.person)
    url = reverse("api:fhir_organisation_export")

    admin = UserFactory(org_admin=True, organisation=organisation)
    assert client.get(url, **token_for(admin)).status_code == 403

    software = dui_client(organisation)
    before = set(AuditEntry.objects.values_list("pk", flat=True))
    response = client.get(url, **software)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/fhir+ndjson"
    body = b"".join(response.streaming_content).decode()
    lines = body.splitlines()
    assert [json.loads(line) for line in lines] == [
        e["resource"] for e in alliance_bundle(shared.alliance)["entry"]
    ]
    reads = AuditEntry.objects.exclude(pk__in=before)
    assert [(r.alliance_id, r.detail["page"]) for r in reads] == [
        (shared.alliance.pk, "api:fhir_organisation_export")
    ]
    assert reads[0].detail["sha256"] == sha256(body.encode())
    assert quiet.alliance.organisation == organisation


@pytest.mark.parametrize("alliance_id", [0, 2**63, 10**30])
def test_an_id_no_database_holds_is_not_found(client, token_for, alliance_id):
    url = f"/api/v1/fhir/alliances/{alliance_id}"
    assert client.get(url, **token_for(UserFactory())).status_code == 404
