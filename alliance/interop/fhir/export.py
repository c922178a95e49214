"""An alliance as a TDDUI transaction Bundle, and an organisation's consented
alliances as FHIR NDJSON (docs/interop-fhir.md). These functions build; who may
receive what is decided by their callers (alliance.interop.services, the pages and
the API), which check the person's consent first."""

import hashlib
import json
from collections.abc import Iterator

from django.conf import settings
from fhir.resources.R4B import get_fhir_model_class

from alliance.alliances.models import Alliance
from alliance.interop.models import DuiConsent

from . import identifiers as ids
from .mapping import load, resources


def validated(resource: dict) -> dict:
    """Refuses a resource the FHIR R4 model refuses (R4B is the same wire format for
    every resource used here), so nothing malformed ever leaves."""
    get_fhir_model_class(resource["resourceType"]).model_validate(resource)
    return resource


def _entry(resource: dict) -> dict:
    identifier = resource["identifier"][0]
    return {
        "fullUrl": ids.full_url(identifier),
        "resource": resource,
        "request": {
            "method": "POST",
            "url": resource["resourceType"],
            "ifNoneExist": f"identifier={identifier['system']}|{identifier['value']}",
        },
    }


def alliance_bundle(alliance: Alliance) -> dict:
    own = ids.Own(settings.ALLIANCE_SITE_URL)
    bundle = {
        "resourceType": "Bundle",
        "meta": {"profile": [ids.BUNDLE]},
        "identifier": own.identifier("alliance", alliance.pk),
        "type": "transaction",
        "entry": [_entry(r) for r in resources(load(alliance))],
    }
    return validated(bundle)


def bundle_bytes(bundle: dict) -> bytes:
    """The bundle as sent: the same alliance in the same state gives the same bytes,
    so their SHA-256 in the trail says whether anything changed between two exports."""
    return json.dumps(bundle, ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode()


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def consented_alliances(organisation):
    # A subquery, not a join: an alliance without any consent row would match a
    # "withdrawn_at is null" test on an outer join.
    active = DuiConsent.objects.filter(withdrawn_at__isnull=True).values("alliance_id")
    return Alliance.objects.filter(organisation=organisation, pk__in=active).order_by("pk")


def alliance_lines(alliance: Alliance) -> list[str]:
    """The alliance's resources, one JSON line each (newline included)."""
    return [
        json.dumps(validated(r), ensure_ascii=False, sort_keys=True) + "\n"
        for r in resources(load(alliance))
    ]


def organisation_ndjson(organisation, on_alliance=None) -> Iterator[str]:
    """One line per resource, alliance after alliance, of every alliance of the
    organisation whose consent is active when its turn comes: a withdrawal during a
    long export keeps that alliance in. `on_alliance(alliance, lines)` is called as
    each alliance leaves (the API writes the read to its trail there)."""
    for alliance_id in consented_alliances(organisation).values_list("pk", flat=True):
        alliance = consented_alliances(organisation).filter(pk=alliance_id).first()
        if alliance is None:
            continue
        lines = alliance_lines(alliance)
        if on_alliance is not None:
            on_alliance(alliance, lines)
        yield from lines
