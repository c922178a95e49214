"""The raw counts of a report, computed in the database with grouped queries (six,
whatever the number of alliances): no row of an alliance is ever loaded into
Python. Every count is a number of *distinct* alliances, so margins are distinct
counts too (an alliance with needs in two domains counts once in the total).

These counts are never stored nor shown as they are: `computation.compute_report`
passes them through small-count suppression first."""

import datetime
from contextlib import contextmanager
from dataclasses import dataclass

from django.db import connection, transaction
from django.db.models import Avg, Case, CharField, Count, Q, Value, When
from django.utils import timezone
from django.utils.translation import gettext as _

from alliance.acting.models import (
    Availability,
    AvailabilityChange,
    MeansDecision,
    MeansOption,
    Review,
    ReviewPlan,
    Stance,
    StanceValue,
    WeatherRating,
)
from alliance.acting.reviews import counted_from_between
from alliance.alliances import masking
from alliance.alliances.models import Alliance, Ally, Charter, CharterInterest, Role, Statement

from .domains import CUSTOM, NOT_CODED, report_domains
from .models import NeedCoding

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
# How a review that fell due in the period went: held on or before its due date,
# held after it, or still not held (the due date is past).
REVIEW_KEPT = ("on_time", "late", "overdue")
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
    reviews: Series


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


def _domain_sql(column: str) -> str:
    """`domain_case` written as SQL (run with parameters, hence the doubled %). The
    domain codes come from the nomenclature shipped with the product, never from
    input: digits and dots."""
    whens = " ".join(
        f"WHEN {column} = '{d}' OR {column} LIKE '{d}.%%' THEN '{d}'" for d in report_domains()
    )
    return f"CASE {whens} ELSE '{NOT_CODED}' END"


def _quoted(values) -> str:
    """Our own vocabulary (roles, statuses) as SQL literals: never user input."""
    return ", ".join(f"'{v}'" for v in values)


def _rows(sql: str, params) -> list[tuple]:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def _scope_sql(organisation_ids) -> str:
    return ", ".join(["%s"] * len(organisation_ids)) or "NULL"


def _by_key(rows, kind: str) -> dict:
    return {key: n for what, key, n in rows if what == kind}


def _distinct(kind: str, unit: str, source: str, *columns: str, key: str = "") -> str:
    """One part of a UNION ALL of counts: `kind`, the key (`key`, else the first
    column, else NULL) and the number of distinct `unit` of `source` per `columns`.

    Written as a DISTINCT of (unit, columns) then COUNT(*), not COUNT(DISTINCT unit):
    PostgreSQL always sorts the rows of a COUNT(DISTINCT), while a DISTINCT may be
    hashed, several times faster on the millions of rows of a territory."""
    group = f" GROUP BY {', '.join(columns)}" if columns else ""
    shown = key or (columns[0] if columns else "NULL")
    distinct = ", ".join((unit, *columns))
    return f"""SELECT '{kind}', {shown}, COUNT(*)
        FROM (SELECT DISTINCT {distinct} FROM {source}) AS d{group}"""  # noqa: S608 (our codes and table names only)


def _flag_ctes(name: str, source: str, flags: dict) -> str:
    """Common table expressions `{name}_rows(row_code, n, f0, f1…)` and
    `{name}_all(n, f0, f1…)`: from `source` (columns `unit` and `row_code`, and what
    the flags read), the distinct units of each row (n) and of each of its cells, and
    the same over all rows. A flag, one per column of the table, is an SQL expression
    worth 1 when a row of `source` counts in its column, else 0; every row counts in
    one column at least, so the units of a row are its margin.

    One grouping by unit and row, then one by unit: the distinct counts of every cell
    and margin read the facts of a territory twice, where a COUNT(DISTINCT) of each
    read them once per cell and margin, sorting them each time."""
    per_row = ", ".join(f"MAX({expr}) AS f{i}" for i, expr in enumerate(flags.values()))
    per_unit = ", ".join(f"MAX(f{i}) AS f{i}" for i in range(len(flags)))
    sums = ", ".join(f"COALESCE(SUM(f{i}), 0) AS f{i}" for i in range(len(flags)))
    return f"""
        {name}_units AS (SELECT unit, row_code, {per_row} FROM {source} GROUP BY unit, row_code),
        {name}_rows AS (SELECT row_code, COUNT(*) AS n, {sums} FROM {name}_units GROUP BY row_code),
        {name}_all AS (
            SELECT COUNT(*) AS n, {sums}
            FROM (SELECT unit, {per_unit} FROM {name}_units GROUP BY unit) AS u
        )
    """  # noqa: S608 (our codes and table names only)


