"""Agreement with the groups Pol.is itself assigned, on four real conversations.

Adjusted Rand index between our groups and Pol.is' (``participants-votes.csv``,
column ``group-id``), over the participants both assigned. Measured with the
default Params: seattle 0.776, brexit 0.876, canadian 0.838, london 0.105, mean
0.649; red-dwarf 0.4.0 with its defaults: 0.46, 0.64, 0.84, 0.12, mean 0.515.
The engine is deterministic (fixed seeds, seed-independent on these sizes), so
each floor sits a little under the measured value only to absorb floating-point
differences between BLAS builds, and cannot flap. London (26 participants, 24
clustered) is too small for any two methods to agree well: its floor only says
the groups are not random.
"""

from pathlib import Path

import numpy as np
import pytest
from sklearn.metrics import adjusted_rand_score

from alliance.consensus.opinion_groups import compute
from alliance.consensus.polis import read_export, read_polis_groups

DATA = Path(__file__).resolve().parent.parent / "data" / "polis"  # CC BY 4.0, see its README
FLOORS = {
    "15-per-hour-seattle": 0.85,
    "brexit-consensus": 0.85,
    "canadian-electoral-reform": 0.85,
    "london.youth.policing": 0.05,
}
RED_DWARF_MEAN = (0.46 + 0.64 + 0.84 + 0.12) / 4


def ari_against_polis(name: str) -> float:
    export = read_export(DATA / name)
    theirs = read_polis_groups(DATA / name)
    result = compute(export.matrix, withdrawn=len(export.moderated_out))
    pairs = [
        (int(result.labels[i]), theirs[pid])
        for i, pid in enumerate(export.participant_ids)
        if result.labels[i] >= 0 and pid in theirs
    ]
    assert len(pairs) >= 0.9 * len(theirs)  # we group nearly everyone Pol.is grouped
    ours, polis = zip(*pairs, strict=True)
    return adjusted_rand_score(polis, ours)


@pytest.fixture(scope="module")
def aris() -> dict[str, float]:
    return {name: ari_against_polis(name) for name in FLOORS}


@pytest.mark.parametrize("name", sorted(FLOORS))
def test_ari_floor_per_conversation(aris, name):
    assert aris[name] >= FLOORS[name], f"{name}: ARI {aris[name]:.3f}"


def test_mean_ari_beats_red_dwarf(aris):
    mean = float(np.mean(list(aris.values())))
    assert mean >= 0.66 > RED_DWARF_MEAN, f"mean ARI {mean:.3f}"
