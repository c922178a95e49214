"""Background work of reports: the computation never runs inside a request."""

from django_tasks import task

from .computation import compute_report


@task()
def compute_report_task(report_id: int) -> str:
    return compute_report(report_id).status
