"""The planning counts of a report (issue 14): persons and their age, the alliances'
MDPH orientation and type of service, SERAFIN-PH needs one level below the report
domains, the direct services (prestations) asked for, decided, waiting, refused or
missing, and the geography of the organisations; then the same over the sub-periods
of the report (`periods.split`) for the trends.

Like `aggregates`, grouped queries only (a fixed number whatever the size of the
territory), every one scoped by organisation ids, and no row of an alliance loaded
into Python. Every count is of *distinct* alliances or distinct persons, so margins
are distinct counts too. Nothing here is shown as it is: `computation` suppresses
every cell first."""

import datetime
from dataclasses import dataclass

from alliance.accounts.models import Organisation, User
from alliance.acting.models import Availability, AvailabilityChange, MeansDecision, MeansOption
from alliance.alliances.models import Alliance, Ally, Charter, CharterInterest, Role
from alliance.alliances.needs import serafin_needs
from alliance.alliances.planning import SERVICE_TYPE_CODES, SERVICE_TYPES, serafin_prestations

from .aggregates import (
    UNMET,
    WAITING_BANDS,
    Series,
    Table,
    _bounds,
    _by_key,
    _domain_sql,
    _flag_ctes,
    _flag_select,
    _quoted,
    _rows,
    _scope_sql,
)
from .domains import CUSTOM, NOT_CODED, report_domains
from .models import NeedCoding
from .periods import Period

UNKNOWN = "unknown"
# Persons who joined their alliance; an invitation never accepted counts nobody.
JOINED = (Ally.Status.ACTIVE, Ally.Status.LEFT, Ally.Status.REMOVED)
# (band, youngest age in it), oldest first; age at the period's end, in whole years.
AGE_BANDS = (
    ("60+", 60),
    ("45-59", 45),
    ("25-44", 25),
    ("20-24", 20),
    ("16-19", 16),
    ("12-15", 12),
    ("6-11", 6),
    ("0-5", 0),
)
AGE_ROWS = (*(band for band, _age in reversed(AGE_BANDS)), UNKNOWN)
SERVICE_ROWS = (*(code for code, _label in SERVICE_TYPES), NOT_CODED)
PRESTATION_COLUMNS = ("asked", "decided", "waiting", "refused", "missing")
WAITING_COLUMNS = tuple(name for name, _low, _high in WAITING_BANDS)
# The availability a column shows, as it stood at the period's end.
_STATUS_COLUMN = {
    Availability.WAITING.value: "waiting",
    Availability.REFUSED.value: "refused",
    Availability.NOT_EXISTING.value: "missing",
}


def detail_needs() -> tuple[str, ...]:
    """SERAFIN-PH needs one level below the report domains, in nomenclature order."""
    domains = set(report_domains())
    return tuple(code for code, _label, parent in serafin_needs() if parent in domains)


def prestation_rows() -> tuple[str, ...]:
    """The prestations a report counts: the third level (2.x.y), then "none"."""
    level3 = (code for code, _label, _parent in serafin_prestations() if code.count(".") == 2)
    return (*level3, NOT_CODED)


@dataclass(frozen=True)
class PlanningCounts:
    persons: Series
    age_bands: Series
    orientation: Series
    service_type: Series
    needs: Series  # as `aggregates.need_counts` counts them, read with the finer needs
    needs_detail: Series
    prestations: Table
    prestation_waiting: Table
    communes: Series
    epcis: Series
    departements: Series
    trends: dict  # key -> Table (rows = categories, columns = period keys)
    labels: dict  # {"communes": {code: name}, "epcis": ..., "departements": ...}


# ------------------------------------------------------------------ SQL helpers


def _code_case(column: str, codes, default: str) -> str:
    """The code of `codes` that `column` is or lies below, as SQL. The codes come
    from the nomenclatures shipped with the product: digits and dots."""
    whens = " ".join(f"WHEN {column} = '{c}' OR {column} LIKE '{c}.%%' THEN '{c}'" for c in codes)
    return f"CASE {whens} ELSE '{default}' END"


