"""What a consultation's results may show: pure, no database."""

import json
import math

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from alliance.consensus.opinion_groups import VoteMatrix, compute
from alliance.consensus.publication import (
    MIN_GROUP_SIZE,
    Z_90,
    Share,
    _as_id,
    _sort_key,
    divisive_statements,
    map_positions,
    publish,
    snapshot_data,
)


def planted(tenants=12, owners=9, statements=10, seed=0):
    """Tenants agree with 0-3 and reject 4-7, owners the opposite; everyone agrees
    with 8 and 9 (the common ground)."""
    rng = np.random.default_rng(seed)
    rows = []
    for i in range(tenants + owners):
        side = 1 if i < tenants else -1
        row = [side] * 4 + [-side] * 4 + [1, 1]
        rows.append([v if rng.random() > 0.1 else 0 for v in row[:statements]])
    return VoteMatrix.from_rows(rows)


def data_for(matrix, **kwargs):
    result = compute(matrix, **kwargs)
    n, m = matrix.shape
    pids = [f"p{i:04d}" for i in range(n)]
    sids = [100 + j for j in range(m)]
    data = snapshot_data(result, matrix, pids, sids)
    data["summary"]["map"] = [[x, y, g, 1] for x, y, g in map_positions(result, matrix)]
    return data, pids


def test_planted_groups_common_ground_and_divisive():
    data, _ = data_for(planted())
    pub = publish(data["summary"])
    assert sorted(g.size for g in pub.groups) == [9, 12]
    assert pub.others == 0 and pub.participants == 21
    assert {r.statement for r in pub.common_ground} == {108, 109}
    assert set(pub.divisive) and {r.statement for r in pub.divisive} <= set(range(100, 108))
    for g in pub.groups:
        assert g.representative
        for r in g.representative:
            assert r.share.votes >= 5
    cg = pub.common_ground[0]
    assert cg.overall.disagree == 0 and cg.overall.votes == 21 and cg.overall.shown
    assert [gid for gid, _ in cg.by_group] == [g.id for g in pub.groups]
    assert sum(count for *_, count in pub.map) == 21


def test_the_summary_names_nobody_and_the_export_keeps_the_cli_format():
    data, pids = data_for(planted())
    summary = json.dumps(data["summary"])
    assert not any(p in summary for p in pids)
    assert "participants" not in data["summary"]["groups"][0]
    # The export part is exactly the engine's format.
    assert {"groups", "common_ground", "consensus", "participants"} <= set(data)
    assert sorted(p for g in data["groups"] for p in g["participants"]) == pids


def test_a_group_under_five_is_folded_into_others():
    summary = {
        "format": 1,
        "participants": 12,
        "votes": 40,
        "groups": [
            {"id": 0, "size": 8, "centroid": [0, 0], "representative": []},
            {
                "id": 1,
                "size": 4,
                "centroid": [1, 1],
                "representative": [{"statement": 5, "direction": "agree", "significant": True}],
            },
        ],
        "group_votes": {"0": {"5": [0, 8, 8]}, "1": {"5": [4, 0, 4]}},
        "statement_votes": {"5": [4, 8, 12]},
        "common_ground": [],
        "map": [[0.0, 0.0, 0, 8], [1.0, 1.0, 1, 4]],
    }
    pub = publish(summary)
    assert [g.id for g in pub.groups] == [0]
    assert pub.others == 4
    assert pub.map == ((0.0, 0.0, 0, 8), (1.0, 1.0, None, 4))
    # The hidden group alone would make statement 5 divisive: it does not.
    assert pub.divisive == ()


def test_divisive_needs_one_group_for_and_one_against_significantly():
    votes = {
        0: {"1": [9, 0, 10], "2": [9, 0, 10], "3": [3, 2, 5]},
        1: {"1": [0, 9, 10], "2": [8, 1, 10], "3": [2, 3, 5]},
        2: {"1": [5, 5, 10]},
    }
    assert divisive_statements(votes) == [1]
    assert divisive_statements({}) == []


