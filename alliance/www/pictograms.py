"""The pictograms of the easy-read pages: a concept name → an OpenMoji code
(openmoji.org, CC BY-SA 4.0, credited on the "À propos" page), whose SVG file is in
static/img/openmoji/. One name per concept everywhere (the glossary): a page asks
for "vote", never for a code. Each area keeps its own dictionary."""

COMMON = {
    "home": "1F3E0",
    "news": "1F514",
    "settings": "2699",
    "sign_out": "1F6AA",
    "back": "2B05",
    "listen": "1F50A",
}

ALLIANCES: dict[str, str] = {}

ACTING: dict[str, str] = {}

COLLECTIVES: dict[str, str] = {}

ACCOUNTS: dict[str, str] = {}


def all_pictograms() -> dict[str, str]:
    merged: dict[str, str] = {}
    for area in (COMMON, ALLIANCES, ACTING, COLLECTIVES, ACCOUNTS):
        clashes = merged.keys() & area.keys()
        if clashes:
            raise ValueError(f"pictogram names used twice: {sorted(clashes)}")
        merged.update(area)
    return merged


PICTOGRAMS = all_pictograms()