def _column_flags(columns) -> dict:
    """Flags (`aggregates._flag_ctes`) of a source whose column `col` names the
    column each row counts in. The names are our own codes and period keys."""
    return {c: f"CASE WHEN col = '{c}' THEN 1 ELSE 0 END" for c in columns}


def _table(result, rows, columns, prefix: str = "") -> Table:
    cells, by_row = _by_key(result, f"{prefix}cell"), _by_key(result, f"{prefix}row")
    by_column = _by_key(result, f"{prefix}column")
    grand = next(iter(_by_key(result, f"{prefix}grand").values()), 0) or 0
    return Table(
        tuple(rows),
        tuple(columns),
        tuple(tuple(cells.get(f"{r}|{c}", 0) for c in columns) for r in rows),
        tuple(by_row.get(r, 0) for r in rows),
        tuple(by_column.get(c, 0) for c in columns),
        grand,
    )


def _sum(column: str) -> str:
    """SUM of counts as an integer: PostgreSQL sums bigints as numeric."""
    return f"CAST(SUM({column}) AS BIGINT)"


def _series(result, kind: str, rows, total: int) -> Series:
    grouped = _by_key(result, kind)
    return Series(tuple(rows), tuple(grouped.get(r, 0) for r in rows), total)


def _total(result, kind: str) -> int:
    return next(iter(_by_key(result, kind).values()), 0) or 0


def _periods_sql(periods) -> tuple[str, list]:
    """The sub-periods as a derived table (key, low, high, end_day)."""
    parts, params = [], []
    for period in periods:
        low, high = _bounds(period.start, period.end)
        parts.append("SELECT %s AS key, %s AS low, %s AS high, %s AS end_day")
        params += [period.key, low, high, period.end]
    return " UNION ALL ".join(parts), params


def _years_before(day: datetime.date, years: int) -> datetime.date:
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February in a year that has none
        return day.replace(year=day.year - years, day=28)


def _persons_cte(organisation_ids) -> str:
    """Each person once, with the creation of their first alliance in scope."""
    return f"""
        SELECT a.user_id AS unit, MIN(al.created_at) AS first_at, u.born_on AS born_on
        FROM {Ally._meta.db_table} a
        JOIN {Alliance._meta.db_table} al ON al.id = a.alliance_id
        JOIN {User._meta.db_table} u ON u.id = a.user_id
        WHERE al.organisation_id IN ({_scope_sql(organisation_ids)}) AND al.created_at < %s
          AND a.role = '{Role.PERSON.value}' AND a.status IN ({_quoted(JOINED)})
        GROUP BY a.user_id, u.born_on
    """  # noqa: S608 (our codes and table names only; values are parameters)


def _coded_cte(organisation_ids, cases: dict) -> str:
    """Adopted interests and goals of the current charter with, for each name of
    `cases`, its case of their code."""
    columns = ", ".join(
        f"CASE WHEN n.custom_domain_id IS NOT NULL THEN '{CUSTOM}' ELSE {case} END AS {name}"
        for name, case in cases.items()
    )
    return f"""
        SELECT c.alliance_id AS unit, al.created_at AS created_at, {columns}
        FROM {CharterInterest._meta.db_table} i
        JOIN {Charter._meta.db_table} c ON c.id = i.charter_id
        JOIN {Alliance._meta.db_table} al ON al.id = c.alliance_id
        LEFT JOIN {NeedCoding._meta.db_table} n ON n.statement_id = i.statement_id
        WHERE al.organisation_id IN ({_scope_sql(organisation_ids)})
          AND al.created_at < %s AND c.status <> '{Charter.Status.SUPERSEDED.value}'
    """  # noqa: S608 (our codes and table names only; values are parameters)


def _spans_cte(options: str) -> str:
    """The availability changes of the options of the CTE `options` (column `id`)
    dated by a day (parameter), each with the day the next one took over (`until`,
    NULL for the latest): the availability that stood on a day D is then the change
    with `since` <= D < `until`, a plain range test. One pass over the history, where
    ranking it (ROW_NUMBER) had to be done again for every day asked. A change dated
    after the last day asked changes no `until` that matters (it is past D anyway)."""
    return f"""
        SELECT c.option_id, c.status, c.since,
               LEAD(c.since) OVER (PARTITION BY c.option_id
                                   ORDER BY c.since, c.changed_at, c.id) AS until
        FROM {AvailabilityChange._meta.db_table} c JOIN {options} ON {options}.id = c.option_id
        WHERE c.since <= %s
    """  # noqa: S608 (our codes and table names only; values are parameters)


