"""Who may do what with a proposal: small named predicates taking the acting
collective membership (None for someone outside the collective) or the user.
Views and services ask here, and nowhere else."""

from alliance.alliances.models import REPRESENTING_MANDATES, Ally, Role
from alliance.collectives.models import CollectiveMember
from alliance.reports import timeline


def is_active_member(member: CollectiveMember | None) -> bool:
    return member is not None and member.status == CollectiveMember.Status.ACTIVE


def can_see_proposals(member: CollectiveMember | None) -> bool:
    """Active members of the collective read its proposals, drafts included."""
    return is_active_member(member)


def can_write_proposal(member: CollectiveMember | None) -> bool:
    """Any active member may write a draft; the facilitators send it."""
    return is_active_member(member) and not member.user.is_decision_maker


def can_send(member: CollectiveMember | None, proposal) -> bool:
    """Only a facilitator of the collective sends its proposal to the decision maker."""
    return (
        is_active_member(member)
        and member.is_facilitator
        and member.collective_id == proposal.collective_id
    )


def can_publish(member: CollectiveMember | None) -> bool:
    """A facilitator opens or closes the collective's public page of proposals."""
    return is_active_member(member) and member.is_facilitator


def can_co_sign(member: CollectiveMember | None, proposal) -> bool:
    """Active members co-sign an open proposal of their collective, for themselves."""
    return (
        is_active_member(member)
        and member.collective_id == proposal.collective_id
        and not member.user.is_decision_maker
        and not timeline.is_closed(proposal.status)
    )


def represents(user, signatory) -> bool:
    """The user is the legal representative of the signatory in an alliance where
    the signatory is the person and is a minor or a protected adult (ADR 0002)."""
    return Ally.objects.filter(
        user=user,
        role=Role.REPRESENTATIVE,
        mandate_kind__in=REPRESENTING_MANDATES,
        status=Ally.Status.ACTIVE,
        alliance__person_is_protected=True,
        alliance__allies__user=signatory,
        alliance__allies__role=Role.PERSON,
    ).exists()


def can_join_alliance(ally: Ally | None, member: CollectiveMember | None, proposal) -> bool:
    """An alliance joins a proposal only by the decision of its person or their legal
    representative, who must be an active member of the proposing collective."""
    return (
        ally is not None
        and ally.is_active
        and ally.speaks_for_person
        and ally.user_id == getattr(member, "user_id", None)
        and can_co_sign(member, proposal)
    )


def can_answer(user, proposal) -> bool:
    """Only the addressed decision maker answers or moves a proposal, once it is sent."""
    return (
        user.is_authenticated
        and user.is_decision_maker
        and proposal.addressee_id == user.pk
        and not proposal.is_draft
    )


def can_react(member: CollectiveMember | None, proposal) -> bool:
    """Active members of the proposal's collective react to its answers; the decision
    maker who answered does not judge their own answer."""
    return (
        is_active_member(member)
        and member.collective_id == proposal.collective_id
        and not member.user.is_decision_maker
        and not proposal.is_draft
    )
