"""An alliance with every part the TDDUI export maps, built through the use cases."""

from django.utils import timezone

from alliance.acting import services as acting
from alliance.acting.models import Availability
from alliance.alliances import services
from alliance.alliances.models import PerimeterStatus, StatementKind
from tests.factories import make_alliance_trio, make_signable_charter

SCHOOL = "1.3.3.1"  # SERAFIN-PH: school and student life
MOBILITY = "1.2.1.3"


def make_exported_alliance(title="Aller à l'école du quartier"):
    """A trio with a signed charter (a coded and a custom need in the alliance, a
    domain of the person's own, an indicator), expectations of each ally, a means
    decided with a need, an action on it with two co-actors, and readings."""
    trio = make_alliance_trio(title=title)
    services.write_recognition(
        ally=trio.parent, brings="Je connais Léo.", expects="Être écoutée sur l'école."
    )
    charter = make_signable_charter(trio)
    interest = charter.interests.get().statement
    for label, status, code in (
        ("", PerimeterStatus.IN_ALLIANCE, SCHOOL),
        ("Le judo", PerimeterStatus.IN_ALLIANCE, ""),
        ("Ses amis", PerimeterStatus.PERSON_OWN, ""),
    ):
        services.set_perimeter(
            ally=trio.parent,
            charter=charter,
            label=label,
            status=status,
            domain_code=code,
            expected_revision=charter.revision,
        )
        charter.refresh_from_db()
    indicator = services.add_indicator(
        ally=trio.professional,
        charter=charter,
        name="Léo aime aller à l'école",
        scale_min=0,
        scale_max=10,
        raters=trio.allies,
        expected_revision=charter.revision,
    )
    charter.refresh_from_db()
    for ally in trio.allies:
        services.sign_charter(ally=ally, charter=charter, expected_revision=charter.revision)
        charter.refresh_from_db()
    goal = services.write_statement(
        ally=trio.parent,
        kind=StatementKind.GOAL,
        text="Que Léo mange à la cantine.",
    )
    supported = services.write_statement(
        ally=trio.person,
        kind=StatementKind.INTEREST,
        text="Je veux jouer avec mes copains.",
        supported_by=trio.parent,
    )
    option = acting.propose_means(
        ally=trio.professional,
        interest_statement_id=interest.pk,
        description="Une AESH en classe",
        need_code=MOBILITY,
    )
    acting.decide_means(
        ally=trio.parent, option=option, consent=True, expected_version=option.version
    )
    option.refresh_from_db()
    acting.set_availability(
        ally=trio.professional,
        option=option,
        status=Availability.WAITING,
        since=timezone.localdate(),
        expected_version=option.version,
    )
    action = acting.plan_action(
        ally=trio.professional,
        title="Demander l'AESH à la MDPH",
        domain_label=charter.perimeter.get(domain_code=SCHOOL).label,
        my_role="Je remplis le dossier",
        means=option,
    )
    acting.join_action(ally=trio.parent, action=action, role="Je signe le dossier")
    indicator.refresh_from_db()
    for ally, value in ((trio.person, 4), (trio.parent, 6)):
        acting.rate_indicator(ally=ally, indicator=indicator, value=value, note="")
    return trio, {"interest": interest, "goal": goal, "supported": supported, "action": action}
