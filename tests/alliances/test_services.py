"""Every use case of movement 1 (alliance/alliances/services.py), without views."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404

from alliance.accounts.models import User
from alliance.alliances import services
from alliance.alliances.access import get_alliance_for
from alliance.alliances.models import (
    Alliance,
    Ally,
    AllyInvitation,
    AsymmetryDimension,
    AsymmetryEntry,
    Charter,
    PerimeterStatus,
    PositionCheck,
    Role,
    Signature,
    Statement,
    StatementKind,
    Vote,
)
from alliance.alliances.models import VoteValue as V
from alliance.alliances.positions import Image
from alliance.audit.models import AuditEntry
from alliance.conflicts import ConflictError
from tests.factories import (
    UserFactory,
    make_alliance_trio,
    make_common_ground,
    make_signable_charter,
)

pytestmark = pytest.mark.django_db


def counts():
    """Rows that a refused use case must leave untouched."""
    return (
        Alliance.objects.count(),
        Ally.objects.count(),
        Statement.objects.count(),
        Vote.objects.count(),
        Charter.objects.count(),
        Signature.objects.count(),
        AuditEntry.objects.count(),
        AllyInvitation.objects.count(),
    )


# ---------------------------------------------------------------- creating and joining


def test_professional_creates_alliance_and_waits_for_approval(
    professional, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        alliance = services.create_alliance(
            creator=professional,
            title="  Vivre chez soi ",
            person_name="Léo Martin",
            person_email="leo@example.org",
        )
    assert alliance.title == "Vivre chez soi"
    assert alliance.organisation == professional.organisation
    creator = alliance.allies.get(user=professional)
    assert (creator.role, creator.status) == (Role.PROFESSIONAL, Ally.Status.AWAITING_APPROVAL)
    # The person is invited, not made: no account exists until they answer.
    assert not alliance.allies.filter(role=Role.PERSON).exists()
    invitation = alliance.invitations.get()
    assert (invitation.role, invitation.status) == (Role.PERSON, "pending")
    assert not User.objects.filter(email="leo@example.org").exists()
    assert [m.to for m in mailoutbox] == [["leo@example.org"]]
    assert "/invitations/" in mailoutbox[0].body and "/sign-in/link/" not in mailoutbox[0].body


def test_person_creates_their_own_alliance(individual):
    alliance = services.create_alliance(creator=individual, title="Mon projet")
    ally = alliance.allies.get()
    assert (ally.role, ally.status) == (Role.PERSON, Ally.Status.ACTIVE)
    assert alliance.organisation is None


def test_representative_who_creates_an_alliance_waits_for_approval_like_anyone(individual):
    """Creating an alliance "as legal representative" gives no power alone (ADR 0009)."""
    alliance = services.create_alliance(
        creator=individual,
        title="Pour Léo",
        person_name="Léo",
        creator_role=Role.REPRESENTATIVE,
        person_is_protected=True,
    )
    assert alliance.allies.get(user=individual).status == Ally.Status.AWAITING_APPROVAL
    assert alliance.allies.get(role=Role.PERSON).status == Ally.Status.INVITED


def test_a_legal_representative_exists_only_for_a_protected_person(individual, professional):
    """Otherwise anyone invited as "representative" would approve allies in the
    person's place."""
    with pytest.raises(ValidationError) as error:
        services.create_alliance(
            creator=individual,
            title="Pour Léo",
            person_name="Léo",
            creator_role=Role.REPRESENTATIVE,
        )
    assert "person_is_protected" in error.value.message_dict
    alliance = services.create_alliance(creator=professional, title="Pour Léo", person_name="Léo")
    creator = alliance.allies.get(user=professional)
    before = counts()
    with pytest.raises(ValidationError) as error:
        services.invite_ally(inviter=creator, display_name="Un collègue", role=Role.REPRESENTATIVE)
    assert "role" in error.value.message_dict
    assert counts() == before


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"title": "  ", "person_name": "Léo"}, "title"),
        ({"title": "Un titre", "person_name": " "}, "person_name"),
    ],
)
def test_create_alliance_refuses_bad_input_and_saves_nothing(professional, kwargs, field):
    before = counts()
    with pytest.raises(ValidationError) as error:
        services.create_alliance(creator=professional, **kwargs)
    assert field in error.value.message_dict
    assert counts() == before


