"""Opinion groups, representative statements and group-informed consensus.

A pure engine in the spirit of Pol.is (no Django, no import of other apps):

1. votes form a sparse participants × statements matrix (agree +1, disagree -1,
   pass 0, missing);
2. the matrix is centred on each statement's mean vote over the participants who
   voted enough; a missing vote is imputed with that mean, so the centred matrix
   keeps the sparsity pattern of the votes (memory grows with the votes, never
   with participants × statements);
3. a rank-2 truncated SVD gives the map; each participant is projected from the
   votes they cast and spread by ``sqrt(n_statements / n_votes)`` so that people
   who voted little do not bunch up in the centre (as Pol.is does);
4. participants with enough votes are summarised by at most 1,600 weighted
   points (their distinct positions, or the occupied cells of a grid over the
   map); k-means with several seeded starts runs on those points for k from 2
   to 5, k is chosen by the weighted silhouette of the points (a larger k must
   win by a margin), and the chosen centroids are refined on the participants —
   linear in the number of participants, never all pairs;
5. per group and statement, Laplace-smoothed proportions ``(n + 1) / (N + 2)``
   give the representative statements (one- and two-proportion z-tests), the
   group-informed consensus (product over groups of the agree probability), the
   common ground (a significant majority agrees in every group) and the divisive
   statements (one group significantly agrees, another significantly disagrees).

``compute`` runs everything; ``update`` folds a batch of new votes into a
previous result in milliseconds (projection on the existing components, nearest
centroid, per-group counts); a full ``compute`` with ``previous=`` then keeps
the group labels stable.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from statistics import NormalDist
from typing import Any

import numpy as np
import scipy.sparse as sp
from scipy.optimize import linear_sum_assignment
from threadpoolctl import threadpool_limits

AGREE, PASS, DISAGREE = 1, 0, -1
_VOTE_VALUES = (DISAGREE, PASS, AGREE)
# Votes are stored as codes vote + 2 (1, 2, 3): a pass must stay a stored entry,
# and scipy drops explicit zeros whenever it canonicalises a matrix.
_OFFSET = 2
_DENSE_LIMIT = 4_000_000  # matrices up to this many cells use a dense SVD


class VoteError(ValueError):
    """Invalid votes given to the engine (unknown value, negative index)."""


# --------------------------------------------------------------------------- matrix


@dataclass(frozen=True)
class VoteMatrix:
    """A sparse participants × statements vote matrix (rows and columns are indices).

    ``codes`` is a canonical CSR array of int8 codes ``vote + 2``; a missing vote
    is an absent entry.
    """

    codes: sp.csr_array

    @property
    def shape(self) -> tuple[int, int]:
        return self.codes.shape

    @property
    def n_votes(self) -> int:
        return int(self.codes.nnz)

    @classmethod
    def empty(cls, n_participants: int = 0, n_statements: int = 0) -> VoteMatrix:
        return cls(sp.csr_array((n_participants, n_statements), dtype=np.int8))

    @classmethod
    def from_votes(
        cls,
        participants: Iterable[int] | np.ndarray,
        statements: Iterable[int] | np.ndarray,
        votes: Iterable[int] | np.ndarray,
        shape: tuple[int, int] | None = None,
    ) -> VoteMatrix:
        """Build the matrix from parallel arrays; when a participant voted several
        times on a statement, the vote that comes last in the arrays wins."""
        p, s, v = _as_vote_arrays(participants, statements, votes)
        if shape is None:
            shape = (int(p.max()) + 1 if p.size else 0, int(s.max()) + 1 if s.size else 0)
        n, m = shape
        if p.size and (p.max() >= n or s.max() >= m):
            raise VoteError(f"vote outside the matrix shape {shape}")
        codes = sp.coo_array(((v + _OFFSET).astype(np.int8), (p, s)), shape=shape).tocsr()
        if codes.nnz != p.size:
            # Duplicate (participant, statement) pairs were summed (codes are
            # positive, so never to zero): keep the last vote of each pair instead.
            key = p.astype(np.int64) * m + s
            order = np.argsort(key, kind="stable")
            sorted_key = key[order]
            last = np.ones(sorted_key.size, dtype=bool)
            last[:-1] = sorted_key[1:] != sorted_key[:-1]
            keep = order[last]
            p, s, v = p[keep], s[keep], v[keep]
            codes = sp.coo_array(((v + _OFFSET).astype(np.int8), (p, s)), shape=shape).tocsr()
        codes.sort_indices()
        return cls(codes)

    @classmethod
    def from_rows(cls, rows: Sequence[Sequence[float | None]]) -> VoteMatrix:
        """A small matrix from nested lists, ``None`` (or NaN) meaning no vote."""
        p, s, v = [], [], []
        width = max((len(r) for r in rows), default=0)
        for i, row in enumerate(rows):
            for j, x in enumerate(row):
                if x is None or (isinstance(x, float) and math.isnan(x)):
                    continue
                p.append(i)
                s.append(j)
                v.append(x)
        return cls.from_votes(p, s, v, shape=(len(rows), width))

    def values(self) -> np.ndarray:
        """The vote values (-1, 0, 1) of the stored entries, in CSR order."""
        return self.codes.data.astype(np.int8) - _OFFSET

    def row(self, i: int) -> tuple[np.ndarray, np.ndarray]:
        """Statements and votes of participant ``i``."""
        start, end = self.codes.indptr[i], self.codes.indptr[i + 1]
        return (
            self.codes.indices[start:end].astype(np.int64),
            self.codes.data[start:end].astype(np.int8) - _OFFSET,
        )


def _as_vote_arrays(participants, statements, votes) -> tuple[np.ndarray, ...]:
    p = np.asarray(list(participants) if not isinstance(participants, np.ndarray) else participants)
    s = np.asarray(list(statements) if not isinstance(statements, np.ndarray) else statements)
    v = np.asarray(list(votes) if not isinstance(votes, np.ndarray) else votes)
    if not (p.shape == s.shape == v.shape) or p.ndim != 1:
        raise VoteError("participants, statements and votes must be 1-D arrays of one length")
    if p.size == 0:
        return np.zeros(0, np.int64), np.zeros(0, np.int64), np.zeros(0, np.int8)
    for name, a in (("participant", p), ("statement", s), ("vote", v)):
        if not (np.issubdtype(a.dtype, np.integer) or np.issubdtype(a.dtype, np.floating)):
            raise VoteError(f"{name} values must be numbers")
        if np.issubdtype(a.dtype, np.floating) and not np.all(np.isfinite(a) & (a == np.round(a))):
            raise VoteError(f"{name} values must be whole numbers")
    # integer indices keep their dtype (int32 halves the memory of large inputs)
    p = p if np.issubdtype(p.dtype, np.integer) else p.astype(np.int64)
    s = s if np.issubdtype(s.dtype, np.integer) else s.astype(np.int64)
    if p.min() < 0 or s.min() < 0:
        raise VoteError("participant and statement indices must be non-negative")
    bad = (v < -1) | (v > 1) | (v != np.round(v))
    if bad.any():
        raise VoteError(f"unknown vote value {v[bad][0]!r} (expected -1, 0 or 1)")
    return p, s, v.astype(np.int8)


# --------------------------------------------------------------------------- results


@dataclass(frozen=True)
class Params:
    """Engine settings; one set of defaults for every conversation."""

    min_votes: int = 7  # a participant needs this many votes to join a group (Pol.is: 7)
    k_min: int = 2
    k_max: int = 5
    summary_points: int = 1600  # k is chosen on at most this many weighted points
    n_init: int = 30  # seeded k-means starts for the opinion groups
    seed: int = 0
    confidence: float = 0.90  # one-sided, for every z-test
    pick_max: int = 5  # representative statements per group
    k_margin: float = 0.02  # a larger k must beat a smaller one's silhouette by this much


@dataclass(frozen=True)
class Representative:
    statement: int  # column index
    direction: str  # "agree" | "disagree"
    n_success: int  # votes in that direction inside the group
    n_trials: int  # votes (agree, disagree or pass) inside the group
    p: float  # smoothed share in the group, (n_success + 1) / (n_trials + 2)
    p_z: float  # one-proportion z-test of p against 1/2
    repness: float  # p divided by the same share outside the group
    repness_z: float  # two-proportion z-test, group against the others
    significant: bool


@dataclass(frozen=True)
class Group:
    id: int  # stable label
    size: int
    centroid: tuple[float, float]
    representative: tuple[Representative, ...]


@dataclass
class _Model:
    """What ``update`` needs to fold new votes into a result."""

    matrix: VoteMatrix  # votes of the last full computation
    overrides: dict[int, dict[int, int]]  # participant -> statement -> vote, since then
    mean: np.ndarray  # (m,) mean vote per statement used for centring
    components: np.ndarray  # (m, 2)
    n_active: int  # statements that had votes, for the sparsity scaling
    withdrawn: int  # statements moderated out, counted as seen in the scaling (Pol.is)
    threshold: int  # votes needed to be clustered
    centroids: np.ndarray  # (k, 2), row g is the group with label group_ids[g]
    group_ids: np.ndarray  # (k,) stable labels
    position: np.ndarray  # (n,) row of the participant's group in centroids, -1 if none
    n_votes: np.ndarray  # (n,) votes per participant (current)
    counts: np.ndarray  # (3, k, m) agree, disagree, all votes per group
    params: Params
    pending_votes: int = 0  # votes folded in by ``update`` since the full computation


@dataclass
class Result:
    labels: np.ndarray  # (n,) stable group label, -1 when the participant is not in a group
    coords: np.ndarray  # (n, 2) position on the map
    groups: list[Group]
    consensus: np.ndarray  # (m,) group-informed consensus, product of agree probabilities
    consensus_disagree: np.ndarray  # (m,) the same for disagreement
    common_ground: list[int]  # statements a significant majority agrees with in every group
    divisive: list[int]  # statements some group agrees with and another rejects
    k_scores: dict[int, float]  # weighted silhouette of each candidate number of groups
    counts: np.ndarray  # (3, k, m): agree, disagree and all votes per group (groups order)
    model: _Model = field(repr=False)

    @property
    def shape(self) -> tuple[int, int]:
        return self.model.position.shape[0], self.model.mean.shape[0]

    @property
    def pending_votes(self) -> int:
        return self.model.pending_votes

    def to_json_dict(
        self,
        participant_ids: Sequence[Any] | None = None,
        statement_ids: Sequence[Any] | None = None,
    ) -> dict[str, Any]:
        """Plain JSON-ready data, with the caller's ids for rows and columns."""
        n, m = self.shape
        pids = list(range(n)) if participant_ids is None else list(participant_ids)
        sids = list(range(m)) if statement_ids is None else list(statement_ids)
        if len(pids) != n or len(sids) != m:
            raise ValueError("ids do not match the matrix shape")
        pids, sids = [_plain(x) for x in pids], [_plain(x) for x in sids]
        groups = []
        for g in self.groups:
            members = np.flatnonzero(self.labels == g.id)
            groups.append(
                {
                    "id": g.id,
                    "size": g.size,
                    "centroid": [round(g.centroid[0], 6), round(g.centroid[1], 6)],
                    "participants": [pids[i] for i in members],
                    "representative": [
                        {
                            "statement": sids[r.statement],
                            "direction": r.direction,
                            "n_success": r.n_success,
                            "n_trials": r.n_trials,
                            "p": round(r.p, 6),
                            "p_z": round(r.p_z, 6),
                            "repness": round(r.repness, 6),
                            "repness_z": round(r.repness_z, 6),
                            "significant": r.significant,
                        }
                        for r in g.representative
                    ],
                }
            )
        return {
            "n_participants": n,
            "n_statements": m,
            "n_votes": int(self.model.n_votes.sum()),
            "n_grouped": int((self.labels >= 0).sum()),
            "k_scores": {str(k): round(v, 6) for k, v in self.k_scores.items()},
            "groups": groups,
            "common_ground": [sids[j] for j in self.common_ground],
            "divisive": [sids[j] for j in self.divisive],
            "consensus": {str(sids[j]): round(float(c), 6) for j, c in enumerate(self.consensus)},
            "consensus_disagree": {
                str(sids[j]): round(float(c), 6) for j, c in enumerate(self.consensus_disagree)
            },
            "participants": {
                str(pids[i]): {
                    "group": int(self.labels[i]) if self.labels[i] >= 0 else None,
                    "x": round(float(self.coords[i, 0]), 6),
                    "y": round(float(self.coords[i, 1]), 6),
                }
                for i in range(n)
            },
        }


