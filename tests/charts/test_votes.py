"""Agree / disagree / pass bars: valid SVG, words beside every colour, and nothing
drawn for votes too few to show."""

import xml.etree.ElementTree as ET

import pytest

from alliance.charts.votes import VoteBar, VoteLabels, vote_bars, vote_summary

NS = "{http://www.w3.org/2000/svg}"


def chart(bars, **kwargs):
    svg = vote_bars(bars, title="Votes", title_id="t", desc_id="d", **kwargs)
    return ET.fromstring(svg)  # noqa: S314 (our own output)


def test_one_stacked_bar_per_set_of_people_with_its_words():
    root = chart([VoteBar("Everyone", 6, 3, 1), VoteBar("Group A", 5, 0, 0)])
    assert root.get("role") == "img" and root.get("aria-labelledby") == "t d"
    rects = root.findall(f"{NS}rect")
    classes = [r.get("class") for r in rects if r.get("class")]
    assert classes == ["votes-agree", "votes-disagree", "votes-pass", "votes-agree"]
    widths = [float(r.get("width")) for r in rects if r.get("class")]
    assert widths[0] == pytest.approx(2 * widths[1])  # 60 % against 30 %
    assert widths[3] == pytest.approx(sum(widths[:3]))  # 100 %: the whole width
    words = [t.text for t in root.iter(f"{NS}text")]
    assert "Agree 60 % · Disagree 30 % · Pass 10 % (10 votes)" in words
    assert root.find(f"{NS}desc").text == (
        "Everyone: Agree 60 % · Disagree 30 % · Pass 10 % (10 votes); "
        "Group A: Agree 100 % · Disagree 0 % · Pass 0 % (5 votes)."
    )


def test_too_few_votes_draws_no_share():
    root = chart([VoteBar("Group B", 2, 1, 0, shown=False)])
    assert not [
        r for r in root.findall(f"{NS}rect") if (r.get("class") or "").startswith("votes-a")
    ]
    assert [r.get("class") for r in root.findall(f"{NS}rect") if r.get("class")] == ["votes-hidden"]
    assert "too few votes" in [t.text for t in root.iter(f"{NS}text")]


def test_labels_are_the_callers_and_names_are_escaped():
    labels = VoteLabels(
        agree="D'accord", disagree="Pas d'accord", passed="Passe", decimal_separator=","
    )
    svg = vote_bars(
        [VoteBar("<Groupe> & co", 1, 1, 1)], title="Votes", title_id="t", desc_id="d", labels=labels
    )
    assert "&lt;Groupe&gt; &amp; co" in svg and "<Groupe>" not in svg
    assert "D&#39;accord 33 %" in svg
    assert vote_summary([VoteBar("A", 0, 0, 0)], labels) == "A: too few votes."


def test_bad_input_is_refused():
    with pytest.raises(ValueError):
        chart([VoteBar("A", -1, 0, 0)])
    with pytest.raises(ValueError):
        vote_bars([], title="x", title_id="1bad", desc_id="d")
    with pytest.raises(ValueError):
        chart([VoteBar("A", 1, 0, 0)], width=100)