def test_decision_maker_cannot_create_alliance(decision_maker):
    with pytest.raises(PermissionDenied):
        services.create_alliance(creator=decision_maker, title="Non", person_name="X")
    assert not Alliance.objects.exists()


def test_approval_flow(professional):
    alliance = services.create_alliance(creator=professional, title="T", person_name="Léo")
    creator = alliance.allies.get(user=professional)
    person = alliance.allies.get(role=Role.PERSON)
    # While waiting, the creator may invite but not contribute.
    relative = services.invite_ally(inviter=creator, display_name="Tonton", role=Role.RELATIVE)
    with pytest.raises(PermissionDenied):
        services.write_statement(ally=creator, kind=StatementKind.GOAL, text="Non")
    # The person is self-approved; the relative then waits like the creator.
    assert services.accept_invitation(ally=person).status == Ally.Status.ACTIVE
    assert services.accept_invitation(ally=relative).status == Ally.Status.AWAITING_APPROVAL
    # Only the person (or representative) approves.
    with pytest.raises(PermissionDenied):
        services.decide_on_ally(approver=creator, ally=relative, approve=True)
    services.decide_on_ally(approver=person, ally=creator, approve=True)
    services.decide_on_ally(approver=person, ally=relative, approve=False)
    creator.refresh_from_db()
    relative.refresh_from_db()
    assert (creator.status, creator.approved_by) == (Ally.Status.ACTIVE, person)
    assert relative.status == Ally.Status.REFUSED
    # A refused ally sees nothing any more, not even that the alliance exists.
    with pytest.raises(Http404):
        get_alliance_for(relative.user, alliance.pk)
    # A decision is taken once.
    with pytest.raises(ValidationError):
        services.decide_on_ally(approver=person, ally=creator, approve=False)


def test_invitation_is_answered_once(alliance_trio):
    with pytest.raises(ValidationError):
        services.accept_invitation(ally=alliance_trio.person)


def test_approver_from_another_alliance_is_refused(alliance_trio, professional):
    other = make_alliance_trio(professional=UserFactory(professional=True))
    relative = services.invite_ally(
        inviter=alliance_trio.person, display_name="Tata", role=Role.RELATIVE
    )
    services.accept_invitation(ally=relative)
    with pytest.raises(PermissionDenied):
        services.decide_on_ally(approver=other.person, ally=relative, approve=True)


def test_inviting_a_known_address_binds_no_account_until_its_owner_accepts(alliance_trio):
    known = UserFactory(professional=True, email="Known@Example.org")
    invitation = services.invite_ally(
        inviter=alliance_trio.person,
        display_name="Someone",
        email="known@example.org",
        role=Role.PROFESSIONAL,
    )
    assert not alliance_trio.alliance.allies.filter(user=known).exists()
    with pytest.raises(PermissionDenied):
        services.answer_ally_invitation(
            user=alliance_trio.parent.user, invitation=invitation, accept=True
        )
    ally = services.answer_ally_invitation(user=known, invitation=invitation, accept=True)
    assert (ally.user, ally.role, ally.status) == (
        known,
        Role.PROFESSIONAL,
        Ally.Status.AWAITING_APPROVAL,
    )
    with pytest.raises(ValidationError):
        services.answer_ally_invitation(user=known, invitation=invitation, accept=True)


