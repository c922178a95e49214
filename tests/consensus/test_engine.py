"""The opinion-group engine on small hand-made and planted matrices."""

import json

import numpy as np
import pytest

from alliance.consensus.opinion_groups import (
    Params,
    VoteError,
    VoteMatrix,
    compute,
    current_matrix,
    update,
)


def planted(n=300, m=30, seed=1, shares=(0.5, 0.3, 0.2), consensus=(0, 1, 2), density=0.6):
    """Groups with opposite stances on every statement except ``consensus``."""
    rng = np.random.default_rng(seed)
    group = rng.choice(len(shares), size=n, p=shares)
    stance = rng.choice([-1, 1], size=(len(shares), m))
    stance[0] = 1
    stance[1] = -1  # groups 0 and 1 disagree on everything...
    stance[:, list(consensus)] = 1  # ...except the consensus statements
    p, s, v = [], [], []
    for i in range(n):
        for j in range(m):
            if rng.random() < density:
                r = rng.random()
                vote = (
                    stance[group[i], j] if r < 0.85 else (0 if r < 0.93 else -stance[group[i], j])
                )
                p.append(i)
                s.append(j)
                v.append(vote)
    return VoteMatrix.from_votes(p, s, v, shape=(n, m)), group


def ari(a, b):
    from sklearn.metrics import adjusted_rand_score

    return adjusted_rand_score(a, b)


def test_planted_groups_and_consensus_are_found():
    matrix, truth = planted()
    result = compute(matrix)
    assert len(result.groups) == 3
    assert ari(truth, result.labels) > 0.95
    assert set(result.common_ground) == {0, 1, 2}
    assert set(result.divisive) == set(range(3, 30))
    # group-informed consensus is the product of the groups' smoothed agree shares
    na, _, ns = result.counts
    expected = np.prod((na + 1) / (ns + 2), axis=0)
    assert np.allclose(result.consensus, expected)
    assert result.consensus[:3].min() > result.consensus[3:].max()
    # labels: largest group first, ids 0..k-1
    sizes = [g.size for g in result.groups]
    assert sizes == sorted(sizes, reverse=True)
    assert [g.id for g in result.groups] == [0, 1, 2]


def test_the_common_ground_comes_strongest_first():
    # Pages show only the first statements of the common ground: they must be the
    # strongest. Everyone who votes agrees with both statements 0 and 1, but fewer
    # vote on 0, so it is the weaker evidence and index order would put it first.
    p, s, v = [], [], []
    for i in range(200):
        side = 1 if i < 100 else -1
        if i % 5 == 0:
            p.append(i), s.append(0), v.append(1)
        p.append(i), s.append(1), v.append(1)
        for j in range(2, 22):
            p.append(i), s.append(j), v.append(side)
    result = compute(VoteMatrix.from_votes(p, s, v, shape=(200, 22)))
    assert len(result.groups) == 2
    assert result.common_ground == [1, 0]


def test_representative_statements_are_significant_and_directed():
    matrix, _truth = planted()
    result = compute(matrix)
    for group in result.groups:
        assert 1 <= len(group.representative) <= Params().pick_max
        for rep in group.representative:
            assert rep.significant
            assert rep.direction in ("agree", "disagree")
            assert rep.p > 0.5 and rep.repness > 1
            assert rep.statement not in (0, 1, 2)  # consensus does not tell groups apart


def test_participants_with_few_votes_are_not_grouped_but_placed():
    matrix, _ = planted(n=100)
    p, s, v = [100, 100, 101], [3, 4, 5], [1, -1, 0]
    codes = matrix.codes.tocoo()
    bigger = VoteMatrix.from_votes(
        np.r_[codes.row, p], np.r_[codes.col, s], np.r_[codes.data - 2, v], shape=(102, 30)
    )
    result = compute(bigger)
    assert result.labels[100] == -1 and result.labels[101] == -1
    assert (result.labels[:100] >= 0).all()
    assert np.isfinite(result.coords).all()


def test_deterministic():
    matrix, _ = planted(seed=3)
    a = compute(matrix).to_json_dict()
    b = compute(matrix).to_json_dict()
    assert json.dumps(a, sort_keys=True) == json.dumps(b, sort_keys=True)


def test_stable_labels_follow_the_previous_result():
    matrix, _ = planted(seed=4)
    first = compute(matrix)
    # swap the previous labels: a new computation must keep them, not reorder by size
    swapped = first.labels.copy()
    swapped[first.labels == 0], swapped[first.labels == 1] = 1, 0
    first.labels = swapped
    first.groups = [
        type(g)(
            id={0: 1, 1: 0}.get(g.id, g.id), size=g.size, centroid=g.centroid, representative=()
        )
        for g in first.groups
    ]
    again = compute(matrix, previous=first)
    assert (again.labels == swapped).all()
    assert sorted(g.id for g in again.groups) == [0, 1, 2]


