"""Pure helpers of reports: need domains and suggestions, the ODS writer, the bar
chart. No database."""

import io
import zipfile
from xml.etree import ElementTree

import pytest

from alliance.charts.bars import bar_chart
from alliance.reports.domains import domain_of, report_domains, suggest_needs
from alliance.reports.ods import content_xml, write_ods


def test_report_domains_are_health_autonomy_and_the_five_of_participation():
    assert report_domains() == ("1.1", "1.2", "1.3.1", "1.3.2", "1.3.3", "1.3.4", "1.3.5")
    assert domain_of("1.1.10") == "1.1"
    assert domain_of("1.3.3.1") == "1.3.3"
    assert domain_of("1.3") == ""
    assert domain_of("") == ""


@pytest.mark.parametrize(
    ("words", "expected"),
    [
        ("Aller à l'école du quartier", "1.3.3.1"),
        ("Trouver un appartement à moi", "1.3.2.1"),
        ("Prendre le bus seul", "1.3.4.2"),
        ("Avoir des amis", "1.3.4.1"),
        ("Être aidé pour prendre des décisions", "1.2.1.4"),
        ("Un travail en ESAT", "1.3.3.2"),
    ],
)
def test_a_need_is_suggested_from_the_words(words, expected):
    assert suggest_needs(words)[0] == expected


def test_nothing_is_suggested_when_no_word_matches():
    assert suggest_needs("") == []
    assert suggest_needs("Bof, on verra.") == []
    assert len(suggest_needs("école travail logement bus amis", limit=3)) == 3


def _sheets(data: bytes):
    archive = zipfile.ZipFile(io.BytesIO(data))
    assert archive.namelist()[0] == "mimetype"
    root = ElementTree.fromstring(archive.read("content.xml"))  # noqa: S314 (our own output)
    t = "{urn:oasis:names:tc:opendocument:xmlns:table:1.0}"
    o = "{urn:oasis:names:tc:opendocument:xmlns:office:1.0}"
    result = {}
    for sheet in root.iter(f"{t}table"):
        rows = []
        for row in sheet.iter(f"{t}table-row"):
            cells = []
            for cell in row.iter(f"{t}table-cell"):
                kind = cell.get(f"{o}value-type")
                if kind == "float":
                    cells.append(int(cell.get(f"{o}value")))
                else:
                    cells.append("".join(cell.itertext()) or None)
            rows.append(cells)
        result[sheet.get(f"{t}name")] = rows
    return result


def test_the_ods_writer_round_trips_text_and_numbers():
    data = write_ods(
        [("Besoins", [["Domaine", "Alliances"], ["Logement & <co>", 12], ["s", None]]), ("B", [])]
    )
    assert _sheets(data) == {
        "Besoins": [["Domaine", "Alliances"], ["Logement & <co>", 12], ["s", None]],
        "B": [],
    }


def test_the_ods_writer_refuses_what_it_cannot_hold():
    with pytest.raises(ValueError):
        content_xml([])
    with pytest.raises(ValueError):
        content_xml([("A", [[1.5]])])


def test_a_bar_chart_draws_one_bar_per_shown_count_and_marks_hidden_ones():
    svg = bar_chart(
        ["Logement", "École", "Transport"],
        [12, None, 0],
        title="Besoins",
        title_id="t",
        desc="Le tableau donne les mêmes nombres.",
        desc_id="d",
    )
    root = ElementTree.fromstring(svg)  # noqa: S314 (our own output)
    ns = "{http://www.w3.org/2000/svg}"
    assert root.get("role") == "img" and root.get("aria-labelledby") == "t d"
    assert len(root.findall(f"{ns}rect")) == 1  # zero and hidden draw no bar
    values = [e.text for e in root.iter(f"{ns}text") if e.get("class") == "bar-value"]
    assert values == ["12", "s", "0"]


def test_a_bar_chart_refuses_bad_input():
    with pytest.raises(ValueError):
        bar_chart(["a"], [1, 2], title="x", title_id="t", desc="", desc_id="d")
    with pytest.raises(ValueError):
        bar_chart(["a"], [-1], title="x", title_id="t", desc="", desc_id="d")
    with pytest.raises(ValueError):
        bar_chart(["a"], [1], title="x", title_id="1 bad", desc="", desc_id="d")
