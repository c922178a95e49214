"""Reads a TDDUI bundle (ANS guide "Médicosocial – Transfert de données DUI", FHIR
R4) into what can start an alliance: the person, the people around them, the needs,
the expectations and the objectives. Plain Python, no Django: it takes bytes and
returns data that a professional reviews before anything is created (ADR 0031).

Nothing here decides who the words belong to: an expectation keeps the name the DUI
gives its author, and says whether the DUI attributes it to the person."""

import json
from dataclasses import asdict, dataclass, field

from fhir.resources.R4B.bundle import Bundle
from pydantic import ValidationError

from alliance.alliances.needs import label_of

# Alliance's own code systems (docs/interop-fhir.md), named under the exporting site:
# recognised by their ending, whatever the site.
ALLY_ROLE_SYSTEM = "/fhir/CodeSystem/ally-role"
STATEMENT_KIND_SYSTEM = "/fhir/CodeSystem/statement-kind"
ALLY_ROLES = frozenset({"representative", "relative", "trusted_person", "peer", "other"})
ATTENTE = "tddui-goal-attente"
OBJECTIF = "tddui-goal-objectif"
PROJET_VIE = "tddui-goal-projet-vie"
# Goal.note slices of the guide, told apart by a discriminator code.
ORIGIN_NOTE = "origineAttente"
TITLE_NOTE = "titreObjectif"
# Who the guide's origin notes name when the person speaks ("Usager" in its examples).
PERSON_ORIGINS = frozenset({"usager", "usagere", "usagère", "personne", "patient", "patiente"})
# v3 RoleCode relationships that make a legal representative (guardian, powers of
# attorney); another relative is invited as a relative, and the professional may
# change the role on the review step.
REPRESENTATIVE_CODES = frozenset({"GUARD", "POWATT", "DPOWATT", "HPOWATT", "SPOWATT"})
REPRESENTATIVE_WORDS = ("tuteur", "tutrice", "curateur", "curatrice", "représentant légal")
TRUSTED_WORDS = ("personne de confiance",)


# A DUI bundle for one person is a few hundred kilobytes; more is refused unread.
MAX_BYTES = 2 * 1024 * 1024


