"""Fill French translations after `makemessages`, without hand-editing the catalogue.

    .venv/bin/python scripts/po_fill.py translations.tsv     # msgid<TAB>msgstr per line
    .venv/bin/python scripts/po_fill.py --missing            # list what still needs French

A plural entry takes "singular||plural" on both sides. Filling an entry clears its
fuzzy flag and the previous-msgid comments makemessages left behind; entries not in
the file are left exactly as they are. Escapes in the file: \\n, \\t, \\".
"""

import sys
from pathlib import Path

FR_PO = Path(__file__).resolve().parent.parent / "alliance/locale/fr/LC_MESSAGES/django.po"


def _quote(text):
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n") + '"'


def _unquote(lines):
    joined = "".join(line.strip()[1:-1] for line in lines)
    return (
        joined.replace("\\n", "\n").replace('\\"', '"').replace("\\t", "\t").replace("\\\\", "\\")
    )


def _unescape(text):
    return text.replace("\\n", "\n").replace("\\t", "\t").replace('\\"', '"')


def _blocks(text):
    return text.split("\n\n")


def _field(lines, name):
    """The value of `msgid`, `msgid_plural`, `msgstr` or `msgstr[n]` in one block."""
    out, inside = [], False
    for line in lines:
        if line.startswith(name + " "):
            inside = True
            out.append(line[len(name) + 1 :])
        elif inside and line.startswith('"'):
            out.append(line)
        else:
            inside = False if out else inside
            if out:
                break
    return None if not out else _unquote(out)


def _parse(block):
    lines = block.strip("\n").split("\n")
    if any(line.startswith("#~") for line in lines):
        return None
    msgid = _field(lines, "msgid")
    if msgid is None or msgid == "":
        return None
    plural = _field(lines, "msgid_plural")
    return lines, msgid, plural


def _rebuild(lines, msgid, plural, singular_fr, plural_fr):
    kept = []
    for line in lines:
        if line.startswith("#|"):
            continue
        if line.startswith("#,"):
            flags = [f.strip() for f in line[2:].split(",") if f.strip() != "fuzzy"]
            if flags:
                kept.append("#, " + ", ".join(flags))
            continue
        if line.startswith(("msgid", "msgstr", '"')):
            break
        kept.append(line)
    kept.append("msgid " + _quote(msgid))
    if plural is None:
        kept.append("msgstr " + _quote(singular_fr))
    else:
        kept.append("msgid_plural " + _quote(plural))
        kept.append("msgstr[0] " + _quote(singular_fr))
        kept.append("msgstr[1] " + _quote(plural_fr))
    return "\n".join(kept)


def _missing(text):
    for block in _blocks(text):
        parsed = _parse(block)
        if not parsed:
            continue
        lines, msgid, plural = parsed
        fuzzy = any(line.startswith("#,") and "fuzzy" in line for line in lines)
        values = [_field(lines, "msgstr")] if plural is None else [_field(lines, "msgstr[0]")]
        if fuzzy or not values[0]:
            yield msgid if plural is None else f"{msgid}||{plural}"


def main(argv):
    text = FR_PO.read_text()
    if argv == ["--missing"]:
        for msgid in _missing(text):
            print(msgid.replace("\n", "\\n"))
        return 0
    if len(argv) != 1:
        print(__doc__)
        return 2
    wanted = {}
    for number, raw in enumerate(Path(argv[0]).read_text().splitlines(), 1):
        if not raw.strip():
            continue
        if "\t" not in raw:
            print(f"{argv[0]}:{number}: no tab between msgid and msgstr")
            return 2
        source, french = raw.split("\t", 1)
        wanted[_unescape(source)] = _unescape(french)
    out, filled = [], set()
    for block in _blocks(text):
        parsed = _parse(block)
        if parsed:
            lines, msgid, plural = parsed
            key = msgid if plural is None else f"{msgid}||{plural}"
            if key in wanted:
                singular_fr, _, plural_fr = wanted[key].partition("||")
                block = _rebuild(lines, msgid, plural, singular_fr, plural_fr or singular_fr)
                filled.add(key)
        out.append(block)
    FR_PO.write_text("\n\n".join(out))
    unknown = sorted(set(wanted) - filled)
    for key in unknown:
        print("not in the catalogue:", key.replace("\n", "\\n"))
    print(f"filled {len(filled)} entries; {len(list(_missing(FR_PO.read_text())))} still missing")
    return 1 if unknown else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
