"""The archive of a person's data: made in the background, complete per the register,
nobody else's contact data, told to whoever asked, downloaded by them only."""

import io
import json
import zipfile
from types import SimpleNamespace

import pytest
from django.core.exceptions import PermissionDenied

from alliance.alliances import services as alliance_services
from alliance.audit.models import Action, AuditEntry
from alliance.notifications.models import Notification
from alliance.privacy import services
from alliance.privacy.models import DataArchive
from alliance.privacy.registry import PERSONAL_DATA
from tests.factories import UserFactory, make_alliance_trio, make_signed_charter

pytestmark = pytest.mark.django_db


def _open(data: bytes) -> tuple[dict, bytes]:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        assert {"donnees.json", "donnees.pdf"} <= set(archive.namelist())
        return json.loads(archive.read("donnees.json")), archive.read("donnees.pdf")


def _fhir_parts(data: bytes) -> dict[str, dict]:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return {
            name: json.loads(archive.read(name))
            for name in archive.namelist()
            if name.startswith("fhir/")
        }


@pytest.fixture
def trio():
    trio = make_alliance_trio()
    make_signed_charter(trio)
    return trio


def test_the_archive_holds_every_kind_the_register_finds(trio):
    person = trio.person.user
    words = alliance_services.write_statement(ally=trio.parent, kind="goal", text="Lire seul.")
    alliance_services.cast_vote(ally=trio.person, statement=words, value="agree")
    archive, created = services.request_archive(requester=person, subject=person)
    assert created and archive.status == DataArchive.Status.READY  # the task ran
    content, pdf = _open(services.download_archive(user=person, archive=archive))
    assert pdf.startswith(b"%PDF")
    # Made after the archive was read: its own file, its notification, its download.
    since = {"archive_files", "notifications", "my_actions"}
    found = {h.kind: h.rows_about(person).count() for h in PERSONAL_DATA if h.kind not in since}
    written = {kind: len(part["rows"]) for kind, part in content["data"].items()}
    assert {kind: n for kind, n in written.items() if kind not in since} == found
    assert written.keys() == {h.kind for h in PERSONAL_DATA}
    # A user who did many things: the archive is not a list of empty parts.
    for kind in ("account", "my_places", "alliances", "statements", "votes", "signatures"):
        assert content["data"][kind]["rows"], kind
    assert content["data"]["account"]["rows"][0]["email"] == person.email
    assert "password" not in content["data"]["account"]["rows"][0]
    # The trail of the person's alliance: who read it.
    assert any(e["who"] == trio.professional.user.display_name for e in content["trail"])


def test_the_person_takes_their_alliance_in_the_format_a_dui_reads(trio):
    """Portability (art. 20): the person's own alliance as its FHIR bundle; a relative's
    archive holds no bundle of someone else's alliance."""
    person, parent = trio.person.user, trio.parent.user
    archive, _created = services.request_archive(requester=person, subject=person)
    parts = _fhir_parts(services.download_archive(user=person, archive=archive))
    bundle = parts[f"fhir/alliance-{trio.alliance.pk}.json"]
    assert list(parts) == [f"fhir/alliance-{trio.alliance.pk}.json"]
    assert bundle["resourceType"] == "Bundle"
    assert any(e["resource"]["resourceType"] == "Patient" for e in bundle["entry"])
    theirs, _created = services.request_archive(requester=parent, subject=parent)
    assert _fhir_parts(services.download_archive(user=parent, archive=theirs)) == {}


def test_no_one_elses_contact_data_and_allies_by_name_only(trio):
    person, parent = trio.person.user, trio.parent.user
    stranger = UserFactory(display_name="Quelqu'un d'autre", email="autre@example.org")
    alliance_services.write_statement(
        ally=trio.parent, kind="interest", text="Un mot de la mère, pas de Léo."
    )
    archive, _ = services.request_archive(requester=person, subject=person)
    text = services.download_archive(user=person, archive=archive)
    content, _ = _open(text)
    dumped = json.dumps(content, ensure_ascii=False)
    assert parent.email not in dumped and stranger.email not in dumped
    assert trio.professional.user.email not in dumped
    assert "Un mot de la mère" not in dumped
    assert "Quelqu'un d'autre" not in dumped
    place = content["data"]["my_places"]["rows"][0]
    assert place["approved_by"] in (parent.display_name, trio.person.user.display_name, None)


