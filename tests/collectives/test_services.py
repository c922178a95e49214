"""Every rule of the collectives' use cases, and that a refused write saves nothing."""

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import translation

from alliance.accounts.models import User
from alliance.audit.models import Action, AuditEntry
from alliance.collectives import services
from alliance.collectives.models import (
    CollectiveMember,
    Consultation,
    ConsultationStatement,
    ConsultationVote,
    MemberInvitation,
    MemberRole,
)
from alliance.conflicts import ConflictError
from tests.factories import UserFactory

from .factories import make_circle

pytestmark = pytest.mark.django_db

AGREE, DISAGREE, PASS = ConsultationVote.Value.AGREE, ConsultationVote.Value.DISAGREE, 0
S = ConsultationStatement.Status


def _actions():
    return list(AuditEntry.objects.order_by("pk").values_list("action", flat=True))


# ---------------------------------------------------------------- collectives


@pytest.mark.parametrize("trait", ["professional", "individual"])
def test_the_creator_becomes_the_first_facilitator(trait):
    user = UserFactory(**{trait: True})
    collective = services.create_collective(creator=user, name="  Atelier bois  ")
    member = collective.members.get()
    assert collective.name == "Atelier bois"
    assert (member.user, member.role) == (user, MemberRole.FACILITATOR)
    assert member.standing == ("professional" if trait == "professional" else "person")
    assert collective.organisation == user.organisation
    entry = AuditEntry.objects.get(action=Action.COLLECTIVE_CREATED)
    assert entry.detail == {"collective": collective.pk}


def test_a_decision_maker_does_not_start_a_collective():
    with pytest.raises(PermissionDenied):
        services.create_collective(creator=UserFactory(decision_maker=True), name="X")


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [({"name": "  "}, "name"), ({"kind": "club"}, "kind"), ({"standing": "king"}, "standing")],
)
def test_a_collective_needs_a_name_a_known_kind_and_standing(kwargs, field):
    with pytest.raises(ValidationError) as error:
        services.create_collective(creator=UserFactory(), **{"name": "Atelier", **kwargs})
    assert field in error.value.message_dict
    assert not CollectiveMember.objects.exists()


def test_a_known_address_is_invited_and_joins_only_when_its_owner_accepts():
    circle = make_circle(members=0, seeds=0)
    user = UserFactory(email="Marie@Example.org")
    invitation = services.add_member(
        by=circle.facilitator, display_name="Marie", email="marie@example.org"
    )
    assert isinstance(invitation, MemberInvitation)
    assert not circle.collective.members.filter(user=user).exists()
    with pytest.raises(PermissionDenied):
        services.answer_member_invitation(
            user=circle.facilitator.user, invitation=invitation, accept=True
        )
    member = services.answer_member_invitation(user=user, invitation=invitation, accept=True)
    assert member.user == user and member.status == CollectiveMember.Status.ACTIVE
    assert Action.MEMBER_INVITATION_ACCEPTED in _actions()


def test_someone_without_email_gets_an_account_and_nothing_is_handed_over():
    circle = make_circle(members=0, seeds=0)
    member = services.add_member(by=circle.facilitator, display_name="Samir")
    assert member.user.email is None
    assert not member.user.sign_in_secrets.exists()
    assert not mail.outbox


def test_an_unknown_address_receives_its_link_by_email_and_no_account_is_made(
    django_capture_on_commit_callbacks,
):
    circle = make_circle(members=0, seeds=0)
    with django_capture_on_commit_callbacks(execute=True):
        services.add_member(by=circle.facilitator, display_name="Léa", email="lea@example.org")
    assert mail.outbox[0].to == ["lea@example.org"]
    assert "Quartier Bellevue" in mail.outbox[0].body and "/invitations/" in mail.outbox[0].body
    assert not User.objects.filter(email="lea@example.org").exists()


