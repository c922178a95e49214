"""Models of the reports app, one module per subject so that aggregate reports and
proposals to decision makers can grow side by side: `report` (reports, their scope
and snapshot), `proposal` (proposals, co-signatures, timeline, answers) and `request`
(decision makers' requests for a report, and the organisations' answers). Each
module's models are imported here, where Django looks for them."""

from .proposal import (
    AnswerReaction,
    CoSignature,
    JoinedAlliance,
    ProgressUpdate,
    Proposal,
    ProposalEvent,
    ProposalRequest,
    ProposalStatus,
    RequestAnswer,
    RequestDecision,
)
from .report import CustomNeedDomain, NeedCoding, Report
from .request import ReportRequest, ReportRequestAnswer

__all__ = [
    "AnswerReaction",
    "CoSignature",
    "CustomNeedDomain",
    "JoinedAlliance",
    "NeedCoding",
    "ProgressUpdate",
    "Proposal",
    "ProposalEvent",
    "ProposalRequest",
    "ProposalStatus",
    "Report",
    "ReportRequest",
    "ReportRequestAnswer",
    "RequestAnswer",
    "RequestDecision",
]
