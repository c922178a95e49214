"""Who may ask for, and receive, an archive of a person's data (ADR 0032)."""

from alliance.accounts.models import User
from alliance.alliances.models import REPRESENTING_MANDATES, Ally, Role


def represented_alliances(requester, subject) -> list[int]:
    """The alliances where `requester` is the approved, active legal representative
    whose mandate represents `subject`, who is the person of that alliance. A mandate
    is recorded per alliance: so is what the representative receives."""
    if requester.pk == subject.pk:
        return []
    mine = Ally.objects.filter(
        user=requester,
        role=Role.REPRESENTATIVE,
        status=Ally.Status.ACTIVE,
        mandate_kind__in=REPRESENTING_MANDATES,
    ).values("alliance_id")
    return sorted(
        Ally.objects.filter(user=subject, role=Role.PERSON, alliance_id__in=mine).values_list(
            "alliance_id", flat=True
        )
    )


def people_represented_by(user) -> list:
    """The persons whose data `user` may ask for as their legal representative."""
    mine = Ally.objects.filter(
        user=user,
        role=Role.REPRESENTATIVE,
        status=Ally.Status.ACTIVE,
        mandate_kind__in=REPRESENTING_MANDATES,
    ).values("alliance_id")
    return list(
        User.objects.filter(allies__role=Role.PERSON, allies__alliance_id__in=mine)
        .exclude(pk=user.pk)
        .distinct()
        .order_by("display_name", "pk")
    )


def can_ask_archive(requester, subject) -> bool:
    """The user for themselves; a legal representative for the person they represent.
    Nobody else: not a professional, an organisation's admin nor a decision maker."""
    return requester.pk == subject.pk or bool(represented_alliances(requester, subject))


def can_download(user, archive) -> bool:
    """Only who asked for it."""
    return archive.requested_by_id == user.pk
