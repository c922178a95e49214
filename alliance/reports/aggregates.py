"""The raw counts of a report, computed in the database with grouped queries: the
number of queries does not depend on the number of alliances, and no row of an
alliance is ever loaded into Python. Every count is a number of *distinct*
alliances, so margins are distinct counts too (an alliance with needs in two
domains counts once in the total).

These counts are never stored nor shown as they are: `services.compute_report`
passes them through small-count suppression first."""

import datetime
from dataclasses import dataclass

from django.db.models import (
    Case,
    CharField,
    Count,
    Exists,
    OuterRef,
    Q,
    Subquery,
    Value,
    When,
)
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


def _unmet_options(organisation_ids, start, end):
    """Means decided by the end of the period whose availability, as it stood at the
    end of the period, was waiting, refused or not existing on the territory."""
    _low, high = _bounds(start, end)
    latest = AvailabilityChange.objects.filter(option=OuterRef("pk"), since__lte=end).order_by(
        "-since", "-changed_at", "-pk"
    )
    options = MeansOption.objects.filter(
        alliance__organisation_id__in=organisation_ids,
        alliance__created_at__lt=high,
        decision__decided_at__lt=high,
    ).annotate(
        status_at_end=Subquery(latest.values("status")[:1]),
        since_at_end=Subquery(latest.values("since")[:1]),
    )
    *bounded, (longest, _low_days, _none) = WAITING_BANDS
    bands = [
        When(since_at_end__gt=end - datetime.timedelta(days=high_days), then=Value(name))
        for name, _low_days, high_days in bounded
    ]
    return options.filter(status_at_end__in=UNMET).annotate(
        domain=domain_case("need_code"),
        band=Case(*bands, default=Value(longest), output_field=CharField()),
    )


def unmet_counts(organisation_ids, start, end) -> tuple[Table, Series]:
    options = _unmet_options(organisation_ids, start, end)
    rows = (*report_domains(), NOT_CODED)
    columns = tuple(name for name, _low, _high in WAITING_BANDS)
    cells = {
        (r["domain"], r["band"]): r["n"]
        for r in options.values("domain", "band")
        .annotate(n=Count("alliance", distinct=True))
        .order_by()
    }
    by_domain = _grouped(options, "domain")
    by_band = _grouped(options, "band")
    grand = _distinct(options)
    table = Table(
        rows,
        columns,
        tuple(tuple(cells.get((r, c), 0) for c in columns) for r in rows),
        tuple(by_domain.get(r, 0) for r in rows),
        tuple(by_band.get(c, 0) for c in columns),
        grand,
    )
    status = _series(tuple(UNMET), _grouped(options, "status_at_end"), grand)
    return table, status


def _latest_stance(side, value, high):
    """An ally of `side` whose latest stance on the option, by the end of the period,
    is `value`."""
    newer = Stance.objects.filter(
        option=OuterRef("option"),
        ally=OuterRef("ally"),
        taken_at__lt=high,
        taken_at__gt=OuterRef("taken_at"),
    )
    return Exists(
        Stance.objects.filter(
            option=OuterRef("pk"), ally__role__in=side, value=value, taken_at__lt=high
        ).exclude(Exists(newer))
    )


def divergence_counts(organisation_ids, start, end) -> Series:
    """Alliances where, on a means, a person or family member supports what a
    professional opposes, or the reverse, by need domain of the means."""
    _low, high = _bounds(start, end)
    family_for = _latest_stance(FAMILY_SIDE, StanceValue.SUPPORT, high)
    family_against = _latest_stance(FAMILY_SIDE, StanceValue.OPPOSE, high)
    pro_for = _latest_stance(INSTITUTION_SIDE, StanceValue.SUPPORT, high)
    pro_against = _latest_stance(INSTITUTION_SIDE, StanceValue.OPPOSE, high)
    options = MeansOption.objects.filter(
        alliance__organisation_id__in=organisation_ids, alliance__created_at__lt=high
    ).filter((family_for & pro_against) | (family_against & pro_for))
    options = options.annotate(domain=domain_case("need_code"))
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