def _plain(x: Any) -> Any:
    return x.item() if isinstance(x, np.generic) else x


# --------------------------------------------------------------------------- compute


def compute(
    matrix: VoteMatrix,
    params: Params | None = None,
    previous: Result | None = None,
    withdrawn: int = 0,
) -> Result:
    """Full computation. With ``previous``, groups keep the labels of the previous
    groups they overlap most (Hungarian matching on shared participants).

    ``withdrawn`` is the number of statements moderated out of the consultation
    (not columns of ``matrix``): Pol.is keeps them as columns of zeros, which
    every participant has "seen" in its sparsity scaling; counting them the same
    way keeps our map and groups close to Pol.is'."""
    if withdrawn < 0:
        raise ValueError("withdrawn must be >= 0")
    # The dense products here are tall and thin (participants × 4 at most): one
    # BLAS thread does them in milliseconds, while several threads fighting for
    # busy cores can take a hundred times longer.
    with threadpool_limits(1, user_api="blas"):
        return _compute(matrix, params, previous, withdrawn)


def _compute(
    matrix: VoteMatrix, params: Params | None, previous: Result | None, withdrawn: int
) -> Result:
    params = params or Params()
    codes = matrix.codes
    n, m = codes.shape
    indptr, indices = codes.indptr, codes.indices
    n_votes = np.diff(indptr).astype(np.int64)
    voted_statements = np.bincount(indices, minlength=m) > 0 if m else np.zeros(0, bool)
    n_active = int(voted_statements.sum())
    threshold = max(1, min(params.min_votes, n_active))
    clusterable = n_votes >= threshold

    # Centre on the mean vote of the clusterable participants (mean imputation):
    # the centred matrix keeps the sparsity pattern of the votes.
    fit = clusterable.astype(np.float64)
    y = sp.csr_array((np.ones(codes.nnz), indices, indptr), shape=(n, m))
    cnts = y.T @ fit
    np.subtract(codes.data, _OFFSET, out=y.data, casting="unsafe")
    sums = y.T @ fit
    mean = np.divide(sums, cnts, out=np.zeros(m), where=cnts > 0)
    y.data -= mean[indices]

    components = _principal_components(y, clusterable, params)
    coords = _project(y, components, n_votes, n_active, withdrawn)
    del y

    fit_rows = np.flatnonzero(clusterable)
    centroids, k_scores = _opinion_groups(coords[fit_rows], params)
    position = np.full(n, -1, dtype=np.int64)
    if len(centroids):
        position[fit_rows] = _nearest(coords[fit_rows], centroids)
        # drop groups that ended up empty, keep the rest
        used = np.unique(position[fit_rows])
        remap = np.full(len(centroids), -1)
        remap[used] = np.arange(len(used))
        centroids = centroids[used]
        position[fit_rows] = remap[position[fit_rows]]

    counts = _group_counts(codes, position, len(centroids))
    order, group_ids = _stable_labels(centroids, position, counts, previous)
    centroids, counts = centroids[order], counts[:, order, :]
    inverse = np.empty(len(order), dtype=np.int64)
    inverse[order] = np.arange(len(order))
    if len(order):
        position = np.where(position >= 0, inverse[np.maximum(position, 0)], -1)

    model = _Model(
        matrix=matrix,
        overrides={},
        mean=mean,
        components=components,
        n_active=n_active,
        withdrawn=withdrawn,
        threshold=threshold,
        centroids=centroids,
        group_ids=group_ids,
        position=position,
        n_votes=n_votes,
        counts=counts,
        params=params,
    )
    return _summarise(model, coords, k_scores)


