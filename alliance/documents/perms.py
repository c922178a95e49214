"""Who may do what with the documents: small named predicates taking the acting ally
(None for someone outside the alliance)."""

from alliance.alliances.perms import can_contribute


def can_produce_document(ally) -> bool:
    """Any active ally produces the current project document or a review's report."""
    return can_contribute(ally)


def can_download_document(ally, document) -> bool:
    """Any active ally of the alliance downloads any of its documents."""
    return can_contribute(ally) and document.alliance_id == ally.alliance_id
