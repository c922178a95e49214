"""Use cases of proposals. Each write is one function: keyword-only arguments,
atomic, checks the permission, writes the audit entry, returns the object. The
views and the demo loader call these same functions."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from alliance.accounts.models import User
from alliance.alliances.models import Ally
from alliance.audit.journal import record, record_by_ally
from alliance.audit.models import Action
from alliance.collectives.models import CollectiveMember, Consultation
from alliance.conflicts import ConflictError
from alliance.notifications.services import notify
from alliance.reports import timeline
from alliance.reports.access import reports_for
from alliance.reports.models import (
    AnswerReaction,
    CoSignature,
    JoinedAlliance,
    ProgressUpdate,
    Proposal,
    ProposalEvent,
    ProposalRequest,
    ProposalStatus,
    Report,
    RequestAnswer,
    RequestDecision,
)

from . import perms

TEXT_MAX = 5000
REQUEST_MAX = 1000
REQUESTS_MAX = 10
REACTION_MAX = 1000


def _require(allowed):
    if not allowed:
        raise PermissionDenied


def _record(actor, action, proposal, **detail):
    record(
        actor,
        action,
        organisation_id=proposal.collective.organisation_id,
        target=proposal,
        detail={"collective": proposal.collective_id, **detail},
    )


def _tell_members(proposal, kind, *, actor):
    """Members follow their collective's proposals: each step reaches them, except
    the one who took it."""
    members = [
        m.user
        for m in proposal.collective.members.filter(
            status=CollectiveMember.Status.ACTIVE
        ).select_related("user")
        if m.user_id != actor.pk
    ]
    notify(
        members,
        kind,
        url=reverse("proposals:detail", args=[proposal.pk]),
        proposal=proposal.title,
    )


def _clean_proposal(title, text, addressee, requests=None):
    errors = {}
    if not title.strip():
        errors["title"] = _("Give the proposal a title.")
    if not text.strip():
        errors["text"] = _("Write what the collective proposes.")
    elif len(text) > TEXT_MAX:
        errors["text"] = _("Keep it under 5,000 characters.")
    if addressee is None or not addressee.is_decision_maker or not addressee.is_active:
        errors["addressee"] = _("Choose the decision maker it is addressed to.")
    if requests is not None:
        if not requests:
            errors["requests"] = _("Write at least one request: what precisely you ask for.")
        elif len(requests) > REQUESTS_MAX:
            errors["requests"] = _("Ten requests at most: gather the others into these.")
        elif any(len(r) > REQUEST_MAX for r in requests):
            errors["requests"] = _("Keep each request under 1,000 characters.")
    if errors:
        raise ValidationError(errors)


def _clean_evidence(collective, interests, consultation, report=None, *, writer, addressee):
    errors = {}
    if report is not None and not (
        report.status == Report.Status.READY
        and reports_for(writer).filter(pk=report.pk).exists()
        and report.published_to.filter(pk=getattr(addressee, "pk", None)).exists()
    ):
        errors["report"] = _(
            "Attach a report you may read, ready, and already published to this decision "
            "maker: an administrator of its organisation publishes it."
        )
    if any(interest.collective_id != collective.pk for interest in interests):
        errors["interests"] = _("Choose common interests of this collective.")
    if consultation is not None and (
        consultation.collective_id != collective.pk
        or consultation.status == Consultation.Status.DRAFT
    ):
        errors["consultation"] = _("Choose a consultation this collective has held.")
    if errors:
        raise ValidationError(errors)


def write_proposal(
    *,
    member: CollectiveMember,
    title: str,
    text: str,
    addressee: User | None,
    requests: list[str] | None = None,
    interests=(),
    consultation: Consultation | None = None,
    report: Report | None = None,
) -> Proposal:
    """A member writes a draft: its preamble (`text`), its requests (at least one,
    each answered on its own, ADR 0038) and its evidence; it goes nowhere until a
    facilitator sends it. Without `requests` the whole text is its one request, as
    for the proposals written before requests existed."""
    _require(perms.can_write_proposal(member))
    if requests is None:
        requests = [text[:REQUEST_MAX]]
    requests = [r.strip() for r in requests if r.strip()]
    _clean_proposal(title, text, addressee, requests)
    _clean_evidence(
        member.collective,
        interests,
        consultation,
        report,
        writer=member.user,
        addressee=addressee,
    )
    with transaction.atomic():
        proposal = Proposal.objects.create(
            collective=member.collective,
            title=title.strip(),
            text=text.strip(),
            addressee=addressee,
            consultation=consultation,
            report=report,
            written_by=member.user,
        )
        proposal.interests.set(interests)
        ProposalRequest.objects.bulk_create(
            ProposalRequest(proposal=proposal, position=n, text=text)
            for n, text in enumerate(requests, start=1)
        )
        ProposalEvent.objects.create(
            proposal=proposal, status=ProposalStatus.DRAFT, actor=member.user
        )
        _record(member.user, Action.PROPOSAL_WRITTEN, proposal, requests=len(requests))
    return proposal


def set_public_page(*, member: CollectiveMember, public: bool):
    """Opt-in: the public page lists the sent proposals and the answers, with counts
    and no names. Closing it makes its address a 404 again."""
    _require(perms.can_publish(member))
    collective = member.collective
    with transaction.atomic():
        collective.public_page = public
        collective.save(update_fields=["public_page"])
        record(
            member.user,
            Action.PUBLIC_PAGE_CHANGED,
            organisation_id=collective.organisation_id,
            target=collective,
            detail={"public": public},
        )
    return collective


def send_proposal(*, member: CollectiveMember, proposal: Proposal) -> Proposal:
    """A facilitator sends the draft to its decision maker; from then on its words
    are what the decision maker reads, so an empty draft is not sent."""
    _require(perms.can_send(member, proposal))
    if not timeline.can_move(proposal.status, ProposalStatus.SENT):
        raise ValidationError(_("This proposal has already been sent."))
    _clean_proposal(proposal.title, proposal.text, proposal.addressee)
    with transaction.atomic():
        now = timezone.now()
        updated = Proposal.objects.filter(
            pk=proposal.pk, status=ProposalStatus.DRAFT, version=proposal.version
        ).update(status=ProposalStatus.SENT, sent_at=now, version=F("version") + 1)
        if not updated:
            raise ConflictError(_("Someone else sent or changed this proposal. Read it again."))
        proposal.status, proposal.sent_at = ProposalStatus.SENT, now
        proposal.version += 1
        ProposalEvent.objects.create(
            proposal=proposal, status=ProposalStatus.SENT, actor=member.user
        )
        _record(member.user, Action.PROPOSAL_SENT, proposal, addressee=proposal.addressee_id)
        notify(
            [proposal.addressee],
            "proposal_received",
            url=reverse("proposals:received", args=[proposal.pk]),
            proposal=proposal.title,
            collective=proposal.collective.name,
        )
        _tell_members(proposal, "proposal_sent", actor=member.user)
    return proposal


def co_sign(
    *, member: CollectiveMember, proposal: Proposal, signatory: User | None = None
) -> CoSignature:
    """Each member signs for themselves, once. A legal representative may also sign
    for the minor or protected adult they represent, if that person is a member."""
    _require(perms.can_co_sign(member, proposal))
    signatory = signatory or member.user
    if signatory.pk != member.user_id:
        represented = CollectiveMember.objects.filter(
            collective_id=proposal.collective_id,
            user=signatory,
            status=CollectiveMember.Status.ACTIVE,
        ).exists()
        if not (represented and perms.represents(member.user, signatory)):
            raise ValidationError(
                _("You sign for yourself, or for a person you are the legal representative of.")
            )
    if CoSignature.objects.filter(proposal=proposal, signatory=signatory).exists():
        raise ValidationError(_signed_already(member.user, signatory))
    try:
        with transaction.atomic():
            signature = CoSignature.objects.create(
                proposal=proposal, signatory=signatory, signed_by=member.user
            )
            _record(
                member.user,
                Action.PROPOSAL_CO_SIGNED,
                proposal,
                on_behalf=signature.on_behalf,
            )
    except IntegrityError:
        # Two clicks at once: the database's unique constraint keeps one signature.
        raise ValidationError(_signed_already(member.user, signatory)) from None
    return signature


def _signed_already(user, signatory):
    if user.pk == signatory.pk:
        return _("You have already signed this proposal. A signature counts once.")
    return _("%(name)s has already signed this proposal. A signature counts once.") % {
        "name": signatory.display_name
    }


def join_with_alliance(*, ally: Ally, member: CollectiveMember, proposal: Proposal):
    """The person, or their legal representative, puts their alliance behind the
    proposal. It is written in the alliance's trail, where every ally reads it."""
    _require(perms.can_join_alliance(ally, member, proposal))
    if JoinedAlliance.objects.filter(proposal=proposal, alliance_id=ally.alliance_id).exists():
        raise ValidationError(_("This alliance has already joined the proposal."))
    with transaction.atomic():
        joined = JoinedAlliance.objects.create(
            proposal=proposal, alliance_id=ally.alliance_id, decided_by=ally
        )
        record_by_ally(ally, Action.PROPOSAL_JOINED, target=proposal)
    return joined


