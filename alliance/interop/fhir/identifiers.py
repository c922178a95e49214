"""The names a bundle uses: the TDDUI guide's canonical addresses and identifier
systems, and Alliance's own. Plain Python: no Django import (the site address is
passed in), so the importer and the tests read the same constants."""

import uuid

TDDUI = "https://interop.esante.gouv.fr/ig/fhir/tddui"


def profile(name: str) -> str:
    return f"{TDDUI}/StructureDefinition/{name}"


BUNDLE = profile("tddui-bundle")
PATIENT = profile("tddui-patient")
ORGANIZATION = profile("tddui-organization")
PRACTITIONER = profile("tddui-practitioner")
PRACTITIONER_ROLE = profile("tddui-practitioner-role")
RELATED_PERSON = profile("tddui-related-person-contact")
CARE_PLAN = profile("tddui-careplan-projet-personnalise")
CONSENT = profile("tddui-consent-accord")
GOAL_EXPECTATION = profile("tddui-goal-attente")
GOAL_OBJECTIVE = profile("tddui-goal-objectif")
NEED = profile("tddui-service-request-besoin")
TASK_ACTION = profile("tddui-task-action")
TASK_MEANS = profile("tddui-task-moyen-ressource")

EXT_CARE_PLAN_REF = profile("tddui-careplan-reference")
EXT_GOAL_NOTE = profile("tddui-goal-note")
EXT_DISCRIMINATOR = profile("tddui-discriminator")
DISCRIMINATOR_CS = f"{TDDUI}/CodeSystem/tddui-discriminator-cs"
TASK_ACTION_INPUT_CS = f"{TDDUI}/CodeSystem/input-tddui-task-action-codesystem"
TASK_MEANS_INPUT_CS = f"{TDDUI}/CodeSystem/input-tddui-task-moyen-ressource-codesystem"

SERAFIN_SYSTEM = "https://smt.esante.gouv.fr/terminologie-SERAFINPH"
SERAFIN_VALUE_SET = (
    "https://mos.esante.gouv.fr/NOS/JDV_J285-Besoins_SERAFIN/FHIR/JDV-J285-Besoins-SERAFIN"
)
ROLE_CODE_SYSTEM = "https://mos.esante.gouv.fr/NOS/TRE_R216-HL7RoleCode/FHIR/TRE-R216-HL7RoleCode"
INS_NIR_SYSTEM = "urn:oid:1.2.250.1.213.1.4.8"

# Identifier systems the guide fixes, with the type code of their values.
LOCAL_PATIENT = "https://identifiant-medicosocial-localusager.esante.gouv.fr"
SYSTEMS = {
    "PPER": "https://identifiant-medicosocial-projetpersonnalise.esante.gouv.fr",
    "ATTE": "https://identifiant-medicosocial-attente.esante.gouv.fr",
    "OBJE": "https://identifiant-medicosocial-objectif.esante.gouv.fr",
    "BESO": "https://identifiant-medicosocial-besoin.esante.gouv.fr",
    "ACTI": "https://identifiant-medicosocial-action.esante.gouv.fr",
    "MORE": "https://identifiant-medicosocial-moyenressource.esante.gouv.fr",
}


def structure_key(organisation_id: int | None) -> str:
    """Stands where the guide puts `3+FINESS`: Alliance records no FINESS, and a key
    that starts with a letter never collides with one."""
    return f"alliance-o{organisation_id or 0}"


def person_value(organisation_id: int | None, alliance_id: int) -> str:
    return f"{structure_key(organisation_id)}/a{alliance_id}"


def tddui_identifier(organisation_id, alliance_id, kind: str, n) -> dict:
    return {
        "system": SYSTEMS[kind],
        "value": f"{person_value(organisation_id, alliance_id)}-{kind}-{n}",
    }


class Own:
    """Alliance's own systems under the deployment's address."""

    def __init__(self, site: str):
        self.base = site.rstrip("/") + "/fhir"

    def sid(self, kind: str) -> str:
        return f"{self.base}/sid/{kind}"

    def code_system(self, name: str) -> str:
        return f"{self.base}/CodeSystem/{name}"

    def identifier(self, kind: str, value) -> dict:
        return {"system": self.sid(kind), "value": str(value)}


def full_url(identifier: dict) -> str:
    """The same resource gets the same address in every export."""
    name = f"{identifier['system']}|{identifier['value']}"
    return f"urn:uuid:{uuid.uuid5(uuid.NAMESPACE_URL, name)}"