def _flag_select(name: str, flags: dict, prefix: str = "") -> str:
    """The counts of `_flag_ctes(name, …)` as rows (kind, key, n): kinds `cell`
    (key "row|column"), `row`, `column` and `grand`, each after `prefix`."""
    # Our codes and table names only, never input.
    parts = [f"SELECT '{prefix}row', row_code, n FROM {name}_rows"]  # noqa: S608
    parts += [f"SELECT '{prefix}grand', NULL, n FROM {name}_all"]  # noqa: S608
    for i, column in enumerate(flags):
        parts += [
            f"SELECT '{prefix}cell', row_code || '|{column}', f{i} FROM {name}_rows",  # noqa: S608
            f"SELECT '{prefix}column', '{column}', f{i} FROM {name}_all",  # noqa: S608
        ]
    return " UNION ALL ".join(parts)


# The three queries below are plain SQL, portable between SQLite and PostgreSQL: each
# computes a table's cells and its distinct margins over one common table expression
# (UNION ALL of grouped counts), and two of them count over the latest row of a
# history (a window function). The ORM can express neither without running the base
# query once per margin and joining rows back by id, several times slower on a
# territory (benchmarks/RESULTS.md). Every value is a parameter; the only literals
# are table names and our own codes.


def need_counts(organisation_ids, start, end) -> Series:
    """Alliances by the domain of their adopted common interests and goals (current
    charter), with a row for interests nobody has coded yet."""
    _low, high = _bounds(start, end)
    domain = (
        f"CASE WHEN n.custom_domain_id IS NOT NULL THEN '{CUSTOM}' "
        f"ELSE {_domain_sql('n.serafin_code')} END"
    )
    sql = f"""
        WITH coded AS (
            SELECT c.alliance_id, {domain} AS domain
            FROM {CharterInterest._meta.db_table} i
            JOIN {Charter._meta.db_table} c ON c.id = i.charter_id
            JOIN {Alliance._meta.db_table} al ON al.id = c.alliance_id
            LEFT JOIN {NeedCoding._meta.db_table} n ON n.statement_id = i.statement_id
            WHERE al.organisation_id IN ({_scope_sql(organisation_ids)})
              AND al.created_at < %s AND c.status <> '{Charter.Status.SUPERSEDED.value}'
        )
        {_distinct("cell", "alliance_id", "coded", "domain")}
        UNION ALL {_distinct("total", "alliance_id", "coded")}
    """  # noqa: S608 (see the note above)
    rows = _rows(sql, [*organisation_ids, high])
    total = next(iter(_by_key(rows, "total").values()), 0)
    return _series((*report_domains(), CUSTOM, NOT_CODED), _by_key(rows, "cell"), total)


