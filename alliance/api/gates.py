"""The API's gate to an alliance, the twin of the pages' `alliance_view`: the same
404 for strangers, the same 403 for an ally not yet approved, the same read-only
closed alliance, and every read written to the trail the person reads.

A person's token acts as its owner through `get_alliance_for`. An organisation's
DUI software (a client) reads only the alliances of its organisation whose person
agreed to the link (an active `DuiConsent`), never writes, and is named in the
trail by its name, so the person sees which software read their alliance."""

from dataclasses import dataclass

from django.db.models import Exists, OuterRef
from django.http import Http404
from django.utils.translation import gettext as _

from alliance.alliances import perms
from alliance.alliances.access import get_alliance_for
from alliance.alliances.lifecycle import ensure_open
from alliance.alliances.models import Alliance, Ally
from alliance.audit.journal import record
from alliance.audit.models import Action
from alliance.interop.models import DuiConsent

from .auth import caller_of, require_user, require_write
from .problems import ApiProblem


@dataclass(frozen=True)
class _Software:
    """What the trail names as the reader when a DUI client reads: a label and no
    account (an entry's actor is a user; the software is not one)."""

    display_name: str


def consented(queryset, organisation_id):
    """Alliances of the organisation whose person agreed to share them with its DUI."""
    if organisation_id is None:
        return queryset.none()
    active = DuiConsent.objects.filter(alliance=OuterRef("pk"), withdrawn_at__isnull=True)
    return queryset.filter(Exists(active), organisation_id=organisation_id)


def _page_of(request) -> str:
    match = getattr(request, "resolver_match", None)
    return match.view_name if match is not None else "api"


def record_read(request, alliance) -> None:
    """Writes the read to the alliance's trail: by a route that looks up something
    inside the alliance, once found (nothing found, nothing read)."""
    caller = caller_of(request)
    reader = caller.user if caller.user is not None else _Software(caller.client.display_name)
    record(
        reader,
        Action.ALLIANCE_VIEWED,
        alliance_id=alliance.pk,
        organisation_id=alliance.organisation_id,
        detail={"page": _page_of(request)},
    )


def alliance_for(
    request, alliance_id, *, write=False, read_now=True
) -> tuple[Alliance, Ally | None]:
    """The alliance and the caller's ally in it (None for a DUI client). A write needs
    the write scope and a person's token, and an open alliance; it writes no read
    (its use case writes its own entry). `read_now=False`: the route calls
    `record_read` itself once it found what it shows."""
    caller = caller_of(request)
    if write:
        require_write(request)
        require_user(request)
    if caller.user is None:
        client = caller.client
        alliance = (
            consented(Alliance.objects.all(), client.organisation_id).filter(pk=alliance_id).first()
        )
        if alliance is None:
            raise Http404
        if read_now:
            record_read(request, alliance)
        return alliance, None
    alliance, ally = get_alliance_for(caller.user, alliance_id)
    if not perms.can_see_content(ally):
        raise ApiProblem(
            403,
            "awaiting-approval",
            _("Waiting for approval"),
            _("You will see the alliance once the person (or their representative) approves you."),
        )
    if write:
        ensure_open(alliance)
    elif read_now:
        record_read(request, alliance)
    return alliance, ally
