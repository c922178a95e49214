"""The raw counts of a report, computed in the database with grouped queries: the
number of queries does not depend on the number of alliances, and no row of an
alliance is ever loaded into Python. Every count is a number of *distinct*
alliances, so margins are distinct counts too (an alliance with needs in two
domains counts once in the total).

These counts are never stored nor shown as they are: `services.compute_report`
passes them through small-count suppression first."""

import datetime
from dataclasses import dataclass

from django.db.models import Case, CharField, Count, F, Max, Q, Value, When, Window
from django.db.models.functions import RowNumber
from django.utils import timezone

from alliance.acting.models import (
    Availability,
    AvailabilityChange,
    MeansOption,
    Stance,
    StanceValue,
)
from alliance.alliances.models import Alliance, Charter, CharterInterest, Role, Statement

from .domains import CUSTOM, NOT_CODED, report_domains

# Bands of waiting time, in days waited at the end of the period: [low, high).
WAITING_BANDS = (("0-3", 0, 91), ("3-6", 91, 183), ("6-12", 183, 365), ("12+", 365, None))
UNMET = tuple(
    s.value for s in (Availability.WAITING, Availability.REFUSED, Availability.NOT_EXISTING)
)
# Divergences that recur between the two sides the issue names: persons and families
# on one side, institutions (their professionals) on the other.
FAMILY_SIDE = (Role.PERSON, Role.REPRESENTATIVE, Role.RELATIVE, Role.TRUSTED_PERSON)
INSTITUTION_SIDE = (Role.PROFESSIONAL,)
QUOTED_KINDS = ("interest", "goal", "concern")
QUOTES_LIMIT = 12


@dataclass(frozen=True)
class Series:
    rows: tuple[str, ...]
    counts: tuple[int, ...]
    total: int


@dataclass(frozen=True)
class Table:
    rows: tuple[str, ...]
    columns: tuple[str, ...]
    counts: tuple[tuple[int, ...], ...]
    row_totals: tuple[int, ...]
    column_totals: tuple[int, ...]
    grand_total: int


@dataclass(frozen=True)
class Counts:
    alliances: Series
    needs: Series
    unmet: Table
    unmet_status: Series
    divergences: Series


def _bounds(start: datetime.date, end: datetime.date):
    """Aware datetimes [from, to) covering the period's days, so that indexes on the
    timestamp columns are used (no per-row date conversion)."""
    zone = timezone.get_current_timezone()
    low = datetime.datetime.combine(start, datetime.time.min, tzinfo=zone)
    high = datetime.datetime.combine(end + datetime.timedelta(days=1), datetime.time.min)
    return low, high.replace(tzinfo=zone)


def domain_case(field: str, *, custom_field: str | None = None):
    """The report domain of a SERAFIN-PH code column, as a database expression."""
    whens = []
    if custom_field:
        whens.append(When(**{f"{custom_field}__isnull": False}, then=Value(CUSTOM)))
    for domain in report_domains():
        whens.append(
            When(
                Q(**{field: domain}) | Q(**{f"{field}__startswith": domain + "."}),
                then=Value(domain),
            )
        )
    return Case(*whens, default=Value(NOT_CODED), output_field=CharField())


def _series(rows, grouped: dict, total: int) -> Series:
    return Series(tuple(rows), tuple(grouped.get(r, 0) for r in rows), total)


def _grouped(queryset, key: str, measure: str = "alliance") -> dict:
    return {
        row[key]: row["n"]
        for row in queryset.values(key).annotate(n=Count(measure, distinct=True)).order_by()
    }


def _distinct(queryset, measure: str = "alliance") -> int:
    return queryset.aggregate(n=Count(measure, distinct=True))["n"]


def alliance_counts(organisation_ids, start, end) -> Series:
    low, high = _bounds(start, end)
    counts = Alliance.objects.filter(organisation_id__in=organisation_ids, created_at__lt=high)
    row = counts.aggregate(
        before=Count("pk", filter=Q(created_at__lt=low)),
        during=Count("pk", filter=Q(created_at__gte=low)),
    )
    return Series(
        ("before", "during"), (row["before"], row["during"]), row["before"] + row["during"]
    )


def need_counts(organisation_ids, start, end) -> Series:
    """Alliances by the domain of their adopted common interests and goals (current
    charter), with a row for interests nobody has coded yet."""
    _low, high = _bounds(start, end)
    interests = CharterInterest.objects.filter(
        charter__alliance__organisation_id__in=organisation_ids,
        charter__alliance__created_at__lt=high,
    ).exclude(charter__status=Charter.Status.SUPERSEDED)
    coded = interests.annotate(
        domain=domain_case(
            "statement__need_coding__serafin_code",
            custom_field="statement__need_coding__custom_domain",
        )
    )
    measure = "charter__alliance"
    grouped = _grouped(coded, "domain", measure)
    rows = (*report_domains(), CUSTOM, NOT_CODED)
    return _series(rows, grouped, _distinct(interests, measure))


def _margins(queryset, measure: str, named: dict) -> dict:
    """Several distinct counts of one set in one query: {name: Q filter or None}."""
    return queryset.aggregate(
        **{
            name: Count(measure, distinct=True, filter=condition)
            if condition is not None
            else Count(measure, distinct=True)
            for name, condition in named.items()
        }
    )


