"""Synthetic alliances for ``alliances_bench.py``.

An alliance is first drawn as a *plan* (plain Python: allies with their roles and
statuses, statements, votes, a charter...). A plan is then written to the database
in one of two ways:

- ``build_through_services``: through the use cases the views call, like the demo:
  invitations by email (ADR 0012) answered by their invitee (from the account's own
  session, or from the link the email carries, where an address without an account
  creates it), invitations without email accepted, approvals (a representative's
  with their mandate and a second pair of eyes, ADR 0009), statements, votes,
  charter, signatures. Slow (every write is audited and checked), so only a handful
  of alliances go this way;
- ``BulkWriter``: rows computed directly and written with ``bulk_create``. This is
  benchmark data, not demo data: bypassing the use cases is acceptable here only
  because ``normalised`` lets the benchmark check that the same plan written both
  ways gives the same alliance (same allies, statuses, links, statements, history,
  votes, charter, invitations...). What the bulk path leaves out on purpose: the
  audit trail of the writes, the notifications and the outbox's emails (the
  invitation links), which no measured page reads.
"""

from __future__ import annotations

import datetime
import hashlib
import random
import re
import unicodedata
from dataclasses import dataclass, field

from django.contrib.auth.hashers import make_password
from django.core import mail
from django.db.models import Max
from django.utils import timezone

from alliance.accounts.invitations import expiry as invitation_expiry
from alliance.accounts.invitations import link_path
from alliance.accounts.models import Organisation, User
from alliance.alliances import services
from alliance.alliances.models import (
    Alliance,
    Ally,
    AllyInvitation,
    AsymmetryDimension,
    AsymmetryEntry,
    Charter,
    CharterInterest,
    CharterRecognition,
    Commitment,
    Indicator,
    MandateKind,
    PerimeterEntry,
    PerimeterStatus,
    PositionCheck,
    Role,
    Signature,
    Statement,
    StatementKind,
    StatementRevision,
    Vote,
)
from alliance.alliances.needs import label_of, life_domains
from alliance.alliances.positions import position_image
from alliance.consensus.common_ground import AllyFacts, Standing, classify_all
from alliance.notifications import outbox
from alliance.notifications.models import OutgoingMessage

N_ORGANISATIONS = 50
PROFESSIONALS_PER_ORGANISATION = 12
EMAIL_DOMAIN = "bench.invalid"
# What an invitee who has no account types on the page of their link: a password that
# the product's validators accept (the benchmark signs nobody in by password).
PASSWORD = "benchmark-not-a-secret"  # noqa: S105 (generated data only)
# The legal measure of a representative (ADR 0009): a parent for a minor, else a tutelle.
MANDATE_REFERENCE = "RG 23/04512"
MANDATE_DATE = datetime.date(2023, 9, 1)

FIRST = (
    "Léo",
    "Emma",
    "Nadia",
    "Karim",
    "Inès",
    "Lucas",
    "Chloé",
    "Hugo",
    "Sarah",
    "Yanis",
    "Camille",
    "Louis",
    "Manon",
    "Adam",
    "Jade",
    "Nathan",
    "Lina",
    "Paul",
    "Zoé",
    "Mehdi",
    "Julie",
    "Théo",
    "Anaïs",
    "Hamid",
    "Rose",
    "Sacha",
    "Lou",
    "Amine",
    "Clara",
    "Jules",
    "Maëlle",
    "Samir",
    "Élise",
    "Tom",
    "Nour",
    "Victor",
    "Alice",
    "Malik",
    "Léa",
    "Gabriel",
)
LAST = (
    "Martin",
    "Bernard",
    "Dubois",
    "Thomas",
    "Robert",
    "Richard",
    "Petit",
    "Durand",
    "Leroy",
    "Moreau",
    "Simon",
    "Laurent",
    "Lefebvre",
    "Michel",
    "Garcia",
    "David",
    "Bertrand",
    "Roux",
    "Vincent",
    "Fournier",
    "Morel",
    "Girard",
    "André",
    "Mercier",
    "Dupont",
    "Lambert",
    "Bonnet",
    "François",
    "Martinez",
    "Benali",
    "Haddad",
    "Nguyen",
    "Diallo",
    "Traoré",
    "Rossi",
)
JOBS = (
    "Éducatrice spécialisée",
    "Assistant de service social",
    "Coordinatrice de parcours",
    "Psychologue",
    "Ergothérapeute",
    "Moniteur d'atelier",
    "Infirmière",
    "Chargé d'insertion",
)
ORG_WORDS = (
    "Les Tilleuls",
    "La Vallée",
    "Le Chêne",
    "Les Ateliers",
    "L'Escale",
    "Le Phare",
    "Horizon",
    "Les Sources",
    "Passerelle",
    "Le Relais",
)
ORG_KINDS = (
    (Organisation.Kind.ESSMS, "SESSAD"),
    (Organisation.Kind.ESSMS, "Foyer"),
    (Organisation.Kind.SERVICE, "Service"),
    (Organisation.Kind.ASSOCIATION, "Association"),
)
TERRITORIES = ("69 Rhône", "38 Isère", "42 Loire", "01 Ain", "73 Savoie", "26 Drôme")

