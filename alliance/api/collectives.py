"""/api/v1/collectives: the collectives the caller is an active member of, their
consultations, statements, the caller's votes and the results, through the same
gatekeeper (`get_collective_for`: 404 for anyone else), selectors and use cases as
the pages. Collectives act as someone: a DUI client gets 403."""

from functools import partial

from django.http import Http404
from django.utils.translation import gettext as _
from ninja import Router, Status

from alliance.collectives import results, selectors, services
from alliance.collectives.access import (
    get_collective_for,
    get_consultation_in,
    get_statement_in,
)
from alliance.collectives.models import ConsultationVote, MemberStanding
from alliance.consensus.publication import Share
from alliance.reports.proposals import selectors as proposal_selectors

from . import schemas_collectives as out
from .auth import require_user, require_write
from .reports import proposal_summary
from .schemas import Id

router = Router(tags=["collectives"])


def _collective_out(member, member_count, schema=out.CollectiveOut, **extra):
    collective = member.collective
    return schema(
        id=collective.pk,
        name=collective.name,
        kind=collective.kind,
        description=collective.description,
        territory=collective.territory,
        my_role=member.role,
        my_standing=member.standing,
        member_count=member_count,
        **extra,
    )


def _consultation(request, collective_id, consultation_id):
    collective, member = get_collective_for(require_user(request), collective_id)
    return member, get_consultation_in(collective, member, consultation_id)


@router.get(
    "", response=list[out.CollectiveOut], url_name="collective_list", summary="My collectives"
)
def collective_list(request):
    user = require_user(request)
    return [
        _collective_out(member, member.member_count) for member in selectors.my_memberships(user)
    ]


@router.get(
    "/{collective_id}",
    response=out.CollectiveDetail,
    url_name="collective_detail",
    summary="A collective I am a member of",
)
def collective_detail(request, collective_id: Id):
    _collective, member = get_collective_for(require_user(request), collective_id)
    summary = selectors.member_summary(member.collective)
    labels = dict(MemberStanding.choices)
    label_to_value = {str(label): value for value, label in labels.items()}
    return _collective_out(
        member,
        summary["total"],
        schema=out.CollectiveDetail,
        members_by_standing=[
            out.StandingCount(standing=label_to_value[str(label)], label=str(label), count=n)
            for label, n in summary["by_standing"]
        ],
        public_page=member.collective.public_page,
    )


@router.get(
    "/{collective_id}/consultations",
    response=list[out.ConsultationOut],
    url_name="consultation_list",
    summary="The consultations of a collective (drafts for its facilitators only)",
)
def consultation_list(request, collective_id: Id):
    collective, member = get_collective_for(require_user(request), collective_id)
    return list(selectors.visible_consultations(collective, member))


@router.get(
    "/{collective_id}/consultations/{consultation_id}",
    response=out.ConsultationOut,
    url_name="consultation_detail",
    summary="One consultation",
)
def consultation_detail(request, collective_id: Id, consultation_id: Id):
    _member, consultation = _consultation(request, collective_id, consultation_id)
    return consultation


@router.get(
    "/{collective_id}/consultations/{consultation_id}/statements",
    response=out.StatementsOut,
    url_name="consultation_statements",
    summary="The statements open to votes, with my vote, and my own statements",
)
def consultation_statements(request, collective_id: Id, consultation_id: Id):
    member, consultation = _consultation(request, collective_id, consultation_id)
    page = selectors.consultation_page(member, consultation)
    mine = dict(
        ConsultationVote.objects.filter(
            consultation=consultation, participant=member.user
        ).values_list("statement_id", "value")
    )
    return out.StatementsOut(
        statements=[
            out.ConsultationStatementOut(
                id=statement.pk,
                text=statement.text,
                easy_read=statement.easy_read,
                is_seed=statement.is_seed,
                my_vote=mine.get(statement.pk),
            )
            for statement, _label in page["rows"]
        ],
        mine=[out.OwnStatementOut.model_validate(s) for s in page["own_statements"]],
        voted=page["voted"],
    )


