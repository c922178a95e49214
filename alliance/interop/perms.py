"""Who may do what with the organisation's DUI: small named predicates taking the
acting ally (None for someone outside the alliance), or the user for an import."""

from alliance.alliances.models import Ally


def can_decide_dui_consent(ally: Ally | None) -> bool:
    """Only the person, or a legal representative who speaks for them, agrees that
    the alliance goes to the organisation's DUI, or withdraws that agreement."""
    return ally is not None and ally.is_active and ally.speaks_for_person


def can_export(ally: Ally | None) -> bool:
    """A professional, who files it in the DUI, or the person's side, who may want to
    see or hand over what would leave. Other allies only see whether it is shared."""
    return ally is not None and ally.is_active and (ally.is_professional or ally.speaks_for_person)


def can_import_dui(user) -> bool:
    """A professional of an organisation starts an alliance from that organisation's DUI."""
    return bool(user.is_authenticated and user.is_professional and user.organisation_id)