def test_only_a_facilitator_adds_members():
    circle = make_circle(members=1, seeds=0)
    with pytest.raises(PermissionDenied):
        services.add_member(by=circle.members[0], display_name="Samir")


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({}, "display_name"),
        ({"display_name": "A", "standing": "king"}, "standing"),
    ],
)
def test_adding_a_member_needs_a_name_or_an_email_and_a_known_standing(kwargs, field):
    circle = make_circle(members=0, seeds=0)
    with pytest.raises(ValidationError) as error:
        services.add_member(by=circle.facilitator, **kwargs)
    assert field in error.value.message_dict


def test_a_decision_maker_or_a_member_is_not_added_again():
    circle = make_circle(members=1, seeds=0)
    decider = UserFactory(decision_maker=True)
    invitation = services.add_member(by=circle.facilitator, display_name="D", email=decider.email)
    with pytest.raises(ValidationError):
        services.answer_member_invitation(user=decider, invitation=invitation, accept=True)
    with pytest.raises(ValidationError):
        services.add_member(
            by=circle.facilitator, display_name="M", email=circle.members[0].user.email
        )
    with pytest.raises(ValidationError):  # already invited
        services.add_member(by=circle.facilitator, display_name="D", email=decider.email.upper())
    assert circle.collective.members.count() == 2


def test_someone_who_left_comes_back_as_a_plain_member():
    circle = make_circle(members=1, seeds=0)
    member = circle.members[0]
    services.make_facilitator(by=circle.facilitator, member=member)
    services.leave_collective(member=member)
    invitation = services.add_member(
        by=circle.facilitator, display_name="X", email=member.user.email, standing="relative"
    )
    back = services.answer_member_invitation(user=member.user, invitation=invitation, accept=True)
    assert back.pk == member.pk
    assert (back.status, back.role, back.standing) == ("active", "member", "relative")


def test_a_facilitator_or_the_inviter_withdraws_an_invitation():
    circle = make_circle(members=1, seeds=0)
    invitation = services.add_member(by=circle.facilitator, display_name="X", email="x@example.org")
    with pytest.raises(PermissionDenied):
        services.withdraw_member_invitation(by=circle.members[0], invitation=invitation)
    services.withdraw_member_invitation(by=circle.facilitator, invitation=invitation)
    invitation.refresh_from_db()
    assert invitation.status == MemberInvitation.Status.WITHDRAWN
    assert Action.MEMBER_INVITATION_WITHDRAWN in _actions()


def test_a_facilitator_shares_the_role_but_a_member_cannot():
    circle = make_circle(members=2, seeds=0)
    one, two = circle.members
    with pytest.raises(PermissionDenied):
        services.make_facilitator(by=one, member=two)
    services.make_facilitator(by=circle.facilitator, member=one)
    one.refresh_from_db()
    assert one.is_facilitator
    with pytest.raises(PermissionDenied):  # already one
        services.make_facilitator(by=circle.facilitator, member=one)


def test_the_last_facilitator_names_another_before_leaving():
    circle = make_circle(members=1, seeds=0)
    with pytest.raises(ValidationError):
        services.leave_collective(member=circle.facilitator)
    services.make_facilitator(by=circle.facilitator, member=circle.members[0])
    services.leave_collective(member=circle.facilitator)
    circle.facilitator.refresh_from_db()
    assert circle.facilitator.status == CollectiveMember.Status.LEFT
    assert Action.COLLECTIVE_LEFT in _actions()


def test_a_member_leaves_and_a_lone_facilitator_may_close_the_door():
    circle = make_circle(members=1, seeds=0)
    services.leave_collective(member=circle.members[0])
    services.leave_collective(member=circle.facilitator)
    with pytest.raises(PermissionDenied):
        services.leave_collective(member=circle.facilitator)


# ---------------------------------------------------------------- consultations


