"""Background work of a person's data: the archive is never made inside a request."""

from django_tasks import task

from .archive import make_archive


@task()
def make_archive_task(archive_id: int) -> str:
    return make_archive(archive_id)
