"""The audit trail: every use case leaves its trace, and nothing can change it."""

import pytest
from django.core.exceptions import ValidationError
from django.db import DatabaseError, connection, transaction
from django.db.models import ProtectedError

from alliance.accounts import services as accounts
from alliance.alliances import services
from alliance.alliances.models import (
    AsymmetryDimension,
    PerimeterStatus,
    Role,
    StatementKind,
)
from alliance.alliances.models import VoteValue as V
from alliance.audit.journal import entries_for_alliance, record
from alliance.audit.models import Action, AppendOnlyError, AuditEntry
from tests.factories import UserFactory, make_common_ground, make_signable_charter

pytestmark = pytest.mark.django_db


def _statement(trio):
    return services.write_statement(ally=trio.person, kind=StatementKind.GOAL, text="Lire")


def _relative_waiting(trio):
    relative = services.invite_ally(inviter=trio.person, display_name="Tata", role=Role.RELATIVE)
    return services.accept_invitation(ally=relative)


def _charter(trio):
    return services.current_charter(trio.alliance)


def _with_interest(trio):
    charter = _charter(trio)
    interest = services.adopt_interest(
        ally=trio.person, charter=charter, statement=make_common_ground(trio), expected_revision=1
    )
    charter.refresh_from_db()
    return charter, interest


def _with_commitment(trio):
    charter = _charter(trio)
    commitment = services.add_commitment(
        ally=trio.parent, charter=charter, text="Oui", expected_revision=1
    )
    charter.refresh_from_db()
    return charter, commitment


# (action, who acts: "person" | "parent" | "professional", prepare(trio), act(trio, prepared))
ALLIANCE_USE_CASES = {
    "invite_ally": (
        Action.ALLY_INVITED,
        "person",
        lambda t: None,
        lambda t, _: services.invite_ally(
            inviter=t.person, display_name="Tata", role=Role.RELATIVE
        ),
    ),
    "accept_invitation": (
        Action.ALLY_JOINED,
        None,
        lambda t: services.invite_ally(inviter=t.person, display_name="Tata", role=Role.RELATIVE),
        lambda t, ally: services.accept_invitation(ally=ally),
    ),
    "approve_ally": (
        Action.ALLY_APPROVED,
        "parent",
        _relative_waiting,
        lambda t, ally: services.decide_on_ally(approver=t.parent, ally=ally, approve=True),
    ),
    "refuse_ally": (
        Action.ALLY_REFUSED,
        "parent",
        _relative_waiting,
        lambda t, ally: services.decide_on_ally(approver=t.parent, ally=ally, approve=False),
    ),
    "write_recognition": (
        Action.RECOGNITION_WRITTEN,
        "parent",
        lambda t: None,
        lambda t, _: services.write_recognition(ally=t.parent, brings="Du temps", expects=""),
    ),
    "write_statement": (
        Action.STATEMENT_WRITTEN,
        "person",
        lambda t: None,
        lambda t, _: _statement(t),
    ),
    "change_statement": (
        Action.STATEMENT_CHANGED,
        "person",
        _statement,
        lambda t, s: services.change_statement(
            ally=t.person, statement=s, kind=StatementKind.GOAL, text="Écrire", expected_version=1
        ),
    ),
    "withdraw_statement": (
        Action.STATEMENT_WITHDRAWN,
        "person",
        _statement,
        lambda t, s: services.withdraw_statement(ally=t.person, statement=s),
    ),
    "cast_vote": (
        Action.VOTE_GIVEN,
        "professional",
        _statement,
        lambda t, s: services.cast_vote(ally=t.professional, statement=s, value=V.UNSURE),
    ),
    "add_asymmetry": (
        Action.ASYMMETRY_ADDED,
        "parent",
        lambda t: None,
        lambda t, _: services.add_asymmetry(
            ally=t.parent,
            dimension=AsymmetryDimension.TIME,
            what_is_held="L'équipe a peu de temps.",
        ),
    ),
    "adopt_interest": (
        Action.CHARTER_CHANGED,
        "professional",
        make_common_ground,
        lambda t, s: services.adopt_interest(
            ally=t.professional, charter=_charter(t), statement=s, expected_revision=1
        ),
    ),
    "remove_interest": (
        Action.CHARTER_CHANGED,
        "parent",
        _with_interest,
        lambda t, p: services.remove_interest(
            ally=t.parent, charter=p[0], interest_id=p[1].pk, expected_revision=p[0].revision
        ),
    ),
    "add_commitment": (
        Action.CHARTER_CHANGED,
        "person",
        lambda t: None,
        lambda t, _: services.add_commitment(
            ally=t.person, charter=_charter(t), text="Venir", expected_revision=1
        ),
    ),
    "remove_commitment": (
        Action.CHARTER_CHANGED,
        "parent",
        _with_commitment,
        lambda t, p: services.remove_commitment(
            ally=t.parent, charter=p[0], commitment_id=p[1].pk, expected_revision=p[0].revision
        ),
    ),
    "set_perimeter": (
        Action.CHARTER_CHANGED,
        "person",
        lambda t: None,
        lambda t, _: services.set_perimeter(
            ally=t.person,
            charter=_charter(t),
            label="École",
            status=PerimeterStatus.IN_ALLIANCE,
            expected_revision=1,
        ),
    ),
    "add_indicator": (
        Action.CHARTER_CHANGED,
        "professional",
        lambda t: None,
        lambda t, _: services.add_indicator(
            ally=t.professional,
            charter=_charter(t),
            name="Sommeil",
            scale_min=0,
            scale_max=4,
            raters=[t.person],
            expected_revision=1,
        ),
    ),
    "write_shared_understanding": (
        Action.CHARTER_CHANGED,
        "parent",
        lambda t: None,
        lambda t, _: services.write_shared_understanding(
            ally=t.parent, charter=_charter(t), text="Ensemble", expected_revision=1
        ),
    ),
    "sign_charter": (
        Action.CHARTER_SIGNED,
        "person",
        make_signable_charter,
        lambda t, c: services.sign_charter(ally=t.person, charter=c, expected_revision=c.revision),
    ),
    "open_new_charter_version": (
        Action.CHARTER_VERSION_OPENED,
        "parent",
        lambda t: (
            c := make_signable_charter(t),
            services.sign_charter(ally=t.person, charter=c, expected_revision=c.revision),
        )[0],
        lambda t, c: services.add_commitment(
            ally=t.parent, charter=c, text="Appeler", expected_revision=c.revision
        ),
    ),
    "record_position_check": (
        Action.POSITION_CHECKED,
        "person",
        lambda t: None,
        lambda t, _: services.record_position_check(
            ally=t.person, chooses_path="me", sets_pace="together", walks_ahead="me"
        ),
    ),
}


