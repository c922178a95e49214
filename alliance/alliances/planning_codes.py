"""Use case of an alliance's planning codes: the MDPH orientation and the type of
service the organisation records for its aggregate reports (planning.py). Only a
professional of the alliance's organisation sets them; they never name the person
and never appear on the person's pages."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from alliance.audit.journal import record_by_ally
from alliance.audit.models import Action
from alliance.conflicts import ConflictError

from . import perms, planning
from .models import Alliance, Ally


def seen(alliance) -> str:
    """The codes a form was loaded with: a save on other codes is refused."""
    return f"{alliance.mdph_orientation}|{alliance.service_type}"


def set_planning_codes(
    *, ally: Ally, mdph_orientation: str = "", service_type: str = "", expected: str
) -> Alliance:
    if not perms.can_set_planning_codes(ally):
        raise PermissionDenied
    errors = {}
    if mdph_orientation and mdph_orientation not in planning.SERVICE_TYPE_CODES:
        errors["mdph_orientation"] = _("Choose an orientation from the list.")
    if service_type and service_type not in planning.SERVICE_TYPE_CODES:
        errors["service_type"] = _("Choose a type of service from the list.")
    if errors:
        raise ValidationError(errors)
    alliance = ally.alliance
    with transaction.atomic():
        previous_orientation, _bar, previous_type = expected.partition("|")
        changed = Alliance.objects.filter(
            pk=alliance.pk,
            mdph_orientation=previous_orientation,
            service_type=previous_type,
        ).update(mdph_orientation=mdph_orientation, service_type=service_type)
        if not changed:
            raise ConflictError(
                _("A colleague changed these codes meanwhile: here they are now. Check them.")
            )
        # The trail says that the codes were recorded, not which: the person reads it.
        record_by_ally(ally, Action.ALLIANCE_PLANNING_SET, target=alliance)
    alliance.mdph_orientation, alliance.service_type = mdph_orientation, service_type
    return alliance