def test_a_decision_maker_is_invited_like_anyone_but_cannot_join(alliance_trio):
    """The inviter learns nothing of who has an account; the rule holds at the answer."""
    decider = UserFactory(decision_maker=True)
    invitation = services.invite_ally(
        inviter=alliance_trio.person, display_name="X", email=decider.email, role=Role.OTHER
    )
    with pytest.raises(ValidationError):
        services.answer_ally_invitation(user=decider, invitation=invitation, accept=True)
    assert not Ally.objects.filter(user=decider).exists()


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"display_name": " ", "role": Role.RELATIVE}, "display_name"),
        ({"display_name": "X", "role": "boss"}, "role"),
        ({"display_name": "X", "role": Role.PERSON}, "role"),  # already has its person
        ({"display_name": "X", "role": Role.RELATIVE, "email": "DUP@example.org"}, "email"),
        ({"display_name": "X", "role": Role.RELATIVE, "email": "dup@example.org"}, "email"),
    ],
)
def test_invite_refuses_bad_input_and_saves_nothing(alliance_trio, kwargs, field):
    UserFactory(decision_maker=True, email="dm@example.org")
    services.invite_ally(
        inviter=alliance_trio.person,
        display_name="Dup",
        email="dup@example.org",
        role=Role.RELATIVE,
    )
    before = counts()
    users_before = type(alliance_trio.person.user).objects.count()
    with pytest.raises(ValidationError) as error:
        services.invite_ally(inviter=alliance_trio.person, **kwargs)
    assert field in error.value.message_dict
    assert counts() == before
    assert type(alliance_trio.person.user).objects.count() == users_before


def test_invited_ally_cannot_invite(alliance_trio):
    invited = services.invite_ally(
        inviter=alliance_trio.person, display_name="Tata", role=Role.RELATIVE
    )
    with pytest.raises(PermissionDenied):
        services.invite_ally(inviter=invited, display_name="Other", role=Role.PEER)


def test_write_recognition(alliance_trio):
    ally = services.write_recognition(
        ally=alliance_trio.parent, brings=" Ma connaissance ", expects=""
    )
    assert ally.recognition_brings == "Ma connaissance"
    charter = services.current_charter(alliance_trio.alliance)
    assert charter.recognitions.get(ally=ally).brings == "Ma connaissance"
    with pytest.raises(ValidationError):
        services.write_recognition(ally=alliance_trio.parent, brings=" ", expects="")


# ---------------------------------------------------------------- statements and votes


def test_write_statement_with_supported_expression(alliance_trio):
    statement = services.write_statement(
        ally=alliance_trio.person,
        kind=StatementKind.GOAL,
        text=" Aller à la cantine ",
        supported_by=alliance_trio.parent,
    )
    assert (statement.text, statement.supported_by) == ("Aller à la cantine", alliance_trio.parent)
    assert statement.author == alliance_trio.person


@pytest.mark.parametrize(
    ("kind", "text", "field"),
    [
        ("wish", "Texte", "kind"),
        (StatementKind.GOAL, "   ", "text"),
        (StatementKind.GOAL, "x" * 1001, "text"),
    ],
)
def test_write_statement_refuses_bad_input(alliance_trio, kind, text, field):
    before = counts()
    with pytest.raises(ValidationError) as error:
        services.write_statement(ally=alliance_trio.person, kind=kind, text=text)
    assert field in error.value.message_dict
    assert counts() == before


def test_supporter_must_be_another_ally_of_the_alliance(alliance_trio):
    other = make_alliance_trio(professional=UserFactory(professional=True))
    for supporter in (alliance_trio.person, other.parent):
        with pytest.raises(ValidationError) as error:
            services.write_statement(
                ally=alliance_trio.person,
                kind=StatementKind.GOAL,
                text="Oui",
                supported_by=supporter,
            )
        assert "supported_by" in error.value.message_dict
    assert not Statement.objects.exists()


def test_change_statement_keeps_history(alliance_trio):
    statement = services.write_statement(
        ally=alliance_trio.person, kind=StatementKind.GOAL, text="Première version"
    )
    services.change_statement(
        ally=alliance_trio.person,
        statement=statement,
        kind=StatementKind.INTEREST,
        text="Deuxième version",
        expected_version=1,
    )
    services.change_statement(
        ally=alliance_trio.person,
        statement=statement,
        kind=StatementKind.INTEREST,
        text="Troisième version",
        expected_version=2,
    )
    statement.refresh_from_db()
    assert (statement.version, statement.text) == (3, "Troisième version")
    assert [(r.version, r.kind, r.text) for r in statement.revisions.all()] == [
        (2, StatementKind.INTEREST, "Deuxième version"),
        (1, StatementKind.GOAL, "Première version"),
    ]


