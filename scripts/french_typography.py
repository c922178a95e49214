#!/usr/bin/env python
"""Sets French typography (alliance.typography: spaces before ; : ! ?, inside « »,
elision) in every msgstr of the French catalogue, in place: only the text of the
translations changes, never their order or wrapping (ADR 0027). Run it after
adding entries; tests/i18n/test_typography.py fails until it is run.

    .venv/bin/python scripts/french_typography.py [--check]
"""

import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from alliance.typography import french  # noqa: E402

PO = ROOT / "alliance" / "locale" / "fr" / "LC_MESSAGES" / "django.po"
START = re.compile(r'^(msgstr(?:\[\d+\])? )"(.*)"$')
MORE = re.compile(r'^"(.*)"$')
ESCAPES = {"\\\\": "\\", '\\"': '"', "\\n": "\n", "\\t": "\t"}


def _unescape(text: str) -> str:
    return re.sub(r"\\[\\\"nt]", lambda m: ESCAPES[m.group(0)], text)


def _escape(text: str) -> str:
    return text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n").replace("\t", "\\t")


def rewrite(lines: list[str]) -> list[str]:
    out, in_msgstr, header = [], False, False
    for index, line in enumerate(lines):
        start = START.match(line)
        more = MORE.match(line) if in_msgstr else None
        if start:
            # The header (the msgstr of an empty msgid) holds metadata, not prose.
            header = index > 0 and lines[index - 1] == 'msgid ""'
            prefix, body, in_msgstr = start.group(1), start.group(2), True
        elif more:
            prefix, body = "", more.group(1)
        else:
            in_msgstr = False
            out.append(line)
            continue
        out.append(line if header else f'{prefix}"{_escape(french(_unescape(body)))}"')
    return out


def main(argv: list[str]) -> int:
    lines = PO.read_text(encoding="utf-8").split("\n")
    fixed = rewrite(lines)
    if fixed == lines:
        return 0
    if "--check" in argv:
        print(f"{PO}: French typography to set; run scripts/french_typography.py")
        return 1
    PO.write_text("\n".join(fixed), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
