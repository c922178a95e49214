"""Background work of reports: the computation never runs inside a request."""

from django_tasks import task


@task()
def compute_report_task(report_id: int) -> str:
    from .services import compute_report

    return compute_report(report_id).status