def test_only_the_author_changes_or_withdraws(alliance_trio):
    statement = services.write_statement(
        ally=alliance_trio.person, kind=StatementKind.GOAL, text="Mes mots"
    )
    for other in (alliance_trio.parent, alliance_trio.professional):
        with pytest.raises(PermissionDenied):
            services.change_statement(
                ally=other,
                statement=statement,
                kind=StatementKind.GOAL,
                text="Autres mots",
                expected_version=1,
            )
        with pytest.raises(PermissionDenied):
            services.withdraw_statement(ally=other, statement=statement)
    statement.refresh_from_db()
    assert (statement.text, statement.version, statement.withdrawn_at) == ("Mes mots", 1, None)


def test_stale_statement_change_is_refused_and_nothing_saved(alliance_trio):
    statement = services.write_statement(
        ally=alliance_trio.person, kind=StatementKind.GOAL, text="v1"
    )
    services.change_statement(
        ally=alliance_trio.person,
        statement=statement,
        kind=StatementKind.GOAL,
        text="v2",
        expected_version=1,
    )
    stale = Statement.objects.get(pk=statement.pk)
    stale.version = 1
    with pytest.raises(ConflictError):
        services.change_statement(
            ally=alliance_trio.person,
            statement=stale,
            kind=StatementKind.GOAL,
            text="v2 bis",
            expected_version=1,
        )
    statement.refresh_from_db()
    assert (statement.text, statement.version, statement.revisions.count()) == ("v2", 2, 1)


def test_withdraw_statement(alliance_trio):
    statement = services.write_statement(
        ally=alliance_trio.person, kind=StatementKind.GOAL, text="Retiré"
    )
    services.withdraw_statement(ally=alliance_trio.person, statement=statement)
    assert statement.withdrawn_at is not None
    with pytest.raises(ValidationError):
        services.withdraw_statement(ally=alliance_trio.person, statement=statement)
    with pytest.raises(ValidationError):
        services.change_statement(
            ally=alliance_trio.person,
            statement=statement,
            kind=StatementKind.GOAL,
            text="Non",
            expected_version=1,
        )
    with pytest.raises(PermissionDenied):
        services.cast_vote(ally=alliance_trio.parent, statement=statement, value=V.AGREE)


def test_vote_change_replaces_the_previous_vote(alliance_trio):
    statement = services.write_statement(
        ally=alliance_trio.person, kind=StatementKind.GOAL, text="Oui"
    )
    services.cast_vote(ally=alliance_trio.parent, statement=statement, value=V.DISAGREE)
    services.cast_vote(ally=alliance_trio.parent, statement=statement, value=V.AGREE)
    assert list(statement.votes.values_list("ally", "value")) == [
        (alliance_trio.parent.pk, V.AGREE)
    ]


def test_vote_refusals(alliance_trio):
    statement = services.write_statement(
        ally=alliance_trio.person, kind=StatementKind.GOAL, text="Oui"
    )
    with pytest.raises(ValidationError):  # the author already agrees
        services.cast_vote(ally=alliance_trio.person, statement=statement, value=V.AGREE)
    with pytest.raises(ValidationError) as error:
        services.cast_vote(ally=alliance_trio.parent, statement=statement, value="yes")
    assert "value" in error.value.message_dict
    other = make_alliance_trio(professional=UserFactory(professional=True))
    with pytest.raises(PermissionDenied):
        services.cast_vote(ally=other.parent, statement=statement, value=V.AGREE)
    invited = services.invite_ally(
        inviter=alliance_trio.person, display_name="Tata", role=Role.RELATIVE
    )
    with pytest.raises(PermissionDenied):
        services.cast_vote(ally=invited, statement=statement, value=V.AGREE)
    assert not Vote.objects.exists()


# ---------------------------------------------------------------- asymmetry register


