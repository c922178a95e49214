"""Reading a list of people to invite to a collective, as a spreadsheet exports it
(issue 14, ADR 0040). Pure: bytes in, reviewed lines out, no Django, tested
directly.

A French spreadsheet saves CSV with `;` between cells and in Windows-1252; others
use `,`, UTF-8, with or without a byte-order mark. Each line gets one outcome that
the facilitator reads before anything is sent: will be invited, already a member,
already invited, an address that is not one, a line repeating an earlier address,
a standing not understood, a name too long, or over the cap of one batch."""

import codecs
import csv
import enum
import io
import re
import unicodedata
from collections.abc import Callable, Collection, Mapping
from dataclasses import dataclass

SEPARATORS = (";", ",", "\t")
NAME_MAX_LENGTH = 150
EMAIL_MAX_LENGTH = 254


class Outcome(enum.StrEnum):
    INVITE = "invite"
    MEMBER = "member"
    INVITED = "invited"
    INVALID_EMAIL = "invalid_email"
    INVALID_STANDING = "invalid_standing"
    INVALID_NAME = "invalid_name"
    DUPLICATE = "duplicate"
    OVER_CAP = "over_cap"


class FileRefused(ValueError):
    """The file as a whole cannot be read; `reason` says why (one of REASONS)."""

    REASONS = ("empty", "too_large", "too_many_lines", "spreadsheet", "not_text", "no_email")

    def __init__(self, reason: str, limit: int | None = None):
        assert reason in self.REASONS
        super().__init__(reason)
        self.reason, self.limit = reason, limit


@dataclass(frozen=True)
class Line:
    number: int  # the line of the file, as a spreadsheet numbers it
    name: str
    email: str
    standing: str  # as written in the file ("" when the file has no such column)


@dataclass(frozen=True)
class Parsed:
    lines: list[Line]
    encoding: str
    separator: str


@dataclass(frozen=True)
class Reviewed:
    line: Line
    outcome: Outcome
    standing: str  # the standing's code once understood, else ""
    duplicate_of: int | None = None  # the line number of the first occurrence


# Column titles, compared folded (no case, no accents, no spaces or dashes).
EMAIL_TITLES = {"email", "mail", "courriel", "adresse", "adresseemail", "adressemail"}
EMAIL_TITLES |= {"adresseelectronique", "adressecourriel", "emailaddress"}
NAME_TITLES = {"nom", "name", "nomcomplet", "fullname", "prenomnom", "nomprenom", "displayname"}
FIRST_NAME_TITLES = {"prenom", "firstname", "givenname"}
LAST_NAME_TITLES = {"nomdefamille", "lastname", "surname", "familyname"}
STANDING_TITLES = {"standing", "qualite", "participeentantque", "entantque", "statut"}
STANDING_TITLES |= {"takespartas", "role", "profil"}


def fold(text: str) -> str:
    """Lower case, no accents, spaces trimmed: how titles and standings are compared."""
    decomposed = unicodedata.normalize("NFKD", text.strip())
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()


def _title(text: str) -> str:
    return re.sub(r"[\s_\-.'’]+", "", fold(text))


EMAIL_SHAPE = re.compile(
    r"^[A-Za-z0-9!#$%&'*+/=?^_`{|}~.-]+@"
    r"(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)+[A-Za-z]{2,63}$"
)


def looks_like_email(email: str) -> bool:
    """An address a mail server can route (no spaces, one @, a domain with a dot);
    the caller may add its own stricter check."""
    local = email.rpartition("@")[0]
    return (
        len(email) <= EMAIL_MAX_LENGTH
        and 0 < len(local) <= 64
        and not local.startswith(".")
        and not local.endswith(".")
        and ".." not in local
        and bool(EMAIL_SHAPE.match(email))
    )


def decode(data: bytes) -> tuple[str, str]:
    """The text of the file and the encoding it was read in: UTF-8 (with or without
    a byte-order mark), UTF-16 with a mark, else Windows-1252, as French
    spreadsheets save."""
    if data.startswith((b"PK\x03\x04", b"\xd0\xcf\x11\xe0")):
        raise FileRefused("spreadsheet")  # a workbook (.xlsx, .ods, .xls), not a CSV
    try:
        if data.startswith(codecs.BOM_UTF8):
            return data[len(codecs.BOM_UTF8) :].decode("utf-8"), "utf-8-sig"
        if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
            return data.decode("utf-16"), "utf-16"
    except UnicodeDecodeError:
        raise FileRefused("not_text") from None
    try:
        text, encoding = data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        # Windows-1252 leaves five bytes undefined; Latin-1 reads every byte.
        try:
            text, encoding = data.decode("cp1252"), "cp1252"
        except UnicodeDecodeError:
            text, encoding = data.decode("latin-1"), "latin-1"
    if "\x00" in text:
        raise FileRefused("not_text")
    return text, encoding


def sniff_separator(text: str) -> str:
    """The separator of the first line that has one, quoted cells set aside (a name
    "Dupont, Marie" in a `;` file); `;` when no line has any (one column)."""
    for line in text.splitlines():
        unquoted = re.sub(r'"[^"]*"', "", line)
        counts = {sep: unquoted.count(sep) for sep in SEPARATORS}
        best = max(SEPARATORS, key=lambda sep: counts[sep])  # ties go to ";" first
        if counts[best]:
            return best
    return ";"