def test_who_asked_is_told_and_only_they_download(trio):
    person = trio.person.user
    archive, _ = services.request_archive(requester=person, subject=person)
    notification = Notification.objects.get(user=person, kind="data_archive_ready")
    assert notification.params["due"] == archive.expires_at.date().isoformat()
    with pytest.raises(PermissionDenied):
        services.download_archive(user=trio.parent.user, archive=archive)
    services.download_archive(user=person, archive=archive)
    entry = AuditEntry.objects.get(action=Action.DATA_ARCHIVE_DOWNLOADED)
    assert entry.actor_id == person.pk and entry.detail["sha256"] == archive.sha256


def test_one_request_at_a_time(trio, monkeypatch):
    person = trio.person.user
    # The worker has not run yet: the archive stays pending.
    monkeypatch.setattr(services, "make_archive_task", SimpleNamespace(enqueue=lambda pk: None))
    first, created = services.request_archive(requester=person, subject=person)
    again, created_again = services.request_archive(requester=person, subject=person)
    assert created and not created_again and again.pk == first.pk
    assert DataArchive.objects.filter(subject=person).count() == 1


def test_an_archive_the_worker_lost_does_not_block_a_new_request(trio, monkeypatch):
    person = trio.person.user
    lost = SimpleNamespace(enqueue=lambda pk: None)
    monkeypatch.setattr(services, "make_archive_task", lost)
    first, _ = services.request_archive(requester=person, subject=person)
    DataArchive.objects.filter(pk=first.pk).update(
        created_at=first.created_at - services.STALE_AFTER
    )
    monkeypatch.undo()
    again, created = services.request_archive(requester=person, subject=person)
    assert created and again.status == DataArchive.Status.READY
    first.refresh_from_db()
    assert first.status == DataArchive.Status.FAILED


def test_the_representative_receives_only_the_alliances_they_represent(trio):
    person, parent = trio.person.user, trio.parent.user
    # Another alliance of the same person, where the parent is not their representative.
    other = make_alliance_trio(title="Un autre projet")
    alliance_services.write_statement(
        ally=trio.person, kind="interest", text="Dans l'alliance représentée."
    )
    # The other trio's person is a different account: make this person an ally there.
    archive, _ = services.request_archive(requester=parent, subject=person)
    assert archive.alliance_ids == [trio.alliance.pk]
    content, _ = _open(services.download_archive(user=parent, archive=archive))
    assert content["scope"] == {"alliances": [trio.alliance.pk]}
    assert content["data"]["account"]["rows"] == []  # the account is not per alliance
    assert content["data"]["sessions"]["rows"] == []
    assert {row["id"] for row in content["data"]["alliances"]["rows"]} == {trio.alliance.pk}
    assert other.alliance.pk not in {e["alliance"] for e in content["trail"]}
    # The person sees in their alliance's trail that the representative took it.
    assert AuditEntry.objects.filter(
        action=Action.DATA_ARCHIVE_REQUESTED, alliance_id=trio.alliance.pk, actor=parent
    ).exists()


@pytest.mark.parametrize("who", ["professional", "stranger", "org_admin", "decision_maker"])
def test_nobody_else_may_ask(trio, who):
    requester = {
        "professional": trio.professional.user,
        "stranger": UserFactory(),
        "org_admin": UserFactory(org_admin=True),
        "decision_maker": UserFactory(decision_maker=True),
    }[who]
    with pytest.raises(PermissionDenied):
        services.request_archive(requester=requester, subject=trio.person.user)
    assert not DataArchive.objects.exists()


def test_a_failure_is_kept_and_a_new_request_may_follow(trio, monkeypatch):
    from alliance.privacy import archive as builder

    person = trio.person.user

    def broken(archive):
        raise RuntimeError("disk full")

    monkeypatch.setattr(builder, "build", broken)
    failed, _ = services.request_archive(requester=person, subject=person)
    assert failed.status == DataArchive.Status.FAILED
    monkeypatch.undo()
    again, created = services.request_archive(requester=person, subject=person)
    assert created and again.status == DataArchive.Status.READY
