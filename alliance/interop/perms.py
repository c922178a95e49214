"""Who may do what with the organisation's DUI."""


def can_import_dui(user) -> bool:
    """A professional of an organisation starts an alliance from that organisation's DUI."""
    return bool(user.is_authenticated and user.is_professional and user.organisation_id)
