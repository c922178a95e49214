"""One red-dwarf run on a synthetic data set, in red-dwarf's own virtual
environment (see consensus_bench.py). Prints one JSON line."""

import json
import sys
import time
from pathlib import Path

import numpy as np
from consensus_bench import _ari, peak_mb
from consensus_synthetic import load
from reddwarf.implementations.polis import run_pipeline


def main(path: str) -> None:
    d = load(Path(path))
    n = int(d["shape"][0])
    d["n_votes"] = np.bincount(d["rows"], minlength=n)
    votes = {"participant_id": d["rows"], "statement_id": d["cols"], "vote": d["votes"]}
    start = time.perf_counter()
    # defaults, except a fixed random_state so that runs are reproducible
    result = run_pipeline(votes=votes, random_state=0)
    seconds = time.perf_counter() - start
    labels = np.full(n, -1)
    ids = result.participants_df.index.to_numpy()
    cluster = result.participants_df["cluster_id"]
    has = cluster.notna().to_numpy()
    labels[ids[has].astype(int)] = cluster[has].astype(int).to_numpy()
    planted = set(d["consensus"].tolist())
    gac = result.statements_df["group-aware-consensus-agree"]
    top = set(gac.sort_values(ascending=False).index[: len(planted)].astype(int).tolist())
    print(
        json.dumps(
            {
                "seconds": seconds,
                "ari": _ari(d, labels),
                "groups": int(cluster.dropna().nunique()),
                "consensus_top": len(planted & top),
                "consensus_planted": len(planted),
                "maxrss_mb": peak_mb(),
            }
        )
    )


if __name__ == "__main__":
    main(sys.argv[1])
