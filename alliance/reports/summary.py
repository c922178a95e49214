"""What a reader sees before the tables: the report in five sentences, and the
method note (sources, what is counted, suppression, why two tables differ).

Both read only the published snapshot, never the raw counts: a sentence is built
from values that are shown, and says nothing when the value it needs is hidden
(it never says "fewer than k", which would tell what suppression hides). They
handle snapshots of version 1 (no persons, prestations nor trends) and sparse
ones (a table missing or all hidden) by choosing other sentences."""

import datetime

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from alliance import dates

from .domains import CUSTOM, NOT_CODED
from .labels import label

SENTENCES = 5
# Rows that are not a category a planner acts on: the leader is chosen among the others.
_NOT_A_CATEGORY = frozenset({CUSTOM, NOT_CODED, "unknown"})


def _day(iso: str) -> str:
    return dates.show(datetime.date.fromisoformat(iso))


def _table(snapshot: dict, key: str) -> dict | None:
    return snapshot.get("tables", {}).get(key)


def _leader(rows, values) -> tuple[str, int] | None:
    """The row with the largest shown value above zero (the first on ties)."""
    best = None
    for row, value in zip(rows, values, strict=True):
        if row in _NOT_A_CATEGORY or value is None or value <= 0:
            continue
        if best is None or value > best[1]:
            best = (row, value)
    return best


def _scope(snapshot: dict) -> str:
    scope = snapshot.get("scope", {}).get("label", "")
    period = snapshot.get("period", {})
    start, end = _day(period["start"]), _day(period["end"])
    alliances = (_table(snapshot, "alliances") or {}).get("total")
    persons = (_table(snapshot, "persons") or {}).get("total")
    if alliances is None:
        return _(
            "In %(scope)s, from %(start)s to %(end)s, the number of alliances is hidden to "
            "protect privacy."
        ) % {"scope": scope, "start": start, "end": end}
    if persons is None:
        return ngettext(
            "This report counts %(alliances)s alliance in %(scope)s, from %(start)s to %(end)s.",
            "This report counts %(alliances)s alliances in %(scope)s, from %(start)s to %(end)s.",
            alliances,
        ) % {"alliances": alliances, "scope": scope, "start": start, "end": end}
    return ngettext(
        "This report counts %(alliances)s alliance and %(persons)s persons in %(scope)s, "
        "from %(start)s to %(end)s.",
        "This report counts %(alliances)s alliances and %(persons)s persons in %(scope)s, "
        "from %(start)s to %(end)s.",
        alliances,
    ) % {"alliances": alliances, "persons": persons, "scope": scope, "start": start, "end": end}


def _top_need(snapshot: dict) -> str | None:
    needs = _table(snapshot, "needs")
    found = needs and _leader(needs["rows"], needs["cells"])
    if not found:
        return None
    code, count = found
    return ngettext(
        "The need most often adopted as common ground is %(need)s (%(count)s alliance).",
        "The need most often adopted as common ground is %(need)s (%(count)s alliances).",
        count,
    ) % {"need": label("needs", code, snapshot), "count": count}


def _column(table: dict, column: str) -> list:
    index = table["columns"].index(column)
    return [row[index] for row in table["cells"]]


def _top_waiting(snapshot: dict) -> str | None:
    prestations = _table(snapshot, "prestations")
    if prestations and "waiting" in prestations["columns"]:
        found = _leader(prestations["rows"], _column(prestations, "waiting"))
        if found:
            code, count = found
            return ngettext(
                "The direct service most often waited for is %(service)s "
                "(%(count)s alliance waiting).",
                "The direct service most often waited for is %(service)s "
                "(%(count)s alliances waiting).",
                count,
            ) % {"service": label("prestations", code, snapshot), "count": count}
    unmet = _table(snapshot, "unmet")
    found = unmet and _leader(unmet["rows"], unmet["row_totals"])
    if not found:
        return None
    code, count = found
    return ngettext(
        "The domain with the most means decided but not available is %(need)s "
        "(%(count)s alliance).",
        "The domain with the most means decided but not available is %(need)s "
        "(%(count)s alliances).",
        count,
    ) % {"need": label("unmet", code, snapshot), "count": count}


def _long_waits(snapshot: dict) -> str | None:
    for key in ("prestation_waiting", "unmet"):
        table = _table(snapshot, key)
        if not table or "12+" not in table["columns"]:
            continue
        count = table["column_totals"][table["columns"].index("12+")]
        if count is None:
            continue
        if count == 0:
            return _("No alliance has waited 12 months or more for a means decided.")
        return ngettext(
            "%(count)s alliance has waited 12 months or more for a means decided.",
            "%(count)s alliances have waited 12 months or more for a means decided.",
            count,
        ) % {"count": count}
    return None


def _trend(snapshot: dict) -> str | None:
    trend = snapshot.get("trends", {}).get("alliances")
    if not trend:
        return None
    shown = [
        (column, value)
        for column, value in zip(trend["columns"], trend["column_totals"], strict=True)
        if value is not None
    ]
    if len(shown) < 2:
        return None
    (first, before), (last, after) = shown[0], shown[-1]
    return _(
        "From %(first)s to %(last)s, the number of alliances went from %(before)s to %(after)s."
    ) % {
        "first": label("alliances", first, snapshot),
        "last": label("alliances", last, snapshot),
        "before": before,
        "after": after,
    }


