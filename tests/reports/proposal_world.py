"""A collective around the trio's alliance, and its proposals to a decision maker,
built for the proposal tests, the permission matrix and the query counts."""

from dataclasses import dataclass

from alliance.collectives import services as collectives
from alliance.collectives.models import Collective, CollectiveMember, MemberStanding
from alliance.reports.proposals import services
from tests.factories import UserFactory


def make_collective(*, facilitator, members=(), public=False, name="Collectif du quartier"):
    """The facilitator creates the collective and adds `members`, (user, standing)
    pairs, through the collectives' use cases."""
    collective = collectives.create_collective(
        creator=facilitator, name=name, kind=Collective.Kind.NEIGHBOURHOOD
    )
    first = member_of(collective, facilitator)
    for user, standing in members:
        collectives.add_member(by=first, user=user, standing=standing)
    if public:
        services.set_public_page(member=first, public=True)
    collective.refresh_from_db()
    return collective


def member_of(collective, user):
    return CollectiveMember.objects.select_related("collective", "user").get(
        collective=collective, user=user
    )


@dataclass
class World:
    collective: object
    facilitator: object  # CollectiveMember
    decision_maker: object  # User
    proposal: object


def make_world(trio, *, decision_maker=None, public=True, sent=True, **proposal) -> World:
    """The trio's professional facilitates a collective where the person and their
    representative are members; a proposal to the decision maker, sent by default."""
    decision_maker = decision_maker or UserFactory(
        decision_maker=True, display_name="Claire Mairie", job_title="Adjointe au maire"
    )
    collective = make_collective(
        facilitator=trio.professional.user,
        members=[
            (trio.person.user, MemberStanding.PERSON),
            (trio.parent.user, MemberStanding.RELATIVE),
        ],
        public=public,
    )
    facilitator = member_of(collective, trio.professional.user)
    written = services.write_proposal(
        member=facilitator,
        title=proposal.get("title", "Un passage piéton devant l'école"),
        text=proposal.get("text", "Les enfants traversent sans feu ni passage."),
        addressee=decision_maker,
    )
    if sent:
        services.send_proposal(member=facilitator, proposal=written)
    written.refresh_from_db()
    return World(
        collective=collective,
        facilitator=facilitator,
        decision_maker=decision_maker,
        proposal=written,
    )