def test_new_group_gets_a_fresh_label():
    matrix, _ = planted(seed=5, shares=(0.6, 0.4))
    first = compute(matrix)
    assert len(first.groups) == 2
    matrix3, _truth3 = planted(seed=5, shares=(0.5, 0.3, 0.2))
    second = compute(matrix3, previous=first)
    assert sorted(g.id for g in second.groups) == [0, 1, 2]


def test_update_moves_a_participant_and_keeps_counts_exact():
    matrix, _ = planted(seed=6)
    result = compute(matrix)
    # participant 0 now votes on everything as another group's majority does
    g0 = result.labels[0]
    index, other = next((i, g) for i, g in enumerate(result.groups) if g.id != g0)
    centre = np.array(other.centroid)
    na, nd, _ = result.counts[:, index, :]
    stmts = np.arange(30)
    votes = np.where(na > nd, 1, -1)
    updated = update(result, [0] * len(stmts), stmts, votes)
    assert np.linalg.norm(updated.coords[0] - centre) < np.linalg.norm(result.coords[0] - centre)
    assert updated.labels[0] == other.id
    assert result.labels[0] == g0  # the previous result is untouched
    assert updated.pending_votes == len(stmts)
    # counts equal a recount of the current votes with the current labels
    recount = compute_counts(current_matrix(updated), updated)
    assert (recount == updated.counts).all()


def compute_counts(matrix, result):
    from alliance.consensus.opinion_groups import _group_counts

    return _group_counts(matrix.codes, result.model.position, len(result.groups))


def test_update_with_new_participant_and_new_statement():
    matrix, _ = planted(n=120, m=10, seed=7)
    result = compute(matrix)
    updated = update(result, [120] * 9 + [5], [*list(range(9)), 10], [1] * 9 + [-1])
    assert updated.shape == (121, 11)
    assert updated.labels[120] >= 0
    assert updated.consensus.shape == (11,)
    full = compute(current_matrix(updated), previous=updated)
    assert full.shape == (121, 11)
    assert ari(full.labels[:120], result.labels) > 0.9


def test_update_is_fast_at_scale():
    import time

    rng = np.random.default_rng(0)
    n, m = 20_000, 400
    p = rng.integers(0, n, 1_600_000)
    s = rng.integers(0, m, p.size)
    group = p % 2
    v = np.where(rng.random(p.size) < 0.8, np.where((s % 2) == group, 1, -1), 0)
    result = compute(VoteMatrix.from_votes(p, s, v, shape=(n, m)))
    times = []
    for _ in range(5):
        q, t, w = rng.integers(0, n, 100), rng.integers(0, m, 100), rng.integers(-1, 2, 100)
        start = time.perf_counter()
        update(result, q, t, w)
        times.append(time.perf_counter() - start)
    assert sorted(times)[2] < 0.1


def test_votes_are_validated():
    with pytest.raises(VoteError):
        VoteMatrix.from_votes([0], [0], [2])
    with pytest.raises(VoteError):
        VoteMatrix.from_votes([-1], [0], [1])
    with pytest.raises(VoteError):
        VoteMatrix.from_votes([0, 1], [0], [1])
    with pytest.raises(VoteError):
        VoteMatrix.from_votes([3], [0], [1], shape=(2, 2))
    result = compute(VoteMatrix.from_rows([[1, 1]]))
    with pytest.raises(VoteError):
        update(result, [0], [0], [5])


def test_sparse_end_to_end_on_a_huge_thin_matrix():
    """A million participants × 100,000 statements: dense would be 800 GB."""
    rng = np.random.default_rng(0)
    voters = rng.choice(1_000_000, 3_000, replace=False)
    p = np.repeat(voters, 8)
    s = rng.integers(0, 100_000, p.size)
    v = np.where(voters.repeat(8) % 2 == 0, 1, -1) * np.where(s % 2 == 0, 1, -1)
    result = compute(VoteMatrix.from_votes(p, s, v, shape=(1_000_000, 100_000)))
    assert result.labels.shape == (1_000_000,)
    assert (result.labels >= 0).sum() <= 3_000


def test_to_json_dict_uses_given_ids():
    matrix, _ = planted(n=50, m=8, seed=8)
    result = compute(matrix)
    data = result.to_json_dict([1000 + i for i in range(50)], [f"s{j}" for j in range(8)])
    assert set(data) >= {"groups", "common_ground", "consensus", "divisive", "participants"}
    members = sorted(p for g in data["groups"] for p in g["participants"])
    assert members == [1000 + i for i in range(50) if result.labels[i] >= 0]
    assert set(data["consensus"]) == {f"s{j}" for j in range(8)}
    for g in data["groups"]:
        for rep in g["representative"]:
            assert rep["statement"] in {f"s{j}" for j in range(8)}
    json.dumps(data)
    with pytest.raises(ValueError):
        result.to_json_dict([1, 2], None)
