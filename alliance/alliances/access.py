"""The gatekeeper: the only way views load an alliance. Someone who is not an ally
gets a 404, never a hint that the alliance exists — whatever their organisation."""

from django.http import Http404

from .models import GONE_STATUSES, Alliance, Ally


def get_alliance_for(user, alliance_id) -> tuple[Alliance, Ally]:
    """A refused, removed or departed ally is a stranger again: the same 404."""
    if not user.is_authenticated:
        raise Http404
    ally = (
        Ally.objects.select_related("alliance", "user")
        .filter(alliance_id=alliance_id, user=user)
        .exclude(status__in=GONE_STATUSES)
        .first()
    )
    if ally is None:
        raise Http404
    return ally.alliance, ally


def get_ally_in(alliance, ally_id) -> Ally:
    try:
        return alliance.allies.select_related("user").get(pk=ally_id)
    except (Ally.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def get_statement_in(alliance, statement_id):
    try:
        return alliance.statements.select_related("author__user").get(pk=statement_id)
    except (alliance.statements.model.DoesNotExist, ValueError, TypeError):
        raise Http404 from None
