"""The life of a proposal as plain data: draft, then sent, then the decision
maker's steps, always forward. No Django here, so the rule is tested on its own."""

DRAFT = "draft"
SENT = "sent"
ACKNOWLEDGED = "acknowledged"
ANSWERED = "answered"
IN_PROGRESS = "in_progress"
DONE = "done"
REFUSED = "refused"

# How far along each step is. A move goes strictly forward; done and refused close
# the proposal (they share the last rank, so neither follows the other).
RANK = {
    DRAFT: 0,
    SENT: 1,
    ACKNOWLEDGED: 2,
    ANSWERED: 3,
    IN_PROGRESS: 4,
    DONE: 5,
    REFUSED: 5,
}
CLOSED = frozenset({DONE, REFUSED})
# The steps the addressed decision maker takes; sending is the collective's.
DECISION_MAKER_STEPS = (ACKNOWLEDGED, ANSWERED, IN_PROGRESS, DONE, REFUSED)
# An answer or a refusal without words would tell the collective nothing.
NEEDS_WORDS = frozenset({ANSWERED, REFUSED})


def is_closed(status: str) -> bool:
    return status in CLOSED


def can_move(current: str, target: str) -> bool:
    """Sending only from a draft; the decision maker's steps only once sent, forward."""
    if current not in RANK or target not in RANK or current in CLOSED:
        return False
    if target == SENT:
        return current == DRAFT
    if target not in DECISION_MAKER_STEPS or current == DRAFT:
        return False
    return RANK[target] > RANK[current]


def next_steps(current: str) -> list[str]:
    """The decision maker's possible next steps, in the order of the timeline."""
    return [step for step in DECISION_MAKER_STEPS if can_move(current, step)]
