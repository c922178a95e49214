"""Benchmark of the opinion-group engine against red-dwarf and against the floor.

On synthetic consultations with planted opinion groups (50/30/20 %) and planted
consensus statements (see consensus_synthetic.py), per size:

- the engine: ``VoteMatrix.from_votes`` + ``compute`` (and the refresh after a
  batch of 100 new votes, ``update``);
- red-dwarf 0.4.0 (``reddwarf.implementations.polis.run_pipeline``), installed
  by this script into its own virtual environment ``benchmarks/.venv-reddwarf``;
- the floor: the sparse matrix, its centring and a rank-2 truncated SVD
  (``scipy.sparse.linalg.svds``), nothing else.

Each run is a fresh process; the time is the median of ``--repeats`` runs of the
computation (data loading excluded), the memory the child's peak RSS.

    .venv/bin/python benchmarks/consensus_bench.py                  # every size
    .venv/bin/python benchmarks/consensus_bench.py --sizes 1000x100 --repeats 1
"""

from __future__ import annotations

import argparse
import json
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
DATA = HERE / ".data"
RD_VENV = HERE / ".venv-reddwarf"
RD_VERSION = "0.4.0"
RD_TIMEOUT = 600
SIZES = ((1_000, 100), (10_000, 500), (50_000, 1_000), (200_000, 2_000))
RD_SKIP_FROM = 200_000 * 2_000  # red-dwarf densifies: 3.2 GB per copy, > 10 min


# --------------------------------------------------------------------------- children


