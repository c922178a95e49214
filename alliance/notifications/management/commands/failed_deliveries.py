"""`alliance failed_deliveries`: the emails and text messages that failed for good,
without their recipient or content; `--retry ID` tries one again."""

from django.core.management.base import BaseCommand, CommandError

from alliance.notifications import outbox
from alliance.notifications.models import OutgoingMessage


class Command(BaseCommand):
    help = "List the emails and text messages that failed for good; --retry ID sends one again."

    def add_arguments(self, parser):
        parser.add_argument("--retry", type=int, metavar="ID", help="Try this message again.")

    def handle(self, *args, retry=None, **options):
        if retry is not None:
            try:
                outbox.retry(retry)
            except OutgoingMessage.DoesNotExist as error:
                raise CommandError(f"No failed message with id {retry}.") from error
            self.stdout.write(f"Message {retry} enqueued again.")
            return
        rows = outbox.failed()
        if not rows:
            self.stdout.write("No failed message.")
            return
        self.stdout.write("id\tkind\tchannel\tattempts\terror\tcreated\tfailed")
        for m in rows:
            self.stdout.write(
                f"{m.pk}\t{m.kind}\t{m.channel}\t{m.attempts}\t{m.last_error}\t"
                f"{m.created_at:%Y-%m-%d %H:%M}\t{m.finished_at:%Y-%m-%d %H:%M}"
            )