THINGS = (
    "aller à l'école du quartier",
    "travailler en atelier",
    "vivre dans son appartement",
    "voir ses amis le week-end",
    "faire du sport",
    "prendre le bus seul",
    "cuisiner",
    "garder le lien avec sa sœur",
    "choisir ses activités",
    "dormir mieux",
    "gérer son argent",
    "partir en vacances",
    "trouver un stage",
    "parler de sa santé",
)
OPENINGS = {
    StatementKind.INTEREST: ("Que {p} puisse {t}.", "Ce qui compte pour {p} : {t}."),
    StatementKind.GOAL: ("D'ici l'été, {p} veut {t}.", "Objectif : {t}, à son rythme."),
    StatementKind.MEANS: (
        "On pourrait s'appuyer sur le service pour {t}.",
        "Un essai d'un mois pour {t}, puis on en reparle.",
    ),
    StatementKind.CONCERN: (
        "J'ai peur que {p} se fatigue à {t}.",
        "Je m'inquiète du temps que prend {t}.",
    ),
    StatementKind.CAPACITY: ("{p} sait déjà {t}.", "Je peux aider {p} à {t}."),
}
TAILS = (
    "",
    "",
    " Il faut en parler avec le médecin.",
    " C'est important pour toute la famille.",
    " On a déjà essayé l'an dernier, avec des hauts et des bas, et il faut en tirer les "
    "leçons avant de recommencer.",
    " Sans précipiter les choses.",
)

# (agree, disagree, unsure) cumulative thresholds; the rest is "pass"
STATEMENT_MOODS = (
    (0.55, (0.90, 0.92, 0.97)),  # most allies agree: candidates for the common ground
    (0.30, (0.50, 0.85, 0.95)),  # contested: divergences
    (0.15, (0.40, 0.45, 0.82)),  # undecided: open
)


def _ascii(text: str) -> str:
    return unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower()


# ---------------------------------------------------------------- plans


@dataclass
class UserPlan:
    display_name: str
    email: str | None
    pro: int | None = None  # index of an existing professional (found by email)


@dataclass
class AllyPlan:
    user: UserPlan
    role: str
    status: str
    invited_by: int | None = None  # ally indexes inside the alliance
    approved_by: int | None = None
    brings: str = ""
    expects: str = ""
    mandate: dict | None = None  # a representative's, stated by their inviter

    @property
    def active(self):
        return self.status == Ally.Status.ACTIVE

    @property
    def by_email(self):
        """Invited by email (ADR 0012): an invitation, and an ally only once accepted."""
        return self.user.pro is not None or self.user.email is not None

    @property
    def has_ally(self):
        """An invitation by email still pending has no ally (nor account) yet."""
        return not (self.by_email and self.status == Ally.Status.INVITED)


@dataclass
class StatementPlan:
    author: int
    kind: str
    text: str
    supported_by: int | None = None
    changed_to: tuple[str, str] | None = None  # (kind, text) of the second version
    withdrawn: bool = False


@dataclass
class CharterPlan:
    interests: list = field(default_factory=list)  # (statement, adopted_by)
    commitments: list = field(default_factory=list)  # (ally, text)
    perimeter: list = field(default_factory=list)  # (code, label, status)
    indicators: list = field(default_factory=list)  # (name, min, max, [raters])
    shared_understanding: str = ""
    signatures: list = field(default_factory=list)  # (ally, signed_by)
    all_signed: bool = False


@dataclass
class AlliancePlan:
    number: int
    title: str
    situation: str
    person_is_protected: bool
    organisation: int | None  # index in the organisation list
    creator: int  # ally index
    allies: list
    statements: list = field(default_factory=list)
    votes: list = field(default_factory=list)  # (statement, ally, value), in casting order
    charter: CharterPlan | None = None
    asymmetries: list = field(default_factory=list)  # (author, dim, custom, held, handling, [h])
    checks: list = field(default_factory=list)  # (ally, path, pace, ahead)


