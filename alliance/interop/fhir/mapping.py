"""The resources of one alliance's TDDUI bundle, built from its data as
docs/interop-fhir.md describes them. `load` reads the alliance in a fixed number of
queries whatever its size; `resources` turns what was read into JSON-ready dicts
without touching the database again."""

from dataclasses import dataclass

from django.conf import settings
from django.db.models import Prefetch, Q
from django.utils import translation

from alliance.acting.models import Action, ActionStatus, Availability, IndicatorReading, MeansOption
from alliance.alliances.models import (
    Alliance,
    Ally,
    Charter,
    CharterInterest,
    MandateKind,
    PerimeterStatus,
    Role,
    Signature,
    Statement,
    StatementKind,
)
from alliance.alliances.needs import label_of

from . import identifiers as ids

EXPORTED_ALLY_STATUSES = (Ally.Status.ACTIVE, Ally.Status.LEFT, Ally.Status.REMOVED)
EXPECTATION_KINDS = (StatementKind.INTEREST, StatementKind.GOAL)

ACTION_STATUS = {
    ActionStatus.PLANNED: "draft",
    ActionStatus.IN_PROGRESS: "in-progress",
    ActionStatus.DONE: "completed",
    ActionStatus.ABANDONED: "cancelled",
}
MEANS_STATUS = {
    Availability.AVAILABLE: "in-progress",
    Availability.WAITING: "on-hold",
    Availability.REFUSED: "rejected",
    Availability.NOT_EXISTING: "rejected",
    "": "accepted",
}
# HL7 role codes (TRE_R216) where one says the same thing as Alliance's role.
ROLE_CODES = {
    Role.REPRESENTATIVE: ("GUARD", "guardian"),
    Role.RELATIVE: ("FAMMEMB", "family member"),
}
PARENT_CODE = ("PRN", "parent")


@dataclass
class Loaded:
    alliance: Alliance
    allies: dict[int, Ally]
    charter: Charter | None
    statements: list[Statement]
    options: list[MeansOption]
    actions: list[Action]
    readings: list[IndicatorReading]


def exported_charter(charters) -> Charter | None:
    """The newest version ever signed (the project in force, even while a newer one
    is being written), else the version being written."""
    signed = [c for c in charters if c.signed_at is not None]
    if signed:
        return max(signed, key=lambda c: c.number)
    current = [c for c in charters if c.status != Charter.Status.SUPERSEDED]
    return max(current, key=lambda c: c.number, default=None)


def load(alliance: Alliance) -> Loaded:
    alliance = Alliance.objects.select_related("organisation").get(pk=alliance.pk)
    allies = {
        a.pk: a
        for a in Ally.objects.filter(
            alliance=alliance, status__in=EXPORTED_ALLY_STATUSES
        ).select_related("user__organisation")
    }
    charters = alliance.charters.filter(
        Q(signed_at__isnull=False) | ~Q(status=Charter.Status.SUPERSEDED)
    ).only("pk", "number", "status", "signed_at")
    charter = exported_charter(list(charters))
    keys = []
    if charter is not None:
        charter = (
            Charter.objects.filter(pk=charter.pk)
            .prefetch_related(
                Prefetch("interests", queryset=CharterInterest.objects.select_related("statement")),
                "recognitions",
                "perimeter",
                "indicators",
                Prefetch("signatures", queryset=Signature.objects.order_by("signed_at", "pk")),
            )
            .get()
        )
        keys = [i.key for i in charter.indicators.all()]
    statements = list(
        Statement.objects.filter(
            alliance=alliance, withdrawn_at__isnull=True, kind__in=EXPECTATION_KINDS
        ).order_by("created_at", "pk")
    )
    options = list(MeansOption.objects.filter(alliance=alliance).select_related("decision"))
    actions = list(Action.objects.filter(alliance=alliance).prefetch_related("co_actors"))
    readings = list(
        IndicatorReading.objects.filter(alliance=alliance, indicator_key__in=keys).order_by(
            "created_at", "pk"
        )
    )
    return Loaded(alliance, allies, charter, statements, options, actions, readings)


