"""Who may do what in movement 2: small named predicates taking the acting ally
(None for someone outside the alliance)."""

from alliance.alliances.perms import can_contribute


def can_negotiate(ally) -> bool:
    """Active allies propose means, take stances, plan and write in the journal."""
    return can_contribute(ally)


def can_consent_for_person(ally) -> bool:
    """The person, or their legal representative, consents to a decision on the means
    and agrees to an action in which the person has no role."""
    return can_contribute(ally) and ally.speaks_for_person


def can_revise_journal_entry(ally, entry) -> bool:
    """Only the author revises their journal entry."""
    return can_contribute(ally) and entry.author_id == ally.pk


def can_write_conclusion(ally, author) -> bool:
    """Each ally writes only their own conclusion of a review."""
    return can_contribute(ally) and author.pk == ally.pk
