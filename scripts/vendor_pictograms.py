"""Copies the OpenMoji pictograms the product uses into alliance/www/static/img/openmoji/.

The pictograms are served as our own static files (no request leaves for a CDN, and
the content security policy stays `img-src 'self'`), and only those we use are kept
in the repository: every code mapped in alliance/www/pictograms.py (all its area
dicts), the few the activation letter inlines (PICTOGRAMS in
alliance/www/accounts/letter.py) and the glossary's drawings of words no area maps
(DRAWINGS in alliance/www/about/glossary.py). The files are copied unchanged from the `openmoji`
npm package pinned in package.json (licence CC BY-SA 4.0, credited on the "About"
page), so:

    npm ci && .venv/bin/python scripts/vendor_pictograms.py          # copy, drop unused
    .venv/bin/python scripts/vendor_pictograms.py --check            # only say what differs

tests/www/test_pictograms.py checks the same thing at every run."""

import argparse
import ast
import importlib
import pathlib
import re
import shutil
import sys

ROOT = pathlib.Path(__file__).resolve().parent.parent
SOURCE = ROOT / "node_modules/openmoji/color/svg"
TARGET = ROOT / "alliance/www/static/img/openmoji"
# Other modules that name OpenMoji codes in a dict of their own: (file, dict name).
ELSEWHERE = [
    ("alliance/www/accounts/letter.py", "PICTOGRAMS"),
    ("alliance/www/about/glossary.py", "DRAWINGS"),
]
CODE = re.compile(r"^[0-9A-F]{4,6}(-[0-9A-F]{4,6})*$")


def _literal_dict(path: pathlib.Path, name: str) -> dict:
    """The dict literal assigned to `name` at the top of the module, read without
    importing it (those modules need Django)."""
    for node in ast.parse(path.read_text("utf-8")).body:
        if isinstance(node, ast.Assign) and any(
            isinstance(target, ast.Name) and target.id == name for target in node.targets
        ):
            return ast.literal_eval(node.value)
    raise SystemExit(f"{path}: no {name} = {{...}} found")


def used_codes() -> dict[str, list[str]]:
    """Every OpenMoji code the product uses -> where it is named ("COMMON.listen")."""
    sys.path.insert(0, str(ROOT))
    pictograms = importlib.import_module("alliance.www.pictograms")
    areas = {
        name: value
        for name, value in vars(pictograms).items()
        if name.isupper() and isinstance(value, dict)
    }
    for file, name in ELSEWHERE:
        areas[f"{file}:{name}"] = _literal_dict(ROOT / file, name)
    codes: dict[str, list[str]] = {}
    for area, concepts in sorted(areas.items()):
        for concept, code in concepts.items():
            if not isinstance(code, str) or not CODE.match(code):
                raise SystemExit(f"{area}[{concept!r}] = {code!r} is not an OpenMoji code")
            codes.setdefault(code, []).append(f"{area}.{concept}")
    return codes


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--check", action="store_true", help="change nothing, exit 1 if stale")
    check = parser.parse_args().check
    if not SOURCE.is_dir():
        print(f"{SOURCE} is missing: run `npm ci` first.", file=sys.stderr)
        return 2
    codes = used_codes()
    unknown = sorted(code for code in codes if not (SOURCE / f"{code}.svg").exists())
    if unknown:
        for code in unknown:
            print(f"{code}: not in OpenMoji ({', '.join(codes[code])})", file=sys.stderr)
        return 1
    stale = []
    for code in sorted(codes):
        source, target = SOURCE / f"{code}.svg", TARGET / f"{code}.svg"
        if not target.exists() or target.read_bytes() != source.read_bytes():
            stale.append(f"copy {code}.svg ({', '.join(codes[code])})")
            if not check:
                TARGET.mkdir(parents=True, exist_ok=True)
                shutil.copyfile(source, target)
    for target in sorted(TARGET.glob("*.svg")):
        if target.stem not in codes:
            stale.append(f"remove {target.name} (used nowhere)")
            if not check:
                target.unlink()
    for line in stale:
        print(line)
    if check and stale:
        print("Pictograms out of date: run scripts/vendor_pictograms.py", file=sys.stderr)
        return 1
    print(f"{len(codes)} pictograms in {TARGET.relative_to(ROOT)}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