def _ref(identifier: dict, display: str = "") -> dict:
    reference = {"reference": ids.full_url(identifier)}
    if display:
        reference["display"] = display
    return reference


def _text_note(code: str, text: str) -> dict:
    return {"extension": [{"url": ids.EXT_GOAL_NOTE, "valueCode": code}], "text": text}


def _when(moment) -> str:
    return moment.isoformat()


class _Builder:
    def __init__(self, data: Loaded, site: str):
        self.data = data
        self.alliance = data.alliance
        self.own = ids.Own(site)
        self.out: list[dict] = []
        org_id = self.alliance.organisation_id
        self.patient_id = {
            "system": ids.LOCAL_PATIENT,
            "value": ids.person_value(org_id, self.alliance.pk),
        }
        self.care_plan_id = None
        if data.charter is not None:
            self.care_plan_id = self.tddui("PPER", data.charter.number)

    def tddui(self, kind, n) -> dict:
        return ids.tddui_identifier(self.alliance.organisation_id, self.alliance.pk, kind, n)

    def role_coding(self, role) -> dict:
        return {"system": self.own.code_system("ally-role"), "code": str(role)}

    def ally_id(self, ally: Ally) -> dict:
        if ally.role == Role.PERSON:
            return self.patient_id
        return self.own.identifier("ally", ally.pk)

    def who(self, ally: Ally) -> dict:
        return _ref(self.ally_id(ally), ally.user.display_name)

    def add(self, resource: dict) -> dict:
        self.out.append(resource)
        return resource

    # The people

    def organisations(self):
        seen = {}
        if self.alliance.organisation is not None:
            seen[self.alliance.organisation_id] = self.alliance.organisation
        for ally in self.data.allies.values():
            if ally.role == Role.PROFESSIONAL and ally.user.organisation is not None:
                seen.setdefault(ally.user.organisation_id, ally.user.organisation)
        for organisation in seen.values():
            self.add(
                {
                    "resourceType": "Organization",
                    "meta": {"profile": [ids.ORGANIZATION]},
                    "identifier": [self.own.identifier("organisation", organisation.pk)],
                    "active": True,
                    "name": organisation.name,
                }
            )

    def patient(self):
        person = next((a for a in self.data.allies.values() if a.role == Role.PERSON), None)
        resource = {
            "resourceType": "Patient",
            "meta": {"profile": [ids.PATIENT]},
            "identifier": [self.patient_id, self.own.identifier("alliance", self.alliance.pk)],
        }
        if person is not None:
            resource["name"] = [{"use": "usual", "text": person.user.display_name}]
            if person.user.born_on:
                resource["birthDate"] = person.user.born_on.isoformat()
        if self.alliance.organisation_id:
            resource["managingOrganization"] = self.org_ref(self.alliance.organisation_id)
        self.add(resource)

    def org_ref(self, organisation_id) -> dict:
        return _ref(self.own.identifier("organisation", organisation_id))

    def allies(self):
        practitioners = set()
        for ally in self.data.allies.values():
            if ally.role == Role.PERSON:
                continue
            if ally.role == Role.PROFESSIONAL:
                user = ally.user
                if user.pk not in practitioners:
                    practitioners.add(user.pk)
                    self.add(
                        {
                            "resourceType": "Practitioner",
                            "meta": {"profile": [ids.PRACTITIONER]},
                            "identifier": [self.own.identifier("user", user.pk)],
                            "name": [{"use": "usual", "text": user.display_name}],
                        }
                    )
                role = {
                    "resourceType": "PractitionerRole",
                    "meta": {"profile": [ids.PRACTITIONER_ROLE]},
                    "identifier": [self.ally_id(ally)],
                    "active": ally.is_active,
                    "practitioner": _ref(self.own.identifier("user", user.pk), user.display_name),
                    "code": [
                        {
                            "coding": [self.role_coding(ally.role)],
                            "text": user.job_title or str(Role(ally.role).label),
                        }
                    ],
                }
                if user.organisation_id:
                    role["organization"] = self.org_ref(user.organisation_id)
                self.add(role)
                continue
            relationship = {
                "coding": [self.role_coding(ally.role)],
                "text": str(Role(ally.role).label),
            }
            code = ROLE_CODES.get(ally.role)
            if ally.role == Role.REPRESENTATIVE and ally.mandate_kind == MandateKind.PARENT:
                code = PARENT_CODE
            if code:
                relationship["coding"].insert(
                    0, {"system": ids.ROLE_CODE_SYSTEM, "code": code[0], "display": code[1]}
                )
            relationships = [relationship]
            if ally.mandate_kind:
                relationships.append({"text": str(MandateKind(ally.mandate_kind).label)})
            self.add(
                {
                    "resourceType": "RelatedPerson",
                    "meta": {"profile": [ids.RELATED_PERSON]},
                    "identifier": [self.ally_id(ally)],
                    "active": ally.is_active,
                    "patient": _ref(self.patient_id),
                    "relationship": relationships,
                    "name": [{"use": "usual", "text": ally.user.display_name}],
                }
            )

    def care_team(self):
        resource = {
            "resourceType": "CareTeam",
            "identifier": [self.own.identifier("care-team", self.alliance.pk)],
            "status": "active" if not self.alliance.is_closed else "inactive",
            "name": self.alliance.title,
            "subject": _ref(self.patient_id),
            "participant": [
                {
                    "role": [
                        {"coding": [self.role_coding(a.role)], "text": str(Role(a.role).label)}
                    ],
                    "member": self.who(a),
                }
                for a in self.data.allies.values()
                if a.is_active
            ],
        }
        if self.alliance.organisation_id:
            resource["managingOrganization"] = [self.org_ref(self.alliance.organisation_id)]
        return self.add(resource)

    # The project

    def needs(self) -> dict[str, dict]:
        """Each need once, keyed by its SERAFIN-PH code (or `c<entry>` for a domain
        of the alliance's own naming)."""
        needs: dict[str, tuple[str, str]] = {}
        for entry in self.data.charter.perimeter.all():
            if entry.status != PerimeterStatus.IN_ALLIANCE:
                continue
            if entry.domain_code:
                needs.setdefault(entry.domain_code, (entry.domain_code, entry.label))
            else:
                needs.setdefault(f"c{entry.pk}", ("", entry.label))
        for option in self.data.options:
            if option.need_code:
                needs.setdefault(option.need_code, (option.need_code, label_of(option.need_code)))
        return {key: self.need(key, code, label) for key, (code, label) in needs.items()}

    def need(self, key: str, code: str, label: str) -> dict:
        resource = {
            "resourceType": "ServiceRequest",
            "meta": {"profile": [ids.NEED]},
            "identifier": [self.tddui("BESO", key)],
            "status": "active",
            "intent": "plan",
            "code": {"text": label or code},
            "subject": _ref(self.patient_id),
            "basedOn": [_ref(self.care_plan_id)],
        }
        if code:
            resource["category"] = [
                {
                    "coding": [
                        {"system": ids.SERAFIN_SYSTEM, "code": code, "display": label_of(code)}
                    ]
                }
            ]
        return self.add(resource)

    def expectations(self):
        plan = {"url": ids.EXT_CARE_PLAN_REF, "valueReference": _ref(self.care_plan_id)}
        kinds = self.own.code_system("statement-kind")
        allies = self.data.allies
        rows = [
            (f"s{s.pk}", s.kind, s.text, allies.get(s.author_id), allies.get(s.supported_by_id))
            for s in self.data.statements
        ]
        rows += [
            (f"r{r.ally_id}", "recognition", r.expects, allies.get(r.ally_id), None)
            for r in self.data.charter.recognitions.all()
            if r.expects.strip()
        ]
        for n, kind, text, author, supporter in rows:
            if author is None:
                continue
            notes = [_text_note("origineAttente", str(Role(author.role).label))]
            if supporter is not None:
                notes.append(
                    _text_note(
                        "commentaireAttente",
                        f"Écrit avec le soutien de {supporter.user.display_name}",
                    )
                )
            self.add(
                {
                    "resourceType": "Goal",
                    "meta": {"profile": [ids.GOAL_EXPECTATION]},
                    "extension": [plan],
                    "identifier": [self.tddui("ATTE", n)],
                    "lifecycleStatus": "active",
                    "category": [{"coding": [{"system": kinds, "code": kind}]}],
                    "description": {"text": text},
                    "subject": _ref(self.patient_id),
                    "expressedBy": self.who(author),
                    "note": notes,
                }
            )

    def objectives(self, needs: dict[str, dict]) -> dict[int, dict]:
        """The common interests, by the id of their statement."""
        charter = self.data.charter
        plan = {"url": ids.EXT_CARE_PLAN_REF, "valueReference": _ref(self.care_plan_id)}
        need_of = {}
        for option in self.data.options:
            if option.need_code:
                need_of.setdefault(option.interest_statement_id, option.need_code)
        first_need = next(iter(needs.values()), None)
        objectives = {}
        for interest in charter.interests.all():
            sid = interest.statement_id
            need = needs.get(need_of.get(sid)) or first_need
            if need is None:
                need = self.need(f"s{sid}", "", interest.text)
            resource = {
                "resourceType": "Goal",
                "meta": {"profile": [ids.GOAL_OBJECTIVE]},
                "extension": [plan],
                "identifier": [self.tddui("OBJE", f"s{sid}")],
                "lifecycleStatus": "active" if charter.signed_at else "proposed",
                "description": {"text": interest.text},
                "subject": _ref(self.patient_id),
                "addresses": [_ref(need["identifier"][0])],
                "note": [_text_note("titreObjectif", interest.text)],
            }
            author = self.data.allies.get(interest.statement.author_id)
            if author is not None:
                resource["expressedBy"] = self.who(author)
            objectives[sid] = self.add(resource)
        return objectives

    def indicators(self) -> list[dict]:
        readings: dict = {}
        for reading in self.data.readings:
            readings.setdefault(reading.indicator_key, []).append(reading)
        goals = []
        for indicator in self.data.charter.indicators.all():
            mine = [r for r in readings.get(indicator.key, []) if r.ally_id in self.data.allies]
            goal_id = self.own.identifier("indicator", indicator.key)
            goals.append(
                self.add(
                    {
                        "resourceType": "Goal",
                        "identifier": [goal_id],
                        "lifecycleStatus": "active",
                        "category": [
                            {
                                "coding": [
                                    {
                                        "system": self.own.code_system("statement-kind"),
                                        "code": "indicator",
                                    }
                                ]
                            }
                        ],
                        "description": {"text": indicator.name},
                        "subject": _ref(self.patient_id),
                        "target": [
                            {
                                "measure": {"text": indicator.name},
                                "detailRange": {
                                    "low": {"value": indicator.scale_min},
                                    "high": {"value": indicator.scale_max},
                                },
                            }
                        ],
                        "outcomeReference": [
                            _ref(self.own.identifier("indicator-reading", r.pk)) for r in mine
                        ],
                    }
                )
            )
            for reading in mine:
                observation = {
                    "resourceType": "Observation",
                    "identifier": [self.own.identifier("indicator-reading", reading.pk)],
                    "status": "final",
                    "code": {
                        "coding": [
                            {
                                "system": self.own.code_system("indicator"),
                                "code": str(indicator.key),
                                "display": indicator.name,
                            }
                        ],
                        "text": indicator.name,
                    },
                    "subject": _ref(self.patient_id),
                    "focus": [_ref(goal_id)],
                    "effectiveDateTime": _when(reading.created_at),
                    "performer": [self.who(self.data.allies[reading.ally_id])],
                    "valueInteger": reading.value,
                }
                if reading.note:
                    observation["note"] = [{"text": reading.note}]
                self.add(observation)
        return goals

    def actions(self, objectives: dict[int, dict]) -> list[dict]:
        interest_of = {o.pk: o.interest_statement_id for o in self.data.options}
        tasks = []
        for action in self.data.actions:
            inputs = [
                {
                    "type": {"coding": [{"system": ids.TASK_ACTION_INPUT_CS, "code": "titre"}]},
                    "valueString": action.title,
                }
            ]
            objective = objectives.get(interest_of.get(action.means_id))
            if objective is not None:
                inputs.append(
                    {
                        "type": {
                            "coding": [{"system": ids.TASK_ACTION_INPUT_CS, "code": "objectif"}]
                        },
                        "valueReference": _ref(objective["identifier"][0]),
                    }
                )
            owner = None
            for co_actor in action.co_actors.all():
                ally = self.data.allies.get(co_actor.ally_id)
                if ally is None:
                    continue
                reference = _ref(self.ally_id(ally), co_actor.role)
                inputs.append(
                    {
                        "type": {
                            "coding": [
                                {"system": self.own.code_system("task-input"), "code": "coActeur"}
                            ]
                        },
                        "valueReference": reference,
                    }
                )
                if owner is None and ally.role == Role.PROFESSIONAL:
                    owner = self.who(ally)
            task = {
                "resourceType": "Task",
                "meta": {"profile": [ids.TASK_ACTION]},
                "identifier": [self.tddui("ACTI", action.pk)],
                "status": ACTION_STATUS[action.status],
                "intent": "plan",
                "basedOn": [_ref(self.care_plan_id)],
                "for": _ref(self.patient_id),
                "authoredOn": _when(action.created_at),
                "input": inputs,
            }
            if action.description:
                task["description"] = action.description
            if action.due_date:
                task["restriction"] = {"period": {"end": action.due_date.isoformat()}}
            if owner is not None:
                task["owner"] = owner
            tasks.append(self.add(task))
        return tasks

    def means(self, objectives: dict[int, dict]) -> list[dict]:
        tasks = []
        for option in self.data.options:
            decision = getattr(option, "decision", None)
            if decision is None:
                continue
            task = {
                "resourceType": "Task",
                "meta": {"profile": [ids.TASK_MEANS]},
                "identifier": [self.tddui("MORE", option.pk)],
                "status": MEANS_STATUS[option.availability],
                "intent": "plan",
                "basedOn": [_ref(self.care_plan_id)],
                "for": _ref(self.patient_id),
                "authoredOn": _when(decision.decided_at),
                "description": option.description,
                "input": [
                    {
                        "type": {"coding": [{"system": ids.TASK_MEANS_INPUT_CS, "code": "type"}]},
                        "valueString": option.description,
                    }
                ],
            }
            objective = objectives.get(option.interest_statement_id)
            if objective is not None:
                task["reasonReference"] = _ref(objective["identifier"][0])
            if decision.note:
                task["note"] = [{"text": decision.note}]
            tasks.append(self.add(task))
        return tasks

    def consents(self) -> list[tuple[str, dict]]:
        charter = self.data.charter
        if charter.signed_at is None:
            return []
        made = []
        for signature in charter.signatures.all():
            ally = self.data.allies.get(signature.ally_id)
            signer = self.data.allies.get(signature.signed_by_id)
            if ally is None or signer is None:
                continue
            consent = {
                "resourceType": "Consent",
                "meta": {"profile": [ids.CONSENT]},
                "identifier": [self.own.identifier("signature", signature.pk)],
                "status": "active",
                "scope": {
                    "coding": [
                        {
                            "system": "http://terminology.hl7.org/CodeSystem/consentscope",
                            "code": "treatment",
                        }
                    ]
                },
                "category": [{"coding": [{"system": "http://loinc.org", "code": "59284-0"}]}],
                "patient": _ref(self.patient_id),
                "dateTime": _when(signature.signed_at),
                "performer": [self.who(signer)],
                "policyRule": {
                    "coding": [
                        {
                            "system": "http://terminology.hl7.org/CodeSystem/v3-ActCode",
                            "code": "OPTIN",
                        }
                    ]
                },
            }
            if self.alliance.organisation_id:
                consent["organization"] = [self.org_ref(self.alliance.organisation_id)]
            if signature.on_behalf:
                consent["provision"] = {
                    "actor": [
                        {
                            "role": {
                                "coding": [
                                    {
                                        "system": "http://terminology.hl7.org/CodeSystem/v3-RoleClass",
                                        "code": "PAT",
                                    }
                                ]
                            },
                            "reference": self.who(ally),
                        }
                    ]
                }
            side = "accordStructure" if ally.role == Role.PROFESSIONAL else "accordUsager"
            made.append((side, self.add(consent)))
        return made

    def care_plan(self, care_team, goals, tasks, consents) -> dict:
        charter = self.data.charter
        if self.alliance.is_closed:
            status = "completed"
        elif charter.signed_at is not None:
            status = "active"
        else:
            status = "draft"
        resource = {
            "resourceType": "CarePlan",
            "meta": {"profile": [ids.CARE_PLAN]},
            "identifier": [self.care_plan_id],
            "status": status,
            "intent": "plan",
            "title": self.alliance.title,
            "subject": _ref(self.patient_id),
            "careTeam": [_ref(care_team["identifier"][0])],
            "goal": [_ref(g["identifier"][0]) for g in goals],
            "activity": [{"reference": _ref(t["identifier"][0])} for t in tasks],
            "supportingInfo": [
                {
                    "extension": [
                        {
                            "url": ids.EXT_DISCRIMINATOR,
                            "valueCodeableConcept": {
                                "coding": [{"system": ids.DISCRIMINATOR_CS, "code": side}]
                            },
                        }
                    ],
                    **_ref(consent["identifier"][0]),
                }
                for side, consent in consents
            ],
        }
        if charter.shared_understanding:
            resource["description"] = charter.shared_understanding
        period = {}
        if charter.signed_at is not None:
            period["start"] = charter.signed_at.date().isoformat()
        if self.alliance.closed_at is not None:
            period["end"] = self.alliance.closed_at.date().isoformat()
        if period:
            resource["period"] = period
        if charter.number > 1:
            resource["replaces"] = [{"identifier": self.tddui("PPER", charter.number - 1)}]
        if self.alliance.organisation_id:
            resource["author"] = self.org_ref(self.alliance.organisation_id)
        # The plan is first in the bundle's project part, though built last: it
        # names everything the other resources are.
        return resource


def resources(data: Loaded, site: str | None = None) -> list[dict]:
    """Every resource of the bundle, in bundle order."""
    builder = _Builder(data, site or settings.ALLIANCE_SITE_URL)
    with translation.override("fr"):
        builder.organisations()
        builder.patient()
        builder.allies()
        care_team = builder.care_team()
        if data.charter is None:
            return builder.out
        head = len(builder.out)
        consents = builder.consents()
        needs = builder.needs()
        builder.expectations()
        objectives = builder.objectives(needs)
        indicator_goals = builder.indicators()
        tasks = builder.actions(objectives) + builder.means(objectives)
        plan = builder.care_plan(
            care_team, [*objectives.values(), *indicator_goals], tasks, consents
        )
        builder.out.insert(head, plan)
    return builder.out