def _principal_components(y: sp.csr_array, clusterable: np.ndarray, params: Params) -> np.ndarray:
    """Top two right singular vectors of the centred matrix ``y`` restricted to the
    clusterable participants (m × 2), signs fixed so results are deterministic."""
    n, m = y.shape
    out = np.zeros((m, 2))
    fit_rows = np.flatnonzero(clusterable)
    if fit_rows.size == 0 or m == 0:
        return out
    r = min(2, fit_rows.size, m)
    if min(fit_rows.size, m) <= 2 or fit_rows.size * m <= _DENSE_LIMIT:
        _, sv, vt = np.linalg.svd(y[fit_rows].toarray(), full_matrices=False)
    elif fit_rows.size < n // 2:
        sv, vt = _subspace_iteration(y[fit_rows], None, params.seed)
    else:  # mask the other participants' rows out rather than copy most of the matrix
        sv, vt = _subspace_iteration(y, clusterable.astype(y.dtype), params.seed)
    for c in range(r):
        if sv[c] <= 1e-12 * max(1.0, sv[0]):
            break  # no spread along this axis
        v = vt[c]
        if v[np.argmax(np.abs(v))] < 0:
            v = -v
        out[:, c] = v
    return out


def _subspace_iteration(
    y: sp.csr_array, mask: np.ndarray | None, seed: int, block: int = 4, max_iter: int = 50
) -> tuple[np.ndarray, np.ndarray]:
    """Top two singular values and right singular vectors of ``y`` (rows scaled
    by ``mask``) by block power iteration with Rayleigh-Ritz, as Pol.is uses power
    iteration: each step is two sparse products with a block of 4 vectors, the
    start is seeded, and the number of steps is bounded (a flat spectrum has no
    direction worth waiting for)."""
    m = y.shape[1]
    yt = y.T
    b = min(block, m)
    q = _orthonormal(np.random.default_rng(seed).standard_normal((m, b)))
    previous = None
    sv, ritz = np.zeros(2), np.zeros((m, 2))
    for _ in range(max_iter):
        if q.shape[1] == 0:
            break  # the matrix is zero
        left = y @ q
        if mask is not None:
            left *= mask[:, None]
        gram = left.T @ left
        values, vectors = np.linalg.eigh(gram)
        top = np.argsort(-values, kind="stable")[:2]
        ritz = q @ vectors[:, top]
        sv = np.sqrt(np.maximum(values[top], 0))
        if previous is not None:
            cosines = np.linalg.svd(previous.T @ ritz, compute_uv=False)
            if cosines.min() > 1 - 1e-10:
                break
        previous = ritz
        q = _orthonormal(yt @ left)
    if len(sv) < 2:
        sv, ritz = np.r_[sv, np.zeros(2 - len(sv))], np.c_[ritz, np.zeros((m, 2 - ritz.shape[1]))]
    return sv, ritz.T


