"""Credential events reach the trail of every alliance of the account concerned."""

from alliance.audit.journal import entries_for_alliance, record_account_event
from alliance.audit.models import Action, AuditEntry
from tests.factories import make_alliance_trio


def test_an_account_event_lands_in_each_alliance_of_the_account(alliance_trio, professional):
    other = make_alliance_trio(professional=professional)
    entries = record_account_event(
        professional, Action.SIGN_IN_CODE_ISSUED, account=alliance_trio.person.user
    )
    assert len(entries) == 2
    assert (
        entries_for_alliance(alliance_trio.alliance.pk)
        .filter(action=Action.SIGN_IN_CODE_ISSUED, target_id=alliance_trio.person.user.pk)
        .exists()
    )
    assert (
        not entries_for_alliance(other.alliance.pk)
        .filter(action=Action.SIGN_IN_CODE_ISSUED)
        .exists()
    )
    outside = AuditEntry.objects.get(action=Action.SIGN_IN_CODE_ISSUED, alliance_id__isnull=True)
    assert outside.detail["account"] == alliance_trio.person.user.display_name