def divisive_by_loop(group_votes) -> list:
    """``divisive_statements`` as it was written before numpy: one statement, one
    group at a time."""
    statements = sorted({s for votes in group_votes.values() for s in votes}, key=_sort_key)
    out = []
    for s in statements:
        agree_shares, supported, rejected = [], False, False
        for votes in group_votes.values():
            a, d, n = votes.get(s, (0, 0, 0))
            pa, pd = (a + 1) / (n + 2), (d + 1) / (n + 2)
            agree_shares.append(pa)
            supported |= pa > 0.5 and 2.0 * math.sqrt(n + 2) * (pa - 0.5) > Z_90
            rejected |= pd > 0.5 and 2.0 * math.sqrt(n + 2) * (pd - 0.5) > Z_90
        if supported and rejected:
            out.append((-(max(agree_shares) - min(agree_shares)), _sort_key(s), s))
    return [_as_id(s) for *_, s in sorted(out)]


@st.composite
def group_votes(draw):
    ids = draw(st.lists(st.sampled_from(["1", "2", "10", "-3", "x", "07"]), unique=True))
    out = {}
    for gid in range(draw(st.integers(0, 5))):
        votes = {}
        for s in draw(st.lists(st.sampled_from(ids), unique=True)) if ids else []:
            agree, disagree, passed = (draw(st.integers(0, 30)) for _ in range(3))
            votes[s] = [agree, disagree, agree + disagree + passed]
        out[gid] = votes
    return out


@given(group_votes())
@settings(max_examples=300, deadline=None)
def test_divisive_statements_are_those_of_the_loop_it_replaced(votes):
    assert divisive_statements(votes) == divisive_by_loop(votes)


def test_divisive_statements_at_the_size_of_a_large_consultation():
    rng = np.random.default_rng(4)
    votes = {}
    for gid in range(4):
        n = rng.integers(0, 400, 2_000)
        agree = rng.binomial(n, rng.uniform(0, 1, 2_000))
        disagree = rng.binomial(n - agree, 0.7)
        votes[gid] = {
            str(j): [int(a), int(d), int(k)]
            for j, (a, d, k) in enumerate(zip(agree, disagree, n, strict=True))
        }
    expected = divisive_by_loop(votes)
    assert len(expected) > 100 and divisive_statements(votes) == expected


def test_shares_need_five_votes():
    assert not Share(3, 0, 4).shown and Share(3, 0, 5).shown
    assert Share(3, 1, 5).agree_percent == 60.0 and Share(0, 0, 0).agree_percent == 0.0


def test_an_unknown_format_is_refused():
    with pytest.raises(ValueError, match="unknown results format"):
        publish({"format": 99})


@st.composite
def matrices(draw):
    n = draw(st.integers(0, 40))
    m = draw(st.integers(0, 12))
    cells = draw(
        st.lists(
            st.tuples(
                st.integers(0, max(n - 1, 0)),
                st.integers(0, max(m - 1, 0)),
                st.sampled_from((-1, 0, 1)),
            ),
            max_size=300 if n and m else 0,
        )
    )
    if not cells:
        return VoteMatrix.empty(n, m)
    p, s, v = zip(*cells, strict=True)
    return VoteMatrix.from_votes(p, s, v, shape=(n, m))


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(matrices(), st.integers(1, 7))
def test_no_shown_group_is_small_and_nobody_is_listed(matrix, min_votes):
    from alliance.consensus.opinion_groups import Params

    data, pids = data_for(matrix, params=Params(min_votes=min_votes))
    pub = publish(json.loads(json.dumps(data["summary"])))
    assert all(g.size >= MIN_GROUP_SIZE for g in pub.groups)
    assert pub.others >= 0
    assert pub.others + sum(g.size for g in pub.groups) == pub.participants
    text = repr(pub) + json.dumps(data["summary"])
    assert not any(p in text for p in pids)
    for g in pub.groups:
        assert all(r.share.votes >= 5 for r in g.representative)
    shown = {g.id for g in pub.groups}
    assert all(gid in shown for r in pub.divisive + pub.common_ground for gid, _ in r.by_group)
    assert all(g is None or g in shown for _, _, g, _ in pub.map)
