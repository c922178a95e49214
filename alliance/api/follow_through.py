"""/api/v1/proposals/{proposal_id}/…: the follow-through of a proposal (ADR 0038)
by API, for a decision maker's own tools (a town hall's). The addressed decision
maker answers each request and posts dated progress; the collective's members react
to an answer and read their own reaction back. Each route loads through the pages'
gatekeepers and calls the pages' use case: the same checks, trail entries and
refusals (a stale answer is a 409). Who may call each one: docs/api.md."""

from django.core.exceptions import ValidationError
from django.db.models import Count, Q
from django.http import Http404
from django.utils.translation import gettext as _
from ninja import Router, Status

from alliance.reports.models import ProposalRequest
from alliance.reports.proposals import access, selectors, services

from . import schemas_collectives as out
from .auth import require_user, require_write
from .reports import progress_out, request_out
from .schemas import Id

router = Router(tags=["proposals"])


@router.post(
    "/{proposal_id}/requests/{request_id}/answers",
    response={201: out.ProposalRequestOut},
    url_name="proposal_request_answer",
    summary="The addressed decision maker answers one request (the version read, or 409); "
    "an earlier answer stays",
)
def request_answer(request, proposal_id: Id, request_id: Id, payload: out.RequestAnswerIn):
    require_write(request)
    user = require_user(request)
    asked = access.get_request_for_addressee(user, request_id)
    if asked.proposal_id != proposal_id:
        raise Http404
    services.answer_request(
        user=user,
        request=asked,
        decision=payload.decision,
        words=payload.words,
        expected_version=payload.expected_version,
    )
    followed = selectors.follow_through([proposal_id], addressee=True)[proposal_id]
    return Status(201, request_out(next(r for r in followed.requests if r.pk == asked.pk)))


@router.post(
    "/{proposal_id}/progress",
    response={201: out.ProgressOut},
    url_name="proposal_progress",
    summary="The addressed decision maker posts a dated step of the work, on the whole "
    "proposal or on a request accepted",
)
def progress_post(request, proposal_id: Id, payload: out.ProgressIn):
    require_write(request)
    user = require_user(request)
    proposal = access.get_proposal_for_addressee(user, proposal_id)
    data = payload.dict()
    request_id = data.pop("request_id")
    asked = None
    if request_id is not None:
        asked = ProposalRequest.objects.filter(proposal=proposal, pk=request_id).first()
        if asked is None:
            raise ValidationError({"request_id": _("Choose a request of this proposal.")})
        asked.proposal = proposal
    update = services.post_progress(user=user, proposal=proposal, request=asked, **data)
    # The addressee reads the cost whether or not it is public, as on the page.
    update.cost_shown = True
    return Status(201, progress_out(update))


@router.put(
    "/{proposal_id}/answers/{answer_id}/reaction",
    response=out.ReactionOut,
    url_name="proposal_answer_reaction",
    summary="A member says whether an answer satisfies them, with words if they wish "
    "(again: it changes); the counts, never who",
)
def answer_reaction(request, proposal_id: Id, answer_id: Id, payload: out.ReactionIn):
    require_write(request)
    answer, member = _answer_for_member(request, proposal_id, answer_id)
    reaction = services.react_to_answer(
        member=member, answer=answer, satisfied=payload.satisfied, words=payload.words
    )
    return _reaction(answer, reaction)


@router.get(
    "/{proposal_id}/answers/{answer_id}/reaction",
    response=out.ReactionOut,
    url_name="proposal_answer_my_reaction",
    summary="A member reads their own reaction to an answer, with the counts (404 until "
    "they react)",
)
def answer_my_reaction(request, proposal_id: Id, answer_id: Id):
    answer, member = _answer_for_member(request, proposal_id, answer_id)
    reaction = answer.reactions.filter(member=member.user).first()
    if reaction is None:
        raise Http404
    return _reaction(answer, reaction)


def _answer_for_member(request, proposal_id, answer_id):
    answer, member = access.get_answer_for_member(require_user(request), answer_id)
    if answer.request.proposal_id != proposal_id:
        raise Http404
    return answer, member


def _reaction(answer, reaction) -> out.ReactionOut:
    counts = answer.reactions.aggregate(
        yes=Count("pk", filter=Q(satisfied=True)), no=Count("pk", filter=Q(satisfied=False))
    )
    return out.ReactionOut(
        answer_id=answer.pk,
        satisfied=reaction.satisfied,
        words=reaction.words,
        satisfied_count=counts["yes"],
        unsatisfied_count=counts["no"],
    )
