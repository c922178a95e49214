"""The INSEE and SIREN codes of where an organisation is, checked by their form
alone (no list of communes is shipped): a commune code is 5 characters, two for
the département (2A and 2B for Corsica) or three overseas (971 to 976), then the
commune; an EPCI is a SIREN number, 9 digits. Plain Python, no Django import: each
check returns a reason code, translated where it is shown."""

import re

COMMUNE = re.compile(r"^(?:\d{5}|2[AB]\d{3})$")
EPCI = re.compile(r"^\d{9}$")
DEPARTEMENT = re.compile(r"^(?:0[1-9]|1\d|2[1-9AB]|[3-8]\d|9[0-5]|97[1-6])$")
OVERSEAS = "97"


def normalise(code: str) -> str:
    """Spaces removed, letters upper-cased (2a001 is 2A001)."""
    return "".join((code or "").split()).upper()


def departement_of(commune_code: str) -> str:
    """The département of a well-formed commune code ("" otherwise): three
    characters overseas (97x), two elsewhere."""
    if not COMMUNE.match(commune_code):
        return ""
    if commune_code.startswith(OVERSEAS):
        return commune_code[:3]
    return commune_code[:2]


def check_address(*, commune_code, epci_code, departement_code) -> dict[str, str]:
    """field -> reason code for each code that is not well formed, or that
    contradicts another: "commune_format", "commune_departement", "epci_format",
    "departement_format", "departement_mismatch". Empty when all is well."""
    problems = {}
    if commune_code and not DEPARTEMENT.match(departement_of(commune_code)):
        problems["commune_code"] = "commune_format"
    if epci_code and not EPCI.match(epci_code):
        problems["epci_code"] = "epci_format"
    if departement_code and not DEPARTEMENT.match(departement_code):
        problems["departement_code"] = "departement_format"
    elif (
        departement_code
        and commune_code
        and "commune_code" not in problems
        and departement_of(commune_code) != departement_code
    ):
        problems["departement_code"] = "departement_mismatch"
    return problems