def _ages(snapshot: dict) -> str | None:
    ages = _table(snapshot, "age_bands")
    found = ages and _leader(ages["rows"], ages["cells"])
    if not found:
        return None
    code, count = found
    return ngettext(
        "The most frequent age is %(band)s (%(count)s person).",
        "The most frequent age is %(band)s (%(count)s persons).",
        count,
    ) % {"band": label("age_bands", code, snapshot), "count": count}


def _values(table: dict) -> list:
    if table["shape"] == "table":
        cells = [v for row in table["cells"] for v in row]
        return [*cells, *table["row_totals"], *table["column_totals"], table["grand_total"]]
    return [*table["cells"], table["total"]]


def _hidden(snapshot: dict) -> str | None:
    values = [v for t in snapshot.get("tables", {}).values() for v in _values(t)]
    if not values:
        return None
    hidden = sum(v is None for v in values)
    return ngettext(
        "%(hidden)s of the %(all)s numbers of this report is hidden to protect privacy.",
        "%(hidden)s of the %(all)s numbers of this report are hidden to protect privacy.",
        hidden,
    ) % {"hidden": hidden, "all": len(values)}


def sentences(snapshot: dict) -> list[str]:
    """At most five sentences, the scope first, from shown values only."""
    found = [
        make(snapshot)
        for make in (_scope, _top_need, _top_waiting, _long_waits, _trend, _ages, _hidden)
    ]
    return [s for s in found if s][:SENTENCES]


def method_note(snapshot: dict) -> list[tuple[str, list[str]]]:
    """The method as (heading, paragraphs): the same on the page, in the PDF and in
    the spreadsheet's "Method" sheet."""
    period = snapshot.get("period", {})
    k = snapshot.get("threshold", 5)
    periods = [label("alliances", p["key"], snapshot) for p in snapshot.get("periods", [])]
    counted = [
        _(
            "Each number counts distinct alliances, or distinct persons where the table says "
            "so: an alliance with several needs counts once in the total. An alliance counts "
            "if it had started by the end of the period, from %(start)s to %(end)s."
        )
        % {"start": _day(period["start"]), "end": _day(period["end"])},
        _(
            "Ages are the persons' ages at the end of the period; waiting times are counted "
            "in months at the end of the period, for means still waiting."
        ),
    ]
    if periods:
        counted.append(
            _("Trends count the same way in each of these periods: %(periods)s.")
            % {"periods": ", ".join(periods)}
        )
    suppression = [
        _(
            "A number below %(k)s is hidden (primary suppression). Other numbers are hidden "
            "too, so that it cannot be worked out from the totals (complementary "
            "suppression), nor by subtracting another published report whose scope differs "
            "by one organisation, or a table of an overlapping period (differencing)."
        )
        % {"k": k},
        _(
            'Every hidden number is shown as "s", whatever the reason. Zero is shown: '
            "it reveals no one."
        ),
    ]
    if snapshot.get("weather"):
        suppression.append(
            _(
                "The alliance weather is given as averages of the allies' ratings. An "
                "average is shown only when at least %(k)s alliances were rated in its "
                "period, and the number of alliances rated is hidden below %(k)s (zero "
                "excepted). The number of ratings behind an average is not published, so a "
                "hidden average cannot be worked out from the averages around it."
            )
            % {"k": k}
        )
    protected = snapshot.get("protected_with") or 0
    if protected:
        suppression.append(
            ngettext(
                "This report was protected jointly with %(n)s other published report.",
                "This report was protected jointly with %(n)s other published reports.",
                protected,
            )
            % {"n": protected}
        )
    return [
        (
            _("Sources"),
            [
                _(
                    "The alliances of the scope: their adopted common interests and goals, "
                    "coded with the SERAFIN-PH needs nomenclature; their means, coded with "
                    "the SERAFIN-PH direct services, with the decision and the availability "
                    "of each (waiting, refused, missing on the territory); the MDPH "
                    "orientation and the type of service when the organisation records them."
                ),
                _(
                    "Places are those of the organisations, from their address (INSEE codes "
                    "of commune, EPCI and département), never the persons' addresses."
                ),
            ],
        ),
        (_("What is counted"), counted),
        (_("Small numbers hidden"), suppression),
        (
            _("Why two tables may differ"),
            [
                _(
                    "Needs count alliances with an adopted common interest or goal coded "
                    "in the domain. Unmet needs count alliances with a means decided but "
                    "waiting, refused or missing. An alliance may have a means waiting in a "
                    "domain where no interest was coded, and each table hides its own small "
                    "numbers: a domain can be hidden among needs and shown among unmet needs."
                ),
                _(
                    "Persons and alliances differ too: a person may be part of several "
                    "alliances and counts once among persons."
                ),
            ],
        ),
    ]
