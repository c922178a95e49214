"""Property tests of the engine on edge cases: empty matrix, one participant,
everyone agreeing, all passes, duplicate votes, statements nobody voted on."""

import json

import numpy as np
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from alliance.consensus.opinion_groups import Params, VoteMatrix, compute, current_matrix, update

FAST = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@st.composite
def vote_lists(draw, max_participants=25, max_statements=12):
    n = draw(st.integers(0, max_participants))
    m = draw(st.integers(0, max_statements))
    if n == 0 or m == 0:
        return n, m, [], [], []
    size = draw(st.integers(0, n * m * 2))
    p = draw(st.lists(st.integers(0, n - 1), min_size=size, max_size=size))
    s = draw(st.lists(st.integers(0, m - 1), min_size=size, max_size=size))
    v = draw(st.lists(st.sampled_from([-1, 0, 1]), min_size=size, max_size=size))
    return n, m, p, s, v


DEFAULTS = Params()


def check_invariants(result, matrix, params=DEFAULTS):
    n, m = matrix.shape
    assert result.labels.shape == (n,)
    assert result.coords.shape == (n, 2)
    assert np.isfinite(result.coords).all()
    assert result.consensus.shape == (m,)
    assert ((result.consensus >= 0) & (result.consensus <= 1)).all()
    assert ((result.consensus_disagree >= 0) & (result.consensus_disagree <= 1)).all()
    ids = {g.id for g in result.groups}
    assert len(ids) == len(result.groups) <= params.k_max
    assert set(np.unique(result.labels[result.labels >= 0]).tolist()) == ids
    n_votes = np.diff(matrix.codes.indptr)
    active = int((np.bincount(matrix.codes.indices, minlength=m) > 0).sum())
    threshold = max(1, min(params.min_votes, active))
    assert ((result.labels >= 0) == (n_votes >= threshold)).all()
    assert sum(g.size for g in result.groups) == int((result.labels >= 0).sum())
    assert set(result.common_ground).isdisjoint(result.divisive)
    unvoted = np.flatnonzero(np.bincount(matrix.codes.indices, minlength=m) == 0)
    assert not set(unvoted.tolist()) & set(result.common_ground)
    assert not set(unvoted.tolist()) & set(result.divisive)
    for g in result.groups:
        for rep in g.representative:
            assert 0 <= rep.statement < m and rep.n_trials > 0
    json.dumps(result.to_json_dict())


@FAST
@given(vote_lists())
def test_any_matrix_gives_consistent_results(votes):
    n, m, p, s, v = votes
    matrix = VoteMatrix.from_votes(p, s, v, shape=(n, m))
    result = compute(matrix)
    check_invariants(result, matrix)
    again = compute(matrix)
    assert (again.labels == result.labels).all()
    assert np.array_equal(again.consensus, result.consensus)


@FAST
@given(vote_lists())
def test_duplicate_votes_last_one_wins(votes):
    n, m, p, s, v = votes
    matrix = VoteMatrix.from_votes(p, s, v, shape=(n, m))
    last = {}
    for pi, si, vi in zip(p, s, v, strict=True):
        last[(pi, si)] = vi
    for (pi, si), vi in last.items():
        stmts, values = matrix.row(pi)
        assert values[list(stmts).index(si)] == vi
    assert matrix.n_votes == len(last)


@FAST
@given(
    vote_lists(),
    st.lists(
        st.tuples(st.integers(0, 30), st.integers(0, 14), st.sampled_from([-1, 0, 1])), max_size=20
    ),
)
def test_update_matches_a_recount(votes, batch):
    n, m, p, s, v = votes
    result = compute(VoteMatrix.from_votes(p, s, v, shape=(n, m)))
    bp, bs, bv = (list(x) for x in zip(*batch, strict=True)) if batch else ([], [], [])
    updated = update(result, bp, bs, bv)
    merged = current_matrix(updated)
    expected = VoteMatrix.from_votes(p + bp, s + bs, v + bv, shape=updated.shape)
    assert (merged.codes != expected.codes).nnz == 0
    from alliance.consensus.opinion_groups import _group_counts

    recount = _group_counts(merged.codes, updated.model.position, len(updated.groups))
    assert (recount == updated.counts).all()
    assert (
        (updated.labels >= 0) <= (np.diff(merged.codes.indptr) >= updated.model.threshold)
    ).all()


def test_empty_matrix():
    for shape in [(0, 0), (0, 5), (5, 0), (4, 3)]:
        matrix = VoteMatrix.empty(*shape)
        result = compute(matrix)
        check_invariants(result, matrix)
        assert result.groups == [] and result.common_ground == [] and result.divisive == []
        assert (result.labels == -1).all()


def test_one_participant():
    matrix = VoteMatrix.from_rows([[1, 1, -1, 0, 1, 1, 1, -1]])
    result = compute(matrix)
    check_invariants(result, matrix)
    assert len(result.groups) == 1 and result.labels.tolist() == [0]
    assert result.divisive == []


@FAST
@given(st.integers(1, 40), st.integers(1, 12), st.sampled_from([1, 0, -1]))
def test_everyone_votes_the_same(n, m, vote):
    matrix = VoteMatrix.from_rows([[vote] * m for _ in range(n)])
    result = compute(matrix)
    check_invariants(result, matrix)
    assert len(result.groups) == 1  # nothing tells anybody apart
    assert np.allclose(result.coords, 0)
    assert result.divisive == []
    if vote == 1 and n >= 3:
        assert result.common_ground == list(range(m))
    if vote != 1:
        assert result.common_ground == []
    if vote == 0:
        assert np.allclose(result.consensus, 1 / (n + 2))


def test_statements_nobody_voted_on():
    rows = [[1, -1, None, 1, None], [1, -1, None, -1, None], [-1, 1, None, 1, None]] * 4
    matrix = VoteMatrix.from_rows(rows)
    result = compute(matrix, Params(min_votes=2))
    check_invariants(result, matrix, Params(min_votes=2))
    k = len(result.groups)
    assert np.allclose(result.consensus[[2, 4]], 0.5**k)
    assert not {2, 4} & set(result.common_ground)
