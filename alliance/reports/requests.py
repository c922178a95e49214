"""Use cases of a decision maker's request for a report (ADR 0037).

A decision maker asks the organisations of a territory, or organisations they
name, for a report over a period, and says what it is for. Each organisation's
administrator accepts or declines. When every organisation has answered (or, past
the day set for answers, when the decision maker closes the request, or else the
daily job the day after, the silent ones recorded as "no answer") and at least one
accepted, a report is made over the organisations that accepted, through the same
computation as any report, at the platform's threshold, and published to the
decision maker: they read its tables, never an alliance. Its scope says how many of
the organisations asked are counted."""

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from alliance.accounts.models import Organisation, User
from alliance.audit.journal import record
from alliance.audit.models import Action
from alliance.conflicts import ConflictError
from alliance.dates import show
from alliance.notifications.services import notify

from . import perms, services
from .models import Report, ReportRequest, ReportRequestAnswer

PURPOSE_MAX = 2000
WORDS_MAX = 2000
# Days the organisations have to answer when the decision maker sets no day.
DEFAULT_ANSWER_DAYS = 30
# Longer than a planning cycle is never needed: a request does not wait for a year.
MAX_ANSWER_DAYS = 180


def _require(allowed):
    if not allowed:
        raise PermissionDenied


def _organisations_asked(territory, organisation_ids):
    """The organisations a request concerns, and the words that name its scope."""
    territory = " ".join((territory or "").split())
    if territory and organisation_ids:
        raise ValidationError(_("Choose a territory or organisations, not both."))
    if territory:
        organisations = list(Organisation.objects.filter(territory=territory))
        if not organisations:
            raise ValidationError({"territory": _("No organisation serves this territory.")})
        return organisations, territory, territory
    ids = {int(pk) for pk in organisation_ids}
    if not ids:
        raise ValidationError(_("Choose a territory or at least one organisation."))
    organisations = list(Organisation.objects.filter(pk__in=ids))
    if len(organisations) != len(ids):
        raise ValidationError({"organisations": _("Choose organisations from the list.")})
    return organisations, "", ", ".join(o.name for o in organisations)


def _clean_answer_by(answer_by, today):
    if answer_by is None:
        return today + datetime.timedelta(days=DEFAULT_ANSWER_DAYS)
    if answer_by <= today:
        raise ValidationError({"answer_by": _("Give the organisations at least one day.")})
    if answer_by > today + datetime.timedelta(days=MAX_ANSWER_DAYS):
        raise ValidationError(
            {"answer_by": _("Ask for answers within %(days)d days.") % {"days": MAX_ANSWER_DAYS}}
        )
    return answer_by


def _url(request):
    return reverse("report_requests:detail", args=[request.pk])


def ask_for_report(
    *,
    user: User,
    period_start: datetime.date,
    period_end: datetime.date,
    purpose: str,
    territory: str = "",
    organisation_ids=(),
    answer_by: datetime.date | None = None,
) -> ReportRequest:
    """A decision maker asks the organisations of a territory (or named ones) for a
    report; each organisation's administrator is told."""
    _require(perms.can_ask_for_report(user))
    services.clean_period(period_start, period_end)
    purpose = purpose.strip()
    if not purpose:
        raise ValidationError({"purpose": _("Say what the report is for, in your words.")})
    if len(purpose) > PURPOSE_MAX:
        raise ValidationError({"purpose": _("Keep it under 2,000 characters.")})
    answer_by = _clean_answer_by(answer_by, timezone.localdate())
    organisations, territory, label = _organisations_asked(territory, organisation_ids)
    with transaction.atomic():
        request = ReportRequest.objects.create(
            requested_by=user,
            territory=territory,
            scope_label=label[:300],
            period_start=period_start,
            period_end=period_end,
            purpose=purpose,
            answer_by=answer_by,
        )
        ReportRequestAnswer.objects.bulk_create(
            ReportRequestAnswer(request=request, organisation=o) for o in organisations
        )
        record(
            user,
            Action.REPORT_REQUEST_MADE,
            target=request,
            detail={"organisations": sorted(o.pk for o in organisations)},
        )
        admins = User.objects.filter(
            organisation__in=organisations, is_org_admin=True, is_active=True
        )
        notify(
            admins,
            "report_request_received",
            url=reverse("report_requests:answer", args=[request.pk]),
            key=f"report_request:{request.pk}",
            requester=user.display_name,
            scope=request.scope_label,
        )
    return request


def answer_report_request(
    *, user: User, answer: ReportRequestAnswer, accept: bool, words: str = "", expected_version
) -> ReportRequestAnswer:
    """The organisation's administrator accepts or declines, once. An answer given
    on a state someone else changed (another administrator answered first, or the
    request was closed) is refused with ConflictError; the last answer settles the
    request."""
    words = words.strip()
    if len(words) > WORDS_MAX:
        raise ValidationError({"words": _("Keep it under 2,000 characters.")})
    with transaction.atomic():
        # The request first, so that two last answers settle it once, one after the other.
        request = ReportRequest.objects.select_for_update().get(pk=answer.request_id)
        answer = ReportRequestAnswer.objects.select_for_update().get(pk=answer.pk)
        answer.request = request
        if not (
            user.is_active and user.is_org_admin and user.organisation_id == answer.organisation_id
        ):
            raise PermissionDenied
        if expected_version != answer.version or not perms.can_answer_report_request(user, answer):
            raise ConflictError(
                _("This request was answered or closed meanwhile: here is where it stands.")
            )
        answer.status = (
            ReportRequestAnswer.Status.ACCEPTED if accept else ReportRequestAnswer.Status.DECLINED
        )
        answer.words = words
        answer.answered_by = user
        answer.answered_at = timezone.now()
        answer.version += 1
        answer.save(update_fields=["status", "words", "answered_by", "answered_at", "version"])
        record(
            user,
            Action.REPORT_REQUEST_ANSWERED,
            organisation_id=answer.organisation_id,
            target=request,
            detail={"answer": answer.status},
        )
        notify(
            [request.requested_by],
            "report_request_answered",
            url=_url(request),
            organisation=answer.organisation.name,
            scope=request.scope_label,
        )
        if not request.answers.filter(status=ReportRequestAnswer.Status.PENDING).exists():
            _settle(request, actor=user)
    return answer