def _unmet_changes(organisation_ids, start, end):
    """The availability of each decided means as it stood at the end of the period
    (its latest change dated by then), kept when it was waiting, refused or not
    existing on the territory, with its report domain and waiting band."""
    _low, high = _bounds(start, end)
    in_scope = {
        "option__alliance__organisation_id__in": organisation_ids,
        "option__alliance__created_at__lt": high,
    }
    latest = (
        AvailabilityChange.objects.filter(since__lte=end, **in_scope)
        .annotate(
            rank=Window(
                RowNumber(),
                partition_by=[F("option_id")],
                order_by=[F("since").desc(), F("changed_at").desc(), F("pk").desc()],
            )
        )
        .filter(rank=1)
        .values("pk")
    )
    *bounded, (longest, _low_days, _none) = WAITING_BANDS
    bands = [
        When(since__gt=end - datetime.timedelta(days=high_days), then=Value(name))
        for name, _low_days, high_days in bounded
    ]
    return AvailabilityChange.objects.filter(
        pk__in=latest,
        status__in=UNMET,
        option__decision__decided_at__lt=high,
        **in_scope,
    ).annotate(
        domain=domain_case("option__need_code"),
        band=Case(*bands, default=Value(longest), output_field=CharField()),
    )


def unmet_counts(organisation_ids, start, end) -> tuple[Table, Series]:
    changes = _unmet_changes(organisation_ids, start, end)
    measure = "option__alliance"
    rows = (*report_domains(), NOT_CODED)
    columns = tuple(name for name, _low, _high in WAITING_BANDS)
    cells = {
        (r["domain"], r["band"]): r["n"]
        for r in changes.values("domain", "band")
        .annotate(n=Count(measure, distinct=True))
        .order_by()
    }
    margins = _margins(
        changes,
        measure,
        {
            **{f"row_{n}": Q(domain=r) for n, r in enumerate(rows)},
            **{f"column_{n}": Q(band=c) for n, c in enumerate(columns)},
            **{f"status_{n}": Q(status=s) for n, s in enumerate(UNMET)},
            "grand": None,
        },
    )
    table = Table(
        rows,
        columns,
        tuple(tuple(cells.get((r, c), 0) for c in columns) for r in rows),
        tuple(margins[f"row_{n}"] for n in range(len(rows))),
        tuple(margins[f"column_{n}"] for n in range(len(columns))),
        margins["grand"],
    )
    status = Series(
        UNMET, tuple(margins[f"status_{n}"] for n in range(len(UNMET))), margins["grand"]
    )
    return table, status


def divergence_counts(organisation_ids, start, end) -> Series:
    """Alliances where, on a means, a person or family member supports what a
    professional opposes, or the reverse (latest stances by the end of the period),
    by need domain of the means."""
    _low, high = _bounds(start, end)
    latest = (
        Stance.objects.filter(
            option__alliance__organisation_id__in=organisation_ids,
            option__alliance__created_at__lt=high,
            taken_at__lt=high,
        )
        .annotate(newest=Window(Max("taken_at"), partition_by=[F("option_id"), F("ally_id")]))
        .filter(taken_at=F("newest"))
        .values("pk")
    )
    family, institution = Q(ally__role__in=FAMILY_SIDE), Q(ally__role__in=INSTITUTION_SIDE)
    divergent = (
        Stance.objects.filter(pk__in=latest)
        .values("option_id")
        .annotate(
            family_for=Count("pk", filter=family & Q(value=StanceValue.SUPPORT)),
            family_against=Count("pk", filter=family & Q(value=StanceValue.OPPOSE)),
            pro_for=Count("pk", filter=institution & Q(value=StanceValue.SUPPORT)),
            pro_against=Count("pk", filter=institution & Q(value=StanceValue.OPPOSE)),
        )
        .filter(Q(family_for__gt=0, pro_against__gt=0) | Q(family_against__gt=0, pro_for__gt=0))
        .values("option_id")
    )
    options = MeansOption.objects.filter(pk__in=divergent).annotate(domain=domain_case("need_code"))
    rows = (*report_domains(), NOT_CODED)
    return _series(rows, _grouped(options, "domain"), _distinct(options))


def counts(organisation_ids, start, end) -> Counts:
    organisation_ids = list(organisation_ids)
    unmet, status = unmet_counts(organisation_ids, start, end)
    return Counts(
        alliances=alliance_counts(organisation_ids, start, end),
        needs=need_counts(organisation_ids, start, end),
        unmet=unmet,
        unmet_status=status,
        divergences=divergence_counts(organisation_ids, start, end),
    )


def quotes(organisation_ids, start, end) -> list[dict]:
    """Words whose authors ticked "my words may go up, without my name": the text
    and its need domain only, never who wrote it or in which alliance."""
    _low, high = _bounds(start, end)
    rows = (
        Statement.objects.filter(
            alliance__organisation_id__in=organisation_ids,
            may_quote=True,
            withdrawn_at__isnull=True,
            kind__in=QUOTED_KINDS,
            created_at__lt=high,
        )
        .annotate(
            domain=domain_case(
                "need_coding__serafin_code", custom_field="need_coding__custom_domain"
            )
        )
        .order_by("-created_at", "-pk")
        .values("text", "domain")[:QUOTES_LIMIT]
    )
    return [{"text": r["text"], "domain": r["domain"]} for r in rows]
