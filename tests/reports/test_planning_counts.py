"""The planning counts (persons, ages, orientation, service, finer needs, prestations,
geography, trends) against a plain Python reading of the same rules, on random data,
and their number of queries constant with the data size."""

import datetime
import random

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from alliance.acting.models import AvailabilityChange, MeansDecision, MeansOption
from alliance.alliances.models import Alliance, Ally, Charter, CharterInterest, Role
from alliance.alliances.planning import SERVICE_TYPE_CODES, serafin_prestations
from alliance.reports import aggregates, planning_counts
from alliance.reports.domains import CUSTOM, NOT_CODED, domain_of
from alliance.reports.models import NeedCoding
from alliance.reports.periods import split
from alliance.reports.planning_counts import (
    AGE_ROWS,
    PRESTATION_COLUMNS,
    UNKNOWN,
    WAITING_COLUMNS,
    detail_needs,
    prestation_rows,
)
from tests.factories import UserFactory

from .data import _at, build_world

pytestmark = pytest.mark.django_db

PRESTATIONS = [c for c, _l, _p in serafin_prestations() if c.count(".") >= 2][:12]
GEOGRAPHY = [
    ("69123", "Lyon", "200046977", "Métropole de Lyon", "69"),
    ("69264", "Villefranche-sur-Saône", "200040590", "CA Villefranche", "69"),
    ("", "", "", "", ""),
]


def planning_world(seed: int, **kwargs):
    """`build_world` plus what planners record: codes on organisations, alliances
    and means, persons of every age (some in two alliances, some never joined), and
    means proposed before they were decided."""
    world = build_world(seed, **kwargs)
    rng = random.Random(seed * 7 + 1)
    for org, (commune, commune_name, epci, epci_name, dep) in zip(
        world.organisations, GEOGRAPHY * 3, strict=False
    ):
        org.commune_code, org.commune_name, org.epci_code = commune, commune_name, epci
        org.epci_name, org.departement_code = epci_name, dep
        org.save()
    codes = [*sorted(SERVICE_TYPE_CODES)[:4], "", "bogus"]
    persons = [
        UserFactory(
            born_on=None
            if rng.random() < 0.2
            else world.today - datetime.timedelta(days=rng.randint(0, 80 * 365))
        )
        for _ in range(12)
    ]
    for alliance in Alliance.objects.filter(organisation__in=world.organisations):
        Alliance.objects.filter(pk=alliance.pk).update(
            mdph_orientation=rng.choice(codes), service_type=rng.choice(codes)
        )
        Ally.objects.filter(alliance=alliance, role=Role.PERSON).update(
            user=rng.choice(persons), status=rng.choice(Ally.Status.values)
        )
    for option in MeansOption.objects.filter(alliance__organisation__in=world.organisations):
        decision = MeansDecision.objects.filter(option=option).first()
        latest = decision.decided_at if decision else _at(world.today)
        proposed = latest - datetime.timedelta(days=rng.randint(0, 120))
        MeansOption.objects.filter(pk=option.pk).update(
            prestation_code=rng.choice([*PRESTATIONS, "", "2.1"]), created_at=proposed
        )
    return world


# ---------------------------------------------------------------- the same in Python


def _age(born, day):
    return day.year - born.year - ((day.month, day.day) < (born.month, born.day))


def _age_band(born, day):
    if born is None:
        return UNKNOWN
    age = _age(born, day)
    for band in AGE_ROWS[:-1]:
        low, _sep, high = band.partition("-")
        if age >= int(low.rstrip("+")) and (not high or age <= int(high)):
            return band
    return "0-5"


def _series(rows, sets: dict, units=None):
    units = set().union(*sets.values()) if units is None else units
    return aggregates.Series(tuple(rows), tuple(len(sets.get(r, ())) for r in rows), len(units))


def _table(rows, columns, facts):
    """facts: set of (unit, row, column)."""

    def count(pred):
        return len({u for u, r, c in facts if pred(r, c)})

    return aggregates.Table(
        tuple(rows),
        tuple(columns),
        tuple(
            tuple(count(lambda r0, c0, r=r, c=c: (r0, c0) == (r, c)) for c in columns) for r in rows
        ),
        tuple(count(lambda r0, _c, r=r: r0 == r) for r in rows),
        tuple(count(lambda _r, c0, c=c: c0 == c) for c in columns),
        len({u for u, _r, _c in facts}),
    )