def test_add_asymmetry(alliance_trio):
    entry = services.add_asymmetry(
        ally=alliance_trio.parent,
        dimension=AsymmetryDimension.INFORMATION,
        what_is_held="L'équipe a le dossier MDPH.",
        handling="On le lit ensemble.",
        holders=[alliance_trio.professional],
    )
    assert list(entry.holders.all()) == [alliance_trio.professional]
    custom = services.add_asymmetry(
        ally=alliance_trio.person,
        dimension=AsymmetryDimension.CUSTOM,
        custom_dimension="Langue",
        what_is_held="Moi seul",
    )
    assert custom.dimension_label == "Langue"


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"dimension": "money", "what_is_held": "x"}, "dimension"),
        ({"dimension": AsymmetryDimension.CUSTOM, "what_is_held": "x"}, "custom_dimension"),
        ({"dimension": AsymmetryDimension.TIME, "what_is_held": " "}, "what_is_held"),
        (
            {"dimension": AsymmetryDimension.TIME, "what_is_held": "x", "holders": "other"},
            "holders",
        ),
    ],
)
def test_add_asymmetry_refuses_bad_input(alliance_trio, kwargs, field):
    if kwargs.get("holders") == "other":
        kwargs["holders"] = [make_alliance_trio(professional=UserFactory(professional=True)).person]
    with pytest.raises(ValidationError) as error:
        services.add_asymmetry(ally=alliance_trio.parent, **kwargs)
    assert field in error.value.message_dict
    assert not AsymmetryEntry.objects.exists()


# ---------------------------------------------------------------- charter


def test_adopt_only_from_common_ground(alliance_trio):
    charter = services.current_charter(alliance_trio.alliance)
    open_statement = services.write_statement(
        ally=alliance_trio.person, kind=StatementKind.INTEREST, text="Pas encore"
    )
    divergence = services.write_statement(
        ally=alliance_trio.person, kind=StatementKind.INTEREST, text="Internat"
    )
    services.cast_vote(ally=alliance_trio.professional, statement=divergence, value=V.DISAGREE)
    for statement in (open_statement, divergence):
        with pytest.raises(ValidationError):
            services.adopt_interest(
                ally=alliance_trio.parent,
                charter=charter,
                statement=statement,
                expected_revision=charter.revision,
            )
    charter.refresh_from_db()
    assert (charter.revision, charter.interests.count()) == (1, 0)

    common = make_common_ground(alliance_trio)
    interest = services.adopt_interest(
        ally=alliance_trio.parent, charter=charter, statement=common, expected_revision=1
    )
    assert (interest.text, interest.adopted_by) == (common.text, alliance_trio.parent)
    charter.refresh_from_db()
    assert charter.revision == 2
    with pytest.raises(ValidationError):  # adopted once
        services.adopt_interest(
            ally=alliance_trio.parent, charter=charter, statement=common, expected_revision=2
        )
    services.remove_interest(
        ally=alliance_trio.person, charter=charter, interest_id=interest.pk, expected_revision=2
    )
    assert not charter.interests.exists()


def test_concurrent_charter_edit_is_refused_and_nothing_saved(alliance_trio):
    charter = services.current_charter(alliance_trio.alliance)
    opened_at = charter.revision
    services.add_commitment(
        ally=alliance_trio.person, charter=charter, text="Je viens", expected_revision=opened_at
    )
    before = counts()
    with pytest.raises(ConflictError):
        services.add_commitment(
            ally=alliance_trio.parent,
            charter=charter,
            text="Moi aussi",
            expected_revision=opened_at,
        )
    with pytest.raises(ConflictError):
        services.write_shared_understanding(
            ally=alliance_trio.parent,
            charter=charter,
            text="Notre lecture",
            expected_revision=opened_at,
        )
    charter.refresh_from_db()
    assert list(charter.commitments.values_list("text", flat=True)) == ["Je viens"]
    assert charter.shared_understanding == ""
    assert charter.revision == opened_at + 1
    assert counts() == before


def test_commitments_are_owned(alliance_trio):
    charter = services.current_charter(alliance_trio.alliance)
    mine = services.add_commitment(
        ally=alliance_trio.person,
        charter=charter,
        text="Je viens",
        expected_revision=charter.revision,
    )
    charter.refresh_from_db()
    with pytest.raises(PermissionDenied):
        services.remove_commitment(
            ally=alliance_trio.parent,
            charter=charter,
            commitment_id=mine.pk,
            expected_revision=charter.revision,
        )
    with pytest.raises(ValidationError):
        services.add_commitment(
            ally=alliance_trio.parent, charter=charter, text=" ", expected_revision=charter.revision
        )
    services.remove_commitment(
        ally=alliance_trio.person,
        charter=charter,
        commitment_id=mine.pk,
        expected_revision=charter.revision,
    )
    assert not charter.commitments.exists()