def peak_mb() -> float:
    """Peak resident memory of this process. ``VmHWM`` belongs to the process's own
    address space; ``ru_maxrss`` would also count the parent's peak, which Linux
    carries across fork and exec."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _finish(out: dict) -> None:
    out["maxrss_mb"] = peak_mb()
    print(json.dumps(out))


def child_engine(path: str) -> None:
    import numpy as np

    sys.path.insert(0, str(ROOT))
    from alliance.consensus.opinion_groups import VoteMatrix, compute, update
    from benchmarks.consensus_synthetic import load

    d = load(Path(path))
    n, m = (int(x) for x in d["shape"])
    d["n_votes"] = np.bincount(d["rows"], minlength=n)
    start = time.perf_counter()
    matrix = VoteMatrix.from_votes(d.pop("rows"), d.pop("cols"), d.pop("votes"), shape=(n, m))
    result = compute(matrix)
    seconds = time.perf_counter() - start
    rng = np.random.default_rng(1)
    refresh = []
    for _ in range(7):
        p, s, v = rng.integers(0, n, 100), rng.integers(0, m, 100), rng.integers(-1, 2, 100)
        t = time.perf_counter()
        update(result, p, s, v)
        refresh.append(time.perf_counter() - t)
    planted = set(d["consensus"].tolist())
    found = set(result.common_ground)
    top = set(np.argsort(-result.consensus, kind="stable")[: len(planted)].tolist())
    _finish(
        {
            "seconds": seconds,
            "ari": _ari(d, result.labels),
            "groups": len(result.groups),
            "consensus_found": len(planted & found),
            "consensus_extra": len(found - planted),
            "consensus_top": len(planted & top),
            "consensus_planted": len(planted),
            "refresh_ms": statistics.median(refresh) * 1000,
        }
    )


def child_floor(path: str) -> None:
    import numpy as np
    import scipy.sparse as sp
    from scipy.sparse.linalg import svds

    sys.path.insert(0, str(ROOT))
    from benchmarks.consensus_synthetic import load

    d = load(Path(path))
    n, m = (int(x) for x in d["shape"])
    start = time.perf_counter()
    y = sp.coo_array((d["votes"].astype(np.float64), (d["rows"], d["cols"])), shape=(n, m))
    y = y.tocsr()
    counts = np.bincount(y.indices, minlength=m)
    means = np.bincount(y.indices, weights=y.data, minlength=m) / np.maximum(counts, 1)
    y.data -= means[y.indices]
    svds(y, k=2, random_state=0)
    _finish({"seconds": time.perf_counter() - start})


def _ari(d, labels) -> float:
    """ARI against the planted groups over participants with at least 7 votes
    (a participant left out of the groups counts as a group of its own, -1)."""
    import numpy as np
    from sklearn.metrics import adjusted_rand_score

    enough = d["n_votes"] >= 7
    return float(adjusted_rand_score(d["group"][enough], np.asarray(labels)[enough]))


# --------------------------------------------------------------------------- parent


def ensure_reddwarf() -> Path:
    python = RD_VENV / "bin" / "python"
    probe = [str(python), "-c", "import importlib.metadata as m; print(m.version('red-dwarf'))"]
    if python.exists():
        done = subprocess.run(probe, capture_output=True, text=True, check=False)
        if done.stdout.strip() == RD_VERSION:
            return python
    subprocess.run(["uv", "venv", "--python", "3.11", str(RD_VENV)], check=True)
    subprocess.run(
        ["uv", "pip", "install", "--python", str(python), f"red-dwarf=={RD_VERSION}"], check=True
    )
    return python


def run_child(command: list[str], timeout: float | None = None) -> dict:
    try:
        done = subprocess.run(
            command, capture_output=True, text=True, timeout=timeout, check=False, cwd=ROOT
        )
    except subprocess.TimeoutExpired:
        return {"error": f"not run: > {timeout / 60:.0f} min"}
    if done.returncode != 0:
        last = (done.stderr.strip().splitlines() or ["?"])[-1]
        return {"error": f"failed: {last[:120]}"}
    return json.loads(done.stdout.strip().splitlines()[-1])


def measure(command: list[str], repeats: int, timeout: float | None = None) -> dict:
    runs = []
    for _ in range(repeats):
        out = run_child(command, timeout)
        if "error" in out:
            return out
        runs.append(out)
    best = dict(runs[0])
    best["seconds"] = statistics.median(r["seconds"] for r in runs)
    best["maxrss_mb"] = max(r["maxrss_mb"] for r in runs)
    if "refresh_ms" in best:
        best["refresh_ms"] = statistics.median(r["refresh_ms"] for r in runs)
    return best


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", help="e.g. 1000x100,50000x1000 (default: all four)")
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--no-reddwarf", action="store_true", help="skip red-dwarf")
    parser.add_argument("--no-write", action="store_true", help="do not touch RESULTS.md")
    parser.add_argument("--child", nargs=2, metavar=("KIND", "DATA"), help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        kind, path = args.child
        if kind == "generate":
            n, m = (int(x) for x in path.split("x"))
            sys.path.insert(0, str(ROOT))
            from benchmarks.consensus_synthetic import cached

            print(cached(DATA, n, m))
            return 0
        {"engine": child_engine, "floor": child_floor}[kind](path)
        return 0

    sizes = SIZES
    if args.sizes:
        sizes = tuple(tuple(int(x) for x in s.split("x")) for s in args.sizes.split(","))
    rd_python = None if args.no_reddwarf else ensure_reddwarf()
    me = [sys.executable, str(Path(__file__).resolve())]
    rows = []
    for n, m in sizes:
        print(f"== {n:,} × {m:,}: generating", flush=True)
        # generated in a child too, so that this process stays small
        subprocess.run([*me, "--child", "generate", f"{n}x{m}"], check=True, cwd=ROOT)
        path = DATA / f"consensus_{n}x{m}_s0.npz"
        engine = measure([*me, "--child", "engine", str(path)], args.repeats)
        print(f"   engine    {engine}", flush=True)
        floor = measure([*me, "--child", "floor", str(path)], args.repeats)
        print(f"   floor     {floor}", flush=True)
        if rd_python is None:
            rd = {"error": "not run"}
        elif n * m >= RD_SKIP_FROM:
            rd = {"error": "not run: > 10 min (densifies 3.2 GB per copy)"}
        else:
            child = str(HERE / "consensus_reddwarf_child.py")
            rd = measure([str(rd_python), child, str(path)], args.repeats, RD_TIMEOUT)
        print(f"   red-dwarf {rd}", flush=True)
        rows.append(((n, m), path, engine, floor, rd))
    text = report(rows, args.repeats)
    print(text)
    if not args.no_write:
        sys.path.insert(0, str(ROOT))
        from benchmarks._results import write_section

        write_section("consensus", text)
    return 0


def _s(run: dict, key: str, fmt: str, why: bool = False) -> str:
    if key in run:
        return format(run[key], fmt)
    return run.get("error", "—") if why else "—"


def report(rows, repeats: int) -> str:
    import numpy as np

    lines = [
        "### Opinion groups: engine vs red-dwarf 0.4.0 vs floor (rank-2 sparse SVD)",
        "",
        f"Synthetic consultations, planted groups 50/30/20 %, 5 % planted consensus "
        f"statements, 10–40 % of statements voted per participant, 2 % drive-by "
        f"participants (1–6 votes). Time: median of {repeats} fresh processes, "
        "computation only (loading excluded); memory: peak RSS of the process "
        "(`VmHWM`, loading included). ARI "
        "against the planted groups over participants with ≥ 7 votes. Consensus: "
        "planted statements found in `common_ground` (engine; `+x` = extra "
        "statements) or among the top statements by group-aware consensus "
        "(red-dwarf, which has no common-ground list).",
        "",
        "| size | votes | engine s | floor s | red-dwarf s | engine / floor "
        "| red-dwarf / engine | engine MB | floor MB | red-dwarf MB | ARI engine "
        "| ARI red-dwarf | consensus engine | consensus red-dwarf | refresh 100 votes |",
        "|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    for (n, m), path, e, f, r in rows:
        votes = int(np.load(path)["votes"].shape[0])
        ratio = f"{e['seconds'] / f['seconds']:.2f}×" if "seconds" in e and "seconds" in f else "—"
        speed = f"{r['seconds'] / e['seconds']:.0f}×" if "seconds" in r and "seconds" in e else "—"
        cons_e = (
            f"{e['consensus_found']}/{e['consensus_planted']} +{e['consensus_extra']}"
            if "consensus_found" in e
            else "—"
        )
        cons_r = f"{r['consensus_top']}/{r['consensus_planted']}" if "consensus_top" in r else "—"
        lines.append(
            f"| {n:,} × {m:,} | {votes:,} | {_s(e, 'seconds', '.2f')} | {_s(f, 'seconds', '.2f')} "
            f"| {_s(r, 'seconds', '.1f', why=True)} | {ratio} | {speed} "
            f"| {_s(e, 'maxrss_mb', '.0f')} "
            f"| {_s(f, 'maxrss_mb', '.0f')} | {_s(r, 'maxrss_mb', '.0f')} | {_s(e, 'ari', '.4f')} "
            f"| {_s(r, 'ari', '.4f')} | {cons_e} | {cons_r} | {_s(e, 'refresh_ms', '.1f')} ms |"
        )
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    sys.exit(main())
