"""/api/v1/report-requests: a decision maker's requests for a report (ADR 0037), read
by the decision maker who asked (with every organisation's answer) and by the
administrators of the organisations asked (with their own answer only), through the
pages' gatekeeper; asked and closed by the decision maker, answered by the
administrator, through the pages' use cases (a stale version, or a request settled
meanwhile, is a 409). Who may call: docs/api.md."""

from django.db.models import Prefetch
from ninja import Router, Status

from alliance.reports import requests
from alliance.reports.models import ReportRequestAnswer
from alliance.reports.requests_access import (
    answers_for,
    get_answer_for,
    get_request_for,
    requests_for,
)

from . import schemas_collectives as out
from .auth import require_user, require_write
from .schemas import Id

router = Router(tags=["report requests"])

LIST_MAX = 100


def _answer(answer) -> out.ReportRequestAnswerOut:
    return out.ReportRequestAnswerOut(
        organisation_id=answer.organisation_id,
        organisation=answer.organisation.name,
        status=answer.status,
        words=answer.words,
        answered_at=answer.answered_at,
        version=answer.version,
    )


def _request(asked, answers, *, asker: bool) -> out.ReportRequestOut:
    return out.ReportRequestOut(
        id=asked.pk,
        requested_by=asked.requested_by.display_name,
        scope_label=asked.scope_label,
        period_start=asked.period_start,
        period_end=asked.period_end,
        purpose=asked.purpose,
        answer_by=asked.answer_by,
        status=asked.status,
        status_label=str(asked.get_status_display()),
        created_at=asked.created_at,
        closed_at=asked.closed_at,
        closed_on_answer_day=asked.closed_on_answer_day,
        version=asked.version,
        # The report is the decision maker's alone (the organisations read their own).
        report_id=asked.report_id if asker else None,
        answers=[_answer(a) for a in answers],
    )


def _with_answers(queryset):
    return queryset.prefetch_related(
        Prefetch("answers", queryset=ReportRequestAnswer.objects.select_related("organisation"))
    )


@router.get(
    "",
    response=list[out.ReportRequestOut],
    url_name="report_request_list",
    summary="The requests I made (decision makers) or that my organisation was asked "
    "(its administrators), newest first",
)
def report_request_list(request):
    user = require_user(request)
    if user.is_decision_maker:
        asked = _with_answers(requests_for(user))[:LIST_MAX]
        return [_request(r, r.answers.all(), asker=True) for r in asked]
    mine = answers_for(user).select_related("organisation")[:LIST_MAX]
    return [_request(a.request, [a], asker=False) for a in mine]


def _read(user, report_request_id) -> out.ReportRequestOut:
    if user.is_decision_maker:
        asked = get_request_for(user, report_request_id)
        asked.requested_by = user  # their own request: no query for who asked
        answers = asked.answers.select_related("organisation")
        return _request(asked, answers, asker=True)
    mine = get_answer_for(user, report_request_id)
    return _request(mine.request, [mine], asker=False)


@router.post(
    "",
    response={201: out.ReportRequestOut},
    url_name="report_request_create",
    summary="A decision maker asks the organisations of a territory, or named ones, for a "
    "report (their administrators are told)",
)
def report_request_create(request, payload: out.ReportRequestIn):
    require_write(request)
    user = require_user(request)
    asked = requests.ask_for_report(user=user, **payload.dict())
    return Status(201, _read(user, asked.pk))


@router.get(
    "/{report_request_id}",
    response=out.ReportRequestOut,
    url_name="report_request_detail",
    summary="A request for a report and where it stands",
)
def report_request_detail(request, report_request_id: Id):
    return _read(require_user(request), report_request_id)


@router.post(
    "/{report_request_id}/answer",
    response=out.ReportRequestOut,
    url_name="report_request_answer",
    summary="My organisation accepts or declines, once (its administrators; the version "
    "read, or 409)",
)
def report_request_answer(request, report_request_id: Id, payload: out.ReportRequestAnswerIn):
    require_write(request)
    user = require_user(request)
    mine = get_answer_for(user, report_request_id)
    requests.answer_report_request(
        user=user,
        answer=mine,
        accept=payload.accept,
        words=payload.words,
        expected_version=payload.expected_version,
    )
    return _read(user, report_request_id)


@router.post(
    "/{report_request_id}/close",
    response=out.ReportRequestOut,
    url_name="report_request_close",
    summary="The decision maker goes on with the organisations that accepted, once the "
    "answer day is past (the version read, or 409)",
)
def report_request_close(request, report_request_id: Id, payload: out.ReportRequestCloseIn):
    require_write(request)
    user = require_user(request)
    asked = get_request_for(user, report_request_id)
    requests.close_report_request(
        user=user, request=asked, expected_version=payload.expected_version
    )
    return _read(user, report_request_id)