def test_perimeter_indicator_and_shared_understanding(alliance_trio):
    charter = services.current_charter(alliance_trio.alliance)
    entry = services.set_perimeter(
        ally=alliance_trio.person,
        charter=charter,
        label="École",
        status=PerimeterStatus.IN_ALLIANCE,
        expected_revision=1,
    )
    # Setting the same domain again moves it rather than duplicating it.
    services.set_perimeter(
        ally=alliance_trio.person,
        charter=charter,
        label="École",
        status=PerimeterStatus.WITH_OTHERS,
        expected_revision=2,
    )
    entry.refresh_from_db()
    assert (charter.perimeter.count(), entry.status) == (1, PerimeterStatus.WITH_OTHERS)
    indicator = services.add_indicator(
        ally=alliance_trio.professional,
        charter=charter,
        name="Je me sens bien à l'école",
        scale_min=0,
        scale_max=10,
        raters=alliance_trio.allies,
        expected_revision=3,
    )
    assert set(indicator.raters.all()) == set(alliance_trio.allies)
    services.write_shared_understanding(
        ally=alliance_trio.parent, charter=charter, text=" Léo grandit ", expected_revision=4
    )
    charter.refresh_from_db()
    assert (charter.shared_understanding, charter.revision) == ("Léo grandit", 5)


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"name": " ", "scale_min": 0, "scale_max": 10}, "name"),
        ({"name": "N", "scale_min": 5, "scale_max": 5}, "scale_max"),
        ({"name": "N", "scale_min": 0, "scale_max": None}, "scale_max"),
        ({"name": "N", "scale_min": 0, "scale_max": 10, "raters": []}, "raters"),
    ],
)
def test_indicator_refuses_bad_input(alliance_trio, kwargs, field):
    kwargs.setdefault("raters", [alliance_trio.person])
    charter = services.current_charter(alliance_trio.alliance)
    with pytest.raises(ValidationError) as error:
        services.add_indicator(
            ally=alliance_trio.person, charter=charter, expected_revision=charter.revision, **kwargs
        )
    assert field in error.value.message_dict
    charter.refresh_from_db()
    assert (charter.revision, charter.indicators.count()) == (1, 0)


def test_perimeter_refuses_bad_input(alliance_trio):
    charter = services.current_charter(alliance_trio.alliance)
    with pytest.raises(ValidationError) as error:
        services.set_perimeter(
            ally=alliance_trio.person,
            charter=charter,
            label=" ",
            status="maybe",
            expected_revision=1,
        )
    assert set(error.value.message_dict) == {"label", "status"}


def test_signing_needs_an_interest_and_a_commitment_from_each_active_ally(alliance_trio):
    charter = services.current_charter(alliance_trio.alliance)
    with pytest.raises(ValidationError):
        services.sign_charter(ally=alliance_trio.person, charter=charter, expected_revision=1)
    statement = make_common_ground(alliance_trio)
    services.adopt_interest(
        ally=alliance_trio.person, charter=charter, statement=statement, expected_revision=1
    )
    services.add_commitment(
        ally=alliance_trio.person, charter=charter, text="Je viens", expected_revision=2
    )
    with pytest.raises(ValidationError) as error:
        services.sign_charter(ally=alliance_trio.person, charter=charter, expected_revision=3)
    # One blocker per ally who has not committed yet, naming them.
    assert len(error.value.messages) == 2
    assert not Signature.objects.exists()