def _orthonormal(z: np.ndarray) -> np.ndarray:
    """An orthonormal basis of the columns of a tall ``z`` (Cholesky-QR done twice,
    dropping null directions): only small b × b factorisations."""
    for _ in range(2):
        values, vectors = np.linalg.eigh(z.T @ z)
        keep = values > max(values.max(initial=0.0), 1e-300) * 1e-12
        z = z @ (vectors[:, keep] / np.sqrt(values[keep]))
    return z


def _project(y: sp.csr_array, components, n_votes, n_active, withdrawn) -> np.ndarray:
    """Pol.is' sparsity-aware projection: the centred votes a participant cast,
    on the components, spread by sqrt(active statements / votes cast)."""
    if y.shape[0] == 0:
        return np.zeros((0, 2))
    raw = y @ components
    scale = np.sqrt((n_active + withdrawn) / np.maximum(n_votes + withdrawn, 1))
    return raw * scale[:, None]


def _project_rows(rows, model: _Model) -> np.ndarray:
    """Projection of a few participants given as (statements, votes) pairs."""
    out = np.zeros((len(rows), 2))
    for i, (stmts, votes) in enumerate(rows):
        if len(stmts):
            centred = votes - model.mean[stmts]
            out[i] = centred @ model.components[stmts]
            out[i] *= math.sqrt((model.n_active + model.withdrawn) / (len(stmts) + model.withdrawn))
    return out


