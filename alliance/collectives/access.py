"""The gatekeeper: the only way views load a collective and what it holds. Someone
who is not an active member gets a 404, never a hint that the collective exists."""

from django.http import Http404

from . import perms
from .models import CollectiveMember, ConsultationStatement, MemberInvitationBatch


def get_collective_for(user, collective_id):
    """Returns (collective, member) for an active member, or raises 404."""
    if not user.is_authenticated:
        raise Http404
    member = (
        CollectiveMember.objects.select_related("collective", "user")
        .filter(collective_id=collective_id, user=user, status=CollectiveMember.Status.ACTIVE)
        .first()
    )
    if member is None:
        raise Http404
    return member.collective, member


def get_member_in(collective, member_id) -> CollectiveMember:
    try:
        return collective.members.select_related("user").get(pk=member_id)
    except (CollectiveMember.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def get_consultation_in(collective, member, consultation_id):
    """A draft stays hidden (404) from members who are not facilitators."""
    try:
        consultation = collective.consultations.get(pk=consultation_id)
    except (collective.consultations.model.DoesNotExist, ValueError, TypeError):
        raise Http404 from None
    if not perms.can_see_consultation(member, consultation):
        raise Http404
    return consultation


def get_statement_in(consultation, statement_id) -> ConsultationStatement:
    try:
        return consultation.statements.get(pk=statement_id)
    except (ConsultationStatement.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def get_batch_for(member, batch_id):
    """A list of people to invite, for the facilitator who read it only: another
    member, another facilitator, or another collective gets a 404."""
    batch = MemberInvitationBatch.objects.filter(
        pk=batch_id, collective_id=member.collective_id, prepared_by=member
    ).first()
    if batch is None or not perms.can_send_batch(member, batch):
        raise Http404
    return batch
