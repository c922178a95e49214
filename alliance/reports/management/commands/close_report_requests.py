"""`alliance close_report_requests`: the daily job that closes the requests for a
report whose answer day is past (run by the scheduler, `close_report_requests`)."""

from django.core.management.base import BaseCommand

from alliance.reports.requests import close_requests_on_answer_day


class Command(BaseCommand):
    help = "Close the requests for a report whose answer day is past."

    def handle(self, *args, **options):
        closed = close_requests_on_answer_day()
        self.stdout.write(f"{closed} requests for a report closed on their answer day.")
