from django.core.management.base import BaseCommand

from alliance.operations.locales import project_locale_dirs
from alliance.operations.translations import catalogues, compile_catalogue, is_stale


class Command(BaseCommand):
    help = (
        "Compiles the product's translation catalogues (.po → .mo) without gettext. "
        "Up-to-date catalogues are left as they are, so it runs on a read-only image."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--force", action="store_true", help="Compile every catalogue, even up-to-date ones."
        )

    def handle(self, *args, force=False, **options):
        for po_path in catalogues(project_locale_dirs()):
            if force or is_stale(po_path):
                compile_catalogue(po_path)
                if options["verbosity"] > 0:
                    self.stdout.write(f"compiled {po_path}")
            elif options["verbosity"] > 1:
                self.stdout.write(f"up to date {po_path}")