def _stood_on(spans: str, day: str) -> str:
    """The change of `spans` that stood on `day` (an SQL expression)."""
    return f"({spans}.until IS NULL OR {spans}.until > {day})"


# ------------------------------------------------------------------ whole period


def person_counts(organisation_ids, periods) -> tuple[Series, Series, Table]:
    """Distinct persons (allies with the role of the person concerned) of the
    alliances: before the period or joined during it, by age at its end, and each
    sub-period's `persons` series. One grouping of the persons, by the sub-period of
    their first alliance and their age band, gives the three."""
    end = periods[-1].end
    _low, high = _bounds(periods[0].start, end)
    bucket, bucket_params = _bucket_sql("first_at", periods, before=True)
    ages = " ".join(f"WHEN born_on <= %s THEN '{band}'" for band, youngest in AGE_BANDS if youngest)
    age_params = [_years_before(end, youngest) for _band, youngest in AGE_BANDS if youngest]
    sql = f"""
        WITH persons AS ({_persons_cte(organisation_ids)})
        SELECT {bucket} AS bucket,
               CASE WHEN born_on IS NULL THEN '{UNKNOWN}' {ages} ELSE '0-5' END AS band,
               COUNT(*)
        FROM persons GROUP BY 1, 2
    """  # noqa: S608 (our codes and table names only; values are parameters)
    buckets, bands = {}, {}
    for bucket_of, band, n in _rows(sql, [*organisation_ids, high, *bucket_params, *age_params]):
        buckets[bucket_of] = buckets.get(bucket_of, 0) + n
        bands[band] = bands.get(band, 0) + n
    total, before = sum(buckets.values()), buckets.get(-1, 0)
    return (
        Series(("before", "during"), (before, total - before), total),
        Series(AGE_ROWS, tuple(bands.get(r, 0) for r in AGE_ROWS), total),
        _joined_table(buckets, periods),
    )


def _geography_rows(organisations) -> dict:
    rows = {"communes": set(), "epcis": set(), "departements": set()}
    for org in organisations:
        for key, field in (
            ("communes", "commune_code"),
            ("epcis", "epci_code"),
            ("departements", "departement_code"),
        ):
            if org[field]:
                rows[key].add(org[field])
    return {key: (*sorted(codes), UNKNOWN) for key, codes in rows.items()}


def geography_labels(organisations) -> dict:
    """Names of the codes, as the organisations record them. A département's name is
    its organisations' territory ("69 Rhône") when that starts with the code."""
    labels = {"communes": {}, "epcis": {}, "departements": {}}
    for org in organisations:
        if org["commune_code"]:
            labels["communes"][org["commune_code"]] = org["commune_name"] or org["commune_code"]
        if org["epci_code"]:
            labels["epcis"][org["epci_code"]] = org["epci_name"] or org["epci_code"]
        code = org["departement_code"]
        if code:
            territory = org["territory"]
            name = territory[len(code) :].strip(" -") if territory.startswith(code + " ") else ""
            labels["departements"].setdefault(code, name or code)
    return labels