def test_a_consultation_starts_as_a_draft_with_accepted_seed_statements():
    circle = make_circle(members=1, seeds=2, open_it=False)
    consultation = circle.consultation
    assert consultation.status == Consultation.Status.DRAFT
    assert [(s.is_seed, s.status) for s in circle.statements] == [(True, S.ACCEPTED)] * 2


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"question": " "}, "question"),
        ({"question": "x" * 301}, "question"),
        ({"question": "Q ?", "easy_read_question": "x" * 301}, "easy_read_question"),
        ({"question": "Q ?", "seed_statements": ["x" * 281]}, "seed_statements"),
        ({"question": "Q ?", "seed_statements": ["Oui.", " oui. "]}, "seed_statements"),
    ],
)
def test_a_bad_consultation_is_refused_and_nothing_is_saved(kwargs, field):
    circle = make_circle(members=0, seeds=0)
    with pytest.raises(ValidationError) as error:
        services.create_consultation(by=circle.facilitator, **kwargs)
    assert field in error.value.message_dict
    assert not Consultation.objects.exists()


def test_only_a_facilitator_prepares_opens_and_closes():
    circle = make_circle(members=1, seeds=1, open_it=False)
    member, consultation = circle.members[0], circle.consultation
    with pytest.raises(PermissionDenied):
        services.create_consultation(by=member, question="Q ?")
    with pytest.raises(PermissionDenied):
        services.open_consultation(by=member, consultation=consultation, expected_version=1)


def test_a_consultation_opens_only_with_a_statement_then_closes_for_good():
    circle = make_circle(members=0, seeds=0)
    empty = services.create_consultation(by=circle.facilitator, question="Q ?")
    with pytest.raises(ValidationError):
        services.open_consultation(by=circle.facilitator, consultation=empty, expected_version=1)
    services.write_statement(member=circle.facilitator, consultation=empty, text="Une idée.")
    opened = services.open_consultation(
        by=circle.facilitator, consultation=empty, expected_version=1
    )
    assert (opened.status, opened.version) == ("open", 2) and opened.opened_at
    with pytest.raises(ValidationError):
        services.open_consultation(by=circle.facilitator, consultation=opened, expected_version=2)
    closed = services.close_consultation(
        by=circle.facilitator, consultation=opened, expected_version=2
    )
    assert (closed.status, closed.version) == ("closed", 3) and closed.closed_at
    with pytest.raises(ValidationError):
        services.close_consultation(by=circle.facilitator, consultation=closed, expected_version=3)


def test_a_stale_version_is_a_conflict_and_changes_nothing():
    circle = make_circle(members=0, seeds=1)  # opened: version 2
    with pytest.raises(ConflictError):
        services.close_consultation(
            by=circle.facilitator, consultation=circle.consultation, expected_version=1
        )
    circle.consultation.refresh_from_db()
    assert (circle.consultation.status, circle.consultation.version) == ("open", 2)


def test_a_member_statement_waits_and_a_facilitator_statement_is_accepted():
    circle = make_circle(members=1, seeds=1)
    pending = services.write_statement(
        member=circle.members[0], consultation=circle.consultation, text=" Plus de bancs. "
    )
    accepted = services.write_statement(
        member=circle.facilitator, consultation=circle.consultation, text="Des arbres."
    )
    assert (pending.text, pending.status, pending.is_seed) == ("Plus de bancs.", S.PENDING, False)
    assert (accepted.status, accepted.moderated_by) == (S.ACCEPTED, circle.facilitator.user)


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"text": "   "}, "text"),
        ({"text": "x" * 281}, "text"),
        ({"text": "Court.", "easy_read": "x" * 281}, "easy_read"),
        ({"text": "proposition de départ 0."}, "text"),  # already there
    ],
)
def test_a_bad_statement_is_refused_and_nothing_is_saved(kwargs, field):
    circle = make_circle(members=1, seeds=1)
    with pytest.raises(ValidationError) as error:
        services.write_statement(
            member=circle.members[0], consultation=circle.consultation, **kwargs
        )
    assert field in error.value.message_dict
    assert circle.consultation.statements.count() == 1


def test_a_statement_of_exactly_280_characters_is_accepted():
    circle = make_circle(members=1, seeds=1)
    statement = services.write_statement(
        member=circle.members[0], consultation=circle.consultation, text="é" * 280
    )
    assert len(statement.text) == 280


