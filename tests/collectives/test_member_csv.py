"""The list of people to invite, read as spreadsheets save it (pure: no database)."""

import codecs

import pytest

from alliance.collectives import member_csv
from alliance.collectives.member_csv import FileRefused, Outcome

STANDINGS = {
    "person": "person",
    "personne accompagnee": "person",
    "proche": "relative",
    "relative": "relative",
    "habitant": "resident",
    "habitante": "resident",
    "resident": "resident",
    "professionnel": "professional",
    "autre": "other",
}
LIMITS = {"max_bytes": 100_000, "max_lines": 50, "standings": STANDINGS}


def _read(data, **limits):
    return member_csv.read(data, **(LIMITS | limits))


def _review(lines, *, members=(), invited=(), cap=10, default="resident"):
    return member_csv.review(
        lines,
        members=set(members),
        invited=set(invited),
        cap=cap,
        standings=STANDINGS,
        default_standing=default,
    )


FRENCH = (
    "Nom;Courriel;Qualité\r\n"
    "Hélène Éluard;helene@example.org;Habitante\r\n"
    "Jérôme Ça;jerome@example.org;Proche\r\n"
)


@pytest.mark.parametrize(
    ("data", "encoding"),
    [
        (FRENCH.encode("utf-8"), "utf-8"),
        (codecs.BOM_UTF8 + FRENCH.encode("utf-8"), "utf-8-sig"),
        (FRENCH.encode("cp1252"), "cp1252"),
        (FRENCH.encode("latin-1"), "cp1252"),  # the same bytes for French letters
        (FRENCH.encode("utf-16"), "utf-16"),  # with its byte-order mark
    ],
)
def test_every_encoding_a_spreadsheet_saves_reads_the_same_names(data, encoding):
    parsed = _read(data)
    assert parsed.encoding == encoding and parsed.separator == ";"
    assert [(x.number, x.name, x.email, x.standing) for x in parsed.lines] == [
        (2, "Hélène Éluard", "helene@example.org", "Habitante"),
        (3, "Jérôme Ça", "jerome@example.org", "Proche"),
    ]


def test_bytes_undefined_in_windows_1252_are_read_as_latin_1():
    parsed = _read("Nom;Email\nA\x81b;a@example.org\n".encode("latin-1"))
    assert parsed.encoding == "latin-1" and parsed.lines[0].name == "A\x81b"


@pytest.mark.parametrize(
    ("text", "separator"),
    [
        ("name,email\nAnne,anne@example.org\n", ","),
        ("name;email\nAnne;anne@example.org\n", ";"),
        ("name\temail\nAnne\tanne@example.org\n", "\t"),
        # A comma inside a quoted name does not make the file comma-separated.
        ('"Dupont, Anne";anne@example.org\n', ";"),
        ("anne@example.org\nbob@example.org\n", ";"),  # one column
    ],
)
def test_the_separator_is_found(text, separator):
    parsed = _read(text.encode())
    assert parsed.separator == separator
    assert parsed.lines[0].email == "anne@example.org"


def test_a_quoted_name_keeps_its_comma_and_a_line_break_keeps_the_line_numbers():
    text = (
        'Nom;Email\n"Dupont, Anne";anne@example.org\n'
        '"Deux\nlignes";b@example.org\nC;c@example.org\n'
    )
    lines = _read(text.encode()).lines
    assert [(x.number, x.name) for x in lines] == [
        (2, "Dupont, Anne"),
        (3, "Deux lignes"),
        (5, "C"),
    ]


def test_without_titles_the_address_is_the_cell_with_an_at_and_the_standing_is_recognised():
    lines = _read(b"Anne;Martin;anne@example.org;Proche\n;;;\nBob;;bob@example.org;\n").lines
    assert [(x.number, x.name, x.email, x.standing) for x in lines] == [
        (1, "Anne Martin", "anne@example.org", "Proche"),
        (3, "Bob", "bob@example.org", ""),
    ]