def _nearest(x: np.ndarray, centroids: np.ndarray) -> np.ndarray:
    d = ((x[:, None, :] - centroids[None, :, :]) ** 2).sum(axis=2)
    return np.argmin(d, axis=1)


def _opinion_groups(x: np.ndarray, params: Params) -> tuple[np.ndarray, dict[int, float]]:
    """Group centroids for the clusterable participants' coordinates ``x``.

    Participants are summarised by weighted points: their distinct positions, or
    when there are more than ``summary_points`` of them, the occupied cells of a
    square grid over the map (each cell stands at the mean of its participants).
    For each k, weighted k-means runs on those points with several seeded starts
    and is scored by the weighted silhouette; the best k (a larger k must win by
    ``k_margin``) is then refined by Lloyd iterations on the participants.
    """
    if len(x) == 0:
        return np.zeros((0, 2)), {}
    points, weight = _summarise_points(x, params.summary_points)
    if len(points) < max(params.k_min, 2):
        return x.mean(axis=0, keepdims=True), {}
    dist = np.sqrt(((points[:, None, :] - points[None, :, :]) ** 2).sum(axis=2))
    scores: dict[int, float] = {}
    best: tuple[float, int, np.ndarray] | None = None
    for k in range(params.k_min, min(params.k_max, len(points)) + 1):
        centres, labels = _weighted_kmeans(points, weight, k, params.n_init, params.seed)
        score = _weighted_silhouette(dist, labels, weight)
        scores[k] = score
        if best is None or score > best[0] + params.k_margin:
            best = (score, k, centres)
    assert best is not None
    return _lloyd(x, best[2]), scores


def _weighted_kmeans(
    points: np.ndarray, weight: np.ndarray, k: int, n_init: int, seed: int
) -> tuple[np.ndarray, np.ndarray]:
    """Weighted k-means (k-means++ starts, Lloyd iterations); the start with the
    lowest inertia wins. Deterministic for a given seed."""
    rng = np.random.default_rng([seed, k])
    best: tuple[float, np.ndarray, np.ndarray] | None = None
    for _ in range(n_init):
        centres = _kmeans_plus_plus(points, weight, k, rng)
        for _ in range(300):
            labels = _nearest(points, centres)
            mass = np.bincount(labels, weights=weight, minlength=k)
            new = centres.copy()
            filled = mass > 0
            for c in range(points.shape[1]):
                total = np.bincount(labels, weights=weight * points[:, c], minlength=k)
                new[filled, c] = total[filled] / mass[filled]
            if np.array_equal(new, centres):
                break
            centres = new
        labels = _nearest(points, centres)
        inertia = float((weight * ((points - centres[labels]) ** 2).sum(axis=1)).sum())
        if best is None or inertia < best[0] * (1 - 1e-12):
            best = (inertia, centres, labels)
    assert best is not None
    return best[1], best[2]


def _kmeans_plus_plus(points, weight, k, rng) -> np.ndarray:
    chosen = [int(rng.choice(len(points), p=weight / weight.sum()))]
    d2 = ((points - points[chosen[0]]) ** 2).sum(axis=1)
    for _ in range(1, k):
        p = weight * d2
        total = p.sum()
        if total > 0:
            nxt = int(rng.choice(len(points), p=p / total))
        else:  # every point sits on a centre already
            nxt = next(i for i in range(len(points)) if i not in chosen)
        chosen.append(nxt)
        d2 = np.minimum(d2, ((points - points[nxt]) ** 2).sum(axis=1))
    return points[chosen].copy()


def _summarise_points(x: np.ndarray, limit: int) -> tuple[np.ndarray, np.ndarray]:
    """Weighted points standing for the rows of ``x`` (see ``_opinion_groups``)."""
    distinct, inverse = np.unique(np.round(x, 9), axis=0, return_inverse=True)
    if len(distinct) <= limit:
        weight = np.bincount(inverse.ravel(), minlength=len(distinct)).astype(float)
        return distinct, weight
    side = max(2, math.isqrt(limit))
    lo, hi = x.min(axis=0), x.max(axis=0)
    step = np.where(hi > lo, (hi - lo) / side, 1.0)
    cell = np.minimum(((x - lo) / step).astype(np.int64), side - 1)
    key = cell[:, 0] * side + cell[:, 1]
    occupied, inverse = np.unique(key, return_inverse=True)
    weight = np.bincount(inverse, minlength=len(occupied)).astype(float)
    points = np.stack(
        [np.bincount(inverse, weights=x[:, c], minlength=len(occupied)) / weight for c in (0, 1)],
        axis=1,
    )
    return points, weight


