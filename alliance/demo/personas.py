"""The demo personas: the accounts the demo sign-in page offers, one button each."""

from django.db.models import Exists, OuterRef

from alliance.accounts.models import User
from alliance.alliances.models import Ally, Role


def demo_loaded() -> bool:
    return User.objects.exclude(demo_persona="").exists()


def _rank(user) -> int:
    """Persons first, then relatives and peers, professionals, admins, decision makers."""
    if user.is_decision_maker:
        return 4
    if user.is_org_admin:
        return 3
    if user.is_professional:
        return 2
    return 0 if user.is_person else 1


def demo_personas() -> list[User]:
    """The active demo accounts, in the order of the sign-in page (one query)."""
    users = (
        User.objects.exclude(demo_persona="")
        .filter(is_active=True)
        .select_related("organisation")
        .annotate(is_person=Exists(Ally.objects.filter(user=OuterRef("pk"), role=Role.PERSON)))
        .order_by("date_joined", "pk")
    )
    return sorted(users, key=_rank)
