"""A small reader of gettext .po files: enough for our checks (msgctxt, msgid,
msgid_plural, msgstr, msgstr[n], the fuzzy flag, obsolete entries skipped)."""

import re
import shutil
from dataclasses import dataclass, field
from pathlib import Path

import pytest

_ESCAPES = {"n": "\n", "t": "\t", '"': '"', "\\": "\\", "r": "\r"}
_KEYWORD = re.compile(r'^(msgctxt|msgid_plural|msgid|msgstr)(?:\[(\d+)\])?\s+(".*")\s*$')


@dataclass
class Entry:
    msgid: str = ""
    msgid_plural: str | None = None
    msgctxt: str | None = None
    msgstr: dict[int, str] = field(default_factory=dict)
    flags: set[str] = field(default_factory=set)
    line: int = 0

    @property
    def key(self):
        return (self.msgctxt, self.msgid)

    @property
    def fuzzy(self):
        return "fuzzy" in self.flags

    @property
    def translated(self):
        forms = 2 if self.msgid_plural is not None else 1
        return len(self.msgstr) >= forms and all(self.msgstr.values())


def _unquote(token: str, where: str) -> str:
    if not (len(token) >= 2 and token[0] == '"' and token[-1] == '"'):
        raise ValueError(f"{where}: not a quoted string: {token!r}")
    return re.sub(r"\\(.)", lambda m: _ESCAPES.get(m.group(1), m.group(1)), token[1:-1])


def read_po(path: Path, *, keep_header: bool = False) -> list[Entry]:
    """The entries of a .po file, in order; obsolete (#~) entries are left out and the
    header (msgid "") too unless keep_header."""
    entries: list[Entry] = []
    current: Entry | None = None
    target = None  # ("msgid" | "msgid_plural" | "msgctxt" | ("msgstr", n))
    pending_flags: set[str] = set()

    def finish():
        nonlocal current
        if current is not None and (keep_header or current.msgid != ""):
            entries.append(current)
        current = None

    for number, raw in enumerate(Path(path).read_text(encoding="utf-8").splitlines(), 1):
        line = raw.strip()
        where = f"{path}:{number}"
        if not line:
            continue
        if line.startswith("#~"):
            continue
        if line.startswith("#,"):
            if current is not None and current.msgstr:
                finish()
            pending_flags |= {f.strip() for f in line[2:].split(",") if f.strip()}
            continue
        if line.startswith("#"):
            if current is not None and current.msgstr:
                finish()
            continue
        match = _KEYWORD.match(line)
        if match:
            keyword, index, token = match.groups()
            value = _unquote(token, where)
            starts_entry = keyword == "msgctxt" or (
                keyword == "msgid" and (current is None or current.msgstr or target != "msgctxt")
            )
            if starts_entry:
                finish()
                current = Entry(flags=pending_flags, line=number)
                pending_flags = set()
            if current is None:
                raise ValueError(f"{where}: {keyword} outside an entry")
            if keyword == "msgstr":
                target = ("msgstr", int(index) if index is not None else 0)
                current.msgstr[target[1]] = value
            else:
                target = keyword
                setattr(current, keyword, value)
            continue
        if line.startswith('"'):
            if current is None or target is None:
                raise ValueError(f"{where}: continuation outside an entry")
            value = _unquote(line, where)
            if isinstance(target, tuple):
                current.msgstr[target[1]] += value
            else:
                setattr(current, target, getattr(current, target) + value)
            continue
        raise ValueError(f"{where}: cannot read {raw!r}")
    finish()
    return entries


def need(tool: str) -> str:
    """The full path of a GNU gettext tool; the test fails if it is missing."""
    path = shutil.which(tool)
    if path is None:
        pytest.fail(f"{tool} is missing: install GNU gettext (scripts/test.sh does)")
    return path