def move_proposal(
    *, user: User, proposal: Proposal, status: str, words: str = "", expected_version: int
) -> ProposalEvent:
    """The addressed decision maker acknowledges, answers or starts the proposal as a
    whole, always forward, in their own words. Closing it is not a step of theirs:
    it closes when every request is settled (`answer_request`, `post_progress`)."""
    _require(perms.can_answer(user, proposal))
    words = words.strip()
    if status in timeline.CLOSED:
        raise ValidationError(
            {
                "status": _(
                    "A proposal closes when each of its requests is settled: answer each "
                    "request, and post the progress of what you accepted up to 100 %."
                )
            }
        )
    if status not in timeline.DECISION_MAKER_STEPS:
        raise ValidationError({"status": _("Choose the next step from the list.")})
    if not timeline.can_move(proposal.status, status):
        raise ValidationError(
            {
                "status": _('A proposal that is "%(current)s" cannot become "%(target)s".')
                % {
                    "current": ProposalStatus(proposal.status).label,
                    "target": ProposalStatus(status).label,
                }
            }
        )
    if status in timeline.NEEDS_WORDS and not words:
        raise ValidationError({"words": _("Write your answer: the collective waits for it.")})
    if len(words) > TEXT_MAX:
        raise ValidationError({"words": _("Keep it under 5,000 characters.")})
    with transaction.atomic():
        updated = Proposal.objects.filter(pk=proposal.pk, version=expected_version).update(
            status=status, version=F("version") + 1
        )
        if not updated:
            raise ConflictError(
                _(
                    "The proposal changed while you were writing (someone answered first). "
                    "Your text is kept below: read the timeline and send it again."
                )
            )
        proposal.status, proposal.version = status, expected_version + 1
        event = ProposalEvent.objects.create(
            proposal=proposal, status=status, actor=user, words=words
        )
        _record(user, Action.PROPOSAL_MOVED, proposal, status=status)
        _tell_members(proposal, f"proposal_{status}", actor=user)
    return event