def test_no_statement_on_a_closed_consultation_nor_from_a_member_on_a_draft():
    circle = make_circle(members=1, seeds=1, open_it=False)
    with pytest.raises(PermissionDenied):
        services.write_statement(
            member=circle.members[0], consultation=circle.consultation, text="Idée."
        )
    consultation = services.open_consultation(
        by=circle.facilitator, consultation=circle.consultation, expected_version=1
    )
    consultation = services.close_consultation(
        by=circle.facilitator, consultation=consultation, expected_version=2
    )
    with pytest.raises(ValidationError):
        services.write_statement(member=circle.members[0], consultation=consultation, text="Idée.")


def test_someone_from_another_collective_cannot_write_or_moderate_here():
    here, there = make_circle(members=1, seeds=1), make_circle(members=1, seeds=1)
    with pytest.raises(PermissionDenied):
        services.write_statement(
            member=there.members[0], consultation=here.consultation, text="Intrus."
        )
    pending = services.write_statement(
        member=here.members[0], consultation=here.consultation, text="Idée."
    )
    with pytest.raises(PermissionDenied):
        services.moderate_statement(by=there.facilitator, statement=pending, accept=True)


def _pending(circle, text="Moins de voitures devant l'école."):
    return services.write_statement(
        member=circle.members[0], consultation=circle.consultation, text=text
    )


def test_a_facilitator_accepts_a_waiting_statement():
    circle = make_circle(members=1, seeds=1)
    statement = services.moderate_statement(
        by=circle.facilitator, statement=_pending(circle), accept=True
    )
    assert (statement.status, statement.moderated_by) == (S.ACCEPTED, circle.facilitator.user)
    assert Action.CONSULTATION_STATEMENT_ACCEPTED in _actions()


def test_a_refusal_needs_a_reason_which_the_author_will_read():
    circle = make_circle(members=1, seeds=1)
    statement = _pending(circle)
    with pytest.raises(ValidationError) as error:
        services.moderate_statement(
            by=circle.facilitator, statement=statement, accept=False, reason="  "
        )
    assert "reason" in error.value.message_dict
    statement.refresh_from_db()
    assert statement.status == S.PENDING
    refused = services.moderate_statement(
        by=circle.facilitator, statement=statement, accept=False, reason="Deux idées à la fois."
    )
    assert (refused.status, refused.rejection_reason) == (S.REJECTED, "Deux idées à la fois.")


def test_a_member_does_not_moderate_and_nothing_is_moderated_twice():
    circle = make_circle(members=1, seeds=1)
    statement = _pending(circle)
    with pytest.raises(PermissionDenied):
        services.moderate_statement(by=circle.members[0], statement=statement, accept=True)
    services.moderate_statement(by=circle.facilitator, statement=statement, accept=True)
    with pytest.raises(ValidationError):  # the object in hand is stale: the row decides
        services.moderate_statement(
            by=circle.facilitator, statement=statement, accept=False, reason="Non."
        )
    statement.refresh_from_db()
    assert statement.status == S.ACCEPTED


def test_only_the_author_withdraws_and_only_what_is_live():
    circle = make_circle(members=2, seeds=1)
    statement = _pending(circle)
    with pytest.raises(PermissionDenied):
        services.withdraw_statement(member=circle.members[1], statement=statement)
    services.withdraw_statement(member=circle.members[0], statement=statement)
    statement.refresh_from_db()
    assert statement.status == S.WITHDRAWN
    with pytest.raises(ValidationError):
        services.withdraw_statement(member=circle.members[0], statement=statement)
    with pytest.raises(ValidationError):  # a withdrawn statement is not moderated
        services.moderate_statement(by=circle.facilitator, statement=statement, accept=True)


# ---------------------------------------------------------------- votes


