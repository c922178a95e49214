"""/api/v1/reports and /api/v1/proposals: the reports a user may read (through
`reports_for` and `get_report_for`, as the pages), with exactly the suppressed
tables the report page shows (a hidden count is null, never a number); the
proposals addressed to a decision maker, or of the caller's collectives, with
their answers and follow-up; and the decision maker's answer, through the same
use case as the page (409 on a stale version)."""

from ninja import Router

from alliance.acting.models import ITEM_LABELS, Availability
from alliance.alliances.needs import label_of
from alliance.reports import services as report_services
from alliance.reports.access import get_report_for, reports_for
from alliance.reports.domains import NOT_CODED
from alliance.reports.models import Proposal, Report
from alliance.reports.proposals import access, selectors, services

from . import schemas_collectives as out
from .auth import require_user, require_write
from .schemas import Id

reports = Router(tags=["reports"])
proposals = Router(tags=["proposals"])


# ---------------------------------------------------------------- reports


def _label(key: str) -> str:
    if key in Availability.values:
        return str(Availability(key).label)
    return label_of(key) or key


def _table(key: str, table: dict) -> out.ReportTableOut:
    is_table = table["shape"] == "table"
    return out.ReportTableOut(
        key=key,
        shape=table["shape"],
        rows=table["rows"],
        row_labels=[_label(r) for r in table["rows"]],
        columns=table.get("columns", []) if is_table else [],
        column_labels=[_label(c) for c in table.get("columns", [])] if is_table else [],
        cells=table["cells"],
        row_totals=table["row_totals"] if is_table else [],
        column_totals=table["column_totals"] if is_table else [],
        total=table["grand_total"] if is_table else table["total"],
    )


def _weather(weather: dict | None) -> out.ReportWeatherOut | None:
    if not weather:
        return None
    empty = [None] * len(weather["items"])
    return out.ReportWeatherOut(
        items=weather["items"],
        labels=[str(ITEM_LABELS[item]) for item in weather["items"]],
        current=weather["current"] or empty,
        previous=weather["previous"] or empty,
        alliances=weather["alliances"],
    )


@reports.get(
    "",
    response=list[out.ReportSummary],
    url_name="report_list",
    summary="The reports I may read, newest first",
)
def report_list(request):
    return list(reports_for(require_user(request))[:100])


@reports.get(
    "/{report_id}",
    response=out.ReportDetail,
    url_name="report_detail",
    summary="A report with its tables after small-count suppression (hidden counts are null)",
)
def report_detail(request, report_id: Id):
    user = require_user(request)
    report = get_report_for(user, report_id)
    report_services.record_read(user, report, "api")
    snapshot = report.snapshot if report.status == Report.Status.READY else {}
    return out.ReportDetail(
        **out.ReportSummary.model_validate(report).model_dump(),
        tables=[_table(key, table) for key, table in snapshot.get("tables", {}).items()],
        weather=_weather(snapshot.get("weather")),
        quotes=[
            out.QuoteOut(
                text=q["text"], domain=_label(q["domain"]) if q["domain"] != NOT_CODED else ""
            )
            for q in snapshot.get("quotes", [])
        ],
    )


# ---------------------------------------------------------------- proposals


def proposal_summary(proposal: Proposal, *, collective=None, addressee=None) -> out.ProposalSummary:
    """From a proposal annotated with its counts (the selectors' `_with_counts`); the
    collective and the addressee when the caller already holds them."""
    collective = collective or proposal.collective
    addressee = addressee or proposal.addressee
    return out.ProposalSummary(
        id=proposal.pk,
        collective_id=collective.pk,
        collective_name=collective.name,
        title=proposal.title,
        status=proposal.status,
        version=proposal.version,
        addressee=addressee.display_name,
        created_at=proposal.created_at,
        sent_at=proposal.sent_at,
        signature_count=proposal.signature_count,
        professional_count=proposal.professional_count,
        alliance_count=proposal.alliance_count,
    )


