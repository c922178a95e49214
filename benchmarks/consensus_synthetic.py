"""Deterministic synthetic consultations with planted opinion groups and planted
consensus statements, for ``consensus_bench.py``. Only numpy: the red-dwarf
child process imports this module too, from its own virtual environment."""

from __future__ import annotations

from pathlib import Path

import numpy as np

SHARES = (0.5, 0.3, 0.2)
DRIVE_BY = 0.02  # share of participants casting 1 to 6 votes
CONSENSUS_SHARE = 0.05  # share of statements every group agrees with
# vote probabilities (agree, disagree, pass) for a stance
AGREEING = (0.75, 0.15, 0.10)
REJECTING = (0.15, 0.75, 0.10)
CONSENSUAL = (0.80, 0.10, 0.10)


def generate(n: int, m: int, seed: int = 0) -> dict[str, np.ndarray]:
    """Votes as parallel arrays (rows, cols, votes), with the planted truth."""
    rng = np.random.default_rng(seed)
    n_groups = len(SHARES)
    group = np.repeat(np.arange(n_groups), np.round(np.array(SHARES) * n).astype(int))
    group = np.resize(group, n)
    rng.shuffle(group)
    n_consensus = max(2, round(CONSENSUS_SHARE * m))
    consensus = np.sort(rng.choice(m, n_consensus, replace=False))
    # stance[g, j]: True if group g agrees with statement j
    stance = rng.random((n_groups, m)) < 0.5
    # a non-consensus statement must be rejected by at least one group
    all_agree = stance.all(axis=0)
    stance[rng.integers(0, n_groups, m)[all_agree], np.flatnonzero(all_agree)] = False
    probs = np.where(stance[:, :, None], np.array(AGREEING), np.array(REJECTING))
    probs[:, consensus, :] = CONSENSUAL
    cumulative = probs.cumsum(axis=2)  # (g, m, 3)

    share = rng.uniform(0.10, 0.40, n)
    drive_by = rng.random(n) < DRIVE_BY
    rows, cols, votes = [], [], []
    chunk = max(1, 4_000_000 // max(m, 1))
    for start in range(0, n, chunk):
        stop = min(n, start + chunk)
        mask = rng.random((stop - start, m)) < share[start:stop, None]
        r, c = np.nonzero(mask)
        r = r + start
        u = rng.random(r.size)
        cum = cumulative[group[r], c]
        v = np.where(u < cum[:, 0], 1, np.where(u < cum[:, 1], -1, 0)).astype(np.int8)
        rows.append(r.astype(np.int32))
        cols.append(c.astype(np.int32))
        votes.append(v)
    rows_a, cols_a, votes_a = np.concatenate(rows), np.concatenate(cols), np.concatenate(votes)
    # drive-by participants keep only their first 1 to 6 votes
    if drive_by.any():
        limit = np.where(drive_by, rng.integers(1, 7, n), m + 1)
        first = np.searchsorted(rows_a, np.arange(n))  # rows_a is sorted
        rank = np.arange(rows_a.size) - first[rows_a]
        keep = rank < limit[rows_a]
        rows_a, cols_a, votes_a = rows_a[keep], cols_a[keep], votes_a[keep]
    return {
        "rows": rows_a,
        "cols": cols_a,
        "votes": votes_a,
        "group": group.astype(np.int8),
        "consensus": consensus.astype(np.int32),
        "shape": np.array([n, m], dtype=np.int64),
    }


def cached(folder: Path, n: int, m: int, seed: int = 0) -> Path:
    """Path of the generated data set, generated once."""
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"consensus_{n}x{m}_s{seed}.npz"
    if not path.exists():
        data = generate(n, m, seed)
        tmp = path.with_suffix(".tmp.npz")
        np.savez(tmp, **data)
        tmp.rename(path)
    return path


def load(path: Path) -> dict[str, np.ndarray]:
    with np.load(path) as f:
        return {k: f[k] for k in f.files}
