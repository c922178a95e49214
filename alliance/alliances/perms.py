"""Who may do what in an alliance: every rule is a small named predicate taking the
acting ally (None for someone outside the alliance). Views and services ask here,
and nowhere else."""

from .models import Alliance, Ally, Role


def can_see_roster(ally: Ally | None) -> bool:
    """Anyone invited or waiting for approval sees who is in the alliance."""
    return ally is not None and ally.status != Ally.Status.REFUSED


def can_see_content(ally: Ally | None) -> bool:
    """Only allies in the alliance see its statements, votes, charter and trail."""
    return ally is not None and ally.is_active


def can_invite(ally: Ally | None, alliance: Alliance) -> bool:
    """Active allies invite; so does the creator while waiting for the person's approval."""
    if ally is None or ally.status == Ally.Status.REFUSED:
        return False
    return ally.is_active or ally.user_id == alliance.created_by_id


def can_approve(ally: Ally | None) -> bool:
    """The person and their legal representative approve who joins."""
    return ally is not None and ally.is_active and ally.speaks_for_person


def can_contribute(ally: Ally | None) -> bool:
    """Active allies write statements, vote, edit the charter and answer checks."""
    return ally is not None and ally.is_active


def can_change_statement(ally: Ally | None, statement) -> bool:
    """Only the author changes or withdraws their own words."""
    return can_contribute(ally) and statement.author_id == ally.pk


def can_vote_on(ally: Ally | None, statement) -> bool:
    """Every other active ally votes on a live statement; the author already agrees."""
    return (
        can_contribute(ally) and statement.author_id != ally.pk and statement.withdrawn_at is None
    )


def can_sign_for(ally: Ally | None, signee: Ally, alliance: Alliance) -> bool:
    """Each ally signs (and commits) for themselves; a legal representative may also
    sign and commit for a minor or protected adult."""
    if not can_contribute(ally):
        return False
    if signee.pk == ally.pk:
        return True
    return (
        ally.role == Role.REPRESENTATIVE
        and signee.role == Role.PERSON
        and alliance.person_is_protected
    )


def can_support_expression_of(ally: Ally | None, author: Ally) -> bool:
    """A supporter records that they helped someone write; it must be another ally."""
    return ally is not None and ally.is_active and ally.pk != author.pk


def can_answer_invitation(user, invitation) -> bool:
    """Only the owner of the invited address accepts or declines, from their session."""
    return user.is_authenticated and invitation.is_for(user)


def can_withdraw_invitation(ally: Ally | None, invitation) -> bool:
    """The person, their legal representative, or the inviter withdraws a pending
    invitation of their alliance."""
    if ally is None or invitation.alliance_id != ally.alliance_id:
        return False
    return can_approve(ally) or (
        invitation.invited_by_id == ally.pk and ally.status != Ally.Status.REFUSED
    )
