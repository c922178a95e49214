"""Collectives built through the use cases, so every test meets the real rules."""

from dataclasses import dataclass

from alliance.collectives import services
from alliance.collectives.models import MemberStanding
from tests.factories import UserFactory


@dataclass
class Circle:
    collective: object
    facilitator: object  # CollectiveMember
    members: list  # CollectiveMember, plain members
    consultation: object = None
    statements: list = None  # accepted seed statements


def make_circle(*, members=3, seeds=3, open_it=True, facilitator_user=None) -> Circle:
    facilitator_user = facilitator_user or UserFactory(
        professional=True, display_name="Nadia Animatrice"
    )
    collective = services.create_collective(
        creator=facilitator_user, name="Quartier Bellevue", kind="neighbourhood"
    )
    facilitator = collective.members.get(user=facilitator_user)
    added = []
    for n in range(members):
        user = UserFactory(display_name=f"Habitant {n}")
        invitation = services.add_member(
            by=facilitator,
            display_name=user.display_name,
            email=user.email,
            standing=MemberStanding.RESIDENT,
        )
        # The owner of the address accepts from their own session.
        added.append(
            services.answer_member_invitation(user=user, invitation=invitation, accept=True)
        )
    circle = Circle(collective=collective, facilitator=facilitator, members=added)
    if seeds:
        consultation = services.create_consultation(
            by=facilitator,
            question="Que pensez-vous du nouveau plan de circulation ?",
            seed_statements=[f"Proposition de départ {n}." for n in range(seeds)],
        )
        if open_it:
            consultation = services.open_consultation(
                by=facilitator, consultation=consultation, expected_version=consultation.version
            )
        circle.consultation = consultation
        circle.statements = list(consultation.statements.order_by("pk"))
    return circle


def long_results(circle: Circle, *, common: int, divisive: int):
    """A finished computation of the circle's consultation, as the worker writes it,
    whose common ground is its first `common` statements and whose divisive
    statements are the next `divisive` ones (two groups of five, one for, one
    against): long lists without casting thousands of votes."""
    from django.utils import timezone

    from alliance.collectives.models import OpinionSnapshot
    from alliance.consensus.publication import FORMAT

    ids = [str(s.pk) for s in circle.statements[: common + divisive]]
    agreed, split = ids[:common], ids[common:]
    now = timezone.now()
    summary = {
        "format": FORMAT,
        "participants": 10,
        "votes": 10 * len(ids),
        "groups": [
            {"id": g, "size": 5, "centroid": [float(g), 0.0], "representative": []} for g in (0, 1)
        ],
        "group_votes": {
            "0": {sid: [5, 0, 5] for sid in ids},
            "1": {**{sid: [5, 0, 5] for sid in agreed}, **{sid: [0, 5, 5] for sid in split}},
        },
        "statement_votes": {
            **{sid: [10, 0, 10] for sid in agreed},
            **{sid: [5, 5, 10] for sid in split},
        },
        "common_ground": [int(sid) for sid in agreed],
        "map": [],
    }
    return OpinionSnapshot.objects.create(
        consultation=circle.consultation,
        status=OpinionSnapshot.Status.DONE,
        kind=OpinionSnapshot.Kind.FULL,
        progress=100,
        started_at=now,
        finished_at=now,
        votes_counted=summary["votes"],
        result={"groups": summary["groups"], "summary": summary},
    )
