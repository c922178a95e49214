"""The DUI transfer through the API (docs/interop-fhir.md): one alliance's TDDUI
bundle, and the bulk NDJSON of an organisation for its DUI software.

`_alliance_for` holds the same rules as the shared gate `alliance.api.gates
.alliance_for` (a user: an active ally; DUI software: an alliance of its
organisation whose person agreed) until that gate is merged; then it points there."""

from types import SimpleNamespace

from django.http import Http404, HttpResponse, StreamingHttpResponse
from django.utils.translation import gettext as _
from ninja import Router

from alliance.audit.journal import record
from alliance.audit.models import Action
from alliance.interop import perms, services
from alliance.interop.fhir.export import (
    alliance_bundle,
    bundle_bytes,
    organisation_ndjson,
    sha256,
)

from . import gates
from .auth import caller_of
from .problems import ApiProblem

router = Router(tags=["fhir"])

FHIR_JSON = "application/fhir+json"
FHIR_NDJSON = "application/fhir+ndjson"


def _documented(media_type, kind):
    return {"description": "OK", "content": {media_type: {"schema": {"type": kind}}}}


def _record_read(caller, alliance, page, **detail):
    """A client's read is signed with the software's name (no account), so the person
    sees which software read their alliance."""
    actor = caller.user or SimpleNamespace(display_name=caller.client.display_name)
    record(
        actor,
        Action.ALLIANCE_VIEWED,
        alliance_id=alliance.pk,
        organisation_id=alliance.organisation_id,
        detail={"page": page, **detail},
    )


# The largest database id (a BigAutoField): a larger number is a 404, never a 500
# from a database that cannot hold it.
DATABASE_ID_MAX = 2**63 - 1


def _alliance_for(request, alliance_id):
    """The API's one gate (alliance.api.gates); the bundle's read is recorded by the
    route with the bundle's hash, once it is made."""
    if not 0 < alliance_id <= DATABASE_ID_MAX:
        raise Http404
    return gates.alliance_for(request, alliance_id, read_now=False)


def _no_consent():
    return ApiProblem(
        403,
        "dui-consent-missing",
        _("The person has not agreed to share this alliance with the establishment's file"),
        _("Only the person, or their legal representative, can agree, on the alliance's page."),
    )


@router.get(
    "/alliances/{alliance_id}",
    url_name="fhir_alliance_bundle",
    summary="The alliance as a FHIR R4 TDDUI transaction Bundle",
    openapi_extra={"responses": {200: _documented(FHIR_JSON, "object")}},
)
def fhir_alliance_bundle(request, alliance_id: int):
    caller = caller_of(request)
    alliance, ally = _alliance_for(request, alliance_id)
    if caller.user is not None:
        if not perms.can_export(ally):
            raise ApiProblem(
                403,
                "not-allowed",
                _("Only a professional or the person's side exports the alliance"),
                "",
            )
        if services.active_consent(alliance) is None:
            raise _no_consent()
    data = bundle_bytes(alliance_bundle(alliance))
    _record_read(caller, alliance, "api:fhir_alliance_bundle", sha256=sha256(data))
    return HttpResponse(data, content_type=FHIR_JSON)


@router.get(
    "/organisations/export.ndjson",
    url_name="fhir_organisation_export",
    summary="Every consented alliance of the caller's organisation, one FHIR resource a line",
    openapi_extra={"responses": {200: _documented(FHIR_NDJSON, "string")}},
)
def fhir_organisation_export(request):
    caller = caller_of(request)
    if caller.client is None:
        # An organisation's administrator never reads its alliances (DESIGN §2): the
        # bulk export is for the organisation's DUI software only.
        raise ApiProblem(
            403,
            "client-only",
            _("Only the establishment's DUI software may export in bulk"),
            _("Connect the software with its client credentials."),
        )
    organisation = caller.client.organisation

    def leaving(alliance, lines):
        data = "".join(lines).encode()
        _record_read(caller, alliance, "api:fhir_organisation_export", sha256=sha256(data))

    return StreamingHttpResponse(
        organisation_ndjson(organisation, on_alliance=leaving), content_type=FHIR_NDJSON
    )
