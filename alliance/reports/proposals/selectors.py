"""What the proposal pages read, in a fixed number of queries whatever the number
of proposals, signatures and steps. Three audiences, three shapes: members see who
signed; the decision maker and the public see counts only."""

from django.core.paginator import Paginator
from django.db.models import Count, F, OuterRef, Prefetch, Q, Subquery

from alliance.accounts.models import User
from alliance.alliances.models import REPRESENTING_MANDATES, Ally, Role
from alliance.collectives.models import (
    CollectiveMember,
    Consultation,
    ConsultationStatement,
    OpinionSnapshot,
)
from alliance.reports import timeline
from alliance.reports.access import reports_for
from alliance.reports.models import (
    AnswerReaction,
    CoSignature,
    ProgressUpdate,
    Proposal,
    ProposalEvent,
    ProposalRequest,
    ProposalStatus,
    Report,
    RequestAnswer,
)


def _with_counts(queryset):
    return queryset.annotate(
        signature_count=Count("signatures", distinct=True),
        professional_count=Count(
            "signatures",
            filter=Q(signatures__signatory__kind=User.Kind.PROFESSIONAL),
            distinct=True,
        ),
        alliance_count=Count("joined_alliances", distinct=True),
    )


def collective_proposals(collective) -> list[Proposal]:
    return list(
        _with_counts(collective.proposals.select_related("addressee__organisation")).order_by(
            "-created_at", "-pk"
        )
    )


def evidence(proposal) -> dict:
    """The adopted common interests and the consultation's common ground: statements
    a majority of every opinion group agreed with, as words, never with who wrote or
    voted them."""
    common_ground = []
    if proposal.consultation_id:
        snapshot = (
            OpinionSnapshot.objects.filter(
                consultation_id=proposal.consultation_id, status=OpinionSnapshot.Status.DONE
            )
            .order_by("-finished_at", "-pk")
            .only("result")
            .first()
        )
        ids = (snapshot.result.get("common_ground") or []) if snapshot else []
        texts = dict(
            ConsultationStatement.objects.filter(
                consultation_id=proposal.consultation_id, pk__in=ids
            ).values_list("pk", "text")
        )
        common_ground = [texts[i] for i in ids if i in texts]
    return {
        "interests": [i.text for i in proposal.interests.all()],
        "consultation": proposal.consultation,
        "common_ground": common_ground,
        "report": proposal.report,
    }


def can_read_report(user, report) -> bool:
    return report is not None and reports_for(user).filter(pk=report.pk).exists()


def evidence_choices(collective, user) -> dict:
    return {
        "interests": collective.interests.all(),
        "consultations": collective.consultations.exclude(status=Consultation.Status.DRAFT),
        "reports": reports_for(user).filter(status=Report.Status.READY),
    }


def decision_makers():
    return User.objects.filter(kind=User.Kind.DECISION_MAKER, is_active=True).select_related(
        "organisation"
    )


SIGNERS_PER_PAGE = 50


def signature_counts(proposal) -> dict:
    """How many co-signed, and how: professionals, the others (persons, relatives,
    residents), and those a legal representative signed for. One query."""
    counts = CoSignature.objects.filter(proposal=proposal).aggregate(
        total=Count("pk"),
        professionals=Count("pk", filter=Q(signatory__kind=User.Kind.PROFESSIONAL)),
        on_behalf=Count("pk", filter=~Q(signed_by=F("signatory"))),
    )
    return {**counts, "others": counts["total"] - counts["professionals"]}


def signature_page(proposal, page=1):
    """One page of the co-signers, by name (two queries: the count, the page)."""
    signatures = (
        CoSignature.objects.filter(proposal=proposal)
        .select_related("signatory", "signed_by")
        .order_by("signatory__display_name", "pk")
    )
    return Paginator(signatures, SIGNERS_PER_PAGE).get_page(page)


def proposal_for_members(proposal, member, *, signers_page=1) -> dict:
    """The members' page: the timeline with who did each step, the co-signatures
    counted by kind and one page of them with their signer (and on whose behalf), and
    whom the member may still sign for."""
    signed = CoSignature.objects.filter(proposal=proposal).values("signatory_id")
    represented = (
        User.objects.filter(
            collective_memberships__collective_id=proposal.collective_id,
            collective_memberships__status=CollectiveMember.Status.ACTIVE,
            allies__role=Role.PERSON,
            allies__alliance__person_is_protected=True,
            allies__alliance__allies__user=member.user,
            allies__alliance__allies__role=Role.REPRESENTATIVE,
            allies__alliance__allies__status=Ally.Status.ACTIVE,
            allies__alliance__allies__mandate_kind__in=REPRESENTING_MANDATES,
        )
        .exclude(pk=member.user_id)
        .exclude(pk__in=signed)
        .distinct()
        .order_by("display_name", "pk")
    )
    my_alliances = list(
        Ally.objects.filter(
            user=member.user,
            status=Ally.Status.ACTIVE,
        )
        .filter(
            Q(role=Role.PERSON)
            | Q(role=Role.REPRESENTATIVE, mandate_kind__in=REPRESENTING_MANDATES)
        )
        .exclude(alliance__joined_proposals__proposal=proposal)
        .select_related("alliance")
    )
    return {
        "events": list(proposal.events.select_related("actor")),
        "followed": follow_through([proposal.pk], member_user=member.user)[proposal.pk],
        **evidence(proposal),
        "report_readable": can_read_report(member.user, proposal.report),
        "signature_counts": signature_counts(proposal),
        "signature_page": signature_page(proposal, signers_page),
        "i_signed": signed.filter(signatory_id=member.user_id).exists(),
        "can_sign_for": list(represented),
        "my_alliances": my_alliances,
        "alliance_count": proposal.joined_alliances.count(),
    }