class Planner:
    """Draws alliance plans. Deterministic for a given seed and alliance number."""

    def __init__(self, seed: int, busy: set[int]):
        self.seed = seed
        self.busy = busy  # alliance numbers where the busy professional is an ally
        labels = {}
        for code, _label in life_domains():
            labels.setdefault(label_of(code), code)  # one code per label: set_perimeter keys
        self.domains = sorted((code, label) for label, code in labels.items() if label)
        self.pros_of = {
            o: list(
                range(o * PROFESSIONALS_PER_ORGANISATION, (o + 1) * PROFESSIONALS_PER_ORGANISATION)
            )
            for o in range(N_ORGANISATIONS)
        }

    @staticmethod
    def name(rng):
        return f"{rng.choice(FIRST)} {rng.choice(LAST)}"

    def _individual(self, rng, number, slot, with_email):
        name = self.name(rng)
        email = (
            f"{_ascii(name).replace(' ', '.')}.{number}-{slot}@{EMAIL_DOMAIN}"
            if with_email
            else None
        )
        return UserPlan(display_name=name, email=email)

    def plan(self, number: int) -> AlliancePlan:
        rng = random.Random(self.seed * 1_000_003 + number)
        org = rng.randrange(N_ORGANISATIONS)
        protected = rng.random() < 0.3
        person = self._individual(rng, number, 0, rng.random() < 0.6)
        first_name = person.display_name.split()[0]
        allies = [AllyPlan(user=person, role=Role.PERSON, status=Ally.Status.ACTIVE)]
        if protected:
            kin = [Role.REPRESENTATIVE] + [Role.RELATIVE] * rng.choice((0, 0, 1))
        else:
            kin = rng.choices(
                (Role.RELATIVE, Role.TRUSTED_PERSON), (4, 1), k=rng.choice((1, 1, 2, 3))
            )
        for i, role in enumerate(kin):
            allies.append(
                AllyPlan(
                    user=self._individual(rng, number, i + 1, rng.random() < 0.8),
                    role=role,
                    status=Ally.Status.ACTIVE,
                )
            )
        n_pros = rng.choice((1, 2, 2, 3))
        home = self.pros_of[org]
        pros = rng.sample(home, min(n_pros, len(home)))
        if rng.random() < 0.3 and len(pros) > 1:  # a partner service
            pros[-1] = rng.choice(
                self.pros_of[(org + rng.randrange(1, N_ORGANISATIONS)) % N_ORGANISATIONS]
            )
        pros = list(dict.fromkeys(pros))
        if number in self.busy:
            pros = [*pros[:2], -1]  # -1: the busy professional
        first_pro = len(allies)
        for p in pros:
            allies.append(
                AllyPlan(
                    user=UserPlan("", None, pro=p),
                    role=Role.PROFESSIONAL,
                    status=Ally.Status.ACTIVE,
                )
            )
        if rng.random() < 0.15 and len(allies) < 8:
            allies.append(
                AllyPlan(
                    user=self._individual(rng, number, 9, rng.random() < 0.5),
                    role=rng.choice((Role.PEER, Role.OTHER)),
                    status=Ally.Status.ACTIVE,
                )
            )
        # who created the alliance, who invited whom, who approved
        creator = 0 if rng.random() < 0.15 else first_pro
        approver = 0
        for i, ally in enumerate(allies):
            if i != creator:
                ally.invited_by = creator if (i == 0 or rng.random() < 0.7) else 0
            if i in (0, creator) or (number in self.busy and ally.user.pro == -1):
                continue
            draw = rng.random()
            if draw < 0.03:
                ally.status = Ally.Status.INVITED
            elif ally.role == Role.REPRESENTATIVE:  # joins without approval
                continue
            elif draw < 0.05:
                ally.status = Ally.Status.AWAITING_APPROVAL
            elif draw < 0.06:
                ally.status = Ally.Status.REFUSED
        for ally in allies:
            if ally.role not in (Role.PERSON, Role.REPRESENTATIVE) and ally.status in (
                Ally.Status.ACTIVE,
                Ally.Status.REFUSED,
            ):
                ally.approved_by = approver
        title = f"{first_name} : {rng.choice(THINGS)}"
        age = rng.randint(6, 60)
        situation = f"{first_name} a {age} ans. " + rng.choice(TAILS).strip()
        # A representative joins with the mandate their inviter stated and is approved
        # by a second pair of eyes (ADR 0009), after the others: no draw, so that the
        # plans of the other alliances stay what they were.
        for i, ally in enumerate(allies):
            if ally.role != Role.REPRESENTATIVE:
                continue
            ally.mandate = (
                {"kind": MandateKind.PARENT, "reference": "", "date": None}
                if age < 18
                else {
                    "kind": MandateKind.TUTELLE,
                    "reference": MANDATE_REFERENCE,
                    "date": MANDATE_DATE,
                }
            )
            if ally.status == Ally.Status.ACTIVE:
                ally.approved_by = _representative_approver(allies, i)
                if ally.approved_by is None:
                    ally.status = Ally.Status.AWAITING_APPROVAL
        plan = AlliancePlan(
            number=number,
            title=title,
            situation=situation,
            person_is_protected=protected,
            organisation=None if creator == 0 else org,
            creator=creator,
            allies=allies,
        )
        self._statements(rng, plan, first_name)
        self._charter(rng, plan)
        active = [i for i, a in enumerate(allies) if a.active]
        if rng.random() < 0.3:
            for _ in range(rng.randint(1, 3)):
                dim = rng.choice(AsymmetryDimension.values)
                plan.asymmetries.append(
                    (
                        rng.choice(active),
                        dim,
                        "Langue" if dim == AsymmetryDimension.CUSTOM else "",
                        f"{rng.choice(JOBS)} connaît les dispositifs.",
                        rng.choice(("", "On explique chaque sigle.")),
                        rng.sample(active, rng.randint(1, min(2, len(active)))),
                    )
                )
        if rng.random() < 0.3:
            for i in active:
                if rng.random() < 0.6:
                    plan.checks.append((i, *rng.choices(("me", "together", "other"), k=3)))
        return plan

    def _statements(self, rng, plan, first_name):
        allies = plan.allies
        active = [i for i, a in enumerate(allies) if a.active]
        weights = [
            3
            if allies[i].role in (Role.PERSON, Role.REPRESENTATIVE)
            else 2
            if allies[i].role == Role.PROFESSIONAL
            else 1
            for i in active
        ]
        n = round(rng.triangular(5, 60, 15))
        participation = {i: rng.uniform(0.6, 1.0) for i in active}
        for s in range(n):
            author = rng.choices(active, weights)[0]
            kind = rng.choice(StatementKind.values)
            text = rng.choice(OPENINGS[kind]).format(
                p=first_name, t=rng.choice(THINGS)
            ) + rng.choice(TAILS)
            st = StatementPlan(author=author, kind=kind, text=text)
            # A person alone in their alliance so far has nobody to help them write.
            helpers = [i for i in active if i != author]
            if allies[author].role == Role.PERSON and rng.random() < 0.3 and helpers:
                st.supported_by = rng.choice(helpers)
            draw = rng.random()
            if draw < 0.05:
                st.changed_to = (kind, text.rstrip(".") + ", sans se presser.")
            elif draw < 0.08:
                st.withdrawn = True
            plan.statements.append(st)
            thresholds = rng.choices(
                [m[1] for m in STATEMENT_MOODS], [m[0] for m in STATEMENT_MOODS]
            )[0]
            for i in active:
                if i == author or rng.random() > participation[i]:
                    continue
                u = rng.random()
                value = (
                    "agree"
                    if u < thresholds[0]
                    else "disagree"
                    if u < thresholds[1]
                    else "unsure"
                    if u < thresholds[2]
                    else "pass"
                )
                plan.votes.append((s, i, value))

    def _charter(self, rng, plan):
        if rng.random() >= 0.45:
            return
        allies = plan.allies
        active = [i for i, a in enumerate(allies) if a.active]
        charter = plan.charter = CharterPlan()
        for i in active:
            if rng.random() < 0.7:
                allies[i].brings = "Je connais bien la situation et j'ai du temps le mercredi."
                allies[i].expects = rng.choice(("", "Être tenu au courant des décisions."))
        facts = {
            i: AllyFacts(
                speaks_for_person=allies[i].role in (Role.PERSON, Role.REPRESENTATIVE),
                is_professional=allies[i].role == Role.PROFESSIONAL,
            )
            for i in active
        }
        votes = {}
        for s, i, value in plan.votes:
            votes.setdefault(s, {})[i] = value
        standings = classify_all(
            ((s, st.author) for s, st in enumerate(plan.statements) if not st.withdrawn),
            votes,
            facts,
        )
        common = [s for s, c in standings.items() if c.standing == Standing.COMMON_GROUND]
        for s in rng.sample(common, min(len(common), rng.randint(1, 3))):
            charter.interests.append((s, rng.choice(active)))
        stage = rng.choice(("draft", "signing", "signed")) if charter.interests else "draft"
        committing = active if stage != "draft" else [i for i in active if rng.random() < 0.5]
        for i in committing:
            charter.commitments.append((i, "Je m'engage à venir aux rencontres du mois."))
        for code, label in rng.sample(self.domains, rng.randint(2, 5)):
            charter.perimeter.append((code, label, rng.choice(PerimeterStatus.values)))
        for k in range(rng.choice((0, 1, 1, 2))):
            charter.indicators.append(
                (
                    f"Indicateur {k + 1} : se sentir bien",
                    0,
                    10,
                    rng.sample(active, rng.randint(1, min(3, len(active)))),
                )
            )
        if rng.random() < 0.5:
            charter.shared_understanding = "Nous partageons la même lecture de la situation."
        if stage == "draft":
            return
        signers = (
            active if stage == "signed" else rng.sample(active, rng.randint(1, len(active) - 1))
        )
        representative = next((i for i in active if allies[i].role == Role.REPRESENTATIVE), None)
        for i in signers:
            by = i
            if (
                allies[i].role == Role.PERSON
                and plan.person_is_protected
                and representative is not None
                and rng.random() < 0.5
            ):
                by = representative
            charter.signatures.append((i, by))
        charter.all_signed = stage == "signed"