@pytest.mark.parametrize("name", sorted(ALLIANCE_USE_CASES))
def test_every_alliance_use_case_writes_its_audit_entry(alliance_trio, name):
    action, who, prepare, act = ALLIANCE_USE_CASES[name]
    prepared = prepare(alliance_trio)
    last = AuditEntry.objects.order_by("-pk").values_list("pk", flat=True).first()
    act(alliance_trio, prepared)
    new = list(AuditEntry.objects.filter(pk__gt=last))
    assert action in [e.action for e in new]
    entry = next(e for e in new if e.action == action)
    assert entry.alliance_id == alliance_trio.alliance.pk
    assert entry.organisation_id == alliance_trio.alliance.organisation_id
    if who is not None:
        actor = getattr(alliance_trio, who).user
        assert (entry.actor, entry.actor_label) == (actor, actor.display_name)
    assert entry in entries_for_alliance(alliance_trio.alliance.pk)


def test_create_alliance_writes_its_audit_entries(professional):
    alliance = services.create_alliance(creator=professional, title="T", person_name="Léo")
    actions = set(entries_for_alliance(alliance.pk).values_list("action", flat=True))
    assert {Action.ALLIANCE_CREATED, Action.ALLY_INVITED} <= actions


def test_a_refused_use_case_leaves_no_trace(alliance_trio):
    before = AuditEntry.objects.count()
    with pytest.raises(ValidationError):
        services.write_statement(ally=alliance_trio.person, kind="wish", text="x")
    with pytest.raises(ValidationError):
        services.sign_charter(
            ally=alliance_trio.person, charter=_charter(alliance_trio), expected_revision=1
        )
    assert AuditEntry.objects.count() == before


ACCOUNT_USE_CASES = {
    "note_sign_in": (Action.SIGN_IN, lambda u, admin: accounts.note_sign_in(u)),
    "sign_in_failed": (
        Action.SIGN_IN_FAILED,
        lambda u, admin: accounts.check_password_sign_in(email=u.email, password="no"),
    ),
    "sign_in_link": (
        Action.SIGN_IN_LINK_ISSUED,
        lambda u, admin: accounts.issue_sign_in_link(user=u),
    ),
    "sign_in_code": (
        Action.SIGN_IN_CODE_ISSUED,
        lambda u, admin: accounts.issue_sign_in_code(user=u),
    ),
    "professional_added": (
        Action.PROFESSIONAL_ADDED,
        lambda u, admin: accounts.add_professional(
            admin=admin, email="n@example.org", display_name="N"
        ),
    ),
    "professional_deactivated": (
        Action.PROFESSIONAL_DEACTIVATED,
        lambda u, admin: accounts.set_professional_active(
            admin=admin, professional=u, active=False
        ),
    ),
}


