"""The periodic jobs: when each falls due (pure), the scheduler enqueuing each
period once even with two schedulers, and the one-shot runner of a platform cron."""

import datetime
from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from alliance.notifications import periodic
from alliance.notifications.models import PeriodicRun
from alliance.notifications.schedule import JOBS, PARIS, Job, next_wake
from tests.notifications.queue import run_ready_tasks

UTC = datetime.UTC


def paris(*args):
    return datetime.datetime(*args, tzinfo=PARIS)


def test_a_daily_job_falls_due_at_its_local_time_whatever_the_season():
    job = Job("x", "", at=datetime.time(7, 0))
    # Winter (UTC+1) and summer (UTC+2): 07:00 in Paris both times.
    assert job.last_due(datetime.datetime(2026, 1, 10, 6, 30, tzinfo=UTC)) == paris(2026, 1, 10, 7)
    assert job.last_due(datetime.datetime(2026, 7, 10, 4, 59, tzinfo=UTC)) == paris(2026, 7, 9, 7)
    assert job.next_due(paris(2026, 7, 10, 7, 0)) == paris(2026, 7, 11, 7)
    assert job.period(paris(2026, 7, 10, 6, 59)) == "2026-07-09T07:00"
    assert job.period(paris(2026, 7, 10, 7, 0)) == "2026-07-10T07:00"
    assert job.period(paris(2026, 7, 10, 23, 59)) == "2026-07-10T07:00"


def test_a_job_every_few_minutes_has_one_period_per_slot():
    job = Job("x", "", every_minutes=15)
    assert job.period(paris(2026, 3, 1, 10, 14, 59)) == "2026-03-01T10:00"
    assert job.period(paris(2026, 3, 1, 10, 15)) == "2026-03-01T10:15"
    assert job.next_due(paris(2026, 3, 1, 23, 50)) == paris(2026, 3, 2, 0, 0)


def test_the_schedule_holds_the_daily_reminders_and_retention_and_wakes_for_the_next():
    # archive_audit needs the owner's rights: a platform cron runs it through the
    # entrypoint's archive-audit verb, never the scheduler (ADR 0016).
    assert {
        "reminders",
        "purge_expired",
        "apply_retention",
        "requeue_stalled",
        "close_report_requests",
    } == set(JOBS)
    assert JOBS["reminders"].at == datetime.time(7, 0)
    # After midnight in Paris: the answer day of a request is over.
    assert JOBS["close_report_requests"].at == datetime.time(0, 30)
    assert next_wake(paris(2026, 3, 1, 2, 58)) == paris(2026, 3, 1, 3, 0)
    assert next_wake(paris(2026, 3, 1, 3, 1)) == paris(2026, 3, 1, 3, 15)


@pytest.mark.django_db
@pytest.mark.usefixtures("database_queue")
def test_two_schedulers_enqueue_each_period_once():
    at = paris(2026, 3, 1, 8, 0)
    first = periodic.enqueue_due(at)
    second = periodic.enqueue_due(at)  # the other machine, the same minute
    assert sorted(first) == sorted(JOBS) and second == []
    assert DBTaskResult.objects.count() == len(JOBS)
    # Ten minutes later nothing; a quarter of an hour later only the quarter-hour
    # job has a new period; the next day, all.
    assert periodic.enqueue_due(at + datetime.timedelta(minutes=10)) == []
    assert periodic.enqueue_due(at + datetime.timedelta(minutes=15)) == ["requeue_stalled"]
    assert sorted(periodic.enqueue_due(at + datetime.timedelta(days=1))) == sorted(JOBS)
    assert PeriodicRun.objects.filter(job="reminders").count() == 2


@pytest.mark.django_db
@pytest.mark.usefixtures("database_queue")
def test_the_scheduler_command_enqueues_and_the_worker_runs_the_jobs():
    out = StringIO()
    call_command("scheduler", "--once", stdout=out)
    call_command("scheduler", "--once", stdout=out)
    assert out.getvalue().count("enqueued reminders") == 1
    assert run_ready_tasks() == len(JOBS)
    assert set(DBTaskResult.objects.values_list("status", flat=True)) == {"SUCCESSFUL"}


@pytest.mark.django_db
def test_run_periodic_runs_the_reminders_once_per_period_unless_forced():
    out = StringIO()
    call_command("run_periodic", "reminders", stdout=out)
    call_command("run_periodic", "reminders", stdout=out)  # a scheduler took it, or cron twice
    call_command("run_periodic", "reminders", "--force", stdout=out)
    period = JOBS["reminders"].period(timezone.now())
    assert out.getvalue().splitlines() == [
        "0 action and 0 review notifications, 0 daily digests.",
        f"reminders: already run for {period}.",
        "0 action and 0 review notifications, 0 daily digests.",
    ]
    # The scheduler does not enqueue a period that the cron already ran.
    assert "reminders" not in periodic.enqueue_due()


def test_a_command_provided_elsewhere_and_missing_is_reported_not_crashed():
    assert periodic._command("no_such_retention")() == "no_such_retention: not installed."


def test_every_scheduled_job_has_its_runner():
    assert periodic.RUNNERS.keys() == JOBS.keys()
