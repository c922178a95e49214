"""Random alliance data for report tests, written straight into the tables (fast,
many alliances), and the same counts recomputed in Python from the rows, so that the
grouped queries can be checked against a plain reading of the rules."""

import datetime
import random
from dataclasses import dataclass

from django.utils import timezone

from alliance.acting.models import (
    Availability,
    AvailabilityChange,
    MeansDecision,
    MeansOption,
    Review,
    ReviewPlan,
    Stance,
    StanceValue,
)
from alliance.acting.reviews import add_months, next_review_on
from alliance.acting.services import next_review
from alliance.alliances.models import Alliance, Ally, Charter, CharterInterest, Role, Statement
from alliance.reports import aggregates
from alliance.reports.domains import CUSTOM, NOT_CODED, domain_of, report_domains
from alliance.reports.models import CustomNeedDomain, NeedCoding
from tests.factories import OrganisationFactory, UserFactory

CODES = ["1.1.1", "1.1.10", "1.2.1.3", "1.3.2.1", "1.3.3.1", "1.3.3.2", "1.3.4.2", "1.3.5.1", ""]
ROLES = [Role.PERSON, Role.RELATIVE, Role.PROFESSIONAL, Role.PROFESSIONAL, Role.PEER]


@dataclass
class World:
    organisations: list
    today: datetime.date


def _at(day: datetime.date) -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time(12), tzinfo=timezone.get_current_timezone())


def build_world(seed: int, *, organisations: int = 3, alliances: int = 30, today=None) -> World:
    """`alliances` alliances spread over `organisations` organisations, each with a
    few allies, adopted interests (coded or not, some with a custom domain), means
    (some decided, with an availability history) and stances of both sides."""
    rng = random.Random(seed)
    today = today or datetime.date(2026, 6, 30)
    orgs = [OrganisationFactory(territory="69 Rhône") for _ in range(organisations)]
    creator = UserFactory(professional=True, organisation=orgs[0])
    customs = {o.pk: CustomNeedDomain.objects.create(organisation=o, name="Répit") for o in orgs}
    users = [UserFactory() for _ in range(6)]
    for n in range(alliances):
        org = rng.choice(orgs)
        alliance = Alliance.objects.create(title=f"A{n}", organisation=org, created_by=creator)
        created = _at(today - datetime.timedelta(days=rng.randint(0, 700)))
        Alliance.objects.filter(pk=alliance.pk).update(created_at=created)
        allies = [
            Ally.objects.create(
                alliance=alliance, user=users[i], role=ROLES[i], status=Ally.Status.ACTIVE
            )
            for i in range(rng.randint(2, len(ROLES)))
        ]
        charter = Charter.objects.create(alliance=alliance)
        if rng.random() < 0.3:
            charter.status = Charter.Status.SUPERSEDED
            charter.save()
            charter = Charter.objects.create(alliance=alliance, number=2)
        _reviews(rng, alliance, charter, allies[0], created.date(), today)
        for i in range(rng.randint(0, 3)):
            kind = rng.choice(["interest", "goal"])
            quoted = rng.random() < 0.3
            statement = Statement.objects.create(
                alliance=alliance,
                author=allies[0],
                kind=kind,
                text=f"Besoin {n}.{i}",
                may_quote=quoted,
                # These words name nobody: confirmed as they are.
                quote_text=f"Besoin {n}.{i}" if quoted else "",
            )
            Statement.objects.filter(pk=statement.pk).update(created_at=created)
            CharterInterest.objects.create(
                charter=charter, statement=statement, text=statement.text, adopted_by=allies[0]
            )
            pick = rng.random()
            if pick < 0.55:
                NeedCoding.objects.create(
                    statement=statement,
                    alliance=alliance,
                    serafin_code=rng.choice(CODES[:-1]),
                    coded_by=allies[0],
                )
            elif pick < 0.65:
                NeedCoding.objects.create(
                    statement=statement,
                    alliance=alliance,
                    custom_domain=customs[org.pk],
                    coded_by=allies[0],
                )
            for _o in range(rng.randint(0, 2)):
                option = MeansOption.objects.create(
                    alliance=alliance,
                    interest_statement=statement,
                    interest_text=statement.text,
                    description="Un moyen",
                    proposed_by=allies[0],
                    need_code=rng.choice(CODES),
                )
                for ally in allies:
                    moments = sorted(
                        _at(today - datetime.timedelta(days=rng.randint(0, 400)))
                        for _t in range(rng.randint(0, 2))
                    )
                    for taken_at, superseded_at in zip(moments, [*moments[1:], None], strict=False):
                        Stance.objects.create(
                            option=option,
                            ally=ally,
                            value=rng.choice(StanceValue.values),
                            taken_at=taken_at,
                            superseded_at=superseded_at,
                        )
                if rng.random() < 0.7:
                    decision = MeansDecision.objects.create(option=option, decided_by=allies[0])
                    MeansDecision.objects.filter(pk=decision.pk).update(
                        decided_at=_at(today - datetime.timedelta(days=rng.randint(0, 500)))
                    )
                    for _c in range(rng.randint(0, 3)):
                        AvailabilityChange.objects.create(
                            option=option,
                            status=rng.choice(Availability.values),
                            since=today - datetime.timedelta(days=rng.randint(-20, 600)),
                            changed_by=allies[0],
                        )
    return World(organisations=orgs, today=today)


