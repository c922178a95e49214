"""The periodic jobs and when each is due (ADR 0015): declared here only, in plain
Python, and read by the scheduler (`alliance scheduler`) and by the platform's cron
(`alliance run_periodic <job>`).

A job runs once per *period*: the period is named by the last time the job fell
due, so two schedulers that look at the same moment find the same name, and the
first that records it is the only one that enqueues the job."""

import datetime
from dataclasses import dataclass
from zoneinfo import ZoneInfo

PARIS = ZoneInfo("Europe/Paris")


@dataclass(frozen=True)
class Job:
    name: str
    description: str
    # Daily jobs run at this local (Paris) time; the others every `every_minutes`.
    at: datetime.time | None = None
    every_minutes: int | None = None

    def last_due(self, now: datetime.datetime) -> datetime.datetime:
        """The latest moment ≤ now when the job fell due (aware, in Paris time)."""
        local = now.astimezone(PARIS)
        if self.at is not None:
            due = datetime.datetime.combine(local.date(), self.at, tzinfo=PARIS)
            return due if due <= local else due - datetime.timedelta(days=1)
        minutes = local.hour * 60 + local.minute
        start = minutes - minutes % self.every_minutes
        midnight = local.replace(hour=0, minute=0, second=0, microsecond=0)
        return midnight + datetime.timedelta(minutes=start)

    def next_due(self, now: datetime.datetime) -> datetime.datetime:
        last = self.last_due(now)
        if self.at is not None:
            return last + datetime.timedelta(days=1)
        return last + datetime.timedelta(minutes=self.every_minutes)

    def period(self, now: datetime.datetime) -> str:
        """The name of the period `now` falls in, e.g. "2026-12-03T07:00"."""
        return self.last_due(now).strftime("%Y-%m-%dT%H:%M")


JOBS = {
    job.name: job
    for job in (
        Job(
            "reminders",
            "Actions due tomorrow or late, reviews due, daily digest emails.",
            at=datetime.time(7, 0),
        ),
        Job(
            "purge_expired",
            "Retention: expired sessions, old task results and notifications.",
            at=datetime.time(3, 0),
        ),
        Job(
            "apply_retention",
            "Retention policy: closed alliances past their keep_until, erasures due.",
            at=datetime.time(3, 30),
        ),
        Job(
            "close_report_requests",
            "Requests for a report whose answer day is past: closed, silence recorded.",
            # Just after midnight: the answer day is over in Paris.
            at=datetime.time(0, 30),
        ),
        Job(
            "requeue_stalled",
            "Emails and text messages whose task was lost (a worker killed mid-task).",
            every_minutes=15,
        ),
    )
}


def next_wake(now: datetime.datetime) -> datetime.datetime:
    return min(job.next_due(now) for job in JOBS.values())