def test_everyone_signs(alliance_trio):
    charter = make_signable_charter(alliance_trio)
    revision = charter.revision
    services.sign_charter(ally=alliance_trio.person, charter=charter, expected_revision=revision)
    charter.refresh_from_db()
    assert charter.status == Charter.Status.SIGNING
    with pytest.raises(ValidationError):  # once
        services.sign_charter(
            ally=alliance_trio.person, charter=charter, expected_revision=revision
        )
    services.sign_charter(ally=alliance_trio.parent, charter=charter, expected_revision=revision)
    services.sign_charter(
        ally=alliance_trio.professional, charter=charter, expected_revision=revision
    )
    charter.refresh_from_db()
    assert charter.status == Charter.Status.SIGNED
    assert charter.signed_at is not None
    assert not any(s.on_behalf for s in charter.signatures.all())


def test_signing_a_changed_charter_is_refused(alliance_trio):
    charter = make_signable_charter(alliance_trio)
    with pytest.raises(ConflictError):
        services.sign_charter(
            ally=alliance_trio.person, charter=charter, expected_revision=charter.revision - 1
        )
    assert not Signature.objects.exists()


def test_change_after_signature_opens_a_new_version(alliance_trio):
    charter = make_signable_charter(alliance_trio)
    services.write_shared_understanding(
        ally=alliance_trio.parent,
        charter=charter,
        text="Version une",
        expected_revision=charter.revision,
    )
    charter.refresh_from_db()
    services.sign_charter(
        ally=alliance_trio.person, charter=charter, expected_revision=charter.revision
    )
    new = services.add_commitment(
        ally=alliance_trio.parent,
        charter=charter,
        text="J'appelle l'école",
        expected_revision=charter.revision,
    )
    new_charter = new.charter
    charter.refresh_from_db()
    # The old version stays readable, superseded, with its signature.
    assert charter.status == Charter.Status.SUPERSEDED
    assert charter.signatures.count() == 1
    assert charter.commitments.count() == 3
    assert charter.shared_understanding == "Version une"
    # The new one carries everything over, plus the change; its signatures start again.
    assert (new_charter.number, new_charter.status) == (2, Charter.Status.DRAFT)
    assert services.current_charter(alliance_trio.alliance) == new_charter
    assert not new_charter.signatures.exists()
    assert new_charter.commitments.count() == 4
    assert new_charter.interests.count() == charter.interests.count() == 1
    assert new_charter.shared_understanding == "Version une"
    # A save based on the old version is refused.
    with pytest.raises(ConflictError):
        services.add_commitment(
            ally=alliance_trio.person,
            charter=charter,
            text="Encore",
            expected_revision=charter.revision,
        )
    with pytest.raises(ConflictError):
        services.sign_charter(
            ally=alliance_trio.parent, charter=charter, expected_revision=charter.revision
        )


def test_indicators_and_perimeter_follow_the_new_version(alliance_trio):
    charter = make_signable_charter(alliance_trio)
    indicator = services.add_indicator(
        ally=alliance_trio.person,
        charter=charter,
        name="Bien-être",
        scale_min=0,
        scale_max=5,
        raters=[alliance_trio.person],
        expected_revision=charter.revision,
    )
    services.set_perimeter(
        ally=alliance_trio.person,
        charter=charter,
        label="Loisirs",
        status=PerimeterStatus.PERSON_OWN,
        expected_revision=charter.revision + 1,
    )
    charter.refresh_from_db()
    services.sign_charter(
        ally=alliance_trio.parent, charter=charter, expected_revision=charter.revision
    )
    services.write_recognition(ally=alliance_trio.person, brings="Mon envie", expects="Du temps")
    new = services.current_charter(alliance_trio.alliance)
    assert new.number == 2
    copied = new.indicators.get()
    assert (copied.key, copied.name) == (indicator.key, "Bien-être")
    assert list(copied.raters.all()) == [alliance_trio.person]
    assert new.perimeter.get().status == PerimeterStatus.PERSON_OWN
    assert new.recognitions.get(ally=alliance_trio.person).brings == "Mon envie"
    assert not charter.recognitions.exists()