def _lloyd(x: np.ndarray, centres: np.ndarray, iterations: int = 20) -> np.ndarray:
    """Refine centres on the participants themselves (not the base clusters)."""
    centres = centres.copy()
    for _ in range(iterations):
        label = _nearest(x, centres)
        moved = False
        for g in range(len(centres)):
            members = x[label == g]
            if len(members):
                new = members.mean(axis=0)
                moved |= not np.allclose(new, centres[g], atol=1e-10)
                centres[g] = new
        if not moved:
            break
    return centres


def _weighted_silhouette(dist: np.ndarray, labels: np.ndarray, weight: np.ndarray) -> float:
    """Silhouette of points standing for ``weight`` identical participants each."""
    k = labels.max() + 1
    if k < 2:
        return -1.0
    onehot = np.zeros((len(labels), k))
    onehot[np.arange(len(labels)), labels] = weight
    total = dist @ onehot  # (b, k) weighted sum of distances to each group
    size = onehot.sum(axis=0)
    own = size[labels] - 1.0  # the other participants in one's own group
    a = np.divide(
        total[np.arange(len(labels)), labels], own, out=np.zeros(len(labels)), where=own > 0
    )
    other = np.where(np.arange(k)[None, :] == labels[:, None], np.inf, total / np.maximum(size, 1))
    other[:, size == 0] = np.inf
    b = other.min(axis=1)
    denom = np.maximum(a, b)
    s = np.divide(b - a, denom, out=np.zeros(len(labels)), where=(denom > 0) & np.isfinite(b))
    s[own <= 0] = 0.0  # a participant alone in its group scores 0
    return float((s * weight).sum() / weight.sum())


def _group_counts(codes: sp.csr_array, position: np.ndarray, k: int) -> np.ndarray:
    """(3, k, m): agree, disagree and all votes on each statement per group."""
    n, m = codes.shape
    counts = np.zeros((3, k, m), dtype=np.int64)
    inside = position >= 0
    if k == 0 or codes.nnz == 0 or not inside.any():
        return counts
    onehot = np.zeros((n, k), dtype=np.float64)
    onehot[np.flatnonzero(inside), position[inside]] = 1.0
    indicator = sp.csr_array((np.empty(codes.nnz), codes.indices, codes.indptr), shape=(n, m))
    for i, keep in enumerate(
        (codes.data == AGREE + _OFFSET, codes.data == DISAGREE + _OFFSET, None)
    ):
        indicator.data[:] = 1.0 if keep is None else keep
        counts[i] = np.rint(indicator.T @ onehot).T.astype(np.int64)
    return counts


def _stable_labels(centroids, position, counts, previous) -> tuple[np.ndarray, np.ndarray]:
    """Order of the groups and their labels: largest first (then by centroid), or
    matched to the previous result's labels by overlap."""
    k = len(centroids)
    sizes = np.bincount(position[position >= 0], minlength=k)
    order = np.array(
        sorted(range(k), key=lambda g: (-sizes[g], *np.round(centroids[g], 9).tolist())),
        dtype=np.int64,
    )
    labels = np.arange(k, dtype=np.int64)
    if previous is None or k == 0 or not previous.groups:
        return order, labels
    prev_ids = [g.id for g in previous.groups]
    common = min(len(position), len(previous.labels))
    overlap = np.zeros((k, len(prev_ids)))
    for j, pid in enumerate(prev_ids):
        members = previous.labels[:common] == pid
        overlap[:, j] = np.bincount(
            position[:common][members & (position[:common] >= 0)], minlength=k
        )
    overlap = overlap[order]
    r, c = linear_sum_assignment(-overlap)
    assigned = {int(i): prev_ids[j] for i, j in zip(r, c, strict=True) if overlap[i, j] > 0}
    taken = set(assigned.values())
    fresh = (x for x in range(10**9) if x not in taken)
    for i in range(k):
        labels[i] = assigned[i] if i in assigned else next(fresh)
    return order, labels


# --------------------------------------------------------------------------- statistics


