"""The gatekeeper of reports: the only way pages load one. A report the user may not
read is not found (404), whoever they are."""

from django.http import Http404

from .models import Report


def get_report_for(user, report_id) -> Report:
    if not user.is_authenticated:
        raise Http404
    reports = Report.objects.select_related("owner", "requested_by")
    if user.is_decision_maker:
        reports = reports.filter(status=Report.Status.READY, published_to=user)
    elif user.is_staff and user.is_professional:
        pass
    elif user.is_professional and user.organisation_id:
        reports = reports.filter(owner_id=user.organisation_id)
    else:
        raise Http404
    try:
        return reports.get(pk=report_id)
    except (Report.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def reports_for(user):
    """The reports listed for the user, newest first."""
    reports = Report.objects.select_related("owner")
    if user.is_decision_maker:
        return reports.filter(status=Report.Status.READY, published_to=user)
    if user.is_staff and user.is_professional:
        return reports
    if user.is_professional and user.organisation_id:
        return reports.filter(owner_id=user.organisation_id)
    return reports.none()
