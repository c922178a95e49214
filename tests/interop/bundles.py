"""TDDUI bundles for the import tests, written after the examples of the ANS guide
(the personalised project of "Mme Jeanne L." in an EHPAD, identifiers in the guide's
format 3+FINESS/local id): a Patient, a relative, a professional, needs coded with
SERAFIN-PH in `category`, expectations (one the DUI attributes to the person through
its origin note, one to the family, one expressed by the professional) and
objectives that address a need."""

import copy
import json

TDDUI = "https://interop.esante.gouv.fr/ig/fhir/tddui/StructureDefinition/"
DISCRIMINATOR = "https://interop.esante.gouv.fr/ig/fhir/tddui/CodeSystem/tddui-discriminator-cs"
SERAFIN = "https://mos.esante.gouv.fr/NOS/TRE_R373-BesoinsSERAFIN/FHIR/TRE-R373-BesoinsSERAFIN"
CAREPLAN = {"reference": "CarePlan/pp-1"}


def _origin(text):
    return {
        "extension": [
            {
                "url": TDDUI + "tddui-discriminator",
                "valueCodeableConcept": {
                    "coding": [{"system": DISCRIMINATOR, "code": "origineAttente"}]
                },
            }
        ],
        "text": text,
    }


def _need(id_, code, display, text):
    return {
        "resourceType": "ServiceRequest",
        "id": id_,
        "meta": {"profile": [TDDUI + "tddui-service-request-besoin"]},
        "identifier": [{"value": f"3480787529/123456789-BESO-{id_}"}],
        "status": "active",
        "intent": "plan",
        "basedOn": [CAREPLAN],
        "category": [{"coding": [{"system": SERAFIN, "code": code, "display": display}]}],
        "code": {"text": text},
        "subject": {"reference": "Patient/jeanne"},
    }


def _goal(id_, profile, text, **more):
    return {
        "resourceType": "Goal",
        "id": id_,
        "meta": {"profile": [TDDUI + profile]},
        "identifier": [{"value": f"3480787529/123456789-{id_}"}],
        "lifecycleStatus": "active",
        "description": {"text": text},
        "subject": {"reference": "Patient/jeanne"},
        **more,
    }


RESOURCES = [
    {
        "resourceType": "Organization",
        "id": "ehpad",
        "name": "EHPAD Les Tilleuls",
        "identifier": [{"system": "http://finess.sante.gouv.fr", "value": "480787529"}],
    },
    {
        "resourceType": "Patient",
        "id": "jeanne",
        "identifier": [{"value": "3480787529/123456789"}],
        "name": [{"family": "L.", "given": ["Jeanne"]}],
        "gender": "female",
        "birthDate": "1947-04-03",
    },
    {
        "resourceType": "RelatedPerson",
        "id": "fille",
        "patient": {"reference": "Patient/jeanne"},
        "relationship": [
            {
                "coding": [
                    {
                        "system": "http://terminology.hl7.org/CodeSystem/v3-RoleCode",
                        "code": "DAU",
                        "display": "fille",
                    }
                ]
            }
        ],
        "name": [{"family": "L.", "given": ["Claire"]}],
        "telecom": [{"system": "email", "value": "claire@example.org"}],
    },
    {
        "resourceType": "Practitioner",
        "id": "educ",
        "name": [{"family": "Roux", "given": ["Amandine"], "prefix": ["Mme"]}],
    },
    _need("b1", "1.2.1.3", "Besoins pour la mobilité", "Se déplacer sans chuter"),
    _need(
        "b2",
        "1.3.3.4",
        "Besoins pour la vie familiale, la parentalité, la vie affective et sexuelle",
        "Garder le lien avec sa famille",
    ),
    _goal(
        "attente-usager",
        "tddui-goal-attente",
        "Garder la main sur l'organisation de mes journées",
        note=[_origin("Usager")],
    ),
    _goal(
        "attente-famille",
        "tddui-goal-attente",
        "Maintenir le lien familial (visios)",
        note=[_origin("Famille")],
    ),
    _goal(
        "attente-educ",
        "tddui-goal-attente",
        "Participer à la chorale",
        expressedBy={"reference": "Practitioner/educ"},
    ),
    _goal(
        "objectif-1",
        "tddui-goal-objectif",
        "Marcher jusqu'au jardin chaque jour avec un appui",
        addresses=[{"reference": "ServiceRequest/b1"}],
        expressedBy={"reference": "Practitioner/educ"},
    ),
]


def bundle(*, resources=None) -> dict:
    chosen = RESOURCES if resources is None else resources
    return {
        "resourceType": "Bundle",
        "id": "dui-jeanne",
        "identifier": {"value": "3480787529/123456789-PP-1"},
        "type": "collection",
        "entry": [
            {"fullUrl": f"{r['resourceType']}/{r['id']}", "resource": copy.deepcopy(r)}
            for r in chosen
        ],
    }


def raw(document=None) -> bytes:
    return json.dumps(bundle() if document is None else document).encode()
