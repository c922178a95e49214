"""Who may attach and delete files (ADR 0026)."""


def can_attach(ally) -> bool:
    """Every active ally brings files to the alliance."""
    return ally is not None and ally.is_active


def can_attach_to_entry(ally, entry) -> bool:
    """A journal entry is its author's words: only its author attaches a file to it."""
    return can_attach(ally) and entry.alliance_id == ally.alliance_id and entry.author_id == ally.pk


def can_delete_attachment(ally, attachment) -> bool:
    """Its uploader, and the person (or the legal representative who speaks for them):
    a file about the person stays only as long as the person wants it."""
    if not can_attach(ally) or attachment.alliance_id != ally.alliance_id:
        return False
    return attachment.uploader_id == ally.pk or ally.speaks_for_person
