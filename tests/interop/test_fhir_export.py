"""The TDDUI export (docs/interop-fhir.md): every resource is valid FHIR (R4B models),
the profile rules of the guide that apply hold, identifiers are stable, references
resolve inside the bundle, and the export reads a fixed number of queries."""

import json
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from fhir.resources.R4B import get_fhir_model_class

from alliance.acting import services as acting
from alliance.alliances import services
from alliance.alliances.models import Role, StatementKind
from alliance.alliances.needs import serafin_needs
from alliance.interop.fhir import identifiers as ids
from alliance.interop.fhir.export import (
    alliance_bundle,
    bundle_bytes,
    organisation_ndjson,
)
from alliance.interop.models import DuiConsent
from tests.factories import make_alliance_trio, make_signable_charter
from tests.interop.builders import MOBILITY, SCHOOL, make_exported_alliance

pytestmark = pytest.mark.django_db

# The shape of the guide's identifier values (its own examples below): a structure
# part, a slash, the person's local part, then -TYPE-number.
GUIDE_EXAMPLES = {
    "PPER": "3480787529/123456789-PPER-1234",
    "ATTE": "3480787529/123456789-ATTE-1235",
    "OBJE": "3480787529/123456789-OBJE-1236",
    "BESO": "3480787529/123456789-BESO-1235",
    "ACTI": "3480787529/123456789-ACTI-1234",
    "MORE": "3480787529/123456789-MORE-1234",
}


def shape(kind):
    return re.compile(rf"^[^/]+/[^/-]+-{kind}-[^/]+$")


def test_the_value_shape_is_the_guides():
    for kind, example in GUIDE_EXAMPLES.items():
        assert shape(kind).match(example)


def by_type(bundle):
    found = {}
    for entry in bundle["entry"]:
        found.setdefault(entry["resource"]["resourceType"], []).append(entry["resource"])
    return found


def profiled(resources, profile):
    return [r for r in resources if profile in r.get("meta", {}).get("profile", [])]


def references(value):
    """Every `reference` anywhere inside a resource."""
    if isinstance(value, dict):
        for key, item in value.items():
            if key == "reference" and isinstance(item, str):
                yield item
            else:
                yield from references(item)
    elif isinstance(value, list):
        for item in value:
            yield from references(item)


@pytest.fixture
def exported():
    trio, parts = make_exported_alliance()
    return trio, parts, alliance_bundle(trio.alliance)


def test_every_resource_is_valid_fhir_and_every_reference_resolves(exported):
    _trio, _parts, bundle = exported
    assert bundle["type"] == "transaction"
    assert bundle["meta"]["profile"] == [ids.BUNDLE]
    urls = set()
    for entry in bundle["entry"]:
        resource = entry["resource"]
        get_fhir_model_class(resource["resourceType"]).model_validate(resource)
        identifier = resource["identifier"][0]
        assert entry["fullUrl"] == ids.full_url(identifier)
        assert entry["request"] == {
            "method": "POST",
            "url": resource["resourceType"],
            "ifNoneExist": f"identifier={identifier['system']}|{identifier['value']}",
        }
        urls.add(entry["fullUrl"])
    assert len(urls) == len(bundle["entry"])
    for entry in bundle["entry"]:
        for reference in references(entry["resource"]):
            assert reference in urls, (entry["resource"]["resourceType"], reference)