class UnreadableBundle(Exception):
    """`reason`: a short code the page turns into a sentence in the user's language."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


@dataclass
class Someone:
    ref: str
    name: str
    kind: str  # "person", "relative", "professional"
    role: str = ""  # suggested role in the alliance, for relatives and professionals
    relationship: str = ""
    email: str = ""
    born_on: str = ""  # ISO date, for the person only


@dataclass
class Need:
    code: str  # a SERAFIN-PH code, "" when the DUI's code is not one
    label: str
    dui_code: str = ""  # the code as the DUI wrote it, when unknown here


@dataclass
class Words:
    text: str
    author: str  # the name the DUI gives, or its origin note ("Famille")
    from_person: bool  # the DUI says the person expressed it
    kind: str = "interest"  # the statement it becomes: "interest" or "goal"


@dataclass
class DuiContent:
    source_label: str
    person: Someone | None
    people: list[Someone] = field(default_factory=list)
    needs: list[Need] = field(default_factory=list)
    expectations: list[Words] = field(default_factory=list)
    objectives: list[Words] = field(default_factory=list)
    left_out: int = 0  # needs or goals with no words at all: nothing to show

    def as_data(self) -> dict:
        return asdict(self)

    @classmethod
    def from_data(cls, data: dict) -> "DuiContent":
        person = data.get("person")
        return cls(
            source_label=data["source_label"],
            person=Someone(**person) if person else None,
            people=[Someone(**p) for p in data["people"]],
            needs=[Need(**n) for n in data["needs"]],
            expectations=[Words(**w) for w in data["expectations"]],
            objectives=[Words(**w) for w in data["objectives"]],
            left_out=data["left_out"],
        )


def read_bundle(raw: bytes) -> DuiContent:
    if len(raw) > MAX_BYTES:
        raise UnreadableBundle("too_big")
    try:
        document = json.loads(raw)
    except (UnicodeDecodeError, ValueError, RecursionError) as error:
        raise UnreadableBundle("not_json") from error
    if not isinstance(document, dict) or document.get("resourceType") != "Bundle":
        raise UnreadableBundle("not_bundle")
    try:
        bundle = Bundle.model_validate(document)
    except (ValidationError, ValueError, TypeError, RecursionError) as error:
        raise UnreadableBundle("invalid") from error
    resources = [entry.resource for entry in bundle.entry or () if entry.resource is not None]
    index = _index(bundle)
    patients = [r for r in resources if r.get_resource_type() == "Patient"]
    if len(patients) != 1:
        raise UnreadableBundle("no_patient" if not patients else "many_patients")
    content = DuiContent(
        source_label=_source_label(bundle, resources),
        person=Someone(
            ref="",
            name=_name(patients[0]),
            kind="person",
            email=_email(patients[0]),
            born_on=_born_on(patients[0]),
        ),
    )
    if not content.person.name:
        raise UnreadableBundle("no_name")
    placeholders = set()
    for resource in resources:
        kind = resource.get_resource_type()
        if kind in ("RelatedPerson", "Practitioner"):
            someone = _someone(resource)
            if someone.name:
                content.people.append(someone)
        elif kind == "Goal":
            placeholders |= _read_goal(resource, index, content)
    for resource in resources:
        if resource.get_resource_type() != "ServiceRequest":
            continue
        need = _need(resource)
        if need is None:
            content.left_out += 1
        elif not need.code and (_ref(resource), need.label) in placeholders:
            continue  # only repeats the words of the objective that addresses it
        elif all(n.label != need.label for n in content.needs):
            content.needs.append(need)
    # An adopted common interest comes twice (the author's expectation and the
    # project's objective): one statement for the same words.
    said = {w.text for w in content.expectations}
    content.objectives = [w for w in content.objectives if w.text not in said]
    return content


def _index(bundle) -> dict:
    """Each resource under every name a reference may use: its fullUrl and Type/id."""
    index = {}
    for entry in bundle.entry or ():
        resource = entry.resource
        if resource is None:
            continue
        if entry.fullUrl:
            index[entry.fullUrl] = resource
        if resource.id:
            index[f"{resource.get_resource_type()}/{resource.id}"] = resource
    return index


def _source_label(bundle, resources) -> str:
    organisation = next((r for r in resources if r.get_resource_type() == "Organization"), None)
    reference = (bundle.identifier.value if bundle.identifier else "") or bundle.id or ""
    parts = [organisation.name if organisation is not None else "", reference]
    return " · ".join(p.strip() for p in parts if p and p.strip())[:200]


def _name(resource) -> str:
    for name in resource.name or ():
        if name.text:
            return name.text.strip()
        words = [*(name.prefix or ()), *(name.given or ()), name.family or ""]
        joined = " ".join(w.strip() for w in words if w and w.strip())
        if joined:
            return joined
    return ""


def _born_on(patient) -> str:
    return patient.birthDate.isoformat() if patient.birthDate else ""


def _email(resource) -> str:
    return next(
        (t.value.strip() for t in resource.telecom or () if t.system == "email" and t.value),
        "",
    )


def _someone(resource) -> Someone:
    if resource.get_resource_type() == "Practitioner":
        return Someone(
            ref=_ref(resource),
            name=_name(resource),
            kind="professional",
            role="professional",
            email=_email(resource),
        )
    codes, words, alliance_role = set(), [], ""
    for relationship in resource.relationship or ():
        words.append(relationship.text or "")
        for coding in relationship.coding or ():
            if (coding.system or "").endswith(ALLY_ROLE_SYSTEM):
                alliance_role = coding.code if coding.code in ALLY_ROLES else ""
                continue
            codes.add(coding.code or "")
            words.append(coding.display or "")
    said = ", ".join(dict.fromkeys(w for w in words if w))
    lowered = said.lower()
    if alliance_role:
        role = alliance_role
    elif codes & REPRESENTATIVE_CODES or any(w in lowered for w in REPRESENTATIVE_WORDS):
        role = "representative"
    elif any(w in lowered for w in TRUSTED_WORDS):
        role = "trusted_person"
    else:
        role = "relative"
    return Someone(
        ref=_ref(resource),
        name=_name(resource),
        kind="relative",
        role=role,
        relationship=said[:200],
        email=_email(resource),
    )


def _ref(resource) -> str:
    return f"{resource.get_resource_type()}/{resource.id}" if resource.id else ""


def _need(request) -> Need | None:
    """The guide codes the need in `category` (SERAFIN-PH, value set J285) and
    describes it in `code.text`; a code of the nomenclature is named by it, another
    one is kept as a custom domain under the DUI's words."""
    concepts = [*(request.category or ()), *([request.code] if request.code else [])]
    for concept in concepts:
        for coding in concept.coding or ():
            if coding.code and label_of(coding.code):
                return Need(code=coding.code, label=label_of(coding.code))
    for concept in concepts:
        for coding in concept.coding or ():
            words = coding.display or concept.text or ""
            if coding.code and words.strip():
                return Need(code="", label=words.strip()[:200], dui_code=coding.code)
    text = request.code.text if request.code and request.code.text else ""
    return Need(code="", label=text.strip()[:200]) if text.strip() else None