@router.post(
    "/{collective_id}/consultations/{consultation_id}/statements",
    response={201: out.OwnStatementOut},
    url_name="consultation_statement_write",
    summary="Write a statement (it waits for a facilitator unless I am one)",
)
def consultation_statement_write(
    request, collective_id: Id, consultation_id: Id, payload: out.ConsultationStatementIn
):
    require_write(request)
    member, consultation = _consultation(request, collective_id, consultation_id)
    statement = services.write_statement(
        member=member, consultation=consultation, text=payload.text, easy_read=payload.easy_read
    )
    return Status(201, statement)


@router.put(
    "/{collective_id}/consultations/{consultation_id}/statements/{statement_id}/vote",
    response=out.ConsultationVoteOut,
    url_name="consultation_statement_vote",
    summary="My vote on a statement (given again, it replaces the previous one)",
)
def consultation_statement_vote(
    request,
    collective_id: Id,
    consultation_id: Id,
    statement_id: Id,
    payload: out.ConsultationVoteIn,
):
    require_write(request)
    member, consultation = _consultation(request, collective_id, consultation_id)
    statement = get_statement_in(consultation, statement_id)
    services.cast_vote(member=member, statement=statement, value=payload.value)
    return out.ConsultationVoteOut(statement_id=statement.pk, value=payload.value)


def group_name(group_id: int) -> str:
    """The name the results page gives a group (the engine's stable label as a letter)."""
    letter = chr(ord("A") + group_id) if 0 <= group_id < 26 else str(group_id + 1)
    return _("Group %(letter)s") % {"letter": letter}


def _share(share: Share) -> out.ShareOut:
    return out.ShareOut(
        votes=share.votes,
        shown=share.shown,
        agree_percent=round(share.agree_percent, 1) if share.shown else None,
        disagree_percent=round(share.disagree_percent, 1) if share.shown else None,
    )


def _statement_results(items, statements):
    return [
        out.StatementResultOut(
            statement_id=item.statement,
            text=statements[item.statement].text,
            overall=_share(item.overall),
            by_group=[out.GroupShareOut(group=gid, share=_share(s)) for gid, s in item.by_group],
        )
        for item in items
        if item.statement in statements
    ]


@router.get(
    "/{collective_id}/consultations/{consultation_id}/results",
    response=out.ResultsOut,
    url_name="consultation_results",
    summary="Opinion groups, common ground and divisive statements, as the results page",
)
def consultation_results(request, collective_id: Id, consultation_id: Id):
    member, consultation = _consultation(request, collective_id, consultation_id)
    # The API gives the lists whole: a client pages them itself.
    view = results.results_view(
        consultation, member, listed=partial(results.first_of_lists, count=None)
    )
    publication, statements = view.publication, view.statements
    if publication is None:
        return out.ResultsOut(
            computed_at=None,
            votes_counted=0,
            computing=view.pending is not None,
            participants=0,
            others=0,
            groups=[],
            common_ground=[],
            divisive=[],
        )
    return out.ResultsOut(
        computed_at=view.snapshot.finished_at,
        votes_counted=view.snapshot.votes_counted,
        computing=view.pending is not None,
        participants=publication.participants,
        others=publication.others,
        groups=[
            out.GroupOut(
                id=group.id,
                name=group_name(group.id),
                size=group.size,
                representative=[
                    out.RepresentativeOut(
                        statement_id=r.statement,
                        text=statements[r.statement].text,
                        direction=r.direction,
                        share=_share(r.share),
                    )
                    for r in group.representative
                    if r.statement in statements
                ],
            )
            for group in publication.groups
        ],
        common_ground=_statement_results(publication.common_ground, statements),
        divisive=_statement_results(publication.divisive, statements),
    )


@router.get(
    "/{collective_id}/consultations/{consultation_id}/results/export",
    response=dict,
    url_name="consultation_results_export",
    summary="The results in the export format, participants as pseudonyms (facilitators)",
)
def consultation_results_export(request, collective_id: Id, consultation_id: Id):
    member, consultation = _consultation(request, collective_id, consultation_id)
    data = results.export_results(member=member, consultation=consultation)
    if data is None:
        raise Http404
    return data


@router.get(
    "/{collective_id}/proposals",
    response=list[out.ProposalSummary],
    url_name="collective_proposals",
    summary="The proposals of a collective, drafts included, with their step",
)
def collective_proposals(request, collective_id: Id):
    collective, _member = get_collective_for(require_user(request), collective_id)
    return [
        proposal_summary(proposal, collective=collective)
        for proposal in proposal_selectors.collective_proposals(collective)
    ]
