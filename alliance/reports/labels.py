"""The words for every row and column code of a report snapshot, in the reader's
language: `label(key, code, snapshot)`, where `key` is the table's key (as in
snapshot["tables"] or snapshot["trends"]).

A reader holding only the snapshot can render any table with it: period keys are
named from snapshot["periods"], places from snapshot["labels"] (names as they were
when the report was computed), needs and direct services from the SERAFIN-PH
nomenclatures shipped with the product. An unknown code reads as itself, so that a
snapshot written by a later version still renders."""

import datetime
import re

from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from alliance import dates
from alliance.acting.models import Availability
from alliance.alliances.needs import label_of
from alliance.alliances.planning import SERVICE_TYPES, prestation_label

from .domains import CUSTOM, NOT_CODED

TOTAL = "total"
GEOGRAPHY = {"communes": "communes", "epcis": "epcis", "departements": "departements"}
# Period keys (alliance/reports/periods.py): "2025", "2025-S2", "2025-Q3", "2025-07".
_PERIOD = re.compile(r"^(\d{4})-([SQTH])(\d)$")
_YEAR = re.compile(r"^\d{4}$")
_MONTH = re.compile(r"^\d{4}-\d{2}$")


def _words() -> dict[str, str]:
    return {
        "before": _("Started before the period"),
        "during": _("Started during the period"),
        "alliances": _("Alliances"),
        "persons": _("Persons"),
        "0-3": _("Less than 3 months"),
        "3-6": _("3 to 6 months"),
        "6-12": _("6 to 12 months"),
        "12+": _("12 months or more"),
        "on_time": _("Held on time"),
        "late": _("Held late"),
        "overdue": _("Not held yet"),
        "asked": pgettext("prestation", "Asked for"),
        "decided": pgettext("prestation", "Decided"),
        "waiting": pgettext("prestation", "Waiting"),
        "refused": pgettext("prestation", "Refused"),
        "missing": pgettext("prestation", "Missing on the territory"),
        TOTAL: pgettext("report", "Total"),
    }


def _age(code: str) -> str:
    if code == "unknown":
        return _("Age not known")
    if code.endswith("+"):
        return _("%(low)s years or more") % {"low": code[:-1]}
    low, _dash, high = code.partition("-")
    if not high:
        return code
    return _("%(low)s to %(high)s years") % {"low": low, "high": high}


def _period(code: str, snapshot: dict) -> str | None:
    period = next((p for p in snapshot.get("periods", []) if p["key"] == code), None)
    if period is None:
        return None
    match = _PERIOD.match(code)
    if match:
        year, kind, number = match.groups()
        if kind in "SH" and number in "12":
            if number == "1":
                return _("First half of %(year)s") % {"year": year}
            return _("Second half of %(year)s") % {"year": year}
        if kind in "QT":
            return _("Quarter %(number)s of %(year)s") % {"number": number, "year": year}
    start = datetime.date.fromisoformat(period["start"])
    if _YEAR.match(code):
        return code
    if _MONTH.match(code):
        return dates.show(start, "YEAR_MONTH_FORMAT")
    end = datetime.date.fromisoformat(period["end"])
    return f"{dates.show(start)} – {dates.show(end)}"


def _service_type(code: str) -> str:
    if code == NOT_CODED:
        return _("Not recorded")
    return dict(SERVICE_TYPES).get(code, code)


def _need(code: str) -> str:
    if code == CUSTOM:
        return _("Domains named by the organisations")
    if code == NOT_CODED:
        return _("Not coded yet")
    return label_of(code) or code


def _prestation(code: str) -> str:
    if code == NOT_CODED:
        return _("Means with no direct service code")
    return prestation_label(code) or code


def _place(key: str, code: str, snapshot: dict) -> str:
    if code == "unknown":
        return _("Place not recorded")
    name = snapshot.get("labels", {}).get(GEOGRAPHY[key], {}).get(code)
    # An organisation may give a code without its name: the code alone then.
    return f"{name} ({code})" if name and name != code else code


def label(key: str, code: str, snapshot: dict) -> str:
    """The words for `code`, a row or column of the table `key` in `snapshot`."""
    if code == TOTAL:
        return _words()[TOTAL]
    period = _period(code, snapshot)
    if period is not None:
        return period
    if key in GEOGRAPHY:
        return _place(key, code, snapshot)
    if key == "age_bands":
        return _age(code)
    if key in ("orientation", "service_type"):
        return _service_type(code)
    if key in ("prestations", "prestation_waiting", "prestations_unmet"):
        words = _words()
        return words[code] if code in words else _prestation(code)
    words = _words()
    if code in words:
        return words[code]
    if code in Availability.values:
        return str(Availability(code).label)
    return _need(code)
