"""The life of a proposal as plain data: draft, then sent, then the decision
maker's steps, always forward. No Django here, so the rule is tested on its own.

A proposal is made of requests (ADR 0038). The decision maker acknowledges it by
hand; the rest follows from the requests: once one is answered the proposal is
answered, once progress is posted it is in progress, and it closes only when every
request is settled (refused, or accepted or partly accepted and carried out at
100 %). Nobody closes it with a single click any more."""

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
# The steps the addressed decision maker may take by hand, in their own words; the
# closing steps come only from the requests (`status_from_requests`).
DECISION_MAKER_STEPS = (ACKNOWLEDGED, ANSWERED, IN_PROGRESS)
# An answer without words would tell the collective nothing.
NEEDS_WORDS = frozenset({ANSWERED})

# The decision maker's answer to one request.
ACCEPTED = "accepted"
PARTLY = "partly"
DECLINED = "refused"
DECISIONS = (ACCEPTED, PARTLY, DECLINED)
CARRIED_OUT = 100  # the percentage that says "done" of an accepted request


def is_closed(status: str) -> bool:
    return status in CLOSED


def can_move(current: str, target: str) -> bool:
    """Sending only from a draft; the decision maker's own steps only once sent,
    forward, and never to a closing step (the requests close a proposal)."""
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


def is_settled(decision: str, percentage: int) -> bool:
    """A request is settled when refused, or accepted (wholly or partly) and carried
    out; an accepted request whose work is still to come stays open."""
    if decision == DECLINED:
        return True
    return decision in (ACCEPTED, PARTLY) and percentage >= CARRIED_OUT


def can_answer_request(proposal_status: str) -> bool:
    """Requests are answered once the proposal is sent, until it closes."""
    return proposal_status not in CLOSED and proposal_status != DRAFT and proposal_status in RANK


def can_post_progress(proposal_status: str, decision: str | None) -> bool:
    """Progress is posted on an open, sent proposal, on the whole of it (decision
    None) or on a request accepted wholly or partly: a refused or unanswered request
    has no work to follow."""
    if not can_answer_request(proposal_status):
        return False
    return decision is None or decision in (ACCEPTED, PARTLY)


def status_from_requests(
    current: str, requests: list[tuple[str, int]], *, progress_posted: bool = False
) -> str:
    """The proposal's status after a change to its requests: `requests` holds each
    request's (decision, percentage), decision "" while unanswered. Never backwards:
    a status already reached stays, and a closed proposal stays closed."""
    if current in CLOSED or current == DRAFT or current not in RANK:
        return current
    if requests and all(is_settled(d, p) for d, p in requests):
        carried = any(d in (ACCEPTED, PARTLY) for d, _p in requests)
        return DONE if carried else REFUSED
    target = current
    if any(d for d, _p in requests):
        target = ANSWERED
    if progress_posted or any(p > 0 for _d, p in requests):
        target = IN_PROGRESS
    return target if RANK[target] > RANK[current] else current
