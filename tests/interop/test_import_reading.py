"""The TDDUI bundle reader, without a database: bundles after the guide's examples."""

import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from alliance.interop.dui_reading import (
    MAX_BYTES,
    DuiContent,
    UnreadableBundle,
    read_bundle,
)
from tests.interop import bundles


def _reason(raw):
    with pytest.raises(UnreadableBundle) as refusal:
        read_bundle(raw)
    return refusal.value.reason


def test_the_guide_example_gives_the_person_the_people_the_needs_and_the_words():
    content = read_bundle(bundles.raw())
    assert (content.person.name, content.person.born_on) == ("Jeanne L.", "1947-04-03")
    assert content.source_label == "EHPAD Les Tilleuls · 3480787529/123456789-PP-1"
    assert [(p.name, p.kind, p.role, p.email) for p in content.people] == [
        ("Claire L.", "relative", "relative", "claire@example.org"),
        ("Mme Amandine Roux", "professional", "professional", ""),
    ]
    assert [(n.code, n.label) for n in content.needs] == [
        ("1.2.1.3", "Besoins pour la mobilité"),
        ("1.3.3.4", "Besoins pour la vie familiale, la parentalité, la vie affective et sexuelle"),
    ]
    assert [(w.text, w.author, w.from_person) for w in content.expectations] == [
        ("Garder la main sur l'organisation de mes journées", "Usager", True),
        ("Maintenir le lien familial (visios)", "Famille", False),
        ("Participer à la chorale", "Mme Amandine Roux", False),
    ]
    assert [(w.text, w.author) for w in content.objectives] == [
        ("Marcher jusqu'au jardin chaque jour avec un appui", "Mme Amandine Roux")
    ]
    assert content.left_out == 0


def test_what_is_read_survives_the_session():
    content = read_bundle(bundles.raw())
    assert DuiContent.from_data(json.loads(json.dumps(content.as_data()))) == content


def test_an_expectation_expressed_by_the_patient_is_said_to_come_from_the_person():
    document = bundles.bundle()
    goal = next(e["resource"] for e in document["entry"] if e["resource"]["id"] == "attente-educ")
    goal["expressedBy"] = {"reference": "Patient/jeanne"}
    content = read_bundle(bundles.raw(document))
    assert (content.expectations[2].author, content.expectations[2].from_person) == (
        "Jeanne L.",
        True,
    )


def test_a_guardian_is_offered_as_a_legal_representative():
    document = bundles.bundle()
    relative = next(e["resource"] for e in document["entry"] if e["resource"]["id"] == "fille")
    relative["relationship"] = [{"coding": [{"code": "GUARD"}], "text": "tutrice"}]
    assert read_bundle(bundles.raw(document)).people[0].role == "representative"


def test_an_unknown_need_code_is_kept_under_the_dui_words_and_a_need_without_words_left_out():
    document = bundles.bundle()
    first, second = (e["resource"] for e in document["entry"][4:6])
    first["category"] = [{"coding": [{"system": "urn:local", "code": "X9", "display": "Jardiner"}]}]
    second["category"], second["code"] = [], {"coding": [{"code": "Z1"}]}
    content = read_bundle(bundles.raw(document))
    assert [(n.code, n.label, n.dui_code) for n in content.needs] == [("", "Jardiner", "X9")]
    assert content.left_out == 1


@pytest.mark.parametrize(
    ("raw", "reason"),
    [
        (b"\xff\xfe not text", "not_json"),
        (b"{not json", "not_json"),
        (b"[]", "not_bundle"),
        (json.dumps({"resourceType": "Patient", "id": "p"}).encode(), "not_bundle"),
        (
            json.dumps({"resourceType": "Bundle", "type": "collection", "entry": 3}).encode(),
            "invalid",
        ),
        (json.dumps({"resourceType": "Bundle", "type": "collection"}).encode(), "no_patient"),
        (b" " * (MAX_BYTES + 1), "too_big"),
        (b"[" * 100_000 + b"]" * 100_000, "not_json"),
    ],
)
def test_what_is_not_a_readable_bundle_is_refused_with_its_reason(raw, reason):
    assert _reason(raw) == reason


def test_a_bundle_of_two_persons_or_of_a_nameless_person_is_refused():
    document = bundles.bundle()
    patient = document["entry"][1]
    assert _reason(bundles.raw({**document, "entry": [*document["entry"], patient]})) == (
        "many_patients"
    )
    patient["resource"]["name"] = []
    assert _reason(bundles.raw(document)) == "no_name"


def test_an_element_fhir_does_not_know_is_refused():
    document = bundles.bundle()
    document["entry"][1]["resource"]["favouriteColour"] = "bleu"
    assert _reason(bundles.raw(document)) == "invalid"