def test_titles_in_any_order_first_and_last_names_and_mailto():
    text = "E-mail,Prénom,Nom de famille\n<mailto:Anne@Example.org>,Anne,Martin\n"
    line = _read(text.encode()).lines[0]
    assert (line.name, line.email, line.standing) == ("Anne Martin", "Anne@Example.org", "")


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        (b"", "empty"),
        (b" \r\n;;\r\n", "empty"),
        (b"Nom;Email\n", "no_email"),
        (b"Anne;Martin\nBob;Roux\n", "no_email"),
        (b"PK\x03\x04rest of a workbook", "spreadsheet"),
        (b"\xd0\xcf\x11\xe0old excel", "spreadsheet"),
        (b"a\x00b@example.org", "not_text"),
        (codecs.BOM_UTF8 + b"caf\xe9@example.org", "not_text"),
    ],
)
def test_a_file_that_is_not_a_list_of_addresses_is_refused(data, reason):
    with pytest.raises(FileRefused) as refused:
        _read(data)
    assert refused.value.reason == reason


def test_the_size_and_line_caps_refuse_the_whole_file():
    lines = "".join(f"P{i};p{i}@example.org\n" for i in range(51))
    with pytest.raises(FileRefused) as refused:
        _read(lines.encode())
    assert (refused.value.reason, refused.value.limit) == ("too_many_lines", 50)
    assert len(_read(lines.encode(), max_lines=51).lines) == 51
    with pytest.raises(FileRefused) as refused:
        _read(lines.encode(), max_bytes=100)
    assert (refused.value.reason, refused.value.limit) == ("too_large", 100)


def test_every_outcome():
    text = (
        "Nom;Email;Qualité\n"
        "Anne;anne@example.org;\n"  # 2 invite, default standing
        "Bob;bob@example;Proche\n"  # 3 not an address
        "Anne bis;ANNE@example.org;Proche\n"  # 4 repeats line 2
        "Carla;carla@example.org;Voisine\n"  # 5 standing not understood
        f"{'D' * 151};d@example.org;\n"  # 6 name too long
        "Eve;eve@example.org;Habitante\n"  # 7 already a member
        "Fay;fay@example.org;\n"  # 8 already invited
        "Gus;gus@example.org;Professionnel\n"  # 9 invite
        "Hal;hal@example.org;\n"  # 10 over the cap (2)
        "Ida;hal@example.org;\n"  # 11 repeats line 10
    )
    reviewed = _review(
        _read(text.encode()).lines,
        members={"eve@example.org"},
        invited={"fay@example.org"},
        cap=2,
    )
    assert [(r.line.number, r.outcome, r.standing, r.duplicate_of) for r in reviewed] == [
        (2, Outcome.INVITE, "resident", None),
        (3, Outcome.INVALID_EMAIL, "relative", None),
        (4, Outcome.DUPLICATE, "relative", 2),
        (5, Outcome.INVALID_STANDING, "", None),
        (6, Outcome.INVALID_NAME, "resident", None),
        (7, Outcome.MEMBER, "resident", None),
        (8, Outcome.INVITED, "resident", None),
        (9, Outcome.INVITE, "professional", None),
        (10, Outcome.OVER_CAP, "resident", None),
        (11, Outcome.DUPLICATE, "resident", 10),
    ]
    assert member_csv.count(reviewed) == {
        "invite": 2,
        "member": 1,
        "invited": 1,
        "invalid_email": 1,
        "invalid_standing": 1,
        "invalid_name": 1,
        "duplicate": 2,
        "over_cap": 1,
    }


def test_an_invalid_address_is_not_a_first_occurrence():
    lines = _read(b"A;not an address\nB;x@example.org\nC;x@example.org\n").lines
    assert [r.outcome for r in _review(lines)] == [
        Outcome.INVALID_EMAIL,
        Outcome.INVITE,
        Outcome.DUPLICATE,
    ]


@pytest.mark.parametrize(
    "email",
    ["a@b.fr", "prenom.nom+tag@sous.domaine.example.org", "o'brien@example.ie"],
)
def test_addresses_that_are_addresses(email):
    assert member_csv.looks_like_email(email)


@pytest.mark.parametrize(
    "email",
    [
        "",
        "a",
        "a@",
        "@b.fr",
        "a@b",
        "a b@c.fr",
        "a@b@c.fr",
        ".a@b.fr",
        "a..b@c.fr",
        "a@-b.fr",
        "a@b.f",
        "x" * 65 + "@b.fr",
        "a@" + "b" * 250 + ".fr",
    ],
)
def test_addresses_that_are_not(email):
    assert not member_csv.looks_like_email(email)


def test_a_cap_of_zero_invites_nobody():
    lines = _read(b"a@example.org\nb@example.org\n").lines
    assert {r.outcome for r in _review(lines, cap=0)} == {Outcome.OVER_CAP}