def _representative_approver(allies, rep):
    """Who approves the representative `rep` once everyone else has joined and been
    decided on, as `perms.representative_approvers` allows: the person unless they
    invited them; else an active ally but the inviter; else one waiting for approval."""
    eyes = [i for i in range(len(allies)) if i not in (rep, allies[rep].invited_by)]
    for may in (
        lambda a: a.role == Role.PERSON and a.active,
        lambda a: a.active,
        lambda a: a.status == Ally.Status.AWAITING_APPROVAL and a.role != Role.REPRESENTATIVE,
    ):
        for i in eyes:
            if may(allies[i]):
                return i
    return None


# ---------------------------------------------------------------- shared accounts


def create_organisations_and_professionals(busy_name="Camille Busy-Coordinatrice"):
    """The ~50 organisations, their professionals and admins: created directly, as no
    use case creates them (like the demo). Returns (organisations, pros, busy)."""
    password = make_password("benchmark-not-a-secret")
    orgs = Organisation.objects.bulk_create(
        [
            Organisation(
                name=f"{prefix} {ORG_WORDS[o % len(ORG_WORDS)]} {o + 1}",
                kind=kind,
                territory=TERRITORIES[o % len(TERRITORIES)],
            )
            for o in range(N_ORGANISATIONS)
            for kind, prefix in [ORG_KINDS[o % len(ORG_KINDS)]]
        ]
    )
    rng = random.Random(7)
    users = []
    for o, org in enumerate(orgs):
        for k in range(PROFESSIONALS_PER_ORGANISATION):
            name = Planner.name(rng)
            users.append(
                User(
                    email=f"{_ascii(name).replace(' ', '.')}.{o}-{k}@{EMAIL_DOMAIN}",
                    display_name=name,
                    kind=User.Kind.PROFESSIONAL,
                    organisation=org,
                    job_title=rng.choice(JOBS),
                    password=password,
                )
            )
        users.append(
            User(
                email=f"admin.{o}@{EMAIL_DOMAIN}",
                display_name=f"Admin {o}",
                kind=User.Kind.PROFESSIONAL,
                organisation=org,
                is_org_admin=True,
                job_title="Direction",
                password=password,
            )
        )
    busy = User(
        email=f"busy@{EMAIL_DOMAIN}",
        display_name=busy_name,
        kind=User.Kind.PROFESSIONAL,
        organisation=orgs[0],
        job_title="Coordinatrice de parcours",
        password=password,
    )
    User.objects.bulk_create([*users, busy])
    pros = [u for u in users if not u.is_org_admin]
    return orgs, pros, busy


class Accounts:
    def __init__(self, orgs, pros, busy):
        self.orgs, self.pros, self.busy = orgs, pros, busy

    def pro(self, index):
        return self.busy if index == -1 else self.pros[index]


# ---------------------------------------------------------------- through the use cases