def _reviews(rng, alliance, charter, opener, created, today):
    """A first signature (or none), reviews held early or late against the date due
    then (planned or by the rule), and the plan for the next one, as the use cases
    leave them; signatures near the end of February test the rule's month ends."""
    if rng.random() < 0.2:
        return
    signed = created + datetime.timedelta(days=rng.randint(0, 60))
    if rng.random() < 0.1:
        signed = rng.choice(
            [datetime.date(2024, 2, 29), datetime.date(2025, 2, 28), datetime.date(2024, 3, 1)]
        )
    Charter.objects.filter(pk=charter.pk).update(signed_at=_at(signed))
    last, planned = None, None
    for _r in range(rng.randint(0, 3)):
        if rng.random() < 0.3:
            planned = (last or signed) + datetime.timedelta(days=rng.randint(30, 330))
        due = next_review_on(planned=planned, last_review=last, first_signed=signed)
        held = max(due + datetime.timedelta(days=rng.randint(-60, 60)), (last or signed))
        held += datetime.timedelta(days=1)
        if held >= today:
            break
        Review.objects.create(
            alliance=alliance,
            held_on=held,
            due_on=due,
            period_start=last or signed,
            opened_by=opener,
        )
        last, planned = held, None
    if last is not None:
        planned = add_months(last, 12)
    elif rng.random() < 0.3:
        planned = signed + datetime.timedelta(days=rng.randint(30, 330))
    if planned is not None:
        ReviewPlan.objects.create(alliance=alliance, next_review_on=planned, set_by=opener)


# ---------------------------------------------------------------- the same in Python


def _review_counts(scope, start, end):
    """Reviews held are judged against the due date they keep; the next one by the
    acting use case's own reading of the plan and the rule."""
    today = timezone.localdate()
    kept = {k: set() for k in aggregates.REVIEW_KEPT}
    for review in Review.objects.all():
        if review.alliance_id in scope and start <= review.due_on <= end:
            on_time = review.held_on <= review.due_on
            kept["on_time" if on_time else "late"].add(review.alliance_id)
    for alliance in Alliance.objects.filter(pk__in=scope):
        due, _version = next_review(alliance)
        if due is not None and start <= due <= end and due < today:
            kept["overdue"].add(alliance.pk)
    return aggregates.Series(
        aggregates.REVIEW_KEPT,
        tuple(len(kept[k]) for k in aggregates.REVIEW_KEPT),
        len(set().union(*kept.values())),
    )


def _in_scope(org_ids, high):
    return {
        a.pk: a for a in Alliance.objects.filter(organisation_id__in=org_ids) if a.created_at < high
    }


