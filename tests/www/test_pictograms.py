"""The OpenMoji pictograms (ADR 0020): every concept mapped has its drawing among our
static files, every drawing there is used, and none is modified (the "About" page says
so, as CC BY-SA 4.0 asks). scripts/vendor_pictograms.py keeps them so."""

import json
import re
import subprocess
import sys
from pathlib import Path

from django.conf import settings

from alliance.www import pictograms
from alliance.www.about.glossary import DRAWINGS, THEMES
from alliance.www.accounts.letter import PICTOGRAMS as LETTER

ROOT = Path(settings.BASE_DIR).parent
VENDORED = ROOT / "alliance/www/static/img/openmoji"
PACKAGE = ROOT / "node_modules/openmoji"
CODE = re.compile(r"^[0-9A-F]{4,6}(-[0-9A-F]{4,6})*$")
AREAS = {
    name: concepts
    for name, concepts in vars(pictograms).items()
    if name.isupper() and isinstance(concepts, dict)
}
MAPPED = {code for concepts in AREAS.values() for code in concepts.values()}
CONCEPTS = {concept for concepts in AREAS.values() for concept in concepts}
# The letter inlines its own; the glossary draws the words no area maps (yet).
USED = MAPPED | set(LETTER.values()) | set(DRAWINGS.values())


def test_every_area_has_its_dict_and_every_code_is_an_openmoji_code():
    assert {"ALLIANCES", "ACTING", "COLLECTIVES", "ACCOUNTS", "COMMON"} <= set(AREAS)
    bad = {
        f"{area}.{concept}": code
        for area, concepts in AREAS.items()
        for concept, code in concepts.items()
        if not CODE.match(code)
    }
    assert not bad


def test_every_mapped_code_has_its_drawing():
    missing = sorted(code for code in USED if not _file(code).exists())
    assert not missing, "run scripts/vendor_pictograms.py and commit: " + ", ".join(missing)


def test_every_drawing_is_mapped_or_used_by_the_letter_or_the_glossary():
    unused = sorted(path.name for path in VENDORED.glob("*.svg") if path.stem not in USED)
    assert not unused, "run scripts/vendor_pictograms.py, which removes them: " + ", ".join(unused)


def test_the_glossary_draws_a_word_as_its_area_does():
    for theme in THEMES:
        for word in theme.words:
            code = pictograms.PICTOGRAMS.get(word.picto) or DRAWINGS[word.picto]
            assert word.drawing == f"img/openmoji/{code}.svg"
            assert CODE.match(code)


def test_the_drawings_are_the_packages_unmodified():
    changed = sorted(
        path.name
        for path in VENDORED.glob("*.svg")
        if path.read_bytes() != (PACKAGE / "color/svg" / path.name).read_bytes()
    )
    assert not changed, "the About page says the pictograms are not modified"


def test_openmoji_is_pinned_to_one_version():
    wanted = json.loads((ROOT / "package.json").read_text())["devDependencies"]["openmoji"]
    locked = json.loads((ROOT / "package-lock.json").read_text())["packages"]
    assert re.fullmatch(r"\d+\.\d+\.\d+", wanted)
    assert locked["node_modules/openmoji"]["version"] == wanted
    assert json.loads((PACKAGE / "package.json").read_text())["version"] == wanted


def test_the_vendoring_script_finds_nothing_to_do():
    result = subprocess.run(  # noqa: S603  (our own script)
        [sys.executable, str(ROOT / "scripts/vendor_pictograms.py"), "--check"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_every_glossary_word_and_theme_has_a_pictogram():
    named = {word.picto for theme in THEMES for word in theme.words}
    named |= {theme.picto for theme in THEMES}
    assert named - CONCEPTS - set(DRAWINGS) == set()


def test_the_common_concepts_the_easy_pages_share_are_mapped():
    assert {
        "home",
        "back",
        "listen",
        "settings",
        "sign_out",
        "news",
        "help",
        "more",
        "yes",
        "no",
        "ok",
        "warning",
        "calendar",
        "person",
        "group",
        "about",
        "words",
    } <= set(pictograms.COMMON)


def _file(code):
    return VENDORED / f"{code}.svg"
