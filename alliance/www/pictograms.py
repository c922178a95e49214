"""The pictograms of the easy-read pages: a concept name → an OpenMoji code
(openmoji.org, CC BY-SA 4.0, credited on the "À propos" page), whose SVG file is in
static/img/openmoji/. One name per concept everywhere (the glossary): a page asks
for "vote", never for a code. Each area keeps its own dictionary."""

# What every area's pages share (helper `art`); chosen from openmoji.json's annotations.
COMMON = {
    "home": "1F3E0",  # house
    "news": "1F514",  # bell
    "settings": "2699",  # gear
    "sign_out": "1F6AA",  # door
    "back": "2B05",  # left arrow
    "listen": "1F50A",  # speaker, high volume
    "help": "2753",  # question mark
    "more": "2795",  # plus: the "more" disclosure
    "yes": "2705",  # check mark button
    "no": "274C",  # cross mark
    "ok": "1F44C",  # OK hand
    "warning": "26A0",  # warning sign
    "calendar": "1F4C5",  # calendar
    "person": "1F464",  # bust in silhouette
    "group": "1F465",  # busts in silhouette
    "write": "270F",  # pencil
    "print": "1F5A8",  # printer
    "about": "2139",  # information: the "About" page
    "words": "1F4D6",  # open book: "Les mots d'Alliance"
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