def _summarise(model: _Model, coords: np.ndarray, k_scores: dict[int, float]) -> Result:
    params = model.params
    position = model.position
    labels = np.full(len(position), -1, dtype=np.int64)
    labels[position >= 0] = model.group_ids[position[position >= 0]]
    counts = model.counts
    k, m = counts.shape[1], counts.shape[2]
    z = NormalDist().inv_cdf(params.confidence)

    if k == 0:  # nobody voted enough: everyone who voted forms one pseudo-group
        whole = _group_counts(
            model.matrix.codes, np.zeros(model.matrix.shape[0], dtype=np.int64), 1
        )
        stat_counts = whole
    else:
        stat_counts = counts
    na, nd, ns = stat_counts.astype(np.float64)
    pa, pd = (na + 1) / (ns + 2), (nd + 1) / (ns + 2)
    pa_z, pd_z = _one_prop_z(pa, ns), _one_prop_z(pd, ns)
    consensus = np.prod(pa, axis=0) if m else np.zeros(0)
    consensus_disagree = np.prod(pd, axis=0) if m else np.zeros(0)

    supported = (pa > 0.5) & (pa_z > z)
    rejected = (pd > 0.5) & (pd_z > z)
    if k == 0:
        common = np.zeros(m, dtype=bool)
        split = np.zeros(m, dtype=bool)
    else:
        common = supported.all(axis=0)
        split = supported.any(axis=0) & rejected.any(axis=0)
    common_ground = sorted(np.flatnonzero(common).tolist(), key=lambda j: (-consensus[j], j))
    spread = pa.max(axis=0) - pa.min(axis=0) if m else np.zeros(0)
    divisive = sorted(np.flatnonzero(split).tolist(), key=lambda j: (-spread[j], j))

    groups = []
    if k:
        sizes = np.bincount(position[position >= 0], minlength=k)
        reps = _representatives(na, nd, ns, z, params.pick_max)
        for g in range(k):
            groups.append(
                Group(
                    id=int(model.group_ids[g]),
                    size=int(sizes[g]),
                    centroid=(float(model.centroids[g, 0]), float(model.centroids[g, 1])),
                    representative=tuple(reps[g]),
                )
            )
    return Result(
        labels=labels,
        coords=coords,
        groups=groups,
        consensus=consensus,
        consensus_disagree=consensus_disagree,
        common_ground=common_ground,
        divisive=divisive,
        k_scores=k_scores,
        counts=counts,
        model=model,
    )


def _one_prop_z(p: np.ndarray, n: np.ndarray) -> np.ndarray:
    """z of a smoothed share against 1/2: (p - 1/2) / sqrt(1/4 / (n + 2))."""
    return 2.0 * np.sqrt(n + 2) * (p - 0.5)


def _two_prop_z(s_in, n_in, s_out, n_out) -> np.ndarray:
    """Two-proportion z-test on Laplace-smoothed counts (group against the rest)."""
    p_in, p_out = (s_in + 1) / (n_in + 2), (s_out + 1) / (n_out + 2)
    pooled = (s_in + s_out + 2) / (n_in + n_out + 4)
    se = np.sqrt(pooled * (1 - pooled) * (1 / (n_in + 2) + 1 / (n_out + 2)))
    return np.divide(p_in - p_out, se, out=np.zeros_like(p_in), where=se > 0)


def _representatives(na, nd, ns, z, pick_max) -> list[list[Representative]]:
    """Per group, up to ``pick_max`` statements whose agree (or disagree) share is
    significantly above 1/2 in the group and significantly above the share
    outside it, best first by repness × z × p × z (as Pol.is ranks them). When
    none passes, the one with the highest repness z is kept, flagged not
    significant, so that every group says something."""
    k, _ = ns.shape
    out = []
    for g in range(k):
        o_s = ns.sum(0) - ns[g]
        best_metric, best_dir, rows = None, None, {}
        for direction, s_in, s_all in (("agree", na[g], na.sum(0)), ("disagree", nd[g], nd.sum(0))):
            s_out = s_all - s_in
            p = (s_in + 1) / (ns[g] + 2)
            p_z = _one_prop_z(p, ns[g])
            rep = p / ((s_out + 1) / (o_s + 2))
            rep_z = _two_prop_z(s_in, ns[g], s_out, o_s)
            sig = (p_z > z) & (rep_z > z) & (ns[g] > 0)
            metric = np.where(sig, rep * rep_z * p * p_z, -np.inf)
            rows[direction] = (s_in, p, p_z, rep, rep_z, sig)
            if best_metric is None:
                best_metric, best_dir = metric, np.zeros(len(metric), dtype=np.int8)
            else:
                better = metric > best_metric
                best_metric = np.where(better, metric, best_metric)
                best_dir = np.where(better, 1, best_dir)
        significant = np.flatnonzero(np.isfinite(best_metric))
        if significant.size:
            order = np.lexsort((significant, -best_metric[significant]))
            chosen = [(int(j), int(best_dir[j])) for j in significant[order][:pick_max]]
        else:
            voted = np.flatnonzero(ns[g] > 0)
            chosen = []
            if voted.size:
                zs = np.stack([rows["agree"][4][voted], rows["disagree"][4][voted]])
                d, i = np.unravel_index(np.argmax(zs), zs.shape)
                chosen = [(int(voted[i]), int(d))]
        reps = []
        for j, d in chosen:
            direction = ("agree", "disagree")[d]
            s_in, p, p_z, rep, rep_z, sig = rows[direction]
            reps.append(
                Representative(
                    statement=j,
                    direction=direction,
                    n_success=int(s_in[j]),
                    n_trials=int(ns[g, j]),
                    p=float(p[j]),
                    p_z=float(p_z[j]),
                    repness=float(rep[j]),
                    repness_z=float(rep_z[j]),
                    significant=bool(sig[j]),
                )
            )
        out.append(reps)
    return out


