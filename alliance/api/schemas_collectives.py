"""What the API says of movement 3: collectives, consultations and their results,
reports and proposals. Each shape holds what the matching page shows its reader,
never more: no vote of anyone but the caller, no hidden count, no signer's name
for a decision maker."""

import datetime
from decimal import Decimal
from typing import Annotated

from ninja import Field, Schema


class CollectiveOut(Schema):
    id: int
    name: str
    kind: str
    description: str
    territory: str
    my_role: str = Field(description="facilitator or member")
    my_standing: str
    member_count: int


class StandingCount(Schema):
    standing: str
    label: str
    count: int


class CollectiveDetail(CollectiveOut):
    members_by_standing: list[StandingCount]
    public_page: bool


class ConsultationOut(Schema):
    id: int
    question: str
    easy_read_question: str
    status: str = Field(description="draft (facilitators only), open or closed")
    version: int = Field(description="Sent back when a facilitator opens or closes it")
    created_at: datetime.datetime
    opened_at: datetime.datetime | None
    closed_at: datetime.datetime | None


class ConsultationStatementOut(Schema):
    id: int
    text: str
    easy_read: str
    is_seed: bool
    my_vote: int | None = Field(description="1 agree, -1 disagree, 0 pass, null: not voted")


class OwnStatementOut(Schema):
    id: int
    text: str
    easy_read: str
    status: str = Field(description="pending, accepted, rejected or withdrawn")
    rejection_reason: str
    created_at: datetime.datetime


class StatementsOut(Schema):
    statements: list[ConsultationStatementOut] = Field(
        description="Accepted statements, open to votes"
    )
    mine: list[OwnStatementOut] = Field(description="The caller's own, whatever their status")
    voted: int


class ConsultationStatementIn(Schema):
    text: str = Field(max_length=1000)
    easy_read: str = Field("", max_length=1000)


class ConsultationVoteIn(Schema):
    value: int = Field(description="1 agree, -1 disagree, 0 pass", ge=-1, le=1)


class ConsultationVoteOut(Schema):
    statement_id: int
    value: int


class ShareOut(Schema):
    """A share is given only over enough votes, as on the results page."""

    votes: int
    shown: bool
    agree_percent: float | None
    disagree_percent: float | None


class GroupShareOut(Schema):
    group: int
    share: ShareOut


class StatementResultOut(Schema):
    statement_id: int
    text: str
    overall: ShareOut
    by_group: list[GroupShareOut]


class RepresentativeOut(Schema):
    statement_id: int
    text: str
    direction: str = Field(description="agree or disagree")
    share: ShareOut


class GroupOut(Schema):
    id: int
    name: str
    size: int
    representative: list[RepresentativeOut]


class ResultsOut(Schema):
    computed_at: datetime.datetime | None = Field(description="null before the first computation")
    votes_counted: int
    computing: bool = Field(description="A newer computation is waiting or running")
    participants: int
    others: int = Field(description="Participants in no group large enough to be shown")
    groups: list[GroupOut]
    common_ground: list[StatementResultOut]
    divisive: list[StatementResultOut]


class ReportSummary(Schema):
    id: int
    scope_kind: str
    scope_label: str
    period_start: datetime.date
    period_end: datetime.date
    threshold: int = Field(description="Smallest count shown; smaller ones are null")
    status: str = Field(description="pending, ready or failed")
    computed_at: datetime.datetime | None


class ReportTableOut(Schema):
    """A table as the report page shows it: a hidden count is null, whatever the
    reason it is hidden."""

    key: str
    shape: str = Field(description="table (rows × columns) or series (one count per row)")
    rows: list[str]
    row_labels: list[str]
    columns: list[str]
    column_labels: list[str]
    cells: list[list[int | None]] | list[int | None]
    row_totals: list[int | None]
    column_totals: list[int | None]
    total: int | None


class ReportWeatherOut(Schema):
    items: list[str]
    labels: list[str]
    current: list[float | None]
    previous: list[float | None]
    alliances: list[int | None]


class QuoteOut(Schema):
    text: str
    domain: str


class ReportDetail(ReportSummary):
    tables: list[ReportTableOut]
    weather: ReportWeatherOut | None
    quotes: list[QuoteOut]


class ProposalSummary(Schema):
    id: int
    collective_id: int
    collective_name: str
    title: str
    status: str = Field(description="draft, sent, acknowledged, answered, in_progress, done…")
    version: int = Field(description="Sent back with the decision maker's answer")
    addressee: str
    created_at: datetime.datetime
    sent_at: datetime.datetime | None
    signature_count: int
    professional_count: int
    alliance_count: int


class ProposalEventOut(Schema):
    status: str
    words: str
    at: datetime.datetime
    actor: str = Field(description="Empty for a decision maker reading its own inbox")


class RequestAnswerOut(Schema):
    id: int = Field(description="Members react to an answer by this id")
    decision: str = Field(description="accepted, partly or refused")
    words: str
    at: datetime.datetime
    satisfied_count: int = Field(description="Members satisfied with this answer")
    unsatisfied_count: int = Field(description="Members not satisfied with this answer")


