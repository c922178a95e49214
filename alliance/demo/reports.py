"""The demo's territory report: anonymised counts over the alliances of the Rhône,
published to the département's decision maker.

Two alliances alone would show nothing but hidden numbers, so fourteen smaller
alliances are added, each through the same use cases as the pages (a person, a
parent or relative, a professional; an interest adopted from the common ground and
coded; a signed charter; a means decided, still waiting or refused). They tell two
situations that recur in the territory: children waiting for a school assistant
(AESH), and adults waiting for housing with support. The report then has cells of
five alliances or more, and, honestly, hidden ones where the counts are small.

The small alliances meet every four weeks once their charter is signed, on days
staggered from one alliance to the next, and an ally gives the weather after each
meeting (the relative and the professional in turn): the report's weather then has
enough alliances rated in most of its periods, and in the year before it, for its
averages to be shown.

The content is French data, written for the demo: it is not interface text.
"""

import datetime

from django.utils import timezone

from alliance.acting import services as acting
from alliance.acting.models import Availability, StanceValue
from alliance.alliances import planning_codes, services
from alliance.alliances.models import Ally, MandateKind, Role, StatementKind, VoteValue
from alliance.reports import services as reports
from alliance.reports.computation import compute_report
from alliance.reports.models import Report

from .clock import as_of, days_ago

SCHOOL = [
    ("Léna", 240, "Que Léna aille à l'école avec une AESH", True),
    ("Yanis", 210, "Que Yanis soit accompagné en classe", False),
    ("Inès", 300, "Qu'Inès retourne à l'école du quartier", True),
    ("Hugo", 190, "Que Hugo ait une AESH au collège", False),
    ("Maëlys", 260, "Que Maëlys reste dans sa classe", False),
    ("Rayan", 330, "Que Rayan suive l'école à plein temps", True),
    ("Jade", 220, "Que Jade soit aidée en classe", False),
]
HOUSING = [
    ("Bernard", 420, "Avoir un appartement à moi, avec un accompagnement", False),
    ("Samia", 500, "Vivre dans mon logement, pas au foyer", True),
    ("Kevin", 390, "Trouver un logement près de l'ESAT", False),
    ("Odile", 610, "Un appartement adapté, en ville", False),
    ("Farid", 460, "Quitter le foyer pour un logement", True),
    ("Josiane", 380, "Un logement avec un service d'accompagnement", False),
    ("Mathis", 450, "Habiter seul avec de l'aide", False),
]


# Days between two meetings of a small alliance; each alliance meets on its own day
# of this cycle (two days after the previous alliance's), so that any fortnight
# holds meetings of several alliances.
MEETING_CYCLE = 28