def unmet_counts(organisation_ids, start, end) -> tuple[Table, Series]:
    """Means decided by the end of the period whose availability, as it stood then
    (its latest change dated by the end), was waiting, refused or not existing on
    the territory: alliances by domain and by time waited, and by reason."""
    _low, high = _bounds(start, end)
    *bounded, (longest, _low_days, _none) = WAITING_BANDS
    bands = " ".join(f"WHEN l.since > %s THEN '{name}'" for name, _l, _h in bounded)
    band_params = [end - datetime.timedelta(days=high_days) for _n, _l, high_days in bounded]
    columns = tuple(name for name, _low, _high in WAITING_BANDS)
    # The bands are the table's columns; the reasons, counted by alliance only, too.
    flags = {band: f"CASE WHEN band = '{band}' THEN 1 ELSE 0 END" for band in columns} | {
        status: f"CASE WHEN status = '{status}' THEN 1 ELSE 0 END" for status in UNMET
    }
    option = MeansOption._meta.db_table
    sql = f"""
        WITH latest AS (
            SELECT o.alliance_id, o.need_code, c.status, c.since,
                   ROW_NUMBER() OVER (PARTITION BY c.option_id
                                      ORDER BY c.since DESC, c.changed_at DESC, c.id DESC)
                       AS place
            FROM {AvailabilityChange._meta.db_table} c
            JOIN {option} o ON o.id = c.option_id
            JOIN {Alliance._meta.db_table} al ON al.id = o.alliance_id
            JOIN {MeansDecision._meta.db_table} d ON d.option_id = o.id
            WHERE al.organisation_id IN ({_scope_sql(organisation_ids)})
              AND al.created_at < %s AND c.since <= %s AND d.decided_at < %s
        ),
        unmet AS (
            SELECT l.alliance_id AS unit, l.status, {_domain_sql("l.need_code")} AS row_code,
                   CASE {bands} ELSE '{longest}' END AS band
            FROM latest l
            WHERE l.place = 1 AND l.status IN ({_quoted(UNMET)})
        ),
        {_flag_ctes("u", "unmet", flags)}
        {_flag_select("u", flags)}
    """  # noqa: S608 (see the note above)
    rows = _rows(sql, [*organisation_ids, high, end, high, *band_params])
    domains = (*report_domains(), NOT_CODED)
    cells, by_row = _by_key(rows, "cell"), _by_key(rows, "row")
    by_column = _by_key(rows, "column")
    by_status = {status: by_column[status] for status in UNMET}
    grand = next(iter(_by_key(rows, "grand").values()), 0)
    table = Table(
        domains,
        columns,
        tuple(tuple(cells.get(f"{r}|{c}", 0) for c in columns) for r in domains),
        tuple(by_row.get(r, 0) for r in domains),
        tuple(by_column.get(c, 0) for c in columns),
        grand,
    )
    return table, _series(UNMET, by_status, grand)


def divergence_counts(organisation_ids, start, end) -> Series:
    """Alliances where, on a means, a person or family member supports what a
    professional opposes, or the reverse (each ally's stance as it stood at the end of
    the period: taken before, superseded after or never),
    by need domain of the means."""
    _low, high = _bounds(start, end)
    family, institution = _quoted(FAMILY_SIDE), _quoted(INSTITUTION_SIDE)
    support, oppose = StanceValue.SUPPORT.value, StanceValue.OPPOSE.value

    # With only "support" and "oppose" counted, an option divergent in either
    # direction is one with stances from both sides and of both values (one side's
    # value then differs from the other's): two flags per stance, four plain
    # aggregates per option, rather than one test per pair of sides and values.
    institution_flag = f"CASE WHEN a.role IN ({institution}) THEN 1 ELSE 0 END"
    support_flag = f"CASE WHEN s.value = '{support}' THEN 1 ELSE 0 END"

    # The ally of a stance is of the option's alliance: the scope is joined through
    # the option, whose need comes with it. One flat join grouped once by option lets
    # the planner start from the scope, and run in parallel.
    option = MeansOption._meta.db_table
    sql = f"""
        WITH divergent AS (
            SELECT o.alliance_id, o.need_code
            FROM {Stance._meta.db_table} s
            JOIN {option} o ON o.id = s.option_id
            JOIN {Alliance._meta.db_table} al ON al.id = o.alliance_id
            JOIN {Ally._meta.db_table} a ON a.id = s.ally_id
            WHERE al.organisation_id IN ({_scope_sql(organisation_ids)}) AND al.created_at < %s
              AND s.value IN ('{support}', '{oppose}') AND a.role IN ({family}, {institution})
              AND s.taken_at < %s AND (s.superseded_at IS NULL OR s.superseded_at >= %s)
            GROUP BY s.option_id, o.alliance_id, o.need_code
            HAVING MIN({institution_flag}) < MAX({institution_flag})
               AND MIN({support_flag}) < MAX({support_flag})
        ),
        coded AS (
            SELECT alliance_id, {_domain_sql("need_code")} AS domain FROM divergent
        )
        {_distinct("cell", "alliance_id", "coded", "domain")}
        UNION ALL {_distinct("total", "alliance_id", "coded")}
    """  # noqa: S608 (see the note above)
    rows = _rows(sql, [*organisation_ids, high, high, high])
    total = next(iter(_by_key(rows, "total").values()), 0)
    return _series((*report_domains(), NOT_CODED), _by_key(rows, "cell"), total)


