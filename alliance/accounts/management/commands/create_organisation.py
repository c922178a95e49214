from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand

from alliance.accounts.installation import start_organisation
from alliance.accounts.installation_cli import as_command_error, in_the_product_language
from alliance.accounts.models import Organisation


class Command(BaseCommand):
    help = (
        "Creates an organisation and its first administrator. The administrator gets a "
        "single-use sign-in link at their own address; nothing secret is printed."
    )

    def add_arguments(self, parser):
        parser.add_argument("name", help="The organisation's name.")
        parser.add_argument(
            "--kind", choices=Organisation.Kind.values, default=Organisation.Kind.ESSMS
        )
        parser.add_argument("--territory", default="", help="e.g. 69 Rhône")
        parser.add_argument("--admin-email", required=True)
        parser.add_argument("--admin-name", required=True)
        parser.add_argument("--admin-job-title", default="")

    @in_the_product_language
    def handle(self, *args, **options):
        try:
            organisation, admin = start_organisation(
                name=options["name"],
                kind=options["kind"],
                territory=options["territory"],
                admin_email=options["admin_email"],
                admin_name=options["admin_name"],
                admin_job_title=options["admin_job_title"],
            )
        except ValidationError as error:
            raise as_command_error(error) from None
        self.stdout.write(
            f"Organisation {organisation.pk} created: {organisation.name}.\n"
            f"Its administrator, {admin.display_name}, was sent a single-use sign-in link "
            f"at {admin.email}. If it does not arrive, they ask for a code by email on the "
            "sign-in page."
        )
