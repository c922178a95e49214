"""The gatekeeper of requests for a report: the only way pages load one. A request
the user may not see is not found (404). The decision maker sees their own requests
and every organisation's answer; an organisation's administrator sees the requests
made to their organisation and their own answer, never another organisation's."""

from django.http import Http404

from .models import ReportRequest, ReportRequestAnswer


def requests_for(user):
    """A decision maker's requests, newest first."""
    requests = ReportRequest.objects.select_related("requested_by", "report")
    if not (user.is_authenticated and user.is_active):
        return requests.none()
    if user.is_decision_maker:
        return requests.filter(requested_by=user)
    return requests.none()


def answers_for(user):
    """The answers an organisation's administrator gives, newest request first."""
    if not (user.is_authenticated and user.is_active and user.is_org_admin):
        return ReportRequestAnswer.objects.none()
    return (
        ReportRequestAnswer.objects.filter(organisation_id=user.organisation_id)
        .select_related("request__requested_by")
        .order_by("-request__created_at", "-pk")
    )


def get_request_for(user, request_id) -> ReportRequest:
    """A decision maker's own request."""
    if not (user.is_authenticated and user.is_active and user.is_decision_maker):
        raise Http404
    try:
        return ReportRequest.objects.select_related("report").get(pk=request_id, requested_by=user)
    except (ReportRequest.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def get_answer_for(user, request_id) -> ReportRequestAnswer:
    """The answer of the administrator's organisation to a request made to it."""
    if not (user.is_authenticated and user.is_active and user.is_org_admin):
        raise Http404
    try:
        return ReportRequestAnswer.objects.select_related(
            "request__requested_by", "organisation", "answered_by"
        ).get(request_id=request_id, organisation_id=user.organisation_id)
    except (ReportRequestAnswer.DoesNotExist, ValueError, TypeError):
        raise Http404 from None