def alliance_attribute_counts(organisation_ids, start, end, organisations) -> dict:
    """Alliances by MDPH orientation, type of service, and their organisation's
    commune, EPCI and département (one query)."""
    _low, high = _bounds(start, end)
    codes = _quoted(sorted(SERVICE_TYPE_CODES))

    def service(column):
        return f"CASE WHEN {column} IN ({codes}) THEN {column} ELSE '{NOT_CODED}' END"

    def place(column):
        return f"CASE WHEN {column} = '' THEN '{UNKNOWN}' ELSE {column} END"

    # Grouped by organisation and raw codes first: a few thousand rows, not one per
    # alliance, are then coded and placed.
    sql = f"""
        WITH grouped AS (
            SELECT al.organisation_id, al.mdph_orientation, al.service_type, COUNT(*) AS n
            FROM {Alliance._meta.db_table} al
            WHERE al.organisation_id IN ({_scope_sql(organisation_ids)}) AND al.created_at < %s
            GROUP BY al.organisation_id, al.mdph_orientation, al.service_type
        ),
        coded AS (
            SELECT {service("g.mdph_orientation")} AS orientation,
                   {service("g.service_type")} AS service_type,
                   {place("o.commune_code")} AS commune, {place("o.epci_code")} AS epci,
                   {place("o.departement_code")} AS departement, g.n
            FROM grouped g JOIN {Organisation._meta.db_table} o ON o.id = g.organisation_id
        )
        SELECT 'orientation', orientation, {_sum("n")} FROM coded GROUP BY orientation
        UNION ALL SELECT 'service_type', service_type, {_sum("n")} FROM coded
            GROUP BY service_type
        UNION ALL SELECT 'communes', commune, {_sum("n")} FROM coded GROUP BY commune
        UNION ALL SELECT 'epcis', epci, {_sum("n")} FROM coded GROUP BY epci
        UNION ALL SELECT 'departements', departement, {_sum("n")} FROM coded GROUP BY departement
        UNION ALL SELECT 'total', NULL, {_sum("n")} FROM coded
    """  # noqa: S608 (our codes and table names only; values are parameters)
    result = _rows(sql, [*organisation_ids, high])
    total = _total(result, "total")
    places = _geography_rows(organisations)
    return {
        "orientation": _series(result, "orientation", SERVICE_ROWS, total),
        "service_type": _series(result, "service_type", SERVICE_ROWS, total),
        **{key: _series(result, key, rows, total) for key, rows in places.items()},
    }


def prestation_counts(organisation_ids, periods) -> tuple[Table, Table, Table]:
    """Alliances by prestation of their means: asked for (proposed by the period's
    end), decided (by its end), and, as it stood at its end (the latest availability
    change dated by then), waiting, refused or missing on the territory; the time
    waited by the means still waiting; and the `prestations_unmet` trend, the means
    decided and waiting, refused or missing at the end of each sub-period. One
    reading of the means, their decisions and their availability for the three."""
    end = periods[-1].end
    _low, high = _bounds(periods[0].start, end)
    *bounded, (longest, _low_days, _none) = WAITING_BANDS
    bands = " ".join(f"WHEN l.since > %s THEN '{name}'" for name, _l, _h in bounded)
    band_params = [end - datetime.timedelta(days=high_days) for _n, _l, high_days in bounded]
    row = _code_case("o.prestation_code", prestation_rows()[:-1], NOT_CODED)
    # One row per means asked for: every one counts in "asked".
    flags = {"asked": "1", "decided": "decided"} | {
        column: f"CASE WHEN status = '{status}' THEN 1 ELSE 0 END"
        for status, column in _STATUS_COLUMN.items()
    }
    waiting = _column_flags(WAITING_COLUMNS)
    trend = _column_flags([p.key for p in periods])
    periods_sql, period_params = _periods_sql(periods)
    # The trend counts the means whatever the day they were proposed; the tables,
    # those proposed by the end.
    sql = f"""
        WITH periods AS ({periods_sql}),
        opts AS (
            SELECT o.id, o.alliance_id AS unit, {row} AS row_code, o.created_at,
                   al.created_at AS alliance_at, d.decided_at
            FROM {MeansOption._meta.db_table} o
            JOIN {Alliance._meta.db_table} al ON al.id = o.alliance_id
            LEFT JOIN {MeansDecision._meta.db_table} d
                ON d.option_id = o.id AND d.decided_at < %s
            WHERE al.organisation_id IN ({_scope_sql(organisation_ids)}) AND al.created_at < %s
        ),
        decided AS (SELECT id FROM opts WHERE decided_at IS NOT NULL),
        spans AS ({_spans_cte("decided")}),
        latest AS (SELECT option_id, status, since FROM spans WHERE {_stood_on("spans", "%s")}),
        facts AS (
            SELECT opts.unit, opts.row_code, l.status,
                   CASE WHEN opts.decided_at IS NULL THEN 0 ELSE 1 END AS decided
            FROM opts LEFT JOIN latest l ON l.option_id = opts.id
            WHERE opts.created_at < %s
        ),
        waits AS (
            SELECT opts.unit, opts.row_code, CASE {bands} ELSE '{longest}' END AS col
            FROM latest l JOIN opts ON opts.id = l.option_id
            WHERE l.status = '{Availability.WAITING.value}' AND opts.created_at < %s
        ),
        unmet AS (
            SELECT o.unit, p.key AS col, o.row_code
            FROM spans s JOIN opts o ON o.id = s.option_id
            JOIN periods p ON s.since <= p.end_day AND {_stood_on("s", "p.end_day")}
            WHERE s.status IN ({_quoted(UNMET)})
              AND o.alliance_at < p.high AND o.decided_at < p.high
        ),
        {_flag_ctes("p", "facts", flags)},
        {_flag_ctes("w", "waits", waiting)},
        {_flag_ctes("t", "unmet", trend)}
        {_flag_select("p", flags)}
        UNION ALL {_flag_select("w", waiting, prefix="w")}
        UNION ALL {_flag_select("t", trend, prefix="t")}
    """  # noqa: S608 (our codes and table names only; values are parameters)
    params = [*period_params, high, *organisation_ids, high, end, end, high, *band_params, high]
    result = _rows(sql, params)
    rows = prestation_rows()
    return (
        _table(result, rows, PRESTATION_COLUMNS),
        _table(result, rows, WAITING_COLUMNS, prefix="w"),
        _table(result, rows, [p.key for p in periods], prefix="t"),
    )