def _weather_after_meetings(index, signed_days_ago, raters):
    """The weather after each meeting since the charter was signed, through the use
    case of the weather page; the ratings rise slowly and the allies agree, so no
    alert is raised."""
    first = signed_days_ago - 2
    days = [d for d in range(first, 1, -1) if d % MEETING_CYCLE == (2 * index + 1) % MEETING_CYCLE]
    for step, day in enumerate(days):
        ally = raters[step % len(raters)]
        with as_of(days_ago(day - 1, hour=18)):
            acting.give_weather(
                ally=ally,
                aim=min(9, 5 + step // 3 + index % 2),
                way=min(8, 4 + step // 3),
                heard=min(9, 5 + step // 4 + (index % 3 == 0)),
                decide=min(8, 4 + step // 4),
                meeting_on=timezone.localdate() - datetime.timedelta(days=day),
            )


def _small_alliance(
    professional,
    name,
    *,
    words,
    code,
    means,
    waited,
    refused,
    diverge,
    child,
    plan=("", "", ""),
    index=0,
):
    """One small alliance lived over the past months, through the use cases: a child
    with a parent as legal representative, or an adult with a relative. `plan`: the
    organisation's planning codes (orientation, type of service, the means' SERAFIN-PH
    service), so that the report's planning tables have something to count."""
    start = waited + 120
    with as_of(days_ago(start)):
        alliance = services.create_alliance(
            creator=professional,
            title=f"L'accompagnement de {name}",
            person_name=name,
            person_is_protected=child,
        )
        pro = alliance.allies.get(user=professional)
        person = alliance.allies.get(role=Role.PERSON)
        family = services.invite_ally(
            inviter=pro,
            display_name=f"Parent de {name}" if child else f"Sœur de {name}",
            role=Role.REPRESENTATIVE if child else Role.RELATIVE,
            mandate={"kind": MandateKind.PARENT} if child else None,
        )
        services.accept_invitation(ally=person)
        services.accept_invitation(ally=family)
        # The person approves who joins, a parent as legal representative too (ADR 0009).
        services.decide_on_ally(approver=Ally.objects.get(pk=person.pk), ally=family, approve=True)
        approver = family if child else Ally.objects.get(pk=person.pk)
        services.decide_on_ally(approver=approver, ally=pro, approve=True)
        pro, person, family = (Ally.objects.get(pk=a.pk) for a in (pro, person, family))
        decider = family if child else person
        orientation, service_type, prestation = plan
        planning_codes.set_planning_codes(
            ally=pro,
            mdph_orientation=orientation,
            service_type=service_type,
            expected=planning_codes.seen(alliance),
        )
    with as_of(days_ago(start - 10)):
        # As on the page: the person sees their words with first names masked, and
        # confirms them.
        statement = services.write_statement(
            ally=person,
            kind=StatementKind.INTEREST,
            text=words,
            may_quote=True,
            confirmed_quote=services.quote_of(alliance=alliance, text=words),
        )
        for ally in (pro, family):
            services.cast_vote(ally=ally, statement=statement, value=VoteValue.AGREE)
        charter = services.current_charter(alliance)
        services.adopt_interest(
            ally=family, charter=charter, statement=statement, expected_revision=charter.revision
        )
        reports.code_need(ally=family, statement=statement, serafin_code=code)
        for ally in (person, family, pro):
            charter.refresh_from_db()
            services.add_commitment(
                ally=ally,
                charter=charter,
                text="Je m'engage à avancer avec les autres.",
                expected_revision=charter.revision,
            )
        for ally in (person, family, pro):
            charter.refresh_from_db()
            services.sign_charter(ally=ally, charter=charter, expected_revision=charter.revision)
    with as_of(days_ago(waited + 20)):
        option = acting.propose_means(
            ally=family,
            interest_statement_id=statement.pk,
            description=means,
            need_code=code,
            prestation_code=prestation,
        )
        acting.take_stance(ally=family, option=option, value=StanceValue.SUPPORT)
        acting.take_stance(
            ally=pro,
            option=option,
            value=StanceValue.OPPOSE if diverge else StanceValue.SUPPORT,
            reason="Pas de place avant longtemps, il faut une autre solution." if diverge else "",
        )
        option.refresh_from_db()
        acting.decide_means(
            ally=decider, option=option, consent=True, expected_version=option.version
        )
    with as_of(days_ago(waited)):
        option.refresh_from_db()
        acting.set_availability(
            ally=pro,
            option=option,
            status=Availability.REFUSED if refused else Availability.WAITING,
            since=timezone.localdate() - datetime.timedelta(days=waited),
            expected_version=option.version,
        )
    _weather_after_meetings(index, start - 10, (family, pro))


def build_reports(people) -> Report:
    """The small alliances, then the territory report, published to the decision
    maker. The report is computed here rather than left to the task worker, so that
    the demo shows it ready at once."""
    for n, (name, waited, words, diverge) in enumerate(SCHOOL):
        professional = people["teacher"] if n % 2 else people["coordinator"]
        _small_alliance(
            professional,
            name,
            words=words,
            code="1.3.3.1",
            means="Une AESH en classe",
            waited=waited,
            refused=False,
            diverge=diverge,
            child=True,
            plan=("ulis", "plateforme", "2.3.3.1"),
            index=n,
        )
    for n, (name, waited, words, diverge) in enumerate(HOUSING):
        _small_alliance(
            people["instructor"],
            name,
            words=words,
            code="1.3.2.1",
            means="Un logement avec un service d'accompagnement (SAVS)",
            waited=waited,
            refused=n == 3,
            diverge=diverge,
            child=False,
            plan=("savs", "esat", "2.3.2.1"),
            index=len(SCHOOL) + n,
        )
    admin = people["admin"]
    today = timezone.localdate()
    report = reports.request_report(
        user=admin,
        scope_kind=Report.ScopeKind.TERRITORY,
        territory=admin.organisation.territory,
        period_start=today - datetime.timedelta(days=365),
        period_end=today,
    )
    report = compute_report(report.pk)
    reports.publish_report(user=admin, report=report, recipients=[people["decision_maker"]])
    return report
