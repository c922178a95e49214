"""The SERAFIN-PH needs nomenclature (ANS, Licence Ouverte / Etalab 2.0), shipped
with the product so that life domains and needs are coded with the national
vocabulary. Plain Python: no Django import."""

import csv
from functools import cache
from pathlib import Path

SOURCE = Path(__file__).resolve().parent / "data" / "serafin_ph_besoins.csv"


@cache
def serafin_needs() -> tuple[tuple[str, str, str], ...]:
    with SOURCE.open(newline="", encoding="utf-8") as handle:
        return tuple((r["code"], r["label"], r["parent_code"]) for r in csv.DictReader(handle))


def life_domains() -> list[tuple[str, str]]:
    """The needs below the root, as (code, label), indented by depth for a select."""
    rows = []
    for code, label, parent in serafin_needs():
        if not parent:
            continue
        depth = code.count(".") - 1
        rows.append((code, ("· " * (depth - 1)) + label if depth > 1 else label))
    return rows


def label_of(code: str) -> str:
    return next((label for c, label, _ in serafin_needs() if c == code), "")
