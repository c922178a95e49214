"""The gatekeepers: the only ways views load a proposal (a collective's own pages
load it through `alliance.collectives.access.get_collective_for`). Someone outside the
collective (or a decision maker it is not addressed to) gets a 404, never a hint
that the proposal exists."""

from django.http import Http404

from alliance.collectives.access import get_collective_for
from alliance.collectives.models import Collective, CollectiveMember
from alliance.reports.models import Proposal, ProposalRequest, ProposalStatus, RequestAnswer


def get_proposal_for_member(user, proposal_id) -> tuple[Proposal, CollectiveMember]:
    proposal = (
        Proposal.objects.select_related("addressee__organisation", "collective", "report")
        .filter(pk=proposal_id)
        .first()
    )
    if proposal is None:
        raise Http404
    _collective, member = get_collective_for(user, proposal.collective_id)
    return proposal, member


def get_proposal_for_addressee(user, proposal_id) -> Proposal:
    """The decision maker sees a proposal once it is sent to them, and nothing else."""
    if not (user.is_authenticated and user.is_decision_maker):
        raise Http404
    proposal = (
        Proposal.objects.select_related("collective", "addressee__organisation", "report")
        .filter(pk=proposal_id, addressee=user)
        .exclude(status=ProposalStatus.DRAFT)
        .first()
    )
    if proposal is None:
        raise Http404
    return proposal


def get_request_for_addressee(user, request_id) -> ProposalRequest:
    """A request of a proposal sent to this decision maker, through the proposal's
    gatekeeper: anyone else gets a 404."""
    proposal_id = (
        ProposalRequest.objects.filter(pk=request_id).values_list("proposal_id", flat=True).first()
    )
    if proposal_id is None:
        raise Http404
    proposal = get_proposal_for_addressee(user, proposal_id)
    request = ProposalRequest.objects.get(pk=request_id)
    request.proposal = proposal
    return request


def get_answer_for_member(user, answer_id) -> tuple[RequestAnswer, CollectiveMember]:
    """An answer to a request of a proposal of the user's collective (drafts have no
    answers); anyone outside the collective gets a 404."""
    answer = RequestAnswer.objects.select_related("request").filter(pk=answer_id).first()
    if answer is None:
        raise Http404
    proposal, member = get_proposal_for_member(user, answer.request.proposal_id)
    answer.request.proposal = proposal
    return answer, member


def get_public_collective(public_key) -> Collective:
    """Only a collective that chose to publish its page is found by its key."""
    collective = Collective.objects.filter(public_key=public_key, public_page=True).first()
    if collective is None:
        raise Http404
    return collective
