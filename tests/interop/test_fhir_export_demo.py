"""The demo's two alliances leave as valid TDDUI bundles: Noé's (a child, his parents
as legal representatives, the platform) and Samir's (the ESAT), who agreed in the
demo that his alliance goes to the ESAT's file."""

import json
from io import StringIO

import pytest
from django.core.management import call_command
from fhir.resources.R4B import get_fhir_model_class

from alliance.alliances.models import Alliance, Role
from alliance.interop.fhir import identifiers as ids
from alliance.interop.fhir.export import alliance_bundle, organisation_ndjson
from alliance.interop.services import active_consent

pytestmark = pytest.mark.django_db


def alliance_of(slug) -> Alliance:
    return Alliance.objects.get(allies__user__demo_persona=slug, allies__role=Role.PERSON)


def test_noe_and_samir_leave_as_valid_bundles_and_only_samir_agreed():
    call_command("demo", stdout=StringIO())
    noe, samir = alliance_of("personne-noe"), alliance_of("personne-samir")
    assert active_consent(noe) is None
    assert active_consent(samir).given_by.role == Role.PERSON
    for alliance in (noe, samir):
        bundle = alliance_bundle(alliance)
        kinds = {}
        for entry in bundle["entry"]:
            resource = entry["resource"]
            get_fhir_model_class(resource["resourceType"]).model_validate(resource)
            for profile in resource.get("meta", {}).get("profile", []):
                kinds[profile] = kinds.get(profile, 0) + 1
        # The project, its agreements (both sides), needs, expectations, objectives.
        assert kinds[ids.CARE_PLAN] == 1
        assert kinds[ids.CONSENT] >= 2
        for profile in (ids.NEED, ids.GOAL_EXPECTATION, ids.GOAL_OBJECTIVE, ids.TASK_ACTION):
            assert kinds.get(profile, 0) >= 1, (alliance.title, profile)
    resources = [json.loads(line) for line in organisation_ndjson(samir.organisation)]
    patients = [r for r in resources if r["resourceType"] == "Patient"]
    # The ESAT's consented alliances: Samir's alone.
    assert [p["identifier"][1]["value"] for p in patients] == [str(samir.pk)]
    assert not list(organisation_ndjson(noe.organisation))
