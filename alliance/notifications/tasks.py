"""Background work of notifications, run by the task worker: deliveries and the
periodic jobs the scheduler enqueues. A task carries an id or a job name only."""

from django_tasks import task


@task()
def deliver_message(message_id: int):
    from . import outbox

    return outbox.deliver(message_id)


@task()
def run_periodic_job(name: str):
    from . import periodic

    return periodic.run_job(name)
