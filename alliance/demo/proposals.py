"""The demo's third situation, its political half: the neighbourhood collective
(tenants and home owners who opposed the new traffic plan for different reasons)
sends the town hall a proposal built on what they found in common; members
co-sign it, the town hall acknowledges it, answers in its own words and starts the
work; the collective opens its public page.

Everything goes through the proposals' use cases, each step on the day it
happened (`as_of`). The town hall's account is opened directly, like the other
decision maker's: no use case creates decision makers. The content is French data."""

from alliance.accounts.models import Organisation, User
from alliance.collectives.models import CollectiveMember, Consultation, MemberRole
from alliance.reports.models import Proposal, ProposalStatus
from alliance.reports.proposals import services

from .clock import as_of, days_ago

TITLE = "Plan de circulation : des rues sûres pour aller à pied à l'école et au marché"
TEXT = (
    "Le nouveau plan de circulation fait passer les voitures par la rue des Écoles et "
    "la rue du Marché. Locataires et propriétaires, nous n'étions pas d'accord sur tout ; "
    "la consultation a montré ce que nous voulons tous : des trajets à pied sûrs pour les "
    "enfants et les personnes âgées, et un quartier qu'on ne traverse pas pour gagner "
    "deux minutes.\n\n"
    "Nous proposons à la mairie :\n"
    "1. une zone de rencontre à 20 km/h rue des Écoles, aux heures d'entrée et de sortie ;\n"
    "2. un passage piéton éclairé devant la résidence Les Acacias ;\n"
    "3. une réunion publique avant toute nouvelle modification du plan."
)
STEPS = [
    (
        38,
        ProposalStatus.ACKNOWLEDGED,
        "Nous avons bien reçu votre proposition. Le service voirie l'étudie.",
    ),
    (
        24,
        ProposalStatus.ANSWERED,
        "Le passage piéton éclairé devant la résidence Les Acacias est accepté et financé "
        "cette année. La zone de rencontre sera essayée trois mois à la rentrée, puis nous "
        "en parlerons avec vous. La réunion publique aura lieu à la maison de quartier.",
    ),
    (
        6,
        ProposalStatus.IN_PROGRESS,
        "Les travaux du passage piéton ont commencé. La date de la réunion publique est "
        "affichée à la maison de quartier.",
    ),
]


def town_hall_decision_maker() -> User:
    town_hall = Organisation.objects.create(
        name="Mairie de Villeurbanne", kind=Organisation.Kind.SERVICE, territory="69 Rhône"
    )
    return User.objects.create_user(
        email="isabelle.morin@mairie-villeurbanne.example",
        display_name="Isabelle Morin",
        kind=User.Kind.DECISION_MAKER,
        organisation=town_hall,
        job_title="Adjointe au maire chargée des mobilités",
        demo_persona="decideur-mairie",
    )


def load_proposal(collective) -> Proposal:
    """The neighbourhood collective's proposal to the town hall, from draft to work
    in progress, on top of whatever the collective already adopted."""
    members = list(
        collective.members.filter(status=CollectiveMember.Status.ACTIVE)
        .select_related("collective", "user")
        .order_by("joined_at", "pk")
    )
    facilitator = next(m for m in members if m.role == MemberRole.FACILITATOR)
    town_hall = town_hall_decision_maker()
    consultation = (
        collective.consultations.exclude(status=Consultation.Status.DRAFT)
        .order_by("-created_at")
        .first()
    )
    with as_of(days_ago(52)):
        proposal = services.write_proposal(
            member=facilitator,
            title=TITLE,
            text=TEXT,
            addressee=town_hall,
            interests=list(collective.interests.all()),
            consultation=consultation,
        )
    # Each member signs for themselves, over a few days; one in five has not (yet).
    signers = [m for n, m in enumerate(members) if n % 5 != 4]
    for n, member in enumerate(signers):
        with as_of(days_ago(50 - n * 5 // len(signers), hour=9 + n % 9)):
            services.co_sign(member=member, proposal=proposal)
    with as_of(days_ago(44)):
        services.send_proposal(member=facilitator, proposal=proposal)
        services.set_public_page(member=facilitator, public=True)
    for days, status, words in STEPS:
        with as_of(days_ago(days, hour=15)):
            proposal.refresh_from_db()
            services.move_proposal(
                user=town_hall,
                proposal=proposal,
                status=status,
                words=words,
                expected_version=proposal.version,
            )
    proposal.refresh_from_db()
    return proposal