def test_the_tddui_profile_rules_that_apply(exported):
    trio, parts, bundle = exported
    found = by_type(bundle)
    patient_url = ids.full_url(found["Patient"][0]["identifier"][0])

    [plan] = found["CarePlan"]
    assert plan["meta"]["profile"] == [ids.CARE_PLAN]
    assert len(plan["identifier"]) == 1
    assert plan["identifier"][0]["system"] == ids.SYSTEMS["PPER"]
    assert shape("PPER").match(plan["identifier"][0]["value"])
    assert plan["title"] == trio.alliance.title
    assert plan["status"] == "active"
    assert plan["subject"]["reference"] == patient_url
    sides = [
        info["extension"][0]["valueCodeableConcept"]["coding"][0] for info in plan["supportingInfo"]
    ]
    assert {s["system"] for s in sides} == {ids.DISCRIMINATOR_CS}
    # accordStructure 1..*, accordUsager 0..*: the professional's and the two others'.
    assert sorted(s["code"] for s in sides) == ["accordStructure", "accordUsager", "accordUsager"]

    consents = found["Consent"]
    assert len(consents) == 3
    for consent in consents:
        assert consent["meta"]["profile"] == [ids.CONSENT]
        assert len(consent["performer"]) == 1 and consent["dateTime"]
        assert consent["patient"]["reference"] == patient_url

    needs = profiled(found["ServiceRequest"], ids.NEED)
    codes = {code for code, _label, _parent in serafin_needs()}
    for need in needs:
        assert len(need["identifier"]) == 1
        assert need["identifier"][0]["system"] == ids.SYSTEMS["BESO"]
        assert shape("BESO").match(need["identifier"][0]["value"])
        assert need["code"]["text"]
        assert len(need["basedOn"]) == 1
        for category in need.get("category", []):
            [coding] = category["coding"]
            assert coding["system"] == ids.SERAFIN_SYSTEM and coding["code"] in codes
    coded = sorted(n["category"][0]["coding"][0]["code"] for n in needs if "category" in n)
    assert coded == sorted([SCHOOL, MOBILITY])
    # The custom domain in the alliance goes, uncoded; the person's own stays.
    assert sorted(n["code"]["text"] for n in needs if "category" not in n) == ["Le judo"]

    expectations = profiled(found["Goal"], ids.GOAL_EXPECTATION)
    for goal in expectations:
        assert len(goal["identifier"]) == 1
        assert goal["identifier"][0]["system"] == ids.SYSTEMS["ATTE"]
        assert shape("ATTE").match(goal["identifier"][0]["value"])
        assert goal["expressedBy"]["reference"]
        [plan_ref] = [e for e in goal["extension"] if e["url"] == ids.EXT_CARE_PLAN_REF]
        assert plan_ref["valueReference"]["reference"] == ids.full_url(plan["identifier"][0])
        origin = [n for n in goal["note"] if n["extension"][0]["valueCode"] == "origineAttente"]
        assert len(origin) == 1

    objectives = profiled(found["Goal"], ids.GOAL_OBJECTIVE)
    assert len(objectives) == 1
    [objective] = objectives
    assert objective["identifier"][0]["system"] == ids.SYSTEMS["OBJE"]
    assert len(objective["addresses"]) == 1
    need_urls = {ids.full_url(n["identifier"][0]) for n in needs}
    assert objective["addresses"][0]["reference"] in need_urls
    titles = [n for n in objective["note"] if n["extension"][0]["valueCode"] == "titreObjectif"]
    assert [t["text"] for t in titles] == [parts["interest"].text]

    actions = profiled(found["Task"], ids.TASK_ACTION)
    means = profiled(found["Task"], ids.TASK_MEANS)
    assert len(actions) == 1 and len(means) == 1
    [action] = actions
    assert action["identifier"][0]["system"] == ids.SYSTEMS["ACTI"]
    assert action["status"] in {"draft", "in-progress", "completed", "cancelled"}
    assert len(action["basedOn"]) == 1
    inputs = [i["type"]["coding"][0]["code"] for i in action["input"]]
    assert inputs.count("titre") == 1 and "objectif" in inputs
    assert inputs.count("coActeur") == 2
    [means_task] = means
    assert means_task["identifier"][0]["system"] == ids.SYSTEMS["MORE"]
    assert means_task["status"] == "on-hold"
    [titre] = means_task["input"]
    assert titre["type"]["coding"][0] == {"system": ids.TASK_MEANS_INPUT_CS, "code": "type"}


def test_each_expectation_says_who_expressed_it_in_their_own_words(exported):
    trio, parts, bundle = exported
    found = by_type(bundle)
    related = ids.full_url(found["RelatedPerson"][0]["identifier"][0])
    patient = ids.full_url(found["Patient"][0]["identifier"][0])
    expectations = {
        g["identifier"][0]["value"].rsplit("-", 1)[1]: g
        for g in profiled(found["Goal"], ids.GOAL_EXPECTATION)
    }
    goal = expectations[f"s{parts['goal'].pk}"]
    assert goal["description"]["text"] == parts["goal"].text
    assert goal["expressedBy"]["reference"] == related
    supported = expectations[f"s{parts['supported'].pk}"]
    assert supported["expressedBy"]["reference"] == patient
    comments = [
        n["text"] for n in supported["note"] if n["extension"][0]["valueCode"] != "origineAttente"
    ]
    assert comments == [f"Écrit avec le soutien de {trio.parent.user.display_name}"]
    recognition = expectations[f"r{trio.parent.pk}"]
    assert recognition["description"]["text"] == "Être écoutée sur l'école."


def test_readings_are_observations_of_the_indicator_by_each_rater(exported):
    _trio, _parts, bundle = exported
    found = by_type(bundle)
    [indicator] = [g for g in found["Goal"] if "meta" not in g]
    assert indicator["target"][0]["detailRange"] == {"low": {"value": 0}, "high": {"value": 10}}
    observations = found["Observation"]
    assert sorted(o["valueInteger"] for o in observations) == [4, 6]
    assert {o["focus"][0]["reference"] for o in observations} == {
        ids.full_url(indicator["identifier"][0])
    }
    assert len(indicator["outcomeReference"]) == 2


def test_roles_are_coded_for_the_importer(exported):
    _trio, _parts, bundle = exported
    found = by_type(bundle)
    [parent] = found["RelatedPerson"]
    role = ids.Own("http://127.0.0.1:8000").code_system("ally-role")
    codings = parent["relationship"][0]["coding"]
    assert {"system": role, "code": "representative"} in codings
    # A parent's authority: the HL7 role code is "parent".
    assert codings[0]["code"] == "PRN"
    [pro] = found["PractitionerRole"]
    assert pro["code"][0]["coding"] == [{"system": role, "code": "professional"}]
    team = found["CareTeam"][0]
    assert len(team["participant"]) == 3