@pytest.mark.parametrize("name", sorted(ACCOUNT_USE_CASES))
def test_every_account_use_case_writes_its_audit_entry(professional, org_admin, name):
    action, act = ACCOUNT_USE_CASES[name]
    act(professional, org_admin)
    assert AuditEntry.objects.filter(action=action).count() == 1


def test_the_delay_after_failed_passwords_writes_its_audit_entry(professional, settings):
    for _attempt in range(settings.ALLIANCE_SIGN_IN_FREE_FAILURES + 1):
        accounts.check_password_sign_in(email=professional.email, password="no")
    assert AuditEntry.objects.filter(action=Action.SIGN_IN_DELAYED, actor=professional).exists()


# ---------------------------------------------------------------- append-only


@pytest.fixture
def entry(db):
    return record(UserFactory(), Action.SIGN_IN, detail={"ip": "127.0.0.1"})


def test_an_entry_cannot_be_changed_through_the_orm(entry):
    entry.action = Action.SIGN_IN_FAILED
    with pytest.raises(AppendOnlyError):
        entry.save()
    with pytest.raises(AppendOnlyError):
        AuditEntry.objects.filter(pk=entry.pk).update(action=Action.SIGN_IN_FAILED)
    with pytest.raises(AppendOnlyError), transaction.atomic():
        AuditEntry.objects.bulk_update([entry], ["action"])
    assert AuditEntry.objects.get(pk=entry.pk).action == Action.SIGN_IN


def test_an_entry_cannot_be_deleted_through_the_orm(entry):
    with pytest.raises(AppendOnlyError):
        entry.delete()
    with pytest.raises(AppendOnlyError):
        AuditEntry.objects.all().delete()
    with pytest.raises(AppendOnlyError):
        AuditEntry.objects.filter(pk=entry.pk).delete()
    assert AuditEntry.objects.filter(pk=entry.pk).exists()


def test_an_actor_with_a_trail_cannot_be_deleted(entry):
    with pytest.raises(ProtectedError):
        entry.actor.delete()


ESCAPE_HATCHES = {
    "raw UPDATE": lambda e: _raw("UPDATE audit_auditentry SET actor_label = 'x' WHERE id = %s", e),
    "raw DELETE": lambda e: _raw("DELETE FROM audit_auditentry WHERE id = %s", e),
    # SQLite has no TRUNCATE: emptying the table is a DELETE without WHERE.
    "raw DELETE of the whole table": lambda e: _raw("DELETE FROM audit_auditentry", None),
    "upsert": lambda e: AuditEntry.objects.bulk_create(
        [AuditEntry(pk=e.pk, actor_label="someone else", action=Action.SIGN_IN)],
        update_conflicts=True,
        unique_fields=["id"],
        update_fields=["actor_label"],
    ),
    "_raw_delete": lambda e: AuditEntry.objects.filter(pk=e.pk)._raw_delete(connection.alias),
    "_raw_delete of everything": lambda e: AuditEntry.objects.all()._raw_delete(connection.alias),
}


def _raw(sql, entry):
    with connection.cursor() as cursor:
        cursor.execute(sql, None if entry is None else [entry.pk])


@pytest.mark.parametrize("hatch", sorted(ESCAPE_HATCHES))
def test_the_database_refuses_every_way_around_the_orm(entry, hatch):
    """A trigger refuses UPDATE and DELETE on PostgreSQL (0002) and on SQLite (0006),
    to every role, the application's included: the guard holds when application code
    is bypassed."""
    assert connection.vendor in ("postgresql", "sqlite")
    refusal = "append-only"
    if hatch == "upsert" and connection.vendor == "postgresql":
        # Partitioned by month (0007), the key is (id, at): no conflict on id alone
        # can be named, so the upsert fails before reaching the trigger (an upsert
        # on (id, at) reaches it: tests/audit/test_partitions.py).
        refusal = "no unique or exclusion constraint"
    with pytest.raises(DatabaseError, match=refusal), transaction.atomic():
        ESCAPE_HATCHES[hatch](entry)
    kept = AuditEntry.objects.get(pk=entry.pk)
    assert (kept.actor_label, kept.action) == (entry.actor_label, Action.SIGN_IN)