def review_counts(organisation_ids, start, end, today=None) -> Series:
    """Alliances whose review fell due in the period: held on time, late, or not yet.
    A review held keeps the date it was due (`Review.due_on`); a review not held yet is
    due on the allies' plan, or, before any plan or review, twelve months after the
    charter's first signature, found here by the range of signature days that the
    acting rule maps into the period (`counted_from_between`)."""
    today = today or timezone.localdate()
    overdue_end = min(end, today - datetime.timedelta(days=1))
    first, last = counted_from_between(start, overdue_end)
    signed_low, signed_high = _bounds(first, last)
    scope = _scope_sql(organisation_ids)
    alliance, review = Alliance._meta.db_table, Review._meta.db_table
    plan, charter = ReviewPlan._meta.db_table, Charter._meta.db_table
    sql = f"""
        WITH kept AS (
            SELECT r.alliance_id,
                   CASE WHEN r.held_on <= r.due_on THEN 'on_time' ELSE 'late' END AS kept
            FROM {review} r JOIN {alliance} al ON al.id = r.alliance_id
            WHERE al.organisation_id IN ({scope}) AND r.due_on >= %s AND r.due_on <= %s
            UNION ALL
            SELECT p.alliance_id, 'overdue'
            FROM {plan} p JOIN {alliance} al ON al.id = p.alliance_id
            WHERE al.organisation_id IN ({scope})
              AND p.next_review_on >= %s AND p.next_review_on <= %s
            UNION ALL
            SELECT c.alliance_id, 'overdue'
            FROM {charter} c JOIN {alliance} al ON al.id = c.alliance_id
            WHERE al.organisation_id IN ({scope}) AND c.signed_at IS NOT NULL
              AND NOT EXISTS (SELECT 1 FROM {plan} p WHERE p.alliance_id = c.alliance_id)
              AND NOT EXISTS (SELECT 1 FROM {review} r WHERE r.alliance_id = c.alliance_id)
            GROUP BY c.alliance_id
            HAVING MIN(c.signed_at) >= %s AND MIN(c.signed_at) < %s
        )
        {_distinct("cell", "alliance_id", "kept", "kept")}
        UNION ALL {_distinct("total", "alliance_id", "kept")}
    """  # noqa: S608 (see the note above)
    params = [
        *organisation_ids,
        start,
        end,
        *organisation_ids,
        start,
        overdue_end,
        *organisation_ids,
        signed_low,
        signed_high,
    ]
    rows = _rows(sql, params)
    total = next(iter(_by_key(rows, "total").values()), 0)
    return _series(REVIEW_KEPT, _by_key(rows, "cell"), total)


@contextmanager
def _reporting_session():
    """One transaction for all the counts, so that they describe the same moment.
    On PostgreSQL, for these few large aggregations only: sorts of distinct counts
    stay in memory (work_mem), and no JIT compilation, which costs more than it saves
    on queries that run once."""
    with transaction.atomic():
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SET LOCAL work_mem = '256MB'")
                cursor.execute("SET LOCAL jit = off")
        yield