# ---------------------------------------------------------------- follow-through


def _follow_requests(proposal: Proposal, *, actor, progress_posted=False) -> str | None:
    """After a request changed: the proposal's status follows its requests
    (`timeline.status_from_requests`); a change becomes a step of the timeline.
    Returns the new status, or None when it stays. Inside the caller's transaction,
    with the proposal's row locked, so two answers at once see each other."""
    locked = Proposal.objects.select_for_update().get(pk=proposal.pk)
    states = list(locked.requests.values_list("decision", "percentage"))
    status = timeline.status_from_requests(locked.status, states, progress_posted=progress_posted)
    if status == locked.status:
        proposal.status, proposal.version = locked.status, locked.version
        return None
    Proposal.objects.filter(pk=proposal.pk).update(status=status, version=F("version") + 1)
    proposal.status, proposal.version = status, locked.version + 1
    ProposalEvent.objects.create(proposal=proposal, status=status, actor=actor)
    _record(actor, Action.PROPOSAL_MOVED, proposal, status=status)
    return status


def answer_request(
    *,
    user: User,
    request: ProposalRequest,
    decision: str,
    words: str,
    expected_version: int,
) -> RequestAnswer:
    """The addressed decision maker answers one request: accepted, partly or refused,
    always in words. A new answer supersedes the previous one, which stays. Two
    answers at once: the second is refused and its words are kept by the page."""
    proposal = request.proposal
    _require(perms.can_answer(user, proposal))
    words = words.strip()
    errors = {}
    if decision not in RequestDecision.values:
        errors["decision"] = _("Choose: accepted, partly accepted or refused.")
    if not words:
        errors["words"] = _("Write your answer: the collective waits for it.")
    elif len(words) > TEXT_MAX:
        errors["words"] = _("Keep it under 5,000 characters.")
    if not timeline.can_answer_request(proposal.status):
        errors["decision"] = _("This proposal is closed: its requests are settled.")
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        updated = ProposalRequest.objects.filter(pk=request.pk, version=expected_version).update(
            decision=decision, version=F("version") + 1
        )
        if not updated:
            raise ConflictError(
                _(
                    "This request was answered while you were writing. Your text is kept "
                    "below: read the answer now shown and send yours again if it still holds."
                )
            )
        request.decision, request.version = decision, expected_version + 1
        answer = RequestAnswer.objects.create(
            request=request, decision=decision, words=words, answered_by=user
        )
        _record(
            user,
            Action.REQUEST_ANSWERED,
            proposal,
            request=request.pk,
            decision=decision,
        )
        closed = _follow_requests(proposal, actor=user)
        kind = f"proposal_{closed}" if closed in timeline.CLOSED else "proposal_request_answered"
        _tell_members(proposal, kind, actor=user)
    return answer


