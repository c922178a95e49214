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
    CoSignature,
    JoinedAlliance,
    Proposal,
    ProposalEvent,
    ProposalStatus,
    Report,
)

from . import perms

TEXT_MAX = 5000


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


def _clean_proposal(title, text, addressee):
    errors = {}
    if not title.strip():
        errors["title"] = _("Give the proposal a title.")
    if not text.strip():
        errors["text"] = _("Write what the collective proposes.")
    elif len(text) > TEXT_MAX:
        errors["text"] = _("Keep it under 5,000 characters.")
    if addressee is None or not addressee.is_decision_maker or not addressee.is_active:
        errors["addressee"] = _("Choose the decision maker it is addressed to.")
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
    interests=(),
    consultation: Consultation | None = None,
    report: Report | None = None,
) -> Proposal:
    """A member writes a draft, with its evidence; it goes nowhere until a
    facilitator sends it."""
    _require(perms.can_write_proposal(member))
    _clean_proposal(title, text, addressee)
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
        ProposalEvent.objects.create(
            proposal=proposal, status=ProposalStatus.DRAFT, actor=member.user
        )
        _record(member.user, Action.PROPOSAL_WRITTEN, proposal)
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
    """The addressed decision maker acknowledges, answers, starts, does or refuses
    the proposal, always forward, in their own words."""
    _require(perms.can_answer(user, proposal))
    words = words.strip()
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