def _clean_email(cell: str) -> str:
    email = cell.strip().strip("<>").strip()
    if email.lower().startswith("mailto:"):
        email = email[len("mailto:") :]
    return email.strip()


def _columns(header: list[str]) -> dict | None:
    """Column indexes by role when the first row is a row of titles, else None."""
    titles = [_title(cell) for cell in header]
    found = {}
    for role, names in (
        ("email", EMAIL_TITLES),
        ("name", NAME_TITLES),
        ("first", FIRST_NAME_TITLES),
        ("last", LAST_NAME_TITLES),
        ("standing", STANDING_TITLES),
    ):
        index = next((i for i, t in enumerate(titles) if t in names), None)
        if index is not None:
            found[role] = index
    if "email" not in found:
        return None
    return found


def _guess_columns(rows: list[list[str]], standings: Mapping[str, str]) -> dict:
    """Without titles, from the first row that has an @: the address is that cell,
    a standing the cell that names one, the name every other cell in order."""
    first = next((row for row in rows if any("@" in cell for cell in row)), None)
    if first is None:
        raise FileRefused("no_email")
    email = next(i for i, cell in enumerate(first) if "@" in cell)
    standing = next(
        (i for i, cell in enumerate(first) if i != email and fold(cell) in standings), None
    )
    rest = [i for i in range(len(first)) if i not in (email, standing)]
    return {"email": email, "standing": standing, "rest": rest}


def _cell(row: list[str], index: int | None) -> str:
    return row[index].strip() if index is not None and index < len(row) else ""


def read(data: bytes, *, max_bytes: int, max_lines: int, standings: Mapping[str, str]) -> Parsed:
    """The lines of the file, each with its name, address and standing as written.
    `standings` maps each folded way of writing a standing to its code (it is used
    here only to recognise a standing column in a file without titles). Refuses
    (FileRefused) a file that is empty, too large, longer than `max_lines` people,
    not text, or without any address."""
    if not data.strip():
        raise FileRefused("empty")
    if len(data) > max_bytes:
        raise FileRefused("too_large", max_bytes)
    text, encoding = decode(data)
    separator = sniff_separator(text)
    rows = [
        (number, row)
        for number, row in _numbered_rows(text, separator)
        if any(cell.strip() for cell in row)
    ]
    if not rows:
        raise FileRefused("empty")
    columns = _columns(rows[0][1])
    if columns is not None:
        rows = rows[1:]
    else:
        columns = _guess_columns([row for _number, row in rows], standings)
    if len(rows) > max_lines:
        raise FileRefused("too_many_lines", max_lines)
    lines = []
    for number, row in rows:
        if "rest" in columns:
            name = " ".join(c for c in (_cell(row, i) for i in columns["rest"]) if c)
        else:
            name = _cell(row, columns.get("name")) or " ".join(
                c for c in (_cell(row, columns.get("first")), _cell(row, columns.get("last"))) if c
            )
        lines.append(
            Line(
                number=number,
                name=" ".join(name.split()),
                email=_clean_email(_cell(row, columns["email"])),
                standing=_cell(row, columns.get("standing")),
            )
        )
    if not any("@" in line.email for line in lines):
        raise FileRefused("no_email")
    return Parsed(lines=lines, encoding=encoding, separator=separator)


def _numbered_rows(text: str, separator: str):
    """Each row with the number of the line where it starts (a quoted cell may hold
    a line break)."""
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=separator)
    start = 1
    for row in reader:
        yield start, row
        start = reader.line_num + 1


def review(
    lines: list[Line],
    *,
    members: Collection[str],
    invited: Collection[str],
    cap: int,
    standings: Mapping[str, str],
    default_standing: str,
    email_ok: Callable[[str], bool] = looks_like_email,
) -> list[Reviewed]:
    """One outcome per line, in the file's order. `members` and `invited` hold the
    folded addresses of the collective's active members and pending invitations;
    at most `cap` lines are to be invited, the next ones are over the cap. A blank
    standing takes `default_standing`."""
    seen: dict[str, int] = {}
    reviewed = []
    to_invite = 0
    for line in lines:
        key = line.email.casefold()
        standing = standings.get(fold(line.standing), "") if line.standing else default_standing
        if not email_ok(line.email):
            outcome = Outcome.INVALID_EMAIL
        elif key in seen:
            reviewed.append(Reviewed(line, Outcome.DUPLICATE, standing, seen[key]))
            continue
        elif len(line.name) > NAME_MAX_LENGTH:
            outcome = Outcome.INVALID_NAME
        elif not standing:
            outcome = Outcome.INVALID_STANDING
        elif key in members:
            outcome = Outcome.MEMBER
        elif key in invited:
            outcome = Outcome.INVITED
        elif to_invite >= cap:
            outcome = Outcome.OVER_CAP
        else:
            outcome = Outcome.INVITE
            to_invite += 1
        if outcome != Outcome.INVALID_EMAIL:
            seen.setdefault(key, line.number)
        reviewed.append(Reviewed(line, outcome, standing))
    return reviewed


def count(reviewed: list[Reviewed]) -> dict[str, int]:
    """How many lines have each outcome, every outcome named (zero included)."""
    counts = dict.fromkeys(Outcome, 0)
    for row in reviewed:
        counts[row.outcome] += 1
    return {str(outcome): n for outcome, n in counts.items()}