def post_progress(
    *,
    user: User,
    proposal: Proposal,
    request: ProposalRequest | None = None,
    status_label: str,
    percentage: int,
    words: str = "",
    next_step: str = "",
    next_step_on=None,
    cost=None,
    budget_line: str = "",
    cost_public: bool = False,
) -> ProgressUpdate:
    """The addressed decision maker posts a dated step of the work, on the whole
    proposal or on one accepted request. At 100 % an accepted request is carried out;
    when every request is settled the proposal closes."""
    _require(perms.can_answer(user, proposal))
    if request is not None and request.proposal_id != proposal.pk:
        raise ValidationError({"request": _("Choose a request of this proposal.")})
    status_label, next_step = status_label.strip(), next_step.strip()
    words, budget_line = words.strip(), budget_line.strip()
    errors = {}
    if not status_label:
        errors["status_label"] = _("Say in a few words where it stands.")
    if percentage is None or not 0 <= percentage <= 100:
        errors["percentage"] = _("Give a percentage between 0 and 100.")
    if next_step_on is not None and not next_step:
        errors["next_step"] = _("Say what the next step is, since you give its date.")
    if cost is not None and cost < 0:
        errors["cost"] = _("A cost cannot be negative.")
    if cost_public and cost is None and not budget_line:
        errors["cost_public"] = _("Give the cost or the budget line you want to show.")
    if not timeline.can_answer_request(proposal.status):
        errors["status_label"] = _("This proposal is closed: its requests are settled.")
    elif not timeline.can_post_progress(
        proposal.status, None if request is None else request.decision
    ):
        errors["request"] = _(
            "Progress is posted on a request you accepted, wholly or partly: answer it first."
        )
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        update = ProgressUpdate.objects.create(
            proposal=proposal,
            request=request,
            status_label=status_label,
            percentage=percentage,
            words=words,
            next_step=next_step,
            next_step_on=next_step_on,
            cost=cost,
            budget_line=budget_line,
            cost_public=cost_public,
            posted_by=user,
        )
        if request is not None:
            # The latest progress is the request's; a later, lower figure (work undone)
            # is as true as a higher one, so it is kept as posted.
            ProposalRequest.objects.filter(pk=request.pk).update(
                percentage=percentage, version=F("version") + 1
            )
            request.percentage = percentage
            request.version += 1
        _record(
            user,
            Action.PROGRESS_POSTED,
            proposal,
            request=getattr(request, "pk", None),
            percentage=percentage,
        )
        closed = _follow_requests(proposal, actor=user, progress_posted=True)
        kind = f"proposal_{closed}" if closed in timeline.CLOSED else "proposal_progress"
        _tell_members(proposal, kind, actor=user)
    return update


def react_to_answer(
    *, member: CollectiveMember, answer: RequestAnswer, satisfied: bool, words: str = ""
) -> AnswerReaction:
    """A member says whether an answer satisfies them, with words if they wish. One
    reaction per member per answer: reacting again changes it."""
    proposal = answer.request.proposal
    _require(perms.can_react(member, proposal))
    words = words.strip()
    if satisfied is None:
        raise ValidationError({"satisfied": _("Say whether this answer satisfies you.")})
    if len(words) > REACTION_MAX:
        raise ValidationError({"words": _("Keep it under 1,000 characters.")})
    with transaction.atomic():
        reaction, created = AnswerReaction.objects.update_or_create(
            answer=answer,
            member=member.user,
            defaults={"satisfied": satisfied, "words": words},
        )
        _record(
            member.user,
            Action.ANSWER_REACTED,
            proposal,
            answer=answer.pk,
            satisfied=satisfied,
            changed=not created,
        )
    return reaction