def test_the_same_state_gives_the_same_bytes_and_identifiers_never_move(exported):
    trio, _parts, bundle = exported
    first = bundle_bytes(bundle)
    assert bundle_bytes(alliance_bundle(trio.alliance)) == first
    services.write_statement(
        ally=trio.professional, kind=StatementKind.GOAL, text="Un but de plus."
    )
    again = alliance_bundle(trio.alliance)
    before = {e["fullUrl"] for e in bundle["entry"]}
    after = {e["fullUrl"] for e in again["entry"]}
    assert before < after and len(after - before) == 1


def test_what_stays_in_alliance_never_leaves(exported):
    trio, _parts, bundle = exported
    text = json.dumps(bundle, ensure_ascii=False)
    assert "Ses amis" not in text  # the person's own domain
    withdrawn = services.write_statement(
        ally=trio.person, kind=StatementKind.INTEREST, text="Je retire ceci."
    )
    services.withdraw_statement(ally=trio.person, statement=withdrawn)
    concern = services.write_statement(
        ally=trio.person, kind=StatementKind.CONCERN, text="J'ai peur de la cantine."
    )
    text = json.dumps(alliance_bundle(trio.alliance), ensure_ascii=False)
    assert withdrawn.text not in text and concern.text not in text


def test_queries_do_not_grow_with_the_alliance(exported):
    trio, parts, _bundle = exported
    with CaptureQueriesContext(connection) as small:
        alliance_bundle(trio.alliance)
    for n in range(3):
        services.write_statement(ally=trio.parent, kind=StatementKind.GOAL, text=f"But {n}.")
        acting.plan_action(
            ally=trio.professional,
            title=f"Action {n}",
            domain_label=parts["action"].domain_label,
            my_role="Je m'en occupe",
        )
    with CaptureQueriesContext(connection) as large:
        alliance_bundle(trio.alliance)
    assert len(large) == len(small) <= 15


def test_a_charter_never_signed_is_a_draft_project_without_agreements():
    trio = make_alliance_trio()
    make_signable_charter(trio)
    found = by_type(alliance_bundle(trio.alliance))
    [plan] = found["CarePlan"]
    assert plan["status"] == "draft" and plan["supportingInfo"] == []
    assert "Consent" not in found
    [objective] = profiled(found["Goal"], ids.GOAL_OBJECTIVE)
    assert objective["lifecycleStatus"] == "proposed"
    # No need named yet: the objective addresses a need made of its own words.
    [need] = found["ServiceRequest"]
    assert need["code"]["text"] == objective["description"]["text"]


def test_a_signature_for_the_person_is_the_representatives_agreement_for_the_person():
    trio = make_alliance_trio()
    charter = make_signable_charter(trio)
    for ally, signee in (
        (trio.professional, None),
        (trio.parent, None),
        (trio.parent, trio.person),
    ):
        services.sign_charter(
            ally=ally, charter=charter, expected_revision=charter.revision, signee=signee
        )
        charter.refresh_from_db()
    found = by_type(alliance_bundle(trio.alliance))
    parent = ids.full_url(found["RelatedPerson"][0]["identifier"][0])
    patient = ids.full_url(found["Patient"][0]["identifier"][0])
    [for_person] = [c for c in found["Consent"] if "provision" in c]
    assert for_person["performer"][0]["reference"] == parent
    assert for_person["provision"]["actor"][0]["reference"]["reference"] == patient


def test_the_ndjson_holds_only_consented_alliances_one_resource_a_line():
    shared, _parts = make_exported_alliance()
    kept, _ = make_exported_alliance(title="Une autre")
    organisation = shared.alliance.organisation
    kept.alliance.organisation = organisation
    kept.alliance.save(update_fields=["organisation"])
    DuiConsent.objects.create(alliance=shared.alliance, given_by=shared.person)
    withdrawn = DuiConsent.objects.create(alliance=kept.alliance, given_by=kept.person)
    withdrawn.withdrawn_at = withdrawn.given_at
    withdrawn.save()
    lines = list(organisation_ndjson(organisation))
    assert all(line.endswith("\n") and line.count("\n") == 1 for line in lines)
    resources = [json.loads(line) for line in lines]
    expected = [e["resource"] for e in alliance_bundle(shared.alliance)["entry"]]
    assert resources == expected
    assert resources[0]["resourceType"] in {"Organization", "Patient"}


def test_a_person_is_never_a_related_person():
    trio = make_alliance_trio()
    found = by_type(alliance_bundle(trio.alliance))
    assert len(found["Patient"]) == 1
    assert all(
        rp["relationship"][0]["coding"][-1]["code"] != Role.PERSON
        for rp in found.get("RelatedPerson", [])
    )
