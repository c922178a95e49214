"""Erasure, restriction and removal (ADR 0033): the identity becomes a pseudonym
everywhere, the trail keeps every entry, and removing an account never fails."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied
from django.db import DatabaseError, connection, transaction
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from alliance.accounts.api_tokens import make_personal_token
from alliance.alliances import services
from alliance.alliances.models import Alliance, StatementKind
from alliance.audit.models import Action, AuditEntry, AuditPseudonym
from alliance.privacy import erasure
from alliance.privacy.models import RightRequest
from alliance.privacy.retention import apply_retention, erase_alliance
from tests.factories import UserFactory, make_alliance_trio, make_common_ground

pytestmark = pytest.mark.django_db

YESTERDAY = timezone.localdate() - datetime.timedelta(days=1)


def _close(alliance, keep_until=YESTERDAY):
    Alliance.objects.filter(pk=alliance.pk).update(
        closed_at=timezone.now() - datetime.timedelta(days=2000), keep_until=keep_until
    )


def _entries_naming(name):
    return [
        entry
        for entry in AuditEntry.objects.all()
        if name in entry.actor_label or name in str(entry.detail)
    ]


def test_pseudonymising_replaces_the_identity_and_keeps_every_entry_of_the_trail():
    trio = make_alliance_trio()
    make_common_ground(trio)
    nadia = trio.parent.user
    make_personal_token(user=nadia, name="script", scope="read", days=30)
    entries = AuditEntry.objects.count()
    theirs = AuditEntry.objects.filter(actor=nadia).count()
    assert theirs and _entries_naming("Nadia Martin")

    pseudonym = erasure.pseudonymise_user(nadia, by=None, reason="test")

    nadia.refresh_from_db()
    assert pseudonym.startswith("Personne ") and len(pseudonym) == len("Personne 4F2A")
    assert nadia.display_name == pseudonym
    assert nadia.email is None and not nadia.is_active and not nadia.has_usable_password()
    assert not nadia.api_tokens.exists()
    # One more entry (the pseudonymisation itself), none gone, none of theirs lost.
    assert AuditEntry.objects.count() == entries + 1
    assert AuditEntry.objects.filter(actor=nadia).count() == theirs
    assert _entries_naming("Nadia Martin") == []
    assert AuditEntry.objects.filter(actor=nadia, actor_label=pseudonym).count() == theirs
    # Their words stay, under the pseudonym; their invitation names them no more.
    assert trio.alliance.invitations.filter(display_name="Nadia Martin").count() == 0
    # Again: nothing more changes, the same pseudonym.
    assert erasure.pseudonymise_user(nadia, by=None, reason="again") == pseudonym


def _update(sql, params):
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(sql, params)


@pytest.mark.parametrize(
    ("column", "value"),
    [
        ("actor_label", "Quelqu'un d'autre"),
        ("action", "sign_in"),
        ("alliance_id", 999),
        ("target_id", 999),
    ],
)
def test_the_trail_still_refuses_any_other_change(column, value):
    trio = make_alliance_trio()
    nadia = trio.parent.user
    pseudonym = erasure.pseudonymise_user(nadia, by=None, reason="test")
    entry = AuditEntry.objects.filter(actor=nadia).exclude(action="user_pseudonymised").first()
    with pytest.raises(DatabaseError):
        _update(f"UPDATE audit_auditentry SET {column} = %s WHERE id = %s", [value, entry.pk])
    with pytest.raises(DatabaseError):
        _update("DELETE FROM audit_auditentry WHERE id = %s", [entry.pk])
    # Another account's entries do not take this pseudonym either.
    other = AuditEntry.objects.exclude(actor=nadia).exclude(actor=None).first()
    with pytest.raises(DatabaseError):
        _update("UPDATE audit_auditentry SET actor_label = %s WHERE id = %s", [pseudonym, other.pk])
    with pytest.raises(DatabaseError):
        _update("UPDATE audit_auditpseudonym SET pseudonym = %s", ["Personne 0000"])
    assert AuditPseudonym.objects.get(user_id=nadia.pk).pseudonym == pseudonym


def test_removing_a_professional_in_an_open_alliance_never_fails_and_waits():
    trio = make_alliance_trio()
    ines = trio.professional.user

    kept = erasure.remove_user(ines, by=None)

    ines.refresh_from_db()
    assert kept.open_alliances == 1 and not kept.erasable
    assert not ines.is_active and ines.display_name == "Inès Morel"
    assert AuditEntry.objects.filter(action=Action.USER_REMOVED, target_id=ines.pk).exists()
    # The alliance closes; past its retention, the job erases it and then the account.
    _close(trio.alliance)
    apply_retention()
    ines.refresh_from_db()
    assert ines.display_name.startswith("Personne ")
    assert ines.right_requests.get().status == RightRequest.Status.DONE


def test_removing_an_account_with_nothing_kept_pseudonymises_at_once():
    lone = UserFactory(display_name="Solène Petit")
    erasure.remove_user(lone, by=None)
    lone.refresh_from_db()
    assert lone.display_name.startswith("Personne ")


def test_an_erasure_asked_while_the_alliance_is_kept_says_until_when():
    trio = make_alliance_trio()
    until = timezone.localdate() + datetime.timedelta(days=400)
    _close(trio.alliance, keep_until=until)
    leo = trio.person.user

    kept = erasure.request_erasure(leo, by=trio.parent.user)

    assert kept.until == until and not kept.erasable
    leo.refresh_from_db()
    assert leo.display_name == "Léo Martin"
    assert apply_retention() == {"alliances_erased": 0, "accounts_pseudonymised": 0}
    (asked,) = AuditEntry.objects.filter(action=Action.ERASURE_REQUESTED)
    assert (asked.actor_id, asked.target_id) == (trio.parent.user.pk, leo.pk)
    assert asked.detail["kept_until"] == until.isoformat()
    # Cancelled by the person: nothing waits any more.
    assert erasure.cancel_erasure(leo, by=leo)
    assert AuditEntry.objects.filter(action=Action.ERASURE_CANCELLED, actor=leo).exists()
    assert not erasure.cancel_erasure(leo, by=leo)


def test_only_the_owner_their_representative_or_an_admin_may_ask():
    trio = make_alliance_trio()
    with pytest.raises(PermissionDenied):
        erasure.request_erasure(trio.parent.user, by=trio.person.user)
    with pytest.raises(PermissionDenied):
        erasure.restrict_processing(trio.person.user, by=UserFactory())


def test_restriction_freezes_the_account_and_keeps_its_data():
    trio = make_alliance_trio()
    leo = trio.person.user
    erasure.restrict_processing(leo, by=trio.parent.user)
    leo.refresh_from_db()
    assert not leo.is_active and leo.display_name == "Léo Martin"
    erasure.lift_restriction(leo, by=trio.parent.user)
    leo.refresh_from_db()
    assert leo.is_active
    actions = set(AuditEntry.objects.filter(target_id=leo.pk).values_list("action", flat=True))
    assert {Action.PROCESSING_RESTRICTED, Action.RESTRICTION_LIFTED} <= actions


def test_the_job_erases_a_closed_alliance_past_its_retention_and_the_dry_run_changes_nothing():
    kept_trio = make_alliance_trio(title="Gardée")
    trio = make_alliance_trio()
    services.write_statement(ally=trio.person, kind=StatementKind.GOAL, text="Lire seul")
    make_common_ground(trio)
    _close(trio.alliance)
    entries = AuditEntry.objects.count()

    dry = apply_retention(dry_run=True)

    assert dry == {"alliances_erased": 1, "accounts_pseudonymised": 2}
    assert Alliance.objects.count() == 2 and AuditEntry.objects.count() == entries

    assert apply_retention() == dry
    assert list(Alliance.objects.all()) == [kept_trio.alliance]
    # The person and the parent had nothing else: pseudonymised; the professional's
    # working account stays as it is.
    for ally, erased in ((trio.person, True), (trio.parent, True), (trio.professional, False)):
        ally.user.refresh_from_db()
        assert ally.user.display_name.startswith("Personne ") is erased
    # The trail keeps every entry: one per erased alliance, one per account, one for the run.
    assert AuditEntry.objects.count() == entries + 1 + 2 + 1
    (erased,) = AuditEntry.objects.filter(action=Action.ALLIANCE_ERASED)
    assert (erased.actor_id, erased.alliance_id) == (None, trio.alliance.pk)
    assert AuditEntry.objects.filter(alliance_id=trio.alliance.pk).count() > 1
    assert apply_retention() == {"alliances_erased": 0, "accounts_pseudonymised": 0}


def _erase_queries(trio):
    trio.alliance.refresh_from_db()
    with CaptureQueriesContext(connection) as queries:
        erase_alliance(trio.alliance)
    return len(queries)


def test_erasing_an_alliance_costs_the_same_queries_whatever_its_size():
    """One query per kind of row and depth: the same kinds, four times the rows."""
    small, large = make_alliance_trio(title="Petite"), make_alliance_trio(title="Grande")
    for trio, count in ((small, 3), (large, 12)):
        for n in range(count):
            statement = services.write_statement(
                ally=trio.person, kind=StatementKind.GOAL, text=f"Objectif {n}"
            )
            services.cast_vote(ally=trio.parent, statement=statement, value="agree")
    _close(small.alliance)
    _close(large.alliance)

    assert _erase_queries(large) == _erase_queries(small)
