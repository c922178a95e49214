"""The files of each journal entry, for the journal's pages: one query for them all,
without their bytes (ADR 0026)."""

from alliance.attachments import perms, selectors


def with_entry_files(alliance, me, entries):
    """The entries, each with its `files` (each marked `deletable` by the reader)."""
    files = selectors.by_entry(alliance)
    for entry in entries:
        entry.files = files.get(entry.pk, [])
        for attachment in entry.files:
            attachment.deletable = perms.can_delete_attachment(me, attachment)
    return entries
