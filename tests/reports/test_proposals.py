"""Proposals through their use cases: who may write, send, co-sign, join and answer;
bad input refused with a clear message and nothing saved; two answers at once."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import translation

from alliance.alliances.models import Role
from alliance.alliances.services import invite_ally
from alliance.audit.models import Action, AuditEntry
from alliance.collectives.models import (
    CollectiveInterest,
    CollectiveMember,
    Consultation,
    ConsultationStatement,
    MemberStanding,
    OpinionSnapshot,
)
from alliance.conflicts import ConflictError
from alliance.reports import timeline
from alliance.reports.models import CoSignature, JoinedAlliance, ProposalEvent, ProposalStatus
from alliance.reports.proposals import selectors, services
from tests.factories import UserFactory, make_alliance_trio

from .proposal_world import make_collective, make_report, make_world, member_of

S = ProposalStatus


@pytest.fixture(autouse=True)
def english():
    """Messages are asserted in the source language."""
    with translation.override("en"):
        yield


# ---------------------------------------------------------------- the timeline, pure


@pytest.mark.parametrize(
    ("current", "target", "allowed"),
    [
        (S.DRAFT, S.SENT, True),
        (S.DRAFT, S.DONE, False),  # done before sent
        (S.DRAFT, S.ACKNOWLEDGED, False),
        (S.SENT, S.SENT, False),
        (S.SENT, S.ACKNOWLEDGED, True),
        (S.SENT, S.DONE, False),  # the requests close a proposal, not a click
        (S.ACKNOWLEDGED, S.ANSWERED, True),
        (S.ANSWERED, S.ACKNOWLEDGED, False),  # backwards
        (S.IN_PROGRESS, S.ANSWERED, False),
        (S.IN_PROGRESS, S.DONE, False),
        (S.IN_PROGRESS, S.REFUSED, False),
        (S.DONE, S.REFUSED, False),  # closed
        (S.REFUSED, S.IN_PROGRESS, False),
        ("nonsense", S.SENT, False),
    ],
)
def test_the_timeline_only_goes_forward(current, target, allowed):
    assert timeline.can_move(current, target) is allowed


def test_next_steps_follow_the_order_of_the_timeline():
    assert timeline.next_steps(S.SENT) == [S.ACKNOWLEDGED, S.ANSWERED, S.IN_PROGRESS]
    assert timeline.next_steps(S.IN_PROGRESS) == []
    assert timeline.next_steps(S.DONE) == []
    assert timeline.next_steps(S.DRAFT) == []


# ---------------------------------------------------------------- writing and sending


@pytest.fixture
def trio(db):
    return make_alliance_trio()


@pytest.fixture
def world(trio):
    return make_world(trio)


def _entries(action):
    return list(AuditEntry.objects.filter(action=action))


@pytest.mark.parametrize(
    ("title", "text", "field"),
    [("", "Des bancs.", "title"), ("Des bancs", "   ", "text"), ("Des bancs", "x" * 5001, "text")],
)
def test_an_empty_proposal_is_refused_and_nothing_saved(trio, title, text, field):
    world = make_world(trio)
    count = world.collective.proposals.count()
    with pytest.raises(ValidationError) as refused:
        services.write_proposal(
            member=world.facilitator, title=title, text=text, addressee=world.decision_maker
        )
    assert field in refused.value.message_dict
    assert world.collective.proposals.count() == count


def test_a_proposal_is_addressed_to_a_decision_maker(world):
    with pytest.raises(ValidationError) as refused:
        services.write_proposal(
            member=world.facilitator,
            title="Des bancs",
            text="Des bancs au parc.",
            addressee=UserFactory(professional=True),
        )
    assert "addressee" in refused.value.message_dict


def test_a_member_writes_a_draft_and_only_a_facilitator_sends_it(trio, world):
    person = member_of(world.collective, trio.person.user)
    draft = services.write_proposal(
        member=person, title="Des bancs", text="Des bancs au parc.", addressee=world.decision_maker
    )
    assert draft.status == S.DRAFT
    assert [e.status for e in draft.events.all()] == [S.DRAFT]
    with pytest.raises(PermissionDenied):
        services.send_proposal(member=person, proposal=draft)
    draft.refresh_from_db()
    assert draft.status == S.DRAFT

    services.send_proposal(member=world.facilitator, proposal=draft)
    draft.refresh_from_db()
    assert draft.status == S.SENT and draft.sent_at is not None
    assert [e.status for e in draft.events.all()] == [S.DRAFT, S.SENT]
    sent = [e for e in _entries(Action.PROPOSAL_SENT) if e.target_id == draft.pk]
    assert [e.actor_id for e in sent] == [trio.professional.user_id]


def test_a_proposal_is_sent_once(world):
    with pytest.raises(ValidationError, match="already been sent"):
        services.send_proposal(member=world.facilitator, proposal=world.proposal)
    assert world.proposal.events.filter(status=S.SENT).count() == 1


def test_someone_outside_the_collective_or_a_decision_maker_does_not_write(world):
    with pytest.raises(PermissionDenied):
        services.write_proposal(
            member=None, title="Des bancs", text="Des bancs.", addressee=world.decision_maker
        )


def test_evidence_comes_from_the_same_collective(trio, world):
    other = make_collective(facilitator=UserFactory(professional=True), name="Ailleurs")
    foreign = CollectiveInterest.objects.create(
        collective=other, text="Autre chose", adopted_by=other.created_by
    )
    with pytest.raises(ValidationError) as refused:
        services.write_proposal(
            member=world.facilitator,
            title="Des bancs",
            text="Des bancs au parc.",
            addressee=world.decision_maker,
            interests=[foreign],
        )
    assert "interests" in refused.value.message_dict


def test_the_evidence_shows_the_common_ground_and_never_a_vote(trio, world):
    user = trio.professional.user
    interest = CollectiveInterest.objects.create(
        collective=world.collective, text="Des trajets sûrs pour les enfants", adopted_by=user
    )
    consultation = Consultation.objects.create(
        collective=world.collective,
        question="Qu'est-ce qui rendrait le quartier plus sûr ?",
        status=Consultation.Status.CLOSED,
        created_by=user,
    )
    shared, divided = (
        ConsultationStatement.objects.create(
            consultation=consultation, text=text, author=trio.person.user, status="accepted"
        )
        for text in ("Un passage piéton", "Moins de voitures")
    )
    OpinionSnapshot.objects.create(
        consultation=consultation,
        status=OpinionSnapshot.Status.DONE,
        result={"common_ground": [shared.pk], "groups": []},
    )
    proposal = services.write_proposal(
        member=world.facilitator,
        title="Un passage piéton",
        text="Devant l'école.",
        addressee=world.decision_maker,
        interests=[interest],
        consultation=consultation,
    )
    evidence = selectors.evidence(proposal)
    assert evidence["interests"] == ["Des trajets sûrs pour les enfants"]
    assert evidence["common_ground"] == ["Un passage piéton"]
    assert divided.text not in str(evidence)
    assert trio.person.user.display_name not in str(evidence)


def test_an_attached_report_is_one_the_decision_maker_may_read(trio, world):
    unpublished = make_report(trio)
    assert unpublished.status == "ready"
    count = world.collective.proposals.count()
    with pytest.raises(ValidationError) as refused:
        services.write_proposal(
            member=world.facilitator,
            title="Des AESH",
            text="Des AESH pour chaque enfant qui en a besoin.",
            addressee=world.decision_maker,
            report=unpublished,
        )
    assert "already published to this decision maker" in refused.value.message_dict["report"][0]
    assert world.collective.proposals.count() == count
    # A member who may not read the report cannot attach it either.
    published = make_report(trio, publish_to=[world.decision_maker])
    with pytest.raises(ValidationError):
        services.write_proposal(
            member=member_of(world.collective, trio.person.user),
            title="Des AESH",
            text="Des AESH.",
            addressee=world.decision_maker,
            report=published,
        )
    proposal = services.write_proposal(
        member=world.facilitator,
        title="Des AESH",
        text="Des AESH pour chaque enfant qui en a besoin.",
        addressee=world.decision_maker,
        report=published,
    )
    assert selectors.evidence(proposal)["report"] == published


# ---------------------------------------------------------------- co-signatures


def test_each_member_signs_for_themselves_once(trio, world):
    person = member_of(world.collective, trio.person.user)
    services.co_sign(member=person, proposal=world.proposal)
    with pytest.raises(ValidationError, match="already signed"):
        services.co_sign(member=person, proposal=world.proposal)
    assert world.proposal.signatures.count() == 1
    co_signed = _entries(Action.PROPOSAL_CO_SIGNED)
    assert [(e.actor_id, e.detail["on_behalf"]) for e in co_signed] == [(person.user_id, False)]


def test_the_database_keeps_one_signature_per_signatory(trio, world):
    CoSignature.objects.create(
        proposal=world.proposal, signatory=trio.person.user, signed_by=trio.person.user
    )
    with pytest.raises(IntegrityError), transaction.atomic():
        CoSignature.objects.create(
            proposal=world.proposal, signatory=trio.person.user, signed_by=trio.parent.user
        )


def test_a_legal_representative_signs_for_the_person_shown_as_such(trio, world):
    parent = member_of(world.collective, trio.parent.user)
    assert [
        u.pk for u in selectors.proposal_for_members(world.proposal, parent)["can_sign_for"]
    ] == [trio.person.user_id]
    signature = services.co_sign(member=parent, proposal=world.proposal, signatory=trio.person.user)
    assert signature.on_behalf and signature.signed_by_id == trio.parent.user_id
    # The person cannot sign again on top: a signature counts once, whoever placed it.
    person = member_of(world.collective, trio.person.user)
    with pytest.raises(ValidationError, match="already signed"):
        services.co_sign(member=person, proposal=world.proposal)
    # The representative still signs for themselves.
    services.co_sign(member=parent, proposal=world.proposal)
    assert world.proposal.signatures.count() == 2


def test_nobody_else_signs_for_another(trio, world):
    relative = invite_ally(inviter=trio.parent, display_name="Tante Zoé", role=Role.RELATIVE)
    CollectiveMember.objects.create(
        collective=world.collective, user=relative.user, standing=MemberStanding.RELATIVE
    )
    facilitator = world.facilitator
    for member, signatory in [
        (facilitator, trio.person.user),  # a professional never signs for the person
        (member_of(world.collective, relative.user), trio.person.user),
        (member_of(world.collective, trio.person.user), trio.parent.user),
    ]:
        with pytest.raises(ValidationError, match="for yourself"):
            services.co_sign(member=member, proposal=world.proposal, signatory=signatory)
    assert not world.proposal.signatures.exists()


def test_a_closed_proposal_takes_no_more_signatures(trio, world):
    (request,) = world.proposal.requests.all()
    services.answer_request(
        user=world.decision_maker,
        request=request,
        decision="refused",
        words="Pas de budget cette année.",
        expected_version=request.version,
    )
    world.proposal.refresh_from_db()
    assert world.proposal.status == S.REFUSED
    with pytest.raises(PermissionDenied):
        services.co_sign(
            member=member_of(world.collective, trio.person.user), proposal=world.proposal
        )


# ---------------------------------------------------------------- alliances that join


def test_an_alliance_joins_only_by_its_person_or_representative(trio, world):
    relative = invite_ally(inviter=trio.parent, display_name="Sami", role=Role.RELATIVE)
    relative.user.collective_memberships.create(collective=world.collective)
    with pytest.raises(PermissionDenied):
        services.join_with_alliance(
            ally=trio.professional, member=world.facilitator, proposal=world.proposal
        )
    parent = member_of(world.collective, trio.parent.user)
    services.join_with_alliance(ally=trio.parent, member=parent, proposal=world.proposal)
    person = member_of(world.collective, trio.person.user)
    with pytest.raises(ValidationError, match="already joined"):
        services.join_with_alliance(ally=trio.person, member=person, proposal=world.proposal)
    assert JoinedAlliance.objects.filter(proposal=world.proposal).count() == 1
    (entry,) = _entries(Action.PROPOSAL_JOINED)
    # Written in the alliance's own trail, where the person reads it.
    assert (entry.actor_id, entry.alliance_id) == (trio.parent.user_id, trio.alliance.pk)


# ---------------------------------------------------------------- the decision maker


def test_the_addressed_decision_maker_moves_the_proposal_forward(world):
    proposal = world.proposal
    for status, words in [
        (S.ACKNOWLEDGED, ""),
        (S.ANSWERED, "Nous étudions un passage piéton."),
        (S.IN_PROGRESS, "Travaux en mars."),
    ]:
        services.move_proposal(
            user=world.decision_maker,
            proposal=proposal,
            status=status,
            words=words,
            expected_version=proposal.version,
        )
    proposal.refresh_from_db()
    assert proposal.status == S.IN_PROGRESS
    assert [(e.status, e.actor_id) for e in proposal.events.all()][2:] == [
        (s, world.decision_maker.pk) for s in (S.ACKNOWLEDGED, S.ANSWERED, S.IN_PROGRESS)
    ]
    assert len(_entries(Action.PROPOSAL_MOVED)) == 3
    # Carried out or declined is not a step of theirs any more (ADR 0038).
    for closing in (S.DONE, S.REFUSED):
        with pytest.raises(ValidationError, match="each of its requests is settled"):
            services.move_proposal(
                user=world.decision_maker,
                proposal=proposal,
                status=closing,
                words="Fini.",
                expected_version=proposal.version,
            )
    proposal.refresh_from_db()
    assert proposal.status == S.IN_PROGRESS


@pytest.mark.parametrize("who", ["other_decision_maker", "facilitator", "person"])
def test_an_answer_by_anyone_but_the_addressee_is_refused(trio, world, who):
    user = {
        "other_decision_maker": UserFactory(decision_maker=True),
        "facilitator": trio.professional.user,
        "person": trio.person.user,
    }[who]
    events = ProposalEvent.objects.count()
    with pytest.raises(PermissionDenied):
        services.move_proposal(
            user=user,
            proposal=world.proposal,
            status=S.ANSWERED,
            words="Oui.",
            expected_version=world.proposal.version,
        )
    world.proposal.refresh_from_db()
    assert world.proposal.status == S.SENT
    assert ProposalEvent.objects.count() == events
    assert not _entries(Action.PROPOSAL_MOVED)


def test_a_draft_cannot_be_answered_nor_done_before_it_is_sent(trio):
    world = make_world(trio, sent=False)
    with pytest.raises(PermissionDenied):
        services.move_proposal(
            user=world.decision_maker,
            proposal=world.proposal,
            status=S.DONE,
            expected_version=world.proposal.version,
        )
    world.proposal.refresh_from_db()
    assert world.proposal.status == S.DRAFT


def test_a_step_out_of_order_is_refused_with_a_clear_message(world):
    proposal = world.proposal
    services.move_proposal(
        user=world.decision_maker,
        proposal=proposal,
        status=S.ANSWERED,
        words="Oui, au printemps.",
        expected_version=proposal.version,
    )
    with pytest.raises(ValidationError) as refused:
        services.move_proposal(
            user=world.decision_maker,
            proposal=proposal,
            status=S.ACKNOWLEDGED,
            expected_version=proposal.version,
        )
    assert refused.value.message_dict["status"] == [
        'A proposal that is "Answered" cannot become "Acknowledged".'
    ]
    proposal.refresh_from_db()
    assert proposal.status == S.ANSWERED


@pytest.mark.parametrize("status", [S.ANSWERED])
def test_an_answer_needs_words(world, status):
    with pytest.raises(ValidationError) as refused:
        services.move_proposal(
            user=world.decision_maker,
            proposal=world.proposal,
            status=status,
            words="   ",
            expected_version=world.proposal.version,
        )
    assert "words" in refused.value.message_dict
    assert not world.proposal.events.filter(status=status).exists()


def test_two_answers_at_once_the_second_is_refused_and_nothing_is_lost(world):
    version = world.proposal.version
    services.move_proposal(
        user=world.decision_maker,
        proposal=world.proposal,
        status=S.ANSWERED,
        words="Premier mot.",
        expected_version=version,
    )
    stale = type(world.proposal).objects.get(pk=world.proposal.pk)
    stale.status, stale.version = S.SENT, version  # what the second tab had read
    with pytest.raises(ConflictError):
        services.move_proposal(
            user=world.decision_maker,
            proposal=stale,
            status=S.IN_PROGRESS,
            words="Second mot.",
            expected_version=version,
        )
    world.proposal.refresh_from_db()
    assert world.proposal.status == S.ANSWERED
    assert [
        e.words for e in world.proposal.events.filter(status__in=[S.ANSWERED, S.IN_PROGRESS])
    ] == ["Premier mot."]


# ---------------------------------------------------------------- members follow it


def test_members_hear_of_each_step_and_the_decision_maker_of_what_is_sent_to_them(trio):
    from alliance.notifications.models import Notification

    world = make_world(trio)
    received = Notification.objects.get(user=world.decision_maker)
    assert received.kind == "proposal_received"
    assert received.url == f"/proposals/received/{world.proposal.pk}/"
    sent = Notification.objects.filter(kind="proposal_sent")
    # The facilitator who sent it is not told of their own step.
    assert {n.user_id for n in sent} == {trio.person.user_id, trio.parent.user_id}

    services.move_proposal(
        user=world.decision_maker,
        proposal=world.proposal,
        status=S.ANSWERED,
        words="Oui.",
        expected_version=world.proposal.version,
    )
    answered = Notification.objects.filter(kind="proposal_answered")
    assert {n.user_id for n in answered} == {
        trio.person.user_id,
        trio.parent.user_id,
        trio.professional.user_id,
    }
    assert {n.url for n in answered} == {f"/proposals/{world.proposal.pk}/"}
    assert answered[0].title == f"The decision maker has answered “{world.proposal.title}”."


def test_only_a_facilitator_opens_or_closes_the_public_page(trio):
    world = make_world(trio, public=False)
    with pytest.raises(PermissionDenied):
        services.set_public_page(member=member_of(world.collective, trio.person.user), public=True)
    world.collective.refresh_from_db()
    assert not world.collective.public_page
    services.set_public_page(member=world.facilitator, public=True)
    world.collective.refresh_from_db()
    assert world.collective.public_page
