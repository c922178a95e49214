"""Issue 13, "Done when": Noé's and Samir's alliances of the demo go out as TDDUI
bundles (ADR 0030), every resource valid FHIR, and come back in (ADR 0031) into a
fresh organisation with the same needs, expectations and objectives."""

from io import StringIO

import pytest
from django.core.management import call_command
from fhir.resources.R4B import get_fhir_model_class
from fhir.resources.R4B.bundle import Bundle

from alliance.alliances.models import Alliance, PerimeterStatus, Role
from alliance.interop.dui_reading import read_bundle
from alliance.interop.fhir.export import alliance_bundle, bundle_bytes
from alliance.interop.importing import Invitation, start_alliance_from_dui
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

TDDUI = "https://interop.esante.gouv.fr/ig/fhir/tddui/StructureDefinition/"


def _profiled(bundle, profile):
    return [
        e["resource"]
        for e in bundle["entry"]
        if TDDUI + profile in e["resource"].get("meta", {}).get("profile", ())
    ]


def _exported(bundle):
    """What the bundle says, by the mapping of docs/interop-fhir.md: need codes (or
    the label of a custom domain), each expectation with its author's resource, and
    the objectives' words."""
    by_url = {e["fullUrl"]: e["resource"] for e in bundle["entry"]}
    objectives = _profiled(bundle, "tddui-goal-objectif")
    addressed = {o["addresses"][0]["reference"] for o in objectives}
    needs = set()
    for entry in bundle["entry"]:
        request = entry["resource"]
        if request["resourceType"] != "ServiceRequest":
            continue
        codes = [c["code"] for c in request.get("category", [{}])[0].get("coding", ())]
        if codes:
            needs.add(codes[0])
        elif entry["fullUrl"] not in addressed:
            needs.add(request["code"]["text"])
    expectations = {
        (g["description"]["text"], by_url[g["expressedBy"]["reference"]]["resourceType"])
        for g in _profiled(bundle, "tddui-goal-attente")
    }
    return needs, expectations, {o["description"]["text"] for o in objectives}


def _imported(alliance):
    charter = alliance.charters.get()
    needs = {
        e.domain_code or e.label
        for e in charter.perimeter.filter(status=PerimeterStatus.IN_ALLIANCE)
    }
    return needs, list(alliance.statements.all())


def test_noe_and_samir_go_out_to_fhir_and_come_back_the_same():
    call_command("demo", stdout=StringIO())
    for slug in ("personne-noe", "personne-samir"):
        alliance = Alliance.objects.get(allies__user__demo_persona=slug, allies__role=Role.PERSON)
        bundle = alliance_bundle(alliance)
        Bundle.model_validate(bundle)
        for entry in bundle["entry"]:
            resource = entry["resource"]
            get_fhir_model_class(resource["resourceType"]).model_validate(resource)
        needs, expectations, objectives = _exported(bundle)
        assert needs and expectations and objectives, slug  # the demo has each of them

        content = read_bundle(bundle_bytes(bundle))
        elsewhere = UserFactory(professional=True, display_name="Iris Ailleurs")
        assert elsewhere.organisation != alliance.organisation
        again = start_alliance_from_dui(
            professional=elsewhere,
            content=content,
            title=alliance.title,
            person_is_protected=alliance.person_is_protected,
            invitations=[
                Invitation(i, someone.role)
                for i, someone in enumerate(content.people)
                if someone.role != Role.REPRESENTATIVE or alliance.person_is_protected
            ],
        )

        person = alliance.allies.get(role=Role.PERSON).user
        assert again.allies.get(role=Role.PERSON).user.display_name == person.display_name
        found_needs, statements = _imported(again)
        assert found_needs == needs, slug
        by_text = {s.text: s for s in statements}
        # Every expectation, with who expressed it: the person's stay the DUI's words
        # about the person, written in Alliance by the professional who imported them.
        assert {text for text, _author in expectations} <= by_text.keys(), slug
        for text, author_kind in expectations:
            statement = by_text[text]
            assert statement.source_from_person == (author_kind == "Patient"), (slug, text)
            assert statement.author.user == elsewhere and statement.source == "dui"
        assert objectives <= by_text.keys(), slug
        assert {s.kind for s in statements if s.text in objectives} <= {"goal", "interest"}
        assert len(statements) == len({text for text, _a in expectations} | objectives)
        # The allies of the DUI are invited, none silently: each one ticked here.
        names = {a.user.display_name for a in again.allies.exclude(role=Role.PERSON)}
        assert {p.name for p in content.people} <= names | {elsewhere.display_name}