def close_report_request(*, user: User, request: ReportRequest, expected_version) -> ReportRequest:
    """Past the day set for answers, the decision maker goes on with the
    organisations that accepted; those that did not answer are not counted."""
    with transaction.atomic():
        request = ReportRequest.objects.select_for_update().get(pk=request.pk)
        if request.requested_by_id != user.pk:
            raise PermissionDenied
        if expected_version != request.version or request.status != request.Status.WAITING:
            raise ConflictError(_("This request was settled meanwhile: here is where it stands."))
        if not perms.can_close_report_request(user, request, timezone.localdate()):
            raise ValidationError(
                _("The organisations may answer until %(day)s: wait until then.")
                % {"day": show(request.answer_by)}
            )
        record(user, Action.REPORT_REQUEST_CLOSED, target=request)
        _record_no_answers(request)
        _settle(request, actor=user)
    return request


def _record_no_answers(request: ReportRequest) -> list[str]:
    """The organisations still silent when the request closes past its answer day:
    "no answer", which is not a decline. Returns their names."""
    silent = request.answers.filter(status=ReportRequestAnswer.Status.PENDING)
    names = list(silent.order_by("organisation__name").values_list("organisation__name", flat=True))
    silent.update(status=ReportRequestAnswer.Status.NO_ANSWER, version=F("version") + 1)
    return names


def close_requests_on_answer_day(today: datetime.date | None = None) -> int:
    """The daily job: every request still waiting once its answer day is past closes
    with the organisations that accepted; those that did not answer are recorded as
    "no answer", and the decision maker is told. Each request closes in its own
    transaction, at most once (a request closed meanwhile, by its decision maker or
    another run, is left as it is). Returns how many closed."""
    today = today or timezone.localdate()
    due = ReportRequest.objects.filter(
        status=ReportRequest.Status.WAITING, answer_by__lt=today
    ).values_list("pk", flat=True)
    closed = 0
    for pk in list(due):
        with transaction.atomic():
            request = ReportRequest.objects.select_for_update().get(pk=pk)
            if request.status != ReportRequest.Status.WAITING or request.answer_by >= today:
                continue
            silent = _record_no_answers(request)
            request.closed_on_answer_day = True
            record(
                None,
                Action.REPORT_REQUEST_CLOSED_ON_ANSWER_DAY,
                target=request,
                detail={"answer_by": request.answer_by.isoformat(), "no_answer": len(silent)},
            )
            _settle(request, actor=None, news="report_request_closed_on_answer_day")
            closed += 1
    return closed


def scope_label(request, accepted: int, asked: int) -> str:
    return _("%(scope)s: %(accepted)d of the %(asked)d organisations asked") % {
        "scope": request.scope_label,
        "accepted": accepted,
        "asked": asked,
    }


def _settle(request: ReportRequest, *, actor: User | None, news="report_request_settled") -> None:
    """Makes the report over the organisations that accepted, published to the
    decision maker, or records that no organisation accepted. `actor`: None when the
    daily job closes the request; `news`: the notification the decision maker gets."""
    answers = list(request.answers.select_related("organisation"))
    accepted = [a.organisation for a in answers if a.status == ReportRequestAnswer.Status.ACCEPTED]
    request.closed_at = timezone.now()
    request.version += 1
    if accepted:
        decision_maker = request.requested_by
        report = services.queue_report(
            user=decision_maker,
            scope_kind=Report.ScopeKind.ORGANISATIONS,
            organisations=accepted,
            label=scope_label(request, len(accepted), len(answers)),
            territory=request.territory,
            # No organisation owns it: it is the decision maker's, read by them alone
            # (and platform staff), like a report published to them.
            owner_id=None,
            period_start=request.period_start,
            period_end=request.period_end,
            threshold=services.threshold_floor(),
        )
        # Published as it is asked: the decision maker reads it once it is computed
        # (the gatekeeper shows a decision maker ready reports only).
        report.published_to.add(decision_maker)
        report.published_at = request.closed_at
        report.save(update_fields=["published_at"])
        record(
            actor,
            Action.REPORT_PUBLISHED,
            target=report,
            detail={"to": [decision_maker.pk], "request": request.pk},
        )
        request.report = report
        request.status = ReportRequest.Status.ANSWERED
    else:
        request.status = ReportRequest.Status.DECLINED
    request.save(update_fields=["closed_at", "version", "report", "status", "closed_on_answer_day"])
    notify(
        [request.requested_by],
        news,
        url=_url(request),
        key=f"report_request_settled:{request.pk}",
        scope=request.scope_label,
    )