# ------------------------------------------------------------------ trends


# The alliance, person and need trends are monotonic: what exists by the end of a
# sub-period exists by the end of every later one. So each unit (and category) is
# placed ONCE in the sub-period where it first appears, and the per-period counts are
# running sums of those few buckets, computed here. Crossing every unit with every
# period and counting distinct units per cell and margin took minutes on a territory
# of a million alliances (benchmarks/RESULTS.md, planning_report).


def _bucket_sql(column: str, periods, *, before: bool) -> tuple[str, list]:
    """The index of the sub-period `column` falls in, as SQL (-1: before the first
    one, when `before`); NULL after the last one."""
    whens, params = [], []
    if before:
        whens.append("WHEN {column} < %s THEN -1")
        params.append(_bounds(periods[0].start, periods[0].end)[0])
    for index, period in enumerate(periods):
        whens.append(f"WHEN {{column}} < %s THEN {index}")
        params.append(_bounds(period.start, period.end)[1])
    return "CASE " + " ".join(w.format(column=column) for w in whens) + " END", params


def _running(counts: dict, size: int) -> list[int]:
    """Running sums over the buckets 0..size-1 of `counts` (bucket -> n)."""
    total, sums = counts.get(-1, 0), []
    for index in range(size):
        total += counts.get(index, 0)
        sums.append(total)
    return sums


def _joined_trend(sql_units: str, column: str, params, periods) -> Table:
    """`before` / `during` of each sub-period, from a CTE `units(unit, {column})`
    with one row per unit."""
    bucket, bucket_params = _bucket_sql(column, periods, before=True)
    sql = f"""WITH {sql_units}
        SELECT {bucket} AS bucket, COUNT(*) FROM units GROUP BY 1
    """  # noqa: S608 (our codes and table names only; values are parameters)
    counts = {b: n for b, n in _rows(sql, [*params, *bucket_params]) if b is not None}
    return _joined_table(counts, periods)


def _joined_table(counts: dict, periods) -> Table:
    """`before` / `during` of each sub-period from the number of units that first
    appear in each (bucket -1: before the first)."""
    size = len(periods)
    during = [counts.get(index, 0) for index in range(size)]
    existing = _running(counts, size)  # created by the end of each sub-period
    before = [existing[index] - during[index] for index in range(size)]
    return Table(
        ("before", "during"),
        tuple(p.key for p in periods),
        (tuple(before), tuple(during)),
        (before[-1], sum(during)),
        tuple(existing),
        existing[-1],
    )


