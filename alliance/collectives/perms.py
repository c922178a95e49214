"""Who may do what in a collective: small named predicates taking the acting
member (None for someone outside the collective). Views and services ask here,
and nowhere else."""

from .models import CollectiveMember, Consultation, ConsultationStatement


def can_take_part(user) -> bool:
    """Decision makers are the ones collectives address: they are never members."""
    return user.is_authenticated and not user.is_decision_maker


def can_create_collective(user) -> bool:
    """Persons, relatives and professionals start collectives; decision makers are
    the ones collectives address, so they do not run them."""
    return user.is_authenticated and not user.is_decision_maker


def is_member(member: CollectiveMember | None) -> bool:
    """Only active members see the collective, its members and its consultations."""
    return member is not None and member.status == CollectiveMember.Status.ACTIVE


def can_facilitate(member: CollectiveMember | None) -> bool:
    """Facilitators add members, run consultations and moderate statements."""
    return is_member(member) and member.is_facilitator


def can_invite_from_a_file(member: CollectiveMember | None) -> bool:
    """Facilitators invite a list of people at once, as they add one member."""
    return can_facilitate(member)


def can_send_batch(member: CollectiveMember | None, batch) -> bool:
    """Only the facilitator who read the file sends or discards its list, while they
    still facilitate: another facilitator never sees someone else's draft."""
    return (
        can_facilitate(member)
        and batch.collective_id == member.collective_id
        and batch.prepared_by_id == member.pk
    )


def can_make_facilitator(member: CollectiveMember | None, target: CollectiveMember) -> bool:
    """A facilitator shares the role with another active member of the same collective."""
    return (
        can_facilitate(member)
        and target.collective_id == member.collective_id
        and target.status == CollectiveMember.Status.ACTIVE
        and not target.is_facilitator
    )


def can_answer_invitation(user, invitation) -> bool:
    """Only the owner of the invited address joins or declines, from their session."""
    return user.is_authenticated and invitation.is_for(user)


def can_withdraw_invitation(member: CollectiveMember | None, invitation) -> bool:
    """A facilitator, or the member who invited, withdraws a pending invitation."""
    return (
        is_member(member)
        and invitation.collective_id == member.collective_id
        and (member.is_facilitator or invitation.invited_by_id == member.pk)
    )


def can_see_consultation(member: CollectiveMember | None, consultation: Consultation) -> bool:
    """Members see open and closed consultations; a draft only its facilitators."""
    if consultation.status == Consultation.Status.DRAFT:
        return can_facilitate(member)
    return is_member(member)


def can_write_statement(member: CollectiveMember | None, consultation: Consultation) -> bool:
    """Members write while the consultation is open; facilitators also seed a draft."""
    if consultation.status == Consultation.Status.OPEN:
        return is_member(member)
    return consultation.status == Consultation.Status.DRAFT and can_facilitate(member)


def can_withdraw_statement(
    member: CollectiveMember | None, statement: ConsultationStatement
) -> bool:
    """Only the author withdraws their own words, while they are waiting or accepted."""
    return (
        is_member(member)
        and statement.author_id == member.user_id
        and statement.status
        in (ConsultationStatement.Status.PENDING, ConsultationStatement.Status.ACCEPTED)
    )


def can_vote(member: CollectiveMember | None) -> bool:
    """Every active member votes, facilitators included."""
    return is_member(member)


def can_recompute_results(member: CollectiveMember | None, consultation: Consultation) -> bool:
    """Facilitators ask for the results to be computed again, once the consultation
    has started."""
    return can_facilitate(member) and consultation.status != Consultation.Status.DRAFT


def can_export_results(member: CollectiveMember | None, consultation: Consultation) -> bool:
    """Facilitators download the results (pseudonymous ids) to compare them with
    other tools."""
    return can_facilitate(member) and consultation.status != Consultation.Status.DRAFT


def can_adopt_interest(member: CollectiveMember | None, consultation: Consultation) -> bool:
    """Facilitators adopt a common interest for the collective, from the common ground
    the members found together."""
    return can_facilitate(member) and consultation.status != Consultation.Status.DRAFT


def can_describe_groups(member: CollectiveMember | None, consultation: Consultation) -> bool:
    """Facilitators write the one-line description of each opinion group, once the
    consultation has started (members read it with the results)."""
    return can_facilitate(member) and consultation.status != Consultation.Status.DRAFT