# --------------------------------------------------------------------------- update


def update(
    result: Result,
    participants: Iterable[int] | np.ndarray,
    statements: Iterable[int] | np.ndarray,
    votes: Iterable[int] | np.ndarray,
) -> Result:
    """Fold a batch of votes (last one wins) into ``result`` without refitting.

    Affected participants are projected on the existing components and moved to
    the nearest existing centroid (or out of the groups when they voted too
    little); per-group counts, representative statements and consensus are
    refreshed. New participants or statements extend the matrix. The returned
    result shares nothing mutable with ``result``.
    """
    p, s, v = _as_vote_arrays(participants, statements, votes)
    old = result.model
    n, m = result.shape
    n2 = max(n, int(p.max()) + 1 if p.size else 0)
    m2 = max(m, int(s.max()) + 1 if s.size else 0)
    labels_pos = np.full(n2, -1, dtype=np.int64)
    labels_pos[:n] = old.position
    n_votes = np.zeros(n2, dtype=np.int64)
    n_votes[:n] = old.n_votes
    coords = np.zeros((n2, 2))
    coords[:n] = result.coords
    counts = np.zeros((3, old.counts.shape[1], m2), dtype=np.int64)
    counts[:, :, :m] = old.counts
    mean = np.zeros(m2)
    mean[:m] = old.mean
    components = np.zeros((m2, 2))
    components[:m] = old.components
    model = replace(
        old,
        overrides=dict(old.overrides),
        mean=mean,
        components=components,
        position=labels_pos,
        n_votes=n_votes,
        counts=counts,
        pending_votes=old.pending_votes + int(p.size),
    )
    touched: dict[int, dict[int, int]] = {}
    for pi, si, vi in zip(p.tolist(), s.tolist(), v.tolist(), strict=True):
        touched.setdefault(pi, {})[si] = vi
    k = len(model.centroids)
    ids = sorted(touched)
    before = [_current_row(model, i) for i in ids]
    after = []
    for i, row in zip(ids, before, strict=True):
        merged = dict(zip(row[0].tolist(), row[1].tolist(), strict=True))
        merged.update(touched[i])
        model.overrides[i] = {**model.overrides.get(i, {}), **touched[i]}
        st = np.fromiter(merged.keys(), dtype=np.int64, count=len(merged))
        vo = np.fromiter(merged.values(), dtype=np.float64, count=len(merged))
        after.append((st, vo))
    new_xy = _project_rows(after, model)
    for idx, i in enumerate(ids):
        g_old = labels_pos[i]
        if g_old >= 0:
            _add_counts(counts, g_old, before[idx], -1)
        st, vo = after[idx]
        n_votes[i] = len(st)
        coords[i] = new_xy[idx]
        g_new = -1
        if k and len(st) >= model.threshold:
            g_new = int(_nearest(new_xy[idx : idx + 1], model.centroids)[0])
        labels_pos[i] = g_new
        if g_new >= 0:
            _add_counts(counts, g_new, after[idx], +1)
    return _summarise(model, coords, dict(result.k_scores))


def _current_row(model: _Model, i: int) -> tuple[np.ndarray, np.ndarray]:
    if i < model.matrix.shape[0]:
        st, vo = model.matrix.row(i)
    else:
        st, vo = np.zeros(0, np.int64), np.zeros(0, np.int8)
    extra = model.overrides.get(i)
    if extra:
        merged = dict(zip(st.tolist(), vo.tolist(), strict=True))
        merged.update(extra)
        st = np.fromiter(merged.keys(), dtype=np.int64, count=len(merged))
        vo = np.fromiter(merged.values(), dtype=np.int8, count=len(merged))
    return st, vo.astype(np.float64)


def _add_counts(counts: np.ndarray, g: int, row, sign: int) -> None:
    st, vo = row
    np.add.at(counts[0, g], st[vo == AGREE], sign)
    np.add.at(counts[1, g], st[vo == DISAGREE], sign)
    np.add.at(counts[2, g], st, sign)


def current_matrix(result: Result) -> VoteMatrix:
    """The full vote matrix including the votes folded in by ``update`` (for the
    next full ``compute``)."""
    model = result.model
    n, m = result.shape
    if not model.overrides and model.matrix.shape == (n, m):
        return model.matrix
    base = model.matrix.codes.tocoo()
    p = [base.row.astype(np.int64)]
    s = [base.col.astype(np.int64)]
    v = [base.data.astype(np.int8) - _OFFSET]
    for i, row in sorted(model.overrides.items()):
        p.append(np.full(len(row), i, dtype=np.int64))
        s.append(np.fromiter(row.keys(), dtype=np.int64, count=len(row)))
        v.append(np.fromiter(row.values(), dtype=np.int8, count=len(row)))
    return VoteMatrix.from_votes(np.concatenate(p), np.concatenate(s), np.concatenate(v), (n, m))