def alliance_trend(organisation_ids, periods) -> Table:
    """Each sub-period's `alliances` series: created before it, or during it."""
    units = f"""units AS (
        SELECT al.id AS unit, al.created_at AS created_at FROM {Alliance._meta.db_table} al
        WHERE al.organisation_id IN ({_scope_sql(organisation_ids)})
    )"""  # noqa: S608 (our codes and table names only; values are parameters)
    return _joined_trend(units, "created_at", list(organisation_ids), periods)


def need_counts(organisation_ids, periods) -> tuple[Series, Series, Table]:
    """The needs of the whole period by report domain (`aggregates.need_counts`) and
    one level finer (a code of a report domain itself, no finer need chosen, counts in
    "none" with the interests not coded), and each sub-period's `needs` series (the
    alliances that existed by its end): one reading of the coded interests for the
    three, the largest join of a report."""
    _low, high = _bounds(periods[0].start, periods[-1].end)
    bucket, bucket_params = _bucket_sql("created_at", periods, before=False)
    cases = {
        "domain": _domain_sql("n.serafin_code"),
        "detail": _code_case("n.serafin_code", detail_needs(), NOT_CODED),
    }
    # One row per alliance and domain; an alliance's creation fixes its bucket.
    sql = f"""WITH coded AS ({_coded_cte(organisation_ids, cases)}),
        placed AS (SELECT DISTINCT unit, domain, {bucket} AS bucket FROM coded)
        SELECT 'cell', domain, bucket, COUNT(*) FROM placed GROUP BY domain, bucket
        UNION ALL SELECT 'unit', NULL, bucket, COUNT(*)
            FROM (SELECT DISTINCT unit, bucket FROM placed) AS d GROUP BY bucket
        UNION ALL SELECT 'detail', detail, NULL, COUNT(*)
            FROM (SELECT DISTINCT unit, detail FROM coded) AS d GROUP BY detail
    """  # noqa: S608 (our codes and table names only; values are parameters)
    result = _rows(sql, [*organisation_ids, high, *bucket_params])
    rows, size = (*report_domains(), CUSTOM, NOT_CODED), len(periods)
    cells = {
        row: _running({b: n for kind, r, b, n in result if kind == "cell" and r == row}, size)
        for row in rows
    }
    units = _running({b: n for kind, _r, b, n in result if kind == "unit"}, size)
    detail = {r: n for kind, r, _b, n in result if kind == "detail"}
    trend = Table(
        rows,
        tuple(p.key for p in periods),
        tuple(tuple(cells[row]) for row in rows),
        tuple(cells[row][-1] for row in rows),
        tuple(units),
        units[-1],
    )
    detail_rows = (*detail_needs(), CUSTOM, NOT_CODED)
    return (
        Series(rows, tuple(cells[row][-1] for row in rows), units[-1]),
        Series(detail_rows, tuple(detail.get(r, 0) for r in detail_rows), units[-1]),
        trend,
    )


TREND_KEYS = ("alliances", "persons", "needs", "prestations_unmet")


def planning_counts(organisation_ids, start, end, periods: list[Period]) -> PlanningCounts:
    """Every planning count of a report; run inside `aggregates._reporting_session`
    with the other counts so that all describe the same moment."""
    organisation_ids = list(organisation_ids)
    organisations = list(
        Organisation.objects.filter(pk__in=organisation_ids).values(
            "commune_code",
            "commune_name",
            "epci_code",
            "epci_name",
            "departement_code",
            "territory",
        )
    )
    persons, ages, person_trend = person_counts(organisation_ids, periods)
    attributes = alliance_attribute_counts(organisation_ids, start, end, organisations)
    prestations, waiting, unmet_trend = prestation_counts(organisation_ids, periods)
    needs, needs_detail, need_trend = need_counts(organisation_ids, periods)
    return PlanningCounts(
        persons=persons,
        age_bands=ages,
        needs=needs,
        needs_detail=needs_detail,
        prestations=prestations,
        prestation_waiting=waiting,
        trends={
            "alliances": alliance_trend(organisation_ids, periods),
            "persons": person_trend,
            "needs": need_trend,
            "prestations_unmet": unmet_trend,
        },
        labels=geography_labels(organisations),
        **attributes,
    )
