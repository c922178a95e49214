"""`manage.py demo`: loads the demo alliances and their personas, once."""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from alliance.alliances.models import Ally
from alliance.demo.loader import load_demo
from alliance.demo.personas import demo_personas


def describe(user, roles) -> str:
    if roles:
        return "; ".join(roles)
    if user.is_org_admin:
        return f"organisation admin, {user.organisation}"
    if user.is_decision_maker:
        return f"decision maker ({user.job_title})"
    if user.organisation_id:
        return f"{user.job_title}, {user.organisation}, in no alliance"
    return user.get_kind_display()


class Command(BaseCommand):
    help = "Load the demo alliances and their personas (does nothing if already loaded)."

    def handle(self, *args, **options):
        if not settings.ALLIANCE_DEMO_MODE:
            # Demo accounts have no password and sign in with one click in demo mode:
            # they have no place in a real database.
            raise CommandError(
                "ALLIANCE_DEMO_MODE is off in these settings: the demo is "
                "only loaded where demo mode is on (e.g. alliance.settings.dev)."
            )
        if load_demo():
            self.stdout.write(self.style.SUCCESS("Demo loaded."))
        else:
            self.stdout.write("The demo is already loaded: nothing to do.")
        users = demo_personas()
        roles = {}
        for ally in Ally.objects.filter(user__in=users).select_related("alliance"):
            roles.setdefault(ally.user_id, []).append(
                f"{ally.get_role_display()} in « {ally.alliance.title} »"
            )
        self.stdout.write("Demo personas (one-click sign-in in demo mode):")
        width = max((len(u.demo_persona) for u in users), default=0)
        for user in users:
            self.stdout.write(
                f"  {user.demo_persona:<{width}}  {user.display_name} — "
                f"{describe(user, roles.get(user.pk))}"
            )