def expected_counts(org_ids, start, end) -> aggregates.Counts:
    low, high = aggregates._bounds(start, end)
    scope = _in_scope(org_ids, high)
    before = sum(1 for a in scope.values() if a.created_at < low)
    alliances = aggregates.Series(("before", "during"), (before, len(scope) - before), len(scope))

    rows = (*report_domains(), CUSTOM, NOT_CODED)
    needs = {r: set() for r in rows}
    with_interest = set()
    for interest in CharterInterest.objects.select_related("charter", "statement"):
        alliance_id = interest.charter.alliance_id
        if alliance_id not in scope or interest.charter.status == Charter.Status.SUPERSEDED:
            continue
        with_interest.add(alliance_id)
        coding = NeedCoding.objects.filter(statement_id=interest.statement_id).first()
        if coding is None:
            needs[NOT_CODED].add(alliance_id)
        elif coding.custom_domain_id:
            needs[CUSTOM].add(alliance_id)
        else:
            needs[domain_of(coding.serafin_code) or NOT_CODED].add(alliance_id)
    need_series = aggregates.Series(rows, tuple(len(needs[r]) for r in rows), len(with_interest))

    unmet_rows = (*report_domains(), NOT_CODED)
    bands = [name for name, _low, _high in aggregates.WAITING_BANDS]
    cells = {(r, b): set() for r in unmet_rows for b in bands}
    statuses = {s: set() for s in aggregates.UNMET}
    divergent = {r: set() for r in unmet_rows}
    for option in MeansOption.objects.all():
        if option.alliance_id not in scope:
            continue
        domain = domain_of(option.need_code) or NOT_CODED
        decision = MeansDecision.objects.filter(option=option).first()
        if decision is not None and decision.decided_at < high:
            changes = sorted(
                AvailabilityChange.objects.filter(option=option, since__lte=end),
                key=lambda c: (c.since, c.changed_at, c.pk),
            )
            if changes and changes[-1].status in aggregates.UNMET:
                waited = (end - changes[-1].since).days
                band = next(
                    name
                    for name, low_days, high_days in aggregates.WAITING_BANDS
                    if waited >= low_days and (high_days is None or waited < high_days)
                )
                cells[(domain, band)].add(option.alliance_id)
                statuses[changes[-1].status].add(option.alliance_id)
        stances = list(
            Stance.objects.filter(option=option, taken_at__lt=high).select_related("ally")
        )
        newest = {}
        for stance in stances:
            key = (stance.taken_at, stance.pk)
            if stance.ally_id not in newest or key > newest[stance.ally_id][0]:
                newest[stance.ally_id] = (key, stance)
        # Recounted from the history alone (not from superseded_at): of two stances
        # of one ally at the same instant, the one recorded last holds.
        latest = [stance for _key, stance in newest.values()]
        family = {s.value for s in latest if s.ally.role in aggregates.FAMILY_SIDE}
        pros = {s.value for s in latest if s.ally.role in aggregates.INSTITUTION_SIDE}
        if (StanceValue.SUPPORT in family and StanceValue.OPPOSE in pros) or (
            StanceValue.OPPOSE in family and StanceValue.SUPPORT in pros
        ):
            divergent[domain].add(option.alliance_id)

    def union(sets):
        return set().union(*sets)

    unmet = aggregates.Table(
        unmet_rows,
        tuple(bands),
        tuple(tuple(len(cells[(r, b)]) for b in bands) for r in unmet_rows),
        tuple(len(union(cells[(r, b)] for b in bands)) for r in unmet_rows),
        tuple(len(union(cells[(r, b)] for r in unmet_rows)) for b in bands),
        len(union(cells.values())),
    )
    status = aggregates.Series(
        tuple(aggregates.UNMET),
        tuple(len(statuses[s]) for s in aggregates.UNMET),
        len(union(cells.values())),
    )
    divergences = aggregates.Series(
        unmet_rows,
        tuple(len(divergent[r]) for r in unmet_rows),
        len(union(divergent.values())),
    )
    every = {a.pk for a in Alliance.objects.filter(organisation_id__in=org_ids)}
    reviews = _review_counts(every, start, end)
    return aggregates.Counts(alliances, need_series, unmet, status, divergences, reviews)
