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


def _grouped_table(facts: str, prefix: str = "") -> str:
    """Cells, distinct margins and grand total of a CTE `facts(unit, row_code, col)`."""
    return f"""
        SELECT '{prefix}cell', row_code || '|' || col, COUNT(DISTINCT unit) FROM {facts}
            GROUP BY row_code, col
        UNION ALL SELECT '{prefix}row', row_code, COUNT(DISTINCT unit) FROM {facts}
            GROUP BY row_code
        UNION ALL SELECT '{prefix}column', col, COUNT(DISTINCT unit) FROM {facts} GROUP BY col
        UNION ALL SELECT '{prefix}grand', NULL, COUNT(DISTINCT unit) FROM {facts}
    """  # noqa: S608 (our codes and table names only; values are parameters)


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


def _coded_cte(organisation_ids, case: str) -> str:
    """Adopted interests and goals of the current charter with `case` of their code."""
    return f"""
        SELECT c.alliance_id AS unit, al.created_at AS created_at,
               CASE WHEN n.custom_domain_id IS NOT NULL THEN '{CUSTOM}' ELSE {case} END
                   AS row_code
        FROM {CharterInterest._meta.db_table} i
        JOIN {Charter._meta.db_table} c ON c.id = i.charter_id
        JOIN {Alliance._meta.db_table} al ON al.id = c.alliance_id
        LEFT JOIN {NeedCoding._meta.db_table} n ON n.statement_id = i.statement_id
        WHERE al.organisation_id IN ({_scope_sql(organisation_ids)})
          AND al.created_at < %s AND c.status <> '{Charter.Status.SUPERSEDED.value}'
    """  # noqa: S608 (our codes and table names only; values are parameters)


# ------------------------------------------------------------------ whole period


