from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from alliance.accounts.installation import add_decision_maker
from alliance.accounts.installation_cli import as_command_error, in_the_product_language
from alliance.accounts.models import Organisation


class Command(BaseCommand):
    help = (
        "Adds a decision maker (reads the reports published to them). They get a "
        "single-use sign-in link at their own address; nothing secret is printed."
    )

    def add_arguments(self, parser):
        parser.add_argument("--email", required=True)
        parser.add_argument("--name", required=True)
        parser.add_argument("--job-title", default="")
        parser.add_argument(
            "--organisation", type=int, help="Id of the authority they speak for, if any."
        )

    @in_the_product_language
    def handle(self, *args, **options):
        organisation = None
        if options["organisation"] is not None:
            organisation = Organisation.objects.filter(pk=options["organisation"]).first()
            if organisation is None:
                raise CommandError(
                    f"Nothing was created. No organisation has the id {options['organisation']}."
                )
        try:
            user = add_decision_maker(
                email=options["email"],
                display_name=options["name"],
                job_title=options["job_title"],
                organisation=organisation,
            )
        except ValidationError as error:
            raise as_command_error(error) from None
        self.stdout.write(
            f"Decision maker {user.pk} added: {user.display_name}. A single-use sign-in link "
            f"was sent to {user.email}."
        )