def _persons(scope, high):
    first, born = {}, {}
    for ally in Ally.objects.select_related("user", "alliance"):
        if (
            ally.alliance_id in scope
            and ally.role == Role.PERSON
            and ally.status in planning_counts.JOINED
        ):
            at = scope[ally.alliance_id].created_at
            first[ally.user_id] = min(first.get(ally.user_id, at), at)
            born[ally.user_id] = ally.user.born_on
    return first, born


def _prestation_row(code):
    for row in prestation_rows()[:-1]:
        if code == row or code.startswith(row + "."):
            return row
    return NOT_CODED


def _latest_status(option, high, end):
    decision = MeansDecision.objects.filter(option=option).first()
    if decision is None or decision.decided_at >= high:
        return None, None
    changes = sorted(
        AvailabilityChange.objects.filter(option=option, since__lte=end),
        key=lambda c: (c.since, c.changed_at, c.pk),
    )
    return (changes[-1].status, changes[-1].since) if changes else ("", None)


def _interests(scope, high):
    """(alliance, coding or None) for every adopted interest of a current charter."""
    for interest in CharterInterest.objects.select_related("charter"):
        alliance = scope.get(interest.charter.alliance_id)
        if alliance is None or interest.charter.status == Charter.Status.SUPERSEDED:
            continue
        yield alliance, NeedCoding.objects.filter(statement_id=interest.statement_id).first()


def expected(org_ids, start, end, periods):
    low, high = aggregates._bounds(start, end)
    scope = {
        a.pk: a
        for a in Alliance.objects.filter(organisation_id__in=org_ids).select_related("organisation")
        if a.created_at < high
    }
    first, born = _persons(scope, high)
    persons = _series(
        ("before", "during"),
        {
            "before": {u for u, at in first.items() if at < low},
            "during": {u for u, at in first.items() if at >= low},
        },
    )
    ages = {}
    for user, born_on in born.items():
        ages.setdefault(_age_band(born_on, end), set()).add(user)
    service_rows = planning_counts.SERVICE_ROWS

    def by(attribute, known=SERVICE_TYPE_CODES, default=NOT_CODED):
        sets = {}
        for a in scope.values():
            value = attribute(a)
            sets.setdefault(value if value in known else default, set()).add(a.pk)
        return sets

    places = {}
    for key, field in (
        ("communes", "commune_code"),
        ("epcis", "epci_code"),
        ("departements", "departement_code"),
    ):
        codes = {getattr(o, field) for o in world_orgs(org_ids) if getattr(o, field)}
        places[key] = _series(
            (*sorted(codes), UNKNOWN),
            by(lambda a, f=field: getattr(a.organisation, f) or UNKNOWN, codes | {UNKNOWN}),
            set(scope),
        )

    detail = {}
    for alliance, coding in _interests(scope, high):
        if coding is not None and coding.custom_domain_id:
            row = CUSTOM
        else:
            code = coding.serafin_code if coding else ""
            row = next(
                (d for d in detail_needs() if code == d or code.startswith(d + ".")), NOT_CODED
            )
        detail.setdefault(row, set()).add(alliance.pk)

    facts, waits = set(), set()
    for option in MeansOption.objects.filter(alliance_id__in=scope):
        if option.created_at >= high:
            continue
        row = _prestation_row(option.prestation_code)
        facts.add((option.alliance_id, row, "asked"))
        status, since = _latest_status(option, high, end)
        if status is None:
            continue
        facts.add((option.alliance_id, row, "decided"))
        column = {"waiting": "waiting", "refused": "refused", "not_existing": "missing"}
        if status in column:
            facts.add((option.alliance_id, row, column[status]))
        if status == "waiting":
            waited = (end - since).days
            band = next(
                name
                for name, low_days, high_days in aggregates.WAITING_BANDS
                if waited >= low_days and (high_days is None or waited < high_days)
            )
            waits.add((option.alliance_id, row, band))

    return {
        "persons": persons,
        "age_bands": _series(AGE_ROWS, ages),
        "orientation": _series(service_rows, by(lambda a: a.mdph_orientation), set(scope)),
        "service_type": _series(service_rows, by(lambda a: a.service_type), set(scope)),
        "needs_detail": _series((*detail_needs(), CUSTOM, NOT_CODED), detail),
        "prestations": _table(prestation_rows(), PRESTATION_COLUMNS, facts),
        "prestation_waiting": _table(prestation_rows(), WAITING_COLUMNS, waits),
        **places,
        "trends": expected_trends(org_ids, periods),
    }