def test_representative_signs_for_a_protected_person(protected_trio):
    trio = protected_trio
    charter = make_signable_charter(trio)
    signature = services.sign_charter(
        ally=trio.parent, charter=charter, expected_revision=charter.revision, signee=trio.person
    )
    assert (signature.ally, signature.signed_by, signature.on_behalf) == (
        trio.person,
        trio.parent,
        True,
    )
    services.sign_charter(ally=trio.parent, charter=charter, expected_revision=charter.revision)
    services.sign_charter(
        ally=trio.professional, charter=charter, expected_revision=charter.revision
    )
    charter.refresh_from_db()
    assert charter.status == Charter.Status.SIGNED


def test_nobody_signs_for_a_person_who_is_not_protected(alliance_trio):
    # Made unprotected after the fact (e.g. the person came of age): the
    # representative no longer signs for them.
    type(alliance_trio.alliance).objects.filter(pk=alliance_trio.alliance.pk).update(
        person_is_protected=False
    )
    alliance_trio.parent.alliance.refresh_from_db()
    alliance_trio.professional.alliance.refresh_from_db()
    charter = make_signable_charter(alliance_trio)
    for ally in (alliance_trio.parent, alliance_trio.professional):
        with pytest.raises(PermissionDenied):
            services.sign_charter(
                ally=ally,
                charter=charter,
                expected_revision=charter.revision,
                signee=alliance_trio.person,
            )
    assert not Signature.objects.exists()


def test_professional_never_signs_for_the_person(protected_trio):
    charter = make_signable_charter(protected_trio)
    with pytest.raises(PermissionDenied):
        services.sign_charter(
            ally=protected_trio.professional,
            charter=charter,
            expected_revision=charter.revision,
            signee=protected_trio.person,
        )


def test_charter_of_another_alliance_is_refused(alliance_trio):
    other = make_alliance_trio(professional=UserFactory(professional=True))
    charter = services.current_charter(other.alliance)
    with pytest.raises(PermissionDenied):
        services.add_commitment(
            ally=alliance_trio.person,
            charter=charter,
            text="Non",
            expected_revision=charter.revision,
        )
    assert not charter.commitments.exists()


# ---------------------------------------------------------------- position check


def test_position_check(alliance_trio):
    check = services.record_position_check(
        ally=alliance_trio.person, chooses_path="me", sets_pace="together", walks_ahead="me"
    )
    assert check.image == Image.HIKERS
    check = services.record_position_check(
        ally=alliance_trio.professional, chooses_path="me", sets_pace="me", walks_ahead="me"
    )
    assert check.image == Image.BACKPACK
    with pytest.raises(ValidationError) as error:
        services.record_position_check(
            ally=alliance_trio.parent, chooses_path="me", sets_pace="", walks_ahead="nobody"
        )
    assert set(error.value.message_dict) == {"sets_pace", "walks_ahead"}
    assert PositionCheck.objects.count() == 2


# ---------------------------------------------------------------- need to know


def test_same_organisation_gives_no_access(alliance_trio, org_admin):
    colleague = UserFactory(professional=True, organisation=alliance_trio.alliance.organisation)
    for user in (colleague, org_admin, UserFactory(decision_maker=True)):
        with pytest.raises(Http404):
            get_alliance_for(user, alliance_trio.alliance.pk)
    alliance, ally = get_alliance_for(alliance_trio.parent.user, alliance_trio.alliance.pk)
    assert (alliance, ally) == (alliance_trio.alliance, alliance_trio.parent)


def test_a_representative_commits_for_the_protected_person(protected_trio):
    statement = make_common_ground(protected_trio)
    charter = services.current_charter(protected_trio.alliance)
    services.adopt_interest(
        ally=protected_trio.professional,
        charter=charter,
        statement=statement,
        expected_revision=charter.revision,
    )
    charter.refresh_from_db()
    commitment = services.add_commitment(
        ally=protected_trio.parent,
        charter=charter,
        text="Dire ce que je ressens.",
        expected_revision=charter.revision,
        for_ally=protected_trio.person,
    )
    assert commitment.ally == protected_trio.person
    assert commitment.written_by == protected_trio.parent
    assert commitment.on_behalf
    charter.refresh_from_db()
    with pytest.raises(PermissionDenied):
        services.add_commitment(
            ally=protected_trio.professional,
            charter=charter,
            text="À sa place",
            expected_revision=charter.revision,
            for_ally=protected_trio.person,
        )
