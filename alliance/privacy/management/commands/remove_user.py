from django.core.management.base import BaseCommand, CommandError

from alliance.accounts.models import User
from alliance.privacy.erasure import remove_user


class Command(BaseCommand):
    help = (
        "Removes an account without ever deleting its row (ADR 0033): frozen now, its "
        "identity replaced by a pseudonym now or once its alliances are no longer kept."
    )

    def add_arguments(self, parser):
        parser.add_argument("account", help="The account's email address or id.")
        parser.add_argument("--reason", default="", help="Why, for the trail.")

    def handle(self, *args, account, reason, **options):
        found = User.objects.filter(email__iexact=account).first()
        if found is None and account.isdigit():
            found = User.objects.filter(pk=int(account)).first()
        if found is None:
            raise CommandError(f"No account {account!r}.")
        kept = remove_user(found, by=None, reason=reason)
        if kept.erasable:
            self.stdout.write(f"account {found.pk}: frozen and pseudonymised")
        elif kept.until:
            self.stdout.write(f"account {found.pk}: frozen; pseudonymised after {kept.until}")
        else:
            self.stdout.write(
                f"account {found.pk}: frozen; pseudonymised once its "
                f"{kept.open_alliances} open alliance(s) are closed and no longer kept"
            )
