"""Use cases of the DUI link: the person's consent, given and withdrawn. Each is
atomic, checks the permission and writes its audit entry. Every export and every
read by DUI software asks `active_consent` at the moment it happens, so a
withdrawal stops them at once."""

from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from alliance.alliances.lifecycle import ensure_open
from alliance.alliances.models import Alliance, Ally
from alliance.audit.journal import record_by_ally
from alliance.audit.models import Action
from alliance.conflicts import ConflictError

from . import perms
from .models import DuiConsent


def active_consent(alliance: Alliance) -> DuiConsent | None:
    return (
        DuiConsent.objects.filter(alliance=alliance, withdrawn_at__isnull=True)
        .select_related("given_by__user")
        .first()
    )


def give_dui_consent(*, ally: Ally) -> DuiConsent:
    if not perms.can_decide_dui_consent(ally):
        raise PermissionDenied
    ensure_open(ally.alliance)
    try:
        with transaction.atomic():
            consent = DuiConsent.objects.create(alliance=ally.alliance, given_by=ally)
            record_by_ally(ally, Action.DUI_CONSENT_GIVEN, target=consent)
    except IntegrityError:
        # Someone who also speaks for the person agreed a moment before.
        raise ConflictError(_("The sharing was already agreed: read the page again.")) from None
    return consent


def withdraw_dui_consent(*, ally: Ally) -> DuiConsent:
    """Allowed on a closed alliance too: nothing may leave it against the person's will."""
    if not perms.can_decide_dui_consent(ally):
        raise PermissionDenied
    with transaction.atomic():
        consent = (
            DuiConsent.objects.select_for_update()
            .filter(alliance_id=ally.alliance_id, withdrawn_at__isnull=True)
            .first()
        )
        if consent is None:
            raise ConflictError(_("The sharing was already stopped: read the page again."))
        consent.withdrawn_by = ally
        consent.withdrawn_at = timezone.now()
        consent.save(update_fields=["withdrawn_by", "withdrawn_at"])
        record_by_ally(ally, Action.DUI_CONSENT_WITHDRAWN, target=consent)
    return consent