def inbox(user) -> list[Proposal]:
    """Proposals sent to this decision maker: never a draft, never a name of signer."""
    return list(
        _with_counts(
            Proposal.objects.filter(addressee=user)
            .exclude(status=ProposalStatus.DRAFT)
            .select_related("collective")
        ).order_by("-sent_at", "-pk")
    )


def proposal_for_addressee(proposal) -> dict:
    counted = _with_counts(Proposal.objects.filter(pk=proposal.pk)).values(
        "signature_count", "professional_count", "alliance_count"
    )[0]
    return {
        **counted,
        **evidence(proposal),
        "report_readable": proposal.report_id is not None,
        "events": [e for e in proposal.events.all() if e.status != ProposalStatus.DRAFT],
        "next_steps": timeline.next_steps(proposal.status),
        "followed": follow_through([proposal.pk], addressee=True)[proposal.pk],
        "can_follow": timeline.can_answer_request(proposal.status),
    }


def public_proposals(collective) -> list[Proposal]:
    """Sent proposals and the decision makers' steps, for anyone: counts, statuses,
    dates and answers; no name of anyone in the collective."""
    steps = ProposalEvent.objects.exclude(status=ProposalStatus.DRAFT).only(
        "proposal_id", "status", "words", "at"
    )
    proposals = list(
        _with_counts(
            collective.proposals.exclude(status=ProposalStatus.DRAFT).select_related(
                "addressee__organisation"
            )
        )
        .prefetch_related(Prefetch("events", queryset=steps), "interests")
        .order_by("-sent_at", "-pk")
    )
    followed = follow_through(p.pk for p in proposals)
    grounds = common_grounds({p.consultation_id for p in proposals} - {None})
    for proposal in proposals:
        proposal.followed = followed[proposal.pk]
        proposal.common_ground = grounds.get(proposal.consultation_id, [])
    return proposals


def common_grounds(consultation_ids) -> dict:
    """{consultation id: its common-ground statements' texts}, from each consultation's
    latest finished computation, in three queries whatever their number."""
    if not consultation_ids:
        return {}
    latest = (
        OpinionSnapshot.objects.filter(
            consultation_id=OuterRef("consultation_id"), status=OpinionSnapshot.Status.DONE
        )
        .order_by("-finished_at", "-pk")
        .values("pk")[:1]
    )
    snapshots = OpinionSnapshot.objects.filter(
        consultation_id__in=consultation_ids, pk=Subquery(latest)
    ).only("consultation_id", "result")
    ids = {s.consultation_id: s.result.get("common_ground") or [] for s in snapshots}
    texts = dict(
        ConsultationStatement.objects.filter(
            consultation_id__in=list(ids), pk__in=[i for group in ids.values() for i in group]
        ).values_list("pk", "text")
    )
    return {c: [texts[i] for i in group if i in texts] for c, group in ids.items()}


# ---------------------------------------------------------------- follow-through


class Followed:
    """What a page shows of a proposal's follow-through (ADR 0038): its requests,
    each with its current answer, the earlier ones, their reaction counts and the
    progress posted on it, and the progress posted on the whole proposal."""

    def __init__(self, requests, progress):
        self.requests = requests
        self.progress = progress

    @property
    def settled(self):
        return sum(1 for r in self.requests if r.is_settled)


def follow_through(proposal_ids, *, addressee=False, member_user=None) -> dict:
    """{proposal id: Followed} in four queries (five with `member_user`), whatever the
    number of proposals, requests, answers and reactions. The cost and the budget line
    of a progress update reach only the addressee unless they are marked public; who
    reacted never leaves the members' own reaction."""
    proposal_ids = list(proposal_ids)
    requests = list(
        ProposalRequest.objects.filter(proposal_id__in=proposal_ids).order_by(
            "proposal_id", "position", "pk"
        )
    )
    answers = RequestAnswer.objects.filter(request__proposal_id__in=proposal_ids).annotate(
        satisfied_count=Count("reactions", filter=Q(reactions__satisfied=True)),
        unsatisfied_count=Count("reactions", filter=Q(reactions__satisfied=False)),
    )
    updates = ProgressUpdate.objects.filter(proposal_id__in=proposal_ids).order_by("at", "pk")
    mine = {}
    if member_user is not None:
        mine = {
            r.answer_id: r
            for r in AnswerReaction.objects.filter(
                member=member_user, answer__request__proposal_id__in=proposal_ids
            )
        }
    by_request = {r.pk: r for r in requests}
    for request in requests:
        request.history, request.updates = [], []
        request.answer = None
    for answer in answers.order_by("at", "pk"):
        answer.mine = mine.get(answer.pk)
        request = by_request[answer.request_id]
        if request.answer is not None:
            request.history.insert(0, request.answer)
        request.answer = answer
    followed = {pk: Followed([], []) for pk in proposal_ids}
    for request in requests:
        followed[request.proposal_id].requests.append(request)
    for update in updates:
        update.cost_shown = addressee or update.cost_public
        if update.request_id is None:
            followed[update.proposal_id].progress.append(update)
        else:
            update.request_position = by_request[update.request_id].position
            by_request[update.request_id].updates.append(update)
    return followed


def reaction_words(answer) -> list[str]:
    """The members' words on an answer, without their names, newest first."""
    return list(
        answer.reactions.exclude(words="")
        .order_by("-changed_at", "-pk")
        .values_list("words", flat=True)
    )
