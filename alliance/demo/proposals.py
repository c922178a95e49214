"""The demo's third situation, its political half: the neighbourhood collective
(tenants and home owners who opposed the new traffic plan for different reasons)
sends the town hall a proposal built on what they found in common, made of three
requests; members co-sign it, the town hall acknowledges it, answers two requests
differently (one accepted, one partly), two members say what they think of these
answers, and the town hall posts the progress of the work with its next step, its
date and its public cost; the collective opens its public page.

Everything goes through the proposals' use cases, each step on the day it
happened (`as_of`). The town hall's account is opened directly, like the other
decision maker's: no use case creates decision makers. The content is French data."""

import datetime
from decimal import Decimal

from django.utils import timezone

from alliance.accounts.models import Organisation, User
from alliance.collectives.models import CollectiveMember, Consultation, MemberRole
from alliance.reports.models import Proposal, ProposalStatus, RequestDecision
from alliance.reports.proposals import services

from .clock import as_of, days_ago

TITLE = "Plan de circulation : des rues sûres pour aller à pied à l'école et au marché"
TEXT = (
    "Le nouveau plan de circulation fait passer les voitures par la rue des Écoles et "
    "la rue du Marché. Locataires et propriétaires, nous n'étions pas d'accord sur tout ; "
    "la consultation a montré ce que nous voulons tous : des trajets à pied sûrs pour les "
    "enfants et les personnes âgées, et un quartier qu'on ne traverse pas pour gagner "
    "deux minutes."
)
# What the collective asks, one request each (ADR 0038): the town hall answers each.
REQUESTS = [
    "Une zone de rencontre à 20 km/h rue des Écoles, aux heures d'entrée et de sortie.",
    "Un passage piéton éclairé devant la résidence Les Acacias.",
    "Une réunion publique avant toute nouvelle modification du plan.",
]
ACKNOWLEDGED = "Nous avons bien reçu votre proposition. Le service voirie l'étudie."
# The town hall answers two requests differently, on the same day.
ANSWERS = [
    (
        1,
        RequestDecision.ACCEPTED,
        "Le passage piéton éclairé devant la résidence Les Acacias est accepté et financé "
        "cette année.",
    ),
    (
        0,
        RequestDecision.PARTLY,
        "La zone de rencontre sera essayée trois mois à la rentrée, le matin seulement, "
        "puis nous en parlerons avec vous avant de la garder ou non.",
    ),
]
# Two members say what they think of these answers (by their order among members).
REACTIONS = [
    (0, 1, True, "Enfin ! Les enfants de la résidence traversent là tous les jours."),
    (1, 0, False, "Le matin seulement, ce n'est pas assez : la sortie de 16 h 30 est la pire."),
]
PROGRESS = {
    "status_label": "Travaux commencés",
    "percentage": 40,
    "words": "Le marquage au sol est fait ; les mâts d'éclairage sont commandés.",
    "next_step": "Pose de l'éclairage et mise en service du passage",
    "cost": Decimal("18500"),
    "budget_line": "Voirie 2026 : sécurité des piétons",
    "cost_public": True,
}


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
            requests=REQUESTS,
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
    with as_of(days_ago(38, hour=15)):
        services.move_proposal(
            user=town_hall,
            proposal=proposal,
            status=ProposalStatus.ACKNOWLEDGED,
            words=ACKNOWLEDGED,
            expected_version=proposal.version,
        )
    requests = list(proposal.requests.order_by("position"))
    answers = {}
    with as_of(days_ago(24, hour=15)):
        for index, decision, words in ANSWERS:
            answers[index] = services.answer_request(
                user=town_hall,
                request=requests[index],
                decision=decision,
                words=words,
                expected_version=requests[index].version,
            )
    reacting = [m for m in members if m.role != MemberRole.FACILITATOR]
    for n, (who, index, satisfied, words) in enumerate(REACTIONS):
        with as_of(days_ago(22 - n, hour=19)):
            services.react_to_answer(
                member=reacting[who], answer=answers[index], satisfied=satisfied, words=words
            )
    with as_of(days_ago(6, hour=15)):
        services.post_progress(
            user=town_hall,
            proposal=proposal,
            request=requests[1],
            next_step_on=timezone.localdate() + datetime.timedelta(days=25),
            **PROGRESS,
        )
    proposal.refresh_from_db()
    return proposal