def _link_token(invitation: AllyInvitation) -> str:
    """The token of the link that the invited address receives, read from the email as
    its owner would. The email leaves through the outbox (ADR 0015): the task queue
    sends it at once under the immediate backend; with a queue that nobody runs here
    (the load test's), the worker's step is taken here."""
    for message in OutgoingMessage.objects.filter(
        kind="invitation_link",
        status=OutgoingMessage.Status.PENDING,
        params__model=AllyInvitation._meta.label_lower,
        params__id=invitation.pk,
    ):
        outbox.deliver(message.pk)
    prefix = re.escape(link_path("TOKEN")).replace("TOKEN", "([A-Za-z0-9_-]+)")
    for n, email in reversed(list(enumerate(getattr(mail, "outbox", [])))):
        found = re.search(prefix, email.body)
        if email.to == [invitation.email] and found:
            del mail.outbox[n]  # read: the benchmark's outbox does not grow
            return found.group(1)
    raise RuntimeError(f"no invitation link reached {invitation.email}")


def _join(ally: AllyPlan, invited: Ally | AllyInvitation, accounts: Accounts) -> Ally:
    """The invitee answers "accept": without email, the ally created by the invitation
    joins (alliances:join); an account answers the invitation to its address from its
    own session (invitations:answer_alliance); an address without an account opens the
    link it received and creates its account there (invitations:open)."""
    if isinstance(invited, Ally):
        return services.accept_invitation(ally=invited)
    if ally.user.pro is not None:
        return services.answer_ally_invitation(
            user=accounts.pro(ally.user.pro), invitation=invited, accept=True
        )
    return services.accept_ally_invitation_with_new_account(
        token=_link_token(invited), display_name=ally.user.display_name, password=PASSWORD
    )


def build_through_services(plan: AlliancePlan, accounts: Accounts) -> Alliance:
    """The plan played with the use cases of the views, in the order people would:
    each invitation, then the invitee accepting it, then the approval the plan says;
    a representative's approval comes after everyone else's (a second pair of eyes)."""
    allies = plan.allies
    creator_plan = allies[plan.creator]
    if plan.creator == 0:
        creator = User.objects.create_user(
            email=creator_plan.user.email, display_name=creator_plan.user.display_name
        )
        alliance = services.create_alliance(
            creator=creator,
            title=plan.title,
            situation=plan.situation,
            person_is_protected=plan.person_is_protected,
        )
    else:
        creator = accounts.pro(creator_plan.user.pro)
        person = allies[0].user
        alliance = services.create_alliance(
            creator=creator,
            title=plan.title,
            situation=plan.situation,
            person_name=person.display_name,
            person_email=person.email or "",
            person_is_protected=plan.person_is_protected,
        )
    rows: dict[int, Ally] = {plan.creator: alliance.allies.get(user=creator)}
    if plan.creator != 0:
        invited = (
            alliance.invitations.get(role=Role.PERSON)
            if allies[0].by_email
            else alliance.allies.get(role=Role.PERSON)
        )
        rows[0] = _join(allies[0], invited, accounts)
        services.decide_on_ally(approver=rows[0], ally=rows[plan.creator], approve=True)
    representatives = []
    for i, ally in enumerate(allies):
        if i in rows:
            continue
        user = accounts.pro(ally.user.pro) if ally.user.pro is not None else None
        invited = services.invite_ally(
            inviter=rows[ally.invited_by],
            display_name=user.display_name if user else ally.user.display_name,
            email=user.email if user else (ally.user.email or ""),
            role=ally.role,
            mandate=ally.mandate,
        )
        if ally.status == Ally.Status.INVITED:
            if isinstance(invited, Ally):
                rows[i] = invited
            continue
        rows[i] = row = _join(ally, invited, accounts)
        if ally.role == Role.REPRESENTATIVE:
            representatives.append(i)
        elif row.status == Ally.Status.AWAITING_APPROVAL and ally.status != row.status:
            services.decide_on_ally(
                approver=rows[ally.approved_by], ally=row, approve=ally.status == Ally.Status.ACTIVE
            )
    for i in representatives:
        ally, row = allies[i], rows[i]
        if row.status == Ally.Status.AWAITING_APPROVAL and ally.status != row.status:
            services.decide_on_ally(
                approver=rows[ally.approved_by], ally=row, approve=ally.status == Ally.Status.ACTIVE
            )
    statements = []
    for st in plan.statements:
        statements.append(
            services.write_statement(
                ally=rows[st.author],
                kind=st.kind,
                text=st.text,
                supported_by=rows[st.supported_by] if st.supported_by is not None else None,
            )
        )
    for s, i, value in plan.votes:
        services.cast_vote(ally=rows[i], statement=statements[s], value=value)
    for st, row in zip(plan.statements, statements, strict=True):
        if st.changed_to:
            services.change_statement(
                ally=rows[st.author],
                statement=row,
                kind=st.changed_to[0],
                text=st.changed_to[1],
                supported_by=row.supported_by,
                expected_version=row.version,
            )
        if st.withdrawn:
            services.withdraw_statement(ally=rows[st.author], statement=row)
    if plan.charter:
        _charter_through_services(plan, rows, statements)
    for author, dim, custom, held, handling, holders in plan.asymmetries:
        services.add_asymmetry(
            ally=rows[author],
            dimension=dim,
            custom_dimension=custom,
            what_is_held=held,
            handling=handling,
            holders=[rows[h] for h in holders],
        )
    for i, path, pace, ahead in plan.checks:
        services.record_position_check(
            ally=rows[i], chooses_path=path, sets_pace=pace, walks_ahead=ahead
        )
    return alliance