def test_a_changed_vote_replaces_the_previous_one():
    circle = make_circle(members=1, seeds=1)
    member, statement = circle.members[0], circle.statements[0]
    services.cast_vote(member=member, statement=statement, value=AGREE)
    services.cast_vote(member=member, statement=statement, value=DISAGREE)
    assert list(ConsultationVote.objects.values_list("participant", "value")) == [
        (member.user_id, DISAGREE)
    ]


def test_the_trail_says_who_voted_never_how():
    circle = make_circle(members=1, seeds=2)
    services.cast_votes(
        member=circle.members[0],
        consultation=circle.consultation,
        values={circle.statements[0].pk: AGREE, circle.statements[1].pk: PASS},
    )
    entry = AuditEntry.objects.get(action=Action.CONSULTATION_VOTED)
    assert entry.actor == circle.members[0].user
    assert entry.detail == {"collective": circle.collective.pk, "votes": 2}


@pytest.mark.parametrize("status", ["pending", "rejected", "withdrawn"])
def test_no_vote_on_a_statement_not_open_to_votes(status):
    circle = make_circle(members=2, seeds=1)
    statement = _pending(circle)
    if status == "rejected":
        services.moderate_statement(
            by=circle.facilitator, statement=statement, accept=False, reason="Hors sujet."
        )
    if status == "withdrawn":
        services.withdraw_statement(member=circle.members[0], statement=statement)
    statement.refresh_from_db()
    with translation.override("en"), pytest.raises(ValidationError) as error:
        services.cast_vote(member=circle.members[1], statement=statement, value=AGREE)
    assert "not open to votes" in error.value.messages[0]
    assert not ConsultationVote.objects.exists()


def test_a_withdrawn_statement_that_had_votes_refuses_new_ones():
    circle = make_circle(members=2, seeds=1)
    statement = services.write_statement(
        member=circle.facilitator, consultation=circle.consultation, text="Idée retirée."
    )
    services.cast_vote(member=circle.members[0], statement=statement, value=AGREE)
    services.withdraw_statement(member=circle.facilitator, statement=statement)
    statement.refresh_from_db()
    with pytest.raises(ValidationError):
        services.cast_vote(member=circle.members[1], statement=statement, value=AGREE)


@pytest.mark.parametrize("state", ["draft", "closed"])
def test_no_vote_unless_the_consultation_is_open(state):
    circle = make_circle(members=1, seeds=1, open_it=state == "closed")
    consultation = circle.consultation
    if state == "closed":
        consultation = services.close_consultation(
            by=circle.facilitator, consultation=consultation, expected_version=2
        )
    statement = consultation.statements.get()
    with pytest.raises(ValidationError):
        services.cast_vote(member=circle.members[0], statement=statement, value=AGREE)
    assert not ConsultationVote.objects.exists()


def test_no_vote_from_outside_the_collective_or_after_leaving():
    here, there = make_circle(members=1, seeds=1), make_circle(members=1, seeds=1)
    with pytest.raises(PermissionDenied):
        services.cast_vote(member=there.members[0], statement=here.statements[0], value=AGREE)
    services.leave_collective(member=here.members[0])
    with pytest.raises(PermissionDenied):
        services.cast_vote(member=here.members[0], statement=here.statements[0], value=AGREE)
    assert not ConsultationVote.objects.exists()


def test_an_unknown_value_or_a_statement_of_another_consultation_saves_nothing():
    here = make_circle(members=1, seeds=2)
    other = services.create_consultation(
        by=here.facilitator, question="Autre ?", seed_statements=["Ailleurs."]
    )
    elsewhere = other.statements.get()
    member = here.members[0]
    with pytest.raises(ValidationError):
        services.cast_votes(
            member=member,
            consultation=here.consultation,
            values={here.statements[0].pk: AGREE, here.statements[1].pk: 2},
        )
    with pytest.raises(ValidationError):
        services.cast_votes(
            member=member,
            consultation=here.consultation,
            values={here.statements[0].pk: AGREE, elsewhere.pk: AGREE},
        )
    with pytest.raises(ValidationError):
        services.cast_votes(member=member, consultation=here.consultation, values={})
    assert not ConsultationVote.objects.exists()