def person_counts(organisation_ids, start, end) -> tuple[Series, Series]:
    """Distinct persons (allies with the role of the person concerned) of the
    alliances: before the period or joined during it, and by age at its end."""
    low, high = _bounds(start, end)
    ages = " ".join(f"WHEN born_on <= %s THEN '{band}'" for band, youngest in AGE_BANDS if youngest)
    age_params = [_years_before(end, youngest) for _band, youngest in AGE_BANDS if youngest]
    sql = f"""
        WITH persons AS ({_persons_cte(organisation_ids)}),
        tagged AS (
            SELECT CASE WHEN first_at < %s THEN 'before' ELSE 'during' END AS joined,
                   CASE WHEN born_on IS NULL THEN '{UNKNOWN}' {ages} ELSE '0-5' END AS band
            FROM persons
        )
        SELECT 'joined', joined, COUNT(*) FROM tagged GROUP BY joined
        UNION ALL SELECT 'age', band, COUNT(*) FROM tagged GROUP BY band
        UNION ALL SELECT 'total', NULL, COUNT(*) FROM tagged
    """  # noqa: S608 (our codes and table names only; values are parameters)
    result = _rows(sql, [*organisation_ids, high, low, *age_params])
    total = _total(result, "total")
    return (
        _series(result, "joined", ("before", "during"), total),
        _series(result, "age", AGE_ROWS, total),
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

    sql = f"""
        WITH coded AS (
            SELECT {service("al.mdph_orientation")} AS orientation,
                   {service("al.service_type")} AS service_type,
                   {place("o.commune_code")} AS commune, {place("o.epci_code")} AS epci,
                   {place("o.departement_code")} AS departement
            FROM {Alliance._meta.db_table} al
            JOIN {Organisation._meta.db_table} o ON o.id = al.organisation_id
            WHERE al.organisation_id IN ({_scope_sql(organisation_ids)}) AND al.created_at < %s
        )
        SELECT 'orientation', orientation, COUNT(*) FROM coded GROUP BY orientation
        UNION ALL SELECT 'service_type', service_type, COUNT(*) FROM coded GROUP BY service_type
        UNION ALL SELECT 'communes', commune, COUNT(*) FROM coded GROUP BY commune
        UNION ALL SELECT 'epcis', epci, COUNT(*) FROM coded GROUP BY epci
        UNION ALL SELECT 'departements', departement, COUNT(*) FROM coded GROUP BY departement
        UNION ALL SELECT 'total', NULL, COUNT(*) FROM coded
    """  # noqa: S608 (our codes and table names only; values are parameters)
    result = _rows(sql, [*organisation_ids, high])
    total = _total(result, "total")
    places = _geography_rows(organisations)
    return {
        "orientation": _series(result, "orientation", SERVICE_ROWS, total),
        "service_type": _series(result, "service_type", SERVICE_ROWS, total),
        **{key: _series(result, key, rows, total) for key, rows in places.items()},
    }


def need_detail_counts(organisation_ids, start, end) -> Series:
    """Like `aggregates.need_counts`, one level finer; a code of a report domain
    itself (no finer need chosen) counts in "none" with the interests not coded."""
    _low, high = _bounds(start, end)
    case = _code_case("n.serafin_code", detail_needs(), NOT_CODED)
    sql = f"""
        WITH coded AS ({_coded_cte(organisation_ids, case)})
        SELECT 'cell', row_code, COUNT(DISTINCT unit) FROM coded GROUP BY row_code
        UNION ALL SELECT 'total', NULL, COUNT(DISTINCT unit) FROM coded
    """  # noqa: S608 (our codes and table names only; values are parameters)
    result = _rows(sql, [*organisation_ids, high])
    return _series(result, "cell", (*detail_needs(), CUSTOM, NOT_CODED), _total(result, "total"))


def prestation_counts(organisation_ids, start, end) -> tuple[Table, Table]:
    """Alliances by prestation of their means: asked for (proposed by the period's
    end), decided (by its end), and, as it stood at its end (the latest availability
    change dated by then), waiting, refused or missing on the territory; and the
    time waited by the means still waiting."""
    _low, high = _bounds(start, end)
    *bounded, (longest, _low_days, _none) = WAITING_BANDS
    bands = " ".join(f"WHEN l.since > %s THEN '{name}'" for name, _l, _h in bounded)
    band_params = [end - datetime.timedelta(days=high_days) for _n, _l, high_days in bounded]
    statuses = " ".join(f"WHEN '{s}' THEN '{c}'" for s, c in _STATUS_COLUMN.items())
    row = _code_case("o.prestation_code", prestation_rows()[:-1], NOT_CODED)
    sql = f"""
        WITH opts AS (
            SELECT o.id, o.alliance_id AS unit, {row} AS row_code,
                   CASE WHEN d.id IS NULL THEN 0 ELSE 1 END AS decided
            FROM {MeansOption._meta.db_table} o
            JOIN {Alliance._meta.db_table} al ON al.id = o.alliance_id
            LEFT JOIN {MeansDecision._meta.db_table} d
                ON d.option_id = o.id AND d.decided_at < %s
            WHERE al.organisation_id IN ({_scope_sql(organisation_ids)})
              AND al.created_at < %s AND o.created_at < %s
        ),
        latest AS (
            SELECT c.option_id, c.status, c.since,
                   ROW_NUMBER() OVER (PARTITION BY c.option_id
                                      ORDER BY c.since DESC, c.changed_at DESC, c.id DESC)
                       AS place
            FROM {AvailabilityChange._meta.db_table} c JOIN opts ON opts.id = c.option_id
            WHERE opts.decided = 1 AND c.since <= %s
        ),
        facts AS (
            SELECT unit, row_code, 'asked' AS col FROM opts
            UNION ALL SELECT unit, row_code, 'decided' FROM opts WHERE decided = 1
            UNION ALL SELECT opts.unit, opts.row_code, CASE l.status {statuses} END
            FROM latest l JOIN opts ON opts.id = l.option_id
            WHERE l.place = 1 AND l.status IN ({_quoted(UNMET)})
        ),
        waits AS (
            SELECT opts.unit, opts.row_code, CASE {bands} ELSE '{longest}' END AS col
            FROM latest l JOIN opts ON opts.id = l.option_id
            WHERE l.place = 1 AND l.status = '{Availability.WAITING.value}'
        )
        {_grouped_table("facts")}
        UNION ALL
        {_grouped_table("waits", prefix="w")}
    """  # noqa: S608 (our codes and table names only; values are parameters)
    result = _rows(sql, [high, *organisation_ids, high, high, end, *band_params])
    rows = prestation_rows()
    return (
        _table(result, rows, PRESTATION_COLUMNS),
        _table(result, rows, WAITING_COLUMNS, prefix="w"),
    )


# ------------------------------------------------------------------ trends


def _trend(sql_facts: str, params, periods, rows) -> Table:
    periods_sql, period_params = _periods_sql(periods)
    sql = f"WITH periods AS ({periods_sql}), {sql_facts} {_grouped_table('facts')}"
    result = _rows(sql, [*period_params, *params])
    return _table(result, rows, [p.key for p in periods])


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


def person_trend(organisation_ids, periods) -> Table:
    """Each sub-period's `persons` series."""
    _low, high = _bounds(periods[0].start, periods[-1].end)
    units = f"units AS ({_persons_cte(organisation_ids)})"
    return _joined_trend(units, "first_at", [*organisation_ids, high], periods)


def need_trend(organisation_ids, periods) -> Table:
    """Each sub-period's `needs` series (the alliances that existed by its end)."""
    _low, high = _bounds(periods[0].start, periods[-1].end)
    bucket, bucket_params = _bucket_sql("created_at", periods, before=False)
    # One row per alliance and domain; an alliance's creation fixes its bucket.
    sql = f"""WITH coded AS ({_coded_cte(organisation_ids, _domain_sql("n.serafin_code"))}),
        placed AS (SELECT DISTINCT unit, row_code, {bucket} AS bucket FROM coded)
        SELECT 'cell', row_code, bucket, COUNT(*) FROM placed GROUP BY row_code, bucket
        UNION ALL SELECT 'unit', NULL, bucket, COUNT(DISTINCT unit) FROM placed GROUP BY bucket
    """  # noqa: S608 (our codes and table names only; values are parameters)
    result = _rows(sql, [*organisation_ids, high, *bucket_params])
    rows, size = (*report_domains(), CUSTOM, NOT_CODED), len(periods)
    cells = {
        row: _running({b: n for kind, r, b, n in result if kind == "cell" and r == row}, size)
        for row in rows
    }
    units = _running({b: n for kind, _r, b, n in result if kind == "unit"}, size)
    return Table(
        rows,
        tuple(p.key for p in periods),
        tuple(tuple(cells[row]) for row in rows),
        tuple(cells[row][-1] for row in rows),
        tuple(units),
        units[-1],
    )


def unmet_prestation_trend(organisation_ids, periods) -> Table:
    """Alliances with a means decided whose availability was waiting, refused or
    missing at the end of each sub-period, by prestation."""
    row = _code_case("o.prestation_code", prestation_rows()[:-1], NOT_CODED)
    facts = f"""latest AS (
        SELECT p.key AS col, o.alliance_id AS unit, {row} AS row_code, c.status,
               ROW_NUMBER() OVER (PARTITION BY p.key, c.option_id
                                  ORDER BY c.since DESC, c.changed_at DESC, c.id DESC) AS place
        FROM {AvailabilityChange._meta.db_table} c
        JOIN {MeansOption._meta.db_table} o ON o.id = c.option_id
        JOIN {Alliance._meta.db_table} al ON al.id = o.alliance_id
        JOIN {MeansDecision._meta.db_table} d ON d.option_id = o.id
        CROSS JOIN periods p
        WHERE al.organisation_id IN ({_scope_sql(organisation_ids)})
          AND al.created_at < p.high AND c.since <= p.end_day AND d.decided_at < p.high
    ),
    facts AS (
        SELECT unit, col, row_code FROM latest
        WHERE place = 1 AND status IN ({_quoted(UNMET)})
    )"""  # noqa: S608 (our codes and table names only; values are parameters)
    return _trend(facts, list(organisation_ids), periods, prestation_rows())


TREND_KEYS = ("alliances", "persons", "needs", "prestations_unmet")


def trends(organisation_ids, periods: list[Period]) -> dict:
    return {
        "alliances": alliance_trend(organisation_ids, periods),
        "persons": person_trend(organisation_ids, periods),
        "needs": need_trend(organisation_ids, periods),
        "prestations_unmet": unmet_prestation_trend(organisation_ids, periods),
    }


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
    persons, ages = person_counts(organisation_ids, start, end)
    attributes = alliance_attribute_counts(organisation_ids, start, end, organisations)
    prestations, waiting = prestation_counts(organisation_ids, start, end)
    return PlanningCounts(
        persons=persons,
        age_bands=ages,
        needs_detail=need_detail_counts(organisation_ids, start, end),
        prestations=prestations,
        prestation_waiting=waiting,
        trends=trends(organisation_ids, periods),
        labels=geography_labels(organisations),
        **attributes,
    )
