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


def make_world(
    trio, *, decision_maker=None, public=True, sent=True, with_report=False, **proposal
) -> World:
    """The trio's professional facilitates a collective where the person and their
    representative are members; a proposal to the decision maker, sent by default,
    resting on a report published to them if `with_report`."""
    decision_maker = decision_maker or UserFactory(
        decision_maker=True, display_name="Claire Mairie", job_title="Adjointe au maire"
    )
    if with_report:
        proposal["report"] = make_report(trio, publish_to=[decision_maker])
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
        report=proposal.get("report"),
        requests=proposal.get("requests"),
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


def make_report(trio, *, publish_to=()):
    """A ready report over the trio's organisation, asked for by its administrator and
    published to `publish_to`, through the reports' use cases."""
    import datetime

    from alliance.reports import services as reports
    from alliance.reports.models import Report

    organisation = trio.professional.user.organisation
    admin = UserFactory(org_admin=True, organisation=organisation, display_name="Anne Directrice")
    today = datetime.date.today()
    report = reports.request_report(
        user=admin,
        scope_kind=Report.ScopeKind.ORGANISATION,
        organisation_ids=[organisation.pk],
        period_start=today - datetime.timedelta(days=365),
        period_end=today,
    )
    report.refresh_from_db()
    if publish_to:
        reports.publish_report(user=admin, report=report, recipients=list(publish_to))
    return report