def test_alliance_s_own_export_reads_back_roles_kinds_and_authors():
    """The shapes of docs/interop-fhir.md: a role coded in Alliance's ally-role
    system, an author named through a PractitionerRole, the kind in the statement-kind
    category, an indicator that is nobody's words, an adopted interest exported
    twice and the need made only to carry it."""
    site = "https://alliance.example.fr/fhir/CodeSystem/"
    kind = lambda code: [{"coding": [{"system": site + "statement-kind", "code": code}]}]  # noqa: E731
    document = bundles.bundle(
        resources=[
            {"resourceType": "Patient", "id": "p", "name": [{"use": "usual", "text": "Noé"}]},
            {
                "resourceType": "RelatedPerson",
                "id": "rp",
                "patient": {"reference": "Patient/p"},
                "name": [{"text": "Léa"}],
                "relationship": [
                    {
                        "coding": [
                            {"code": "GUARD"},
                            {"system": site + "ally-role", "code": "representative"},
                        ],
                        "text": "Représentant légal",
                    }
                ],
            },
            {"resourceType": "Practitioner", "id": "pr", "name": [{"text": "Hélène"}]},
            {
                "resourceType": "PractitionerRole",
                "id": "role",
                "practitioner": {"reference": "Practitioner/pr"},
                "code": [{"text": "coordinatrice"}],
            },
            {
                "resourceType": "ServiceRequest",
                "id": "placeholder",
                "status": "active",
                "intent": "plan",
                "subject": {"reference": "Patient/p"},
                "code": {"text": "Aller à l'école"},
            },
            {
                "resourceType": "Goal",
                "id": "a1",
                "lifecycleStatus": "active",
                "description": {"text": "Aller à l'école"},
                "subject": {"reference": "Patient/p"},
                "expressedBy": {"reference": "Patient/p"},
                "category": kind("goal"),
            },
            {
                "resourceType": "Goal",
                "id": "a2",
                "lifecycleStatus": "active",
                "description": {"text": "Qu'il ait des copains"},
                "subject": {"reference": "Patient/p"},
                "expressedBy": {"reference": "PractitionerRole/role"},
                "category": kind("interest"),
            },
            {
                "resourceType": "Goal",
                "id": "o1",
                "meta": {"profile": [bundles.TDDUI + "tddui-goal-objectif"]},
                "lifecycleStatus": "active",
                "description": {"text": "Aller à l'école"},
                "subject": {"reference": "Patient/p"},
                "addresses": [{"reference": "ServiceRequest/placeholder"}],
            },
            {
                "resourceType": "Goal",
                "id": "i1",
                "lifecycleStatus": "active",
                "description": {"text": "Envie d'aller à l'école"},
                "subject": {"reference": "Patient/p"},
                "category": kind("indicator"),
            },
        ]
    )
    content = read_bundle(bundles.raw(document))
    assert [(p.name, p.role, p.relationship) for p in content.people] == [
        ("Léa", "representative", "Représentant légal"),
        ("Hélène", "professional", ""),
    ]
    assert [(w.text, w.kind, w.author, w.from_person) for w in content.expectations] == [
        ("Aller à l'école", "goal", "Noé", True),
        ("Qu'il ait des copains", "interest", "Hélène, coordinatrice", False),
    ]
    assert content.objectives == [] and content.needs == []


@pytest.mark.parametrize("depth", [50, 300, 3000])
def test_bundles_nested_deep_are_refused_never_a_crash(depth):
    nested = (
        b'{"resourceType": "Bundle", "type": "collection", "entry": [{"resource": ' * depth
        + b'{"resourceType": "Basic", "code": {"text": "x"}}'
        + b"}]}" * depth
    )
    assert _reason(nested) in {"not_json", "invalid", "no_patient"}


# Resources of the guide's kinds with any of the fields the reader looks at, each
# holding anything JSON can say: the reader refuses or reads, it never fails.
_ANY = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(max_size=8),
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=6), inner, max_size=3)
    ),
    max_leaves=12,
)
_FIELDS = [
    "id",
    "name",
    "birthDate",
    "telecom",
    "relationship",
    "category",
    "code",
    "description",
    "note",
    "expressedBy",
    "addresses",
    "meta",
    "practitioner",
    "identifier",
]
_RESOURCE = st.builds(
    lambda kind, fields: {"resourceType": kind, **fields},
    st.sampled_from(
        [
            "Patient",
            "RelatedPerson",
            "Practitioner",
            "PractitionerRole",
            "Goal",
            "ServiceRequest",
            "Organization",
        ]
    ),
    st.dictionaries(st.sampled_from(_FIELDS), _ANY, max_size=4),
)


@settings(max_examples=150, deadline=None)
@given(resources=st.lists(_RESOURCE, max_size=5), with_patient=st.booleans())
def test_any_bundle_is_read_or_refused_never_a_crash(resources, with_patient):
    patient = {"resourceType": "Patient", "id": "p", "name": [{"text": "Jeanne"}]}
    entries = [{"resource": r} for r in ([patient] if with_patient else []) + resources]
    raw = json.dumps({"resourceType": "Bundle", "type": "collection", "entry": entries})
    try:
        content = read_bundle(raw.encode())
    except UnreadableBundle:
        return
    assert content.person.name