def _profile(resource) -> str:
    profiles = resource.meta.profile if resource.meta and resource.meta.profile else ()
    return next((p.rsplit("/", 1)[-1].split("|")[0] for p in profiles), "")


def _note(goal, code: str) -> str:
    for note in goal.note or ():
        for extension in note.extension or ():
            concept = extension.valueCodeableConcept
            codes = {c.code for c in concept.coding or ()} if concept else set()
            if code in codes or extension.valueCode == code:
                return (note.text or "").strip()
    return ""


def _kind(goal) -> str:
    for concept in goal.category or ():
        for coding in concept.coding or ():
            if (coding.system or "").endswith(STATEMENT_KIND_SYSTEM):
                return coding.code or ""
    return ""


def _author(resource, index) -> str:
    """A PractitionerRole is named by its practitioner, with the job it names
    ("Amandine Roux, éducatrice spécialisée")."""
    if resource.get_resource_type() != "PractitionerRole":
        return _name(resource)
    practitioner = (
        index.get(resource.practitioner.reference or "") if resource.practitioner else None
    )
    name = _name(practitioner) if practitioner is not None else ""
    job = next((c.text for c in resource.code or () if c.text), "")
    return ", ".join(w for w in (name, job) if w)


def _read_goal(goal, index, content: DuiContent) -> set:
    """Reads an expectation or an objective into `content`; returns the needs an
    objective addresses, as (reference, the objective's words)."""
    profile, kind = _profile(goal), _kind(goal)
    # A life project is the person's own story, not a statement; an indicator is the
    # charter's, not anyone's words.
    if profile == PROJET_VIE or kind == "indicator":
        return set()
    text = (goal.description.text or "").strip() if goal.description else ""
    title = _note(goal, TITLE_NOTE)
    if not (text or title):
        content.left_out += 1
        return set()
    author, from_person = "", False
    if goal.expressedBy is not None:
        said = index.get(goal.expressedBy.reference or "")
        if said is not None:
            author = _author(said, index)
            from_person = said.get_resource_type() == "Patient"
        author = author or (goal.expressedBy.display or "").strip()
    origin = _note(goal, ORIGIN_NOTE)
    if origin and not author:
        author = origin
        from_person = origin.lower() in PERSON_ORIGINS
    words = Words(text=(text or title)[:1000], author=author[:200], from_person=from_person)
    if profile == OBJECTIF or (profile != ATTENTE and bool(goal.addresses)):
        words.kind = "goal"
        content.objectives.append(words)
        return {(target.reference or "", words.text) for target in goal.addresses or ()}
    words.kind = "goal" if kind == "goal" else "interest"
    content.expectations.append(words)
    return set()
