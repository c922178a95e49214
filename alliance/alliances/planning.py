"""What an organisation may record about an alliance for planning: the MDPH
orientation and the type of service that accompanies the person (both from the
categories of establishments and services of the French social and medico-social
code), and the SERAFIN-PH direct services (prestations) a means stands for.

These are the organisation's planning codes, used only by aggregate reports: they
are never shown to the person as a label of who they are. Plain Python: no Django
import (labels are translated where they are shown)."""

import csv
from functools import cache
from pathlib import Path

PRESTATIONS_SOURCE = (
    Path(__file__).resolve().parent / "data" / "serafin_ph_prestations_directes.csv"
)

# Establishments and services for children and adults with disabilities (CASF,
# L. 312-1), plus ordinary school with support, which an MDPH may also decide. The
# codes are ours and stable; the labels are French acronyms planners use.
SERVICE_TYPES = (
    ("camsp", "CAMSP"),
    ("cmpp", "CMPP"),
    ("sessad", "SESSAD"),
    ("ime", "IME"),
    ("itep", "ITEP / DITEP"),
    ("iem", "IEM"),
    ("eeap", "EEAP"),
    ("ulis", "ULIS / école ordinaire avec accompagnement"),
    ("esat", "ESAT"),
    ("ea", "Entreprise adaptée"),
    ("savs", "SAVS"),
    ("samsah", "SAMSAH"),
    ("foyer_vie", "Foyer de vie / EANM"),
    ("fam", "FAM / EAM"),
    ("mas", "MAS"),
    ("plateforme", "Plateforme / dispositif intégré"),
    ("other", "Autre"),
)
SERVICE_TYPE_CODES = frozenset(code for code, _label in SERVICE_TYPES)


@cache
def serafin_prestations() -> tuple[tuple[str, str, str], ...]:
    """The SERAFIN-PH direct services (ANS value set JDV_J284, Licence Ouverte /
    Etalab 2.0) as (code, label, parent_code)."""
    with PRESTATIONS_SOURCE.open(newline="", encoding="utf-8") as handle:
        return tuple((r["code"], r["label"], r["parent_code"]) for r in csv.DictReader(handle))


def prestation_label(code: str) -> str:
    return next((label for c, label, _ in serafin_prestations() if c == code), "")


def prestation_domain(code: str) -> str:
    """The second-level group of a prestation (2.1.1.3 -> 2.1.1), "" if unknown."""
    known = {c for c, _l, _p in serafin_prestations()}
    if code not in known or code.count(".") < 2:
        return ""
    return ".".join(code.split(".")[:3])