def counts(organisation_ids, start, end, *, needs: Series | None = None) -> Counts:
    """`needs`: the needs series when the caller has it already (the planning counts
    read it with the finer needs and their trend, from the same rows)."""
    organisation_ids = list(organisation_ids)
    with _reporting_session():
        unmet, status = unmet_counts(organisation_ids, start, end)
        return Counts(
            alliances=alliance_counts(organisation_ids, start, end),
            needs=needs or need_counts(organisation_ids, start, end),
            unmet=unmet,
            unmet_status=status,
            divergences=divergence_counts(organisation_ids, start, end),
            reviews=review_counts(organisation_ids, start, end),
        )


def quotes(organisation_ids, start, end) -> list[dict]:
    """Words whose authors ticked "my words may go up, without my name" and confirmed
    them with first names masked: the text and its need domain only, never who wrote
    it or in which alliance. Masked once more with the names of today's allies, so
    that a name that joined since the author confirmed does not go up either."""
    _low, high = _bounds(start, end)
    rows = list(
        Statement.objects.filter(
            alliance__organisation_id__in=organisation_ids,
            may_quote=True,
            withdrawn_at__isnull=True,
            kind__in=QUOTED_KINDS,
            created_at__lt=high,
        )
        .exclude(quote_text="")
        .annotate(
            domain=domain_case(
                "need_coding__serafin_code", custom_field="need_coding__custom_domain"
            )
        )
        .order_by("-created_at", "-pk")
        .values("quote_text", "domain", "alliance_id")[:QUOTES_LIMIT]
    )
    names = {}
    for alliance_id, name in Ally.objects.filter(
        alliance_id__in={r["alliance_id"] for r in rows}
    ).values_list("alliance_id", "user__display_name"):
        names.setdefault(alliance_id, []).append(name)
    placeholder = _("[first name]")
    return [
        {
            "text": masking.mask(
                r["quote_text"],
                allies=masking.names_of(names.get(r["alliance_id"], ())),
                placeholder=placeholder,
            ),
            "domain": r["domain"],
        }
        for r in rows
    ]


WEATHER_ITEMS = ("aim", "way", "heard", "decide")


@dataclass(frozen=True)
class Weather:
    """Average ratings of the alliance weather (0–10) in the period, in the period of
    the same length just before it, and in each sub-period of the report's trends,
    with the number of distinct alliances rated in each."""

    items: tuple[str, ...]
    current: tuple[float | None, ...]
    previous: tuple[float | None, ...]
    alliances_current: int
    alliances_previous: int
    # One (averages, alliances rated) for each sub-period, in order.
    by_period: tuple[tuple[tuple[float | None, ...], int], ...] = ()


def weather(organisation_ids, start, end, periods=()) -> Weather:
    """One grouped query: averages of every rating given, each span filtered.
    `periods`: the report's sub-periods (`periods.split`), each with start and end."""
    low, high = _bounds(start, end)
    before = low - (high - low)
    ratings = WeatherRating.objects.filter(
        alliance__organisation_id__in=list(organisation_ids),
        created_at__gte=before,
        created_at__lt=high,
    )
    spans = {"now": Q(created_at__gte=low), "then": Q(created_at__lt=low)}
    for n, period in enumerate(periods):
        first, last = _bounds(period.start, period.end)
        spans[f"p{n}"] = Q(created_at__gte=first, created_at__lt=last)
    row = ratings.aggregate(
        **{
            f"{span}_{item}": Avg(item, filter=where)
            for span, where in spans.items()
            for item in WEATHER_ITEMS
        },
        **{
            f"{span}_alliances": Count("alliance", distinct=True, filter=where)
            for span, where in spans.items()
        },
    )

    def averages(span):
        return tuple(
            None if row[f"{span}_{item}"] is None else round(float(row[f"{span}_{item}"]), 1)
            for item in WEATHER_ITEMS
        )

    return Weather(
        WEATHER_ITEMS,
        averages("now"),
        averages("then"),
        row["now_alliances"],
        row["then_alliances"],
        tuple((averages(f"p{n}"), row[f"p{n}_alliances"]) for n in range(len(periods))),
    )