def _charter_through_services(plan, rows, statements):
    c = plan.charter

    def edit(use_case, ally, **fields):
        charter = services.current_charter(ally.alliance)
        return use_case(ally=ally, charter=charter, expected_revision=charter.revision, **fields)

    for i, ally in enumerate(plan.allies):
        if ally.brings or ally.expects:
            charter = services.current_charter(rows[i].alliance)
            services.write_recognition(
                ally=rows[i],
                brings=ally.brings,
                expects=ally.expects,
                expected_revision=charter.revision,
            )
    for s, by in c.interests:
        edit(services.adopt_interest, rows[by], statement=statements[s])
    for i, text in c.commitments:
        edit(services.add_commitment, rows[i], text=text)
    for code, label, status in c.perimeter:
        edit(services.set_perimeter, rows[0], label=label, domain_code=code, status=status)
    for name, low, high, raters in c.indicators:
        edit(
            services.add_indicator,
            rows[0],
            name=name,
            scale_min=low,
            scale_max=high,
            raters=[rows[r] for r in raters],
        )
    if c.shared_understanding:
        edit(services.write_shared_understanding, rows[0], text=c.shared_understanding)
    for i, by in c.signatures:
        edit(services.sign_charter, rows[by], signee=rows[i])


# ---------------------------------------------------------------- bulk


