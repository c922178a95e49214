"""Each benchmark owns one section of benchmarks/RESULTS.md, delimited by markers,
so that scripts can be rerun independently without clobbering each other's figures."""

from __future__ import annotations

import datetime
import platform
from pathlib import Path

RESULTS = Path(__file__).resolve().parent / "RESULTS.md"
HEADER = "# Benchmark results\n\nEach section is rewritten by the script that names it.\n"


def write_section(name: str, body: str) -> None:
    start, end = f"<!-- {name}:start -->", f"<!-- {name}:end -->"
    stamp = (
        f"_Measured {datetime.date.today().isoformat()} on {platform.machine()}, "
        f"Python {platform.python_version()}._\n\n"
    )
    block = f"{start}\n{stamp}{body.rstrip()}\n{end}"
    text = RESULTS.read_text() if RESULTS.exists() else HEADER
    if start in text and end in text:
        before, rest = text.split(start, 1)
        after = rest.split(end, 1)[1]
        text = before + block + after
    else:
        text = text.rstrip() + "\n\n" + block + "\n"
    RESULTS.write_text(text)
