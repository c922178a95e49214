"""Use case of where an organisation is: the INSEE codes its administrator records
for reports (the finest geography a report uses; never a person's address)."""

import hashlib

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from alliance.audit.journal import record
from alliance.audit.models import Action
from alliance.conflicts import ConflictError

from . import geography
from .models import Organisation

FIELDS = ("commune_code", "commune_name", "epci_code", "epci_name", "departement_code")


def _messages():
    return {
        "commune_format": _(
            "An INSEE commune code has 5 characters: 5 digits, or 2A or 2B and 3 digits "
            "in Corsica (for example 69123 for Lyon)."
        ),
        "epci_format": _(
            "The SIREN number of an EPCI has 9 digits (for example 200046977 for the "
            "Métropole de Lyon)."
        ),
        "departement_format": _(
            "A département code is 2 characters (01 to 95, 2A, 2B) or 3 overseas (971 to 976)."
        ),
        "departement_mismatch": _(
            "The commune code says another département: leave the département empty to "
            "take the commune's."
        ),
    }


def fingerprint(organisation) -> str:
    """What the form was loaded with: a change saved by someone else meanwhile
    gives another fingerprint, and the later save is refused."""
    seen = "\x1f".join(getattr(organisation, name) for name in FIELDS)
    return hashlib.sha256(seen.encode()).hexdigest()[:16]


def set_organisation_address(
    *,
    admin,
    commune_code="",
    commune_name="",
    epci_code="",
    epci_name="",
    departement_code="",
    expected: str,
) -> Organisation:
    """The organisation's administrator records its INSEE codes; the département
    is taken from the commune when left empty."""
    if not (admin.is_active and admin.is_org_admin and admin.organisation_id):
        raise PermissionDenied
    commune_code = geography.normalise(commune_code)
    epci_code = geography.normalise(epci_code)
    departement_code = geography.normalise(departement_code)
    problems = geography.check_address(
        commune_code=commune_code, epci_code=epci_code, departement_code=departement_code
    )
    if problems:
        words = _messages()
        raise ValidationError({field: words[reason] for field, reason in problems.items()})
    if commune_code and not departement_code:
        departement_code = geography.departement_of(commune_code)
    values = {
        "commune_code": commune_code,
        "commune_name": " ".join(commune_name.split())[:120],
        "epci_code": epci_code,
        "epci_name": " ".join(epci_name.split())[:160],
        "departement_code": departement_code,
    }
    with transaction.atomic():
        organisation = Organisation.objects.select_for_update().get(pk=admin.organisation_id)
        if fingerprint(organisation) != expected:
            raise ConflictError(
                _("Someone else changed these codes meanwhile: here they are now. Check them.")
            )
        for name, value in values.items():
            setattr(organisation, name, value)
        organisation.save(update_fields=list(FIELDS))
        record(
            admin,
            Action.ORGANISATION_ADDRESS_SET,
            organisation_id=organisation.pk,
            target=organisation,
            detail=values,
        )
    return organisation