class ProgressOut(Schema):
    id: int
    request_id: int | None = Field(description="None: progress on the whole proposal")
    status_label: str
    percentage: int = Field(ge=0, le=100)
    words: str
    next_step: str
    next_step_on: datetime.date | None
    cost: Decimal | None = Field(description="Only when public, or for the addressee")
    budget_line: str = Field(description="Only when public, or for the addressee")
    at: datetime.datetime


class ProposalRequestOut(Schema):
    id: int
    position: int
    text: str
    decision: str = Field(description="The current answer's decision; empty if none yet")
    percentage: int = Field(ge=0, le=100, description="The latest progress posted on it")
    settled: bool = Field(description="Refused, or accepted and carried out at 100 %")
    version: int = Field(description="Sent back with the addressee's answer to it")
    answer: RequestAnswerOut | None = Field(description="The current answer")
    earlier_answers: list[RequestAnswerOut] = Field(description="Superseded, newest first")


class ProposalDetail(ProposalSummary):
    text: str = Field(description="The preamble: why the collective proposes it")
    interests: list[str]
    common_ground: list[str]
    report_id: int | None = Field(description="Set when the caller may read that report")
    events: list[ProposalEventOut]
    next_steps: list[str] = Field(description="The steps the caller may take now, if any")
    requests: list[ProposalRequestOut] = Field(description="What it asks, each answered")
    progress: list[ProgressOut] = Field(description="Dated progress, oldest first")


class AnswerIn(Schema):
    status: str = Field(description="acknowledged, answered, in_progress, done or refused")
    words: str = Field("", max_length=5000)
    expected_version: int = Field(ge=1)


# Words as the pages' forms take them: no NUL character (PostgreSQL stores none).
NO_NUL = r"^[^\x00]*$"
ID_MAX = 2**63 - 1


class RequestAnswerIn(Schema):
    decision: str = Field(description="accepted, partly or refused")
    words: str = Field(max_length=5000, pattern=NO_NUL, description="Always in words")
    expected_version: int = Field(ge=1, le=ID_MAX, description="The request's version read")


class ProgressIn(Schema):
    request_id: int | None = Field(
        None, ge=1, le=ID_MAX, description="A request accepted wholly or partly; none: the whole"
    )
    status_label: str = Field(max_length=120, pattern=NO_NUL, description="Where it stands")
    percentage: int = Field(description="How far, from 0 to 100")
    words: str = Field("", max_length=2000, pattern=NO_NUL, description="What was done")
    next_step: str = Field("", max_length=300, pattern=NO_NUL)
    next_step_on: datetime.date | None = None
    cost: Decimal | None = Field(None, max_digits=12, decimal_places=2, description="In euros")
    budget_line: str = Field("", max_length=200, pattern=NO_NUL)
    cost_public: bool = Field(
        False, description="Show the cost and the budget line to the collective and in public"
    )


class ReactionIn(Schema):
    satisfied: bool
    words: str = Field("", max_length=1000, pattern=NO_NUL, description="Read without a name")


class ReactionOut(Schema):
    answer_id: int
    satisfied: bool
    words: str
    satisfied_count: int
    unsatisfied_count: int


class ReportRequestAnswerOut(Schema):
    organisation_id: int
    organisation: str
    status: str = Field(description="pending, accepted, declined or no_answer")
    words: str
    answered_at: datetime.datetime | None
    version: int = Field(description="Sent back with the administrator's answer")


class ReportRequestOut(Schema):
    id: int
    requested_by: str
    scope_label: str
    period_start: datetime.date
    period_end: datetime.date
    purpose: str
    answer_by: datetime.date
    status: str = Field(description="waiting, answered or declined")
    status_label: str
    created_at: datetime.datetime
    closed_at: datetime.datetime | None
    closed_on_answer_day: bool = Field(description="Closed by the daily job, not by its asker")
    version: int = Field(description="Sent back with the decision maker's close")
    report_id: int | None = Field(description="The report made, for the decision maker")
    answers: list[ReportRequestAnswerOut] = Field(
        description="Every organisation's for the decision maker; an administrator's own"
    )


class ReportRequestAnswerIn(Schema):
    accept: bool = Field(description="true: the organisation's alliances are counted")
    words: str = Field("", max_length=2000, pattern=NO_NUL, description="For the decision maker")
    expected_version: int = Field(ge=1, le=ID_MAX, description="The answer's version read")


class ReportRequestIn(Schema):
    """A territory, or the organisations named: one of the two (the use case says so)."""

    period_start: datetime.date
    period_end: datetime.date
    purpose: str = Field(max_length=2000, pattern=NO_NUL, description="What the report is for")
    territory: str = Field("", max_length=80, pattern=NO_NUL, description="e.g. 69 Rhône")
    organisation_ids: list[Annotated[int, Field(ge=1, le=ID_MAX)]] = Field(
        [], max_length=200, description="The organisations asked, when no territory is given"
    )
    answer_by: datetime.date | None = Field(
        None, description="The organisations' last day to answer; none: in 30 days"
    )


class ReportRequestCloseIn(Schema):
    expected_version: int = Field(ge=1, le=ID_MAX, description="The request's version read")