def world_orgs(org_ids):
    from alliance.accounts.models import Organisation

    return Organisation.objects.filter(pk__in=org_ids)


def expected_trends(org_ids, periods):
    keys = [p.key for p in periods]
    alliances, persons, needs, unmet = set(), set(), set(), set()
    for period in periods:
        low, high = aggregates._bounds(period.start, period.end)
        scope = {
            a.pk: a
            for a in Alliance.objects.filter(organisation_id__in=org_ids)
            if a.created_at < high
        }
        for a in scope.values():
            alliances.add((a.pk, "before" if a.created_at < low else "during", period.key))
        first, _born = _persons(scope, high)
        for user, at in first.items():
            persons.add((user, "before" if at < low else "during", period.key))
        for alliance, coding in _interests(scope, high):
            if coding is not None and coding.custom_domain_id:
                row = CUSTOM
            else:
                row = domain_of(coding.serafin_code if coding else "") or NOT_CODED
            needs.add((alliance.pk, row, period.key))
        for option in MeansOption.objects.filter(alliance_id__in=scope):
            status, _since = _latest_status(option, high, period.end)
            if status in aggregates.UNMET:
                unmet.add((option.alliance_id, _prestation_row(option.prestation_code), period.key))
    from alliance.reports.domains import report_domains

    return {
        "alliances": _table(("before", "during"), keys, alliances),
        "persons": _table(("before", "during"), keys, persons),
        "needs": _table((*report_domains(), CUSTOM, NOT_CODED), keys, needs),
        "prestations_unmet": _table(prestation_rows(), keys, unmet),
    }


# ---------------------------------------------------------------- the tests


@pytest.mark.parametrize("seed", [11, 12])
def test_planning_counts_match_a_python_recount(seed):
    world = planning_world(seed, alliances=30)
    ids = [o.pk for o in world.organisations]
    for start, end in [
        (datetime.date(2025, 7, 1), world.today),
        (datetime.date(2024, 9, 15), datetime.date(2025, 12, 31)),
    ]:
        periods = split(start, end)
        for scope in (ids, ids[:1]):
            counts = planning_counts.planning_counts(scope, start, end, periods)
            wanted = expected(scope, start, end, periods)
            for key, value in wanted.items():
                assert getattr(counts, key) == value, key
            # Read with the finer needs, the needs are those the report's counts give.
            assert counts.needs == aggregates.need_counts(scope, start, end)
    # The world is rich enough for the comparison to mean something.
    start = datetime.date(2024, 7, 1)
    counts = planning_counts.planning_counts(ids, start, world.today, split(start, world.today))
    assert counts.persons.total > 2 and sum(c > 0 for c in counts.age_bands.counts) > 2
    assert counts.prestations.grand_total > 0 and counts.orientation.counts[-1] > 0


def test_geography_labels_come_from_the_organisations():
    world = planning_world(13, alliances=4)
    ids = [o.pk for o in world.organisations]
    start, end = datetime.date(2025, 7, 1), world.today
    counts = planning_counts.planning_counts(ids, start, end, split(start, end))
    assert counts.labels == {
        "communes": {"69123": "Lyon", "69264": "Villefranche-sur-Saône"},
        "epcis": {"200046977": "Métropole de Lyon", "200040590": "CA Villefranche"},
        "departements": {"69": "Rhône"},
    }
    assert counts.communes.rows == ("69123", "69264", UNKNOWN)


def test_the_number_of_planning_queries_does_not_grow_with_the_data():
    start, end = datetime.date(2024, 7, 1), datetime.date(2026, 6, 30)
    periods = split(start, end)
    small = planning_world(14, organisations=2, alliances=3)
    with CaptureQueriesContext(connection) as few:
        planning_counts.planning_counts([o.pk for o in small.organisations], start, end, periods)
    large = planning_world(15, organisations=3, alliances=40)
    with CaptureQueriesContext(connection) as many:
        planning_counts.planning_counts([o.pk for o in large.organisations], start, end, periods)
    assert len(few) == len(many) <= 10