class BulkWriter:
    """Writes plans with bulk_create, in batches. Primary keys are given here (so that
    rows can point at each other in one pass); the sequences are reset at the end."""

    MODELS = (User, Alliance, Ally, AllyInvitation, Statement, Charter, Indicator, AsymmetryEntry)

    def __init__(self, accounts: Accounts, email_tag: str = ""):
        self.accounts = accounts
        self.email_tag = email_tag
        self.next_id = {m: (m.objects.aggregate(m=Max("pk"))["m"] or 0) + 1 for m in self.MODELS}
        self.unusable = make_password(None)
        self.usable = make_password(PASSWORD)  # accounts made from an invitation link
        self.counts: dict[str, int] = {}
        self._reset()

    def _reset(self):
        self.rows = {
            name: []
            for name in (
                "users",
                "alliances",
                "allies",
                "invitations",
                "statements",
                "revisions",
                "votes",
                "charters",
                "interests",
                "recognitions",
                "commitments",
                "perimeter",
                "indicators",
                "raters",
                "signatures",
                "asymmetries",
                "holders",
                "checks",
            )
        }

    def _id(self, model):
        value = self.next_id[model]
        self.next_id[model] = value + 1
        return value

    def _email(self, plan: UserPlan):
        if plan.pro is not None:
            return self.accounts.pro(plan.pro).email
        return plan.email and (self.email_tag + plan.email)

    def _user(self, plan: UserPlan, from_link: bool):
        if plan.pro is not None:
            return self.accounts.pro(plan.pro).pk
        user = User(
            id=self._id(User),
            email=self._email(plan),
            display_name=plan.display_name,
            kind=User.Kind.INDIVIDUAL,
            password=self.usable if from_link else self.unusable,
        )
        self.rows["users"].append(user)
        return user.pk

    def add(self, plan: AlliancePlan) -> int:
        now = timezone.now()
        r = self.rows
        # ids in the order the use cases create the allies: the creator, then the person
        # they invite, then the others (the page lists allies in that order); an
        # invitation by email still pending has neither an ally nor an account
        order = [plan.creator] + [i for i in range(len(plan.allies)) if i != plan.creator]
        ally_ids: list[int | None] = [None] * len(plan.allies)
        user_ids: list[int | None] = [None] * len(plan.allies)
        for i in order:
            ally = plan.allies[i]
            if ally.has_ally:
                ally_ids[i] = self._id(Ally)
                user_ids[i] = self._user(ally.user, from_link=i != plan.creator and ally.by_email)
        creator_user = user_ids[plan.creator]
        org = self.accounts.orgs[plan.organisation] if plan.organisation is not None else None
        alliance_id = self._id(Alliance)
        r["alliances"].append(
            Alliance(
                id=alliance_id,
                title=plan.title,
                situation=plan.situation.strip(),
                organisation=org,
                person_is_protected=plan.person_is_protected,
                created_by_id=creator_user,
            )
        )
        for i, ally in enumerate(plan.allies):
            if not ally.has_ally:
                continue
            mandate = ally.mandate or {"kind": "", "reference": "", "date": None}
            r["allies"].append(
                Ally(
                    id=ally_ids[i],
                    alliance_id=alliance_id,
                    user_id=user_ids[i],
                    role=ally.role,
                    status=ally.status,
                    invited_by_id=ally_ids[ally.invited_by]
                    if ally.invited_by is not None
                    else None,
                    approved_by_id=(
                        ally_ids[ally.approved_by] if ally.approved_by is not None else None
                    ),
                    recognition_brings=ally.brings,
                    recognition_expects=ally.expects,
                    joined_at=None if ally.status == Ally.Status.INVITED else now,
                    mandate_kind=mandate["kind"],
                    mandate_reference=mandate["reference"],
                    mandate_date=mandate["date"],
                )
            )
        # the invitations by email, in the order they were sent (the person's with the
        # alliance), answered or still pending
        expires = invitation_expiry()
        for i in order[1:]:
            ally = plan.allies[i]
            if not ally.by_email:
                continue
            pending = not ally.has_ally
            email = self._email(ally.user)
            mandate = ally.mandate and {
                **ally.mandate,
                "date": ally.mandate["date"] and ally.mandate["date"].isoformat(),
            }
            r["invitations"].append(
                AllyInvitation(
                    id=self._id(AllyInvitation),
                    alliance_id=alliance_id,
                    role=ally.role,
                    display_name=(
                        self.accounts.pro(ally.user.pro).display_name
                        if ally.user.pro is not None
                        else ally.user.display_name
                    ),
                    email=email,
                    invited_by_id=ally_ids[ally.invited_by],
                    # unique like the product's (the hash of a token nobody holds)
                    token_hash=hashlib.sha256(
                        f"bench {alliance_id} {i} {email}".encode()
                    ).hexdigest(),
                    status=AllyInvitation.Status.PENDING
                    if pending
                    else AllyInvitation.Status.ACCEPTED,
                    expires_at=expires,
                    answered_at=None if pending else now,
                    answered_by_id=user_ids[i],
                    ally_id=ally_ids[i],
                    mandate=mandate or {},
                )
            )
        statement_ids = []
        for st in plan.statements:
            sid = self._id(Statement)
            statement_ids.append(sid)
            kind, text = st.changed_to or (st.kind, st.text)
            supported = ally_ids[st.supported_by] if st.supported_by is not None else None
            r["statements"].append(
                Statement(
                    id=sid,
                    alliance_id=alliance_id,
                    author_id=ally_ids[st.author],
                    kind=kind,
                    text=text,
                    supported_by_id=supported,
                    version=2 if st.changed_to else 1,
                    withdrawn_at=now if st.withdrawn else None,
                )
            )
            if st.changed_to:
                r["revisions"].append(
                    StatementRevision(
                        statement_id=sid,
                        version=1,
                        kind=st.kind,
                        text=st.text,
                        supported_by_id=supported,
                        written_at=now,
                    )
                )
        last = {}
        for s, i, value in plan.votes:  # a later vote replaces an earlier one
            last[s, i] = value
        r["votes"].extend(
            Vote(statement_id=statement_ids[s], ally_id=ally_ids[i], value=value)
            for (s, i), value in last.items()
        )
        if plan.charter:
            self._charter(plan, alliance_id, ally_ids, statement_ids, now)
        else:  # create_alliance opens the first draft
            draft = Charter(id=self._id(Charter), alliance_id=alliance_id, number=1)
            self.rows["charters"].append(draft)
        for author, dim, custom, held, handling, holders in plan.asymmetries:
            entry_id = self._id(AsymmetryEntry)
            r["asymmetries"].append(
                AsymmetryEntry(
                    id=entry_id,
                    alliance_id=alliance_id,
                    dimension=dim,
                    custom_dimension=custom,
                    what_is_held=held,
                    handling=handling,
                    author_id=ally_ids[author],
                )
            )
            r["holders"].extend(
                AsymmetryEntry.holders.through(asymmetryentry_id=entry_id, ally_id=ally_ids[h])
                for h in holders
            )
        for i, path, pace, ahead in plan.checks:
            r["checks"].append(
                PositionCheck(
                    alliance_id=alliance_id,
                    ally_id=ally_ids[i],
                    chooses_path=path,
                    sets_pace=pace,
                    walks_ahead=ahead,
                    image=position_image(
                        chooses_path=path,
                        sets_pace=pace,
                        walks_ahead=ahead,
                        answered_by_person=plan.allies[i].role == Role.PERSON,
                    ),
                )
            )
        return alliance_id

    def _charter(self, plan, alliance_id, ally_ids, statement_ids, now):
        r, c = self.rows, plan.charter
        charter_id = self._id(Charter)
        recognised = [i for i, a in enumerate(plan.allies) if a.brings or a.expects]
        # every use case that edits the charter increments its revision once
        edits = (
            len(recognised)
            + len(c.interests)
            + len(c.commitments)
            + len(c.perimeter)
            + len(c.indicators)
            + bool(c.shared_understanding)
        )
        status = (
            Charter.Status.SIGNED
            if c.all_signed
            else Charter.Status.SIGNING
            if c.signatures
            else Charter.Status.DRAFT
        )
        r["charters"].append(
            Charter(
                id=charter_id,
                alliance_id=alliance_id,
                number=1,
                status=status,
                shared_understanding=c.shared_understanding,
                revision=1 + edits,
                signed_at=now if c.all_signed else None,
            )
        )
        for i in recognised:
            a = plan.allies[i]
            r["recognitions"].append(
                CharterRecognition(
                    charter_id=charter_id, ally_id=ally_ids[i], brings=a.brings, expects=a.expects
                )
            )
        for s, by in c.interests:
            st = plan.statements[s]
            r["interests"].append(
                CharterInterest(
                    charter_id=charter_id,
                    statement_id=statement_ids[s],
                    text=(st.changed_to or (st.kind, st.text))[1],
                    adopted_by_id=ally_ids[by],
                )
            )
        r["commitments"].extend(
            Commitment(charter_id=charter_id, ally_id=ally_ids[i], text=t) for i, t in c.commitments
        )
        r["perimeter"].extend(
            PerimeterEntry(charter_id=charter_id, domain_code=code, label=label, status=status)
            for code, label, status in c.perimeter
        )
        for name, low, high, raters in c.indicators:
            indicator_id = self._id(Indicator)
            r["indicators"].append(
                Indicator(
                    id=indicator_id, charter_id=charter_id, name=name, scale_min=low, scale_max=high
                )
            )
            r["raters"].extend(
                Indicator.raters.through(indicator_id=indicator_id, ally_id=ally_ids[i])
                for i in raters
            )
        r["signatures"].extend(
            Signature(charter_id=charter_id, ally_id=ally_ids[i], signed_by_id=ally_ids[by])
            for i, by in c.signatures
        )

    ORDER = (
        ("users", User),
        ("alliances", Alliance),
        ("allies", Ally),
        ("invitations", AllyInvitation),
        ("statements", Statement),
        ("revisions", StatementRevision),
        ("votes", Vote),
        ("charters", Charter),
        ("interests", CharterInterest),
        ("recognitions", CharterRecognition),
        ("commitments", Commitment),
        ("perimeter", PerimeterEntry),
        ("indicators", Indicator),
        ("raters", Indicator.raters.through),
        ("signatures", Signature),
        ("asymmetries", AsymmetryEntry),
        ("holders", AsymmetryEntry.holders.through),
        ("checks", PositionCheck),
    )

    def flush(self):
        for name, model in self.ORDER:
            objs = self.rows[name]
            if objs:
                model.objects.bulk_create(objs, batch_size=2000)
                self.counts[name] = self.counts.get(name, 0) + len(objs)
        self._reset()


