"""The retention policy is one dict in the settings; docs/data-protection.md lists
every kind of it with the same duration, action and job; the management command's
dry run says what it would do and changes nothing."""

import io
import pathlib
import re

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command

from alliance.alliances.models import Alliance
from alliance.audit.models import AuditEntry
from tests.factories import UserFactory, make_alliance_trio
from tests.privacy.test_erasure import _close

DOC = pathlib.Path(__file__).resolve().parents[2] / "docs" / "data-protection.md"
ROW = re.compile(r"^\| `(\w+)` \| (\d+) (\w+) \| [^|]+ \| (\w+)[^|]* \| (\w+) \|$", re.MULTILINE)


def test_the_document_lists_every_kind_with_the_values_of_the_settings():
    listed = {
        kind: ((int(n), unit), then, job)
        for kind, n, unit, then, job in ROW.findall(DOC.read_text())
    }
    expected = {
        kind: (tuple(rule["keep"]), rule["then"], rule["job"])
        for kind, rule in settings.ALLIANCE_RETENTION_POLICY.items()
    }
    assert listed == expected


@pytest.mark.django_db
def test_the_dry_run_says_what_would_go_and_changes_nothing():
    trio = make_alliance_trio()
    _close(trio.alliance)
    entries = AuditEntry.objects.count()
    out = io.StringIO()

    call_command("apply_retention", "--dry-run", stdout=out)

    assert f"would erase alliance {trio.alliance.pk}" in out.getvalue()
    assert "alliances_erased: 1" in out.getvalue()
    assert "accounts_pseudonymised: 2" in out.getvalue()
    assert Alliance.objects.filter(pk=trio.alliance.pk).exists()
    assert AuditEntry.objects.count() == entries

    call_command("apply_retention", stdout=io.StringIO())
    assert not Alliance.objects.filter(pk=trio.alliance.pk).exists()


@pytest.mark.django_db
def test_removing_an_account_from_the_command_line_never_fails():
    trio = make_alliance_trio()
    out = io.StringIO()

    call_command("remove_user", trio.professional.user.email, "--reason", "left", stdout=out)

    assert "frozen; pseudonymised once its 1 open alliance(s)" in out.getvalue()
    lone = UserFactory(display_name="Solène Petit")
    call_command("remove_user", str(lone.pk), stdout=out)
    lone.refresh_from_db()
    assert lone.display_name.startswith("Personne ")
    with pytest.raises(CommandError):
        call_command("remove_user", "nobody@example.org", stdout=out)
