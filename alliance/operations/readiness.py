"""What /readyz concludes from its measurements: plain values in, verdicts out."""

from dataclasses import dataclass

WORKER_KEY = "alliance:worker:last_seen"


@dataclass(frozen=True)
class Verdict:
    ok: bool
    detail: str


def worker_verdict(last_seen: float | None, now: float, max_age: float) -> Verdict:
    """The worker writes time.time() under WORKER_KEY at least every 30 seconds."""
    if last_seen is None:
        return Verdict(False, "never seen")
    age = now - last_seen
    if age > max_age:
        return Verdict(False, f"last seen {age:.0f} s ago (more than {max_age:.0f} s)")
    return Verdict(True, f"last seen {max(age, 0):.0f} s ago")


def queue_verdict(oldest_ready_age: float | None, max_age: float) -> Verdict:
    """Stuck: a task that could have run has waited longer than max_age."""
    if oldest_ready_age is None:
        return Verdict(True, "no task waiting")
    if oldest_ready_age > max_age:
        return Verdict(
            False,
            f"oldest ready task waiting for {oldest_ready_age:.0f} s (more than {max_age:.0f} s)",
        )
    return Verdict(True, f"oldest ready task waiting for {oldest_ready_age:.0f} s")


def migrations_verdict(unapplied: list[str]) -> Verdict:
    if unapplied:
        return Verdict(False, f"{len(unapplied)} unapplied: {', '.join(unapplied[:5])}")
    return Verdict(True, "all applied")