def reset_sequences(connection):
    from django.apps import apps
    from django.core.management.color import no_style

    sql = connection.ops.sequence_reset_sql(no_style(), apps.get_models(include_auto_created=True))
    with connection.cursor() as cursor:
        for statement in sql:
            cursor.execute(statement)


# ---------------------------------------------------------------- comparison


def normalised(alliance_id: int) -> dict:
    """The alliance as plain data without ids or timestamps, to compare two builds."""
    alliance = Alliance.objects.select_related("organisation", "created_by").get(pk=alliance_id)
    allies = list(Ally.objects.filter(alliance=alliance).select_related("user").order_by("pk"))
    ai = {a.pk: n for n, a in enumerate(allies)}
    ai[None] = None
    statements = list(Statement.objects.filter(alliance=alliance).order_by("pk"))
    si = {s.pk: n for n, s in enumerate(statements)}

    def user(u):
        return (
            u.display_name,
            u.kind,
            u.email is not None,
            u.organisation_id,
            u.has_usable_password(),
        )

    data = {
        "alliance": (
            alliance.title,
            alliance.situation,
            alliance.organisation_id,
            alliance.person_is_protected,
            user(alliance.created_by),
        ),
        "allies": [
            (
                user(a.user),
                a.role,
                a.status,
                ai[a.invited_by_id],
                ai[a.approved_by_id],
                a.recognition_brings,
                a.recognition_expects,
                a.joined_at is not None,
                (a.mandate_kind, a.mandate_reference, a.mandate_date),
            )
            for a in allies
        ],
        # the invitations by email (ADR 0012); their token, never held, is left out
        "invitations": [
            (
                i.role,
                i.display_name,
                i.email.removeprefix("clone-"),
                i.status,
                i.is_open(),
                ai[i.invited_by_id],
                user(i.answered_by) if i.answered_by_id else None,
                i.answered_at is not None,
                ai[i.ally_id],
                i.mandate,
            )
            for i in AllyInvitation.objects.filter(alliance=alliance)
            .select_related("answered_by")
            .order_by("pk")
        ],
        "statements": [
            (
                ai[s.author_id],
                s.kind,
                s.text,
                ai[s.supported_by_id],
                s.withdrawn_at is not None,
                s.version,
                sorted(
                    (r.version, r.kind, r.text, ai[r.supported_by_id]) for r in s.revisions.all()
                ),
            )
            for s in statements
        ],
        "votes": sorted(
            (si[v.statement_id], ai[v.ally_id], v.value)
            for v in Vote.objects.filter(statement__alliance=alliance)
        ),
        "charters": [],
        "asymmetries": [
            (
                ai[e.author_id],
                e.dimension,
                e.custom_dimension,
                e.what_is_held,
                e.handling,
                sorted(ai[h.pk] for h in e.holders.all()),
            )
            for e in AsymmetryEntry.objects.filter(alliance=alliance).order_by("pk")
        ],
        "checks": sorted(
            (ai[c.ally_id], c.chooses_path, c.sets_pace, c.walks_ahead, c.image)
            for c in PositionCheck.objects.filter(alliance=alliance)
        ),
    }
    for c in Charter.objects.filter(alliance=alliance).order_by("number"):
        data["charters"].append(
            {
                "head": (
                    c.number,
                    c.status,
                    c.shared_understanding,
                    c.revision,
                    c.signed_at is not None,
                ),
                "interests": sorted(
                    (si[i.statement_id], i.text, ai[i.adopted_by_id]) for i in c.interests.all()
                ),
                "recognitions": sorted(
                    (ai[r.ally_id], r.brings, r.expects) for r in c.recognitions.all()
                ),
                "commitments": sorted((ai[m.ally_id], m.text) for m in c.commitments.all()),
                "perimeter": sorted((p.domain_code, p.label, p.status) for p in c.perimeter.all()),
                "indicators": sorted(
                    (
                        i.name,
                        i.scale_min,
                        i.scale_max,
                        tuple(sorted(ai[r.pk] for r in i.raters.all())),
                    )
                    for i in c.indicators.all()
                ),
                "signatures": sorted(
                    (ai[s.ally_id], ai[s.signed_by_id]) for s in c.signatures.all()
                ),
            }
        )
    return data


def differences(a, b, path="") -> list[str]:
    if isinstance(a, dict) and isinstance(b, dict):
        out = []
        for key in sorted(set(a) | set(b), key=str):
            out += differences(a.get(key), b.get(key), f"{path}.{key}")
        return out
    if isinstance(a, list) and isinstance(b, list) and len(a) == len(b):
        out = []
        for n, (x, y) in enumerate(zip(a, b, strict=True)):
            out += differences(x, y, f"{path}[{n}]")
        return out
    return [] if a == b else [f"{path}: services {a!r} / bulk {b!r}"]