@proposals.get(
    "",
    response=list[out.ProposalSummary],
    url_name="proposal_list",
    summary="The proposals addressed to me (decision makers), newest first",
)
def proposal_list(request):
    user = require_user(request)
    if not user.is_decision_maker:
        return []
    return [proposal_summary(p, addressee=user) for p in selectors.inbox(user)]


def _detail(user, proposal: Proposal) -> out.ProposalDetail:
    counted = Proposal.objects.filter(pk=proposal.pk)
    counted = selectors._with_counts(counted).select_related("collective", "addressee").get()
    summary = proposal_summary(counted).model_dump()
    if user.is_decision_maker and proposal.addressee_id == user.pk:
        shown = selectors.proposal_for_addressee(proposal)
        events = [
            out.ProposalEventOut(status=e.status, words=e.words, at=e.at, actor="")
            for e in shown["events"]
        ]
        readable, next_steps = proposal.report_id is not None, shown["next_steps"]
    else:
        shown = selectors.evidence(proposal)
        events = [
            out.ProposalEventOut(
                status=e.status, words=e.words, at=e.at, actor=e.actor.display_name
            )
            for e in proposal.events.select_related("actor")
        ]
        readable, next_steps = selectors.can_read_report(user, proposal.report), []
    followed = selectors.follow_through([proposal.pk], addressee=proposal.addressee_id == user.pk)[
        proposal.pk
    ]
    return out.ProposalDetail(
        **summary,
        text=proposal.text,
        interests=shown["interests"],
        common_ground=shown["common_ground"],
        report_id=proposal.report_id if readable else None,
        events=events,
        next_steps=next_steps,
        requests=[request_out(r) for r in followed.requests],
        progress=sorted(
            (
                progress_out(u)
                for u in [*followed.progress, *(u for r in followed.requests for u in r.updates)]
            ),
            key=lambda u: u.at,
        ),
    )


def answer_out(answer) -> out.RequestAnswerOut:
    return out.RequestAnswerOut(
        id=answer.pk,
        decision=answer.decision,
        words=answer.words,
        at=answer.at,
        satisfied_count=answer.satisfied_count,
        unsatisfied_count=answer.unsatisfied_count,
    )


def request_out(request) -> out.ProposalRequestOut:
    return out.ProposalRequestOut(
        id=request.pk,
        position=request.position,
        text=request.text,
        decision=request.decision,
        percentage=request.percentage,
        settled=request.is_settled,
        version=request.version,
        answer=answer_out(request.answer) if request.answer else None,
        earlier_answers=[answer_out(a) for a in request.history],
    )


def progress_out(update) -> out.ProgressOut:
    """The cost and the budget line only where the follow-through shows them."""
    return out.ProgressOut(
        id=update.pk,
        request_id=update.request_id,
        status_label=update.status_label,
        percentage=update.percentage,
        words=update.words,
        next_step=update.next_step,
        next_step_on=update.next_step_on,
        cost=update.cost if update.cost_shown else None,
        budget_line=update.budget_line if update.cost_shown else "",
        at=update.at,
    )


def _load(user, proposal_id) -> Proposal:
    if user.is_decision_maker:
        return access.get_proposal_for_addressee(user, proposal_id)
    proposal, _member = access.get_proposal_for_member(user, proposal_id)
    return proposal


@proposals.get(
    "/{proposal_id}",
    response=out.ProposalDetail,
    url_name="proposal_detail",
    summary="A proposal with its evidence, answers and follow-up",
)
def proposal_detail(request, proposal_id: Id):
    user = require_user(request)
    return _detail(user, _load(user, proposal_id))


@proposals.post(
    "/{proposal_id}/answer",
    response=out.ProposalDetail,
    url_name="proposal_answer",
    summary="The addressed decision maker's next step, in their own words",
)
def proposal_answer(request, proposal_id: Id, payload: out.AnswerIn):
    require_write(request)
    user = require_user(request)
    proposal = access.get_proposal_for_addressee(user, proposal_id)
    services.move_proposal(
        user=user,
        proposal=proposal,
        status=payload.status,
        words=payload.words,
        expected_version=payload.expected_version,
    )
    proposal.refresh_from_db()
    return _detail(user, proposal)
