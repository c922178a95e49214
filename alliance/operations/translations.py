"""The gettext catalogues of the product, compiled without gettext's msgfmt (which a
slim image or a buildpack does not have): .po → .mo with polib."""

import os
import tempfile
from collections.abc import Iterable
from pathlib import Path

import polib


def catalogues(locale_dirs: Iterable[Path]) -> list[Path]:
    """Every .po file under the given locale directories, in a stable order."""
    found = set()
    for directory in locale_dirs:
        found.update(Path(directory).glob("*/LC_MESSAGES/*.po"))
    return sorted(found)


def compiled_path(po_path: Path) -> Path:
    return po_path.with_suffix(".mo")


def is_stale(po_path: Path) -> bool:
    """True when the .mo is missing or older than its .po."""
    mo_path = compiled_path(po_path)
    return not mo_path.exists() or mo_path.stat().st_mtime < po_path.stat().st_mtime


def compile_catalogue(po_path: Path) -> Path:
    """Writes the .mo beside the .po (fuzzy and untranslated entries left out, as
    msgfmt does). The file is written under another name then renamed, so a process
    reading the catalogue meanwhile never sees half of it."""
    mo_path = compiled_path(po_path)
    handle, temporary = tempfile.mkstemp(dir=mo_path.parent, suffix=".mo.tmp")
    os.close(handle)
    try:
        polib.pofile(str(po_path)).save_as_mofile(temporary)
        os.chmod(temporary, 0o644)
        os.replace(temporary, mo_path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    return mo_path
