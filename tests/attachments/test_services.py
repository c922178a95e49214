"""The use cases of attached files (ADR 0026): who may, what the trail keeps, what a
deletion erases."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from alliance.acting import services as acting
from alliance.alliances import services as alliances
from alliance.attachments import perms, services
from alliance.attachments.models import Attachment, AttachmentBytes
from alliance.audit.models import Action, AuditEntry
from tests.factories import make_alliance_trio

from .images import PDF, picture

pytestmark = pytest.mark.django_db


def test_a_pdf_needs_no_text_alternative_and_keeps_none():
    trio = make_alliance_trio()
    kept = services.attach_file(
        ally=trio.professional, data=PDF, name="n.pdf", alt_text="ignored", description=" Avis "
    )
    assert (kept.alt_text, kept.description, kept.size) == ("", "Avis", len(PDF))
    assert kept.entry is None and kept.uploader == trio.professional


def test_the_trail_names_the_file_its_type_size_and_hash_never_its_content():
    trio = make_alliance_trio()
    kept = services.attach_file(ally=trio.parent, data=PDF, name="n.pdf")
    entry = AuditEntry.objects.get(action=Action.ATTACHMENT_ADDED)
    assert (entry.alliance_id, entry.target_type, entry.target_id) == (
        trio.alliance.pk,
        "attachment",
        kept.pk,
    )
    assert entry.detail == {
        "type": "application/pdf",
        "size": len(PDF),
        "sha256": kept.sha256,
        "entry": None,
    }


def test_an_ally_awaiting_approval_or_removed_attaches_nothing():
    trio = make_alliance_trio()
    waiting = alliances.invite_ally(
        inviter=trio.professional, display_name="Tante", role="relative"
    )
    alliances.accept_invitation(ally=waiting)
    assert not perms.can_attach(waiting)
    with pytest.raises(PermissionDenied):
        services.attach_file(ally=waiting, data=PDF, name="n.pdf")
    assert not Attachment.objects.exists()


def test_only_its_author_attaches_to_an_entry():
    trio = make_alliance_trio()
    entry = acting.write_journal_entry(ally=trio.person, happened="On a joué.")
    with pytest.raises(PermissionDenied):
        services.attach_file(ally=trio.parent, entry=entry, data=PDF, name="n.pdf")
    kept = services.attach_file(ally=trio.person, entry=entry, data=PDF, name="n.pdf")
    assert kept.entry == entry


def test_a_refused_picture_leaves_nothing_behind():
    trio = make_alliance_trio()
    with pytest.raises(ValidationError) as refused:
        services.attach_file(ally=trio.person, data=picture("PNG"), name="a.png", alt_text=" ")
    assert "alt_text" in refused.value.message_dict
    assert not Attachment.objects.exists() and not AttachmentBytes.objects.exists()
    assert not AuditEntry.objects.filter(action=Action.ATTACHMENT_ADDED).exists()


@pytest.mark.parametrize(
    ("who", "allowed"), [("uploader", True), ("person", True), ("other", False)]
)
def test_who_deletes(who, allowed):
    trio = make_alliance_trio()
    kept = services.attach_file(ally=trio.professional, data=PDF, name="n.pdf")
    ally = {"uploader": trio.professional, "person": trio.person}.get(who)
    if ally is None:
        other = make_alliance_trio(title="Autre")
        ally = other.person  # the person of another alliance
    assert perms.can_delete_attachment(ally, kept) is allowed
    if not allowed:
        with pytest.raises(PermissionDenied):
            services.delete_attachment(ally=ally, attachment=kept)
        assert AttachmentBytes.objects.filter(attachment=kept).exists()
        return
    services.delete_attachment(ally=ally, attachment=kept)
    kept.refresh_from_db()
    assert kept.deleted_by == ally and not AttachmentBytes.objects.exists()
    assert not Attachment.objects.live().exists()
    # Once deleted, deleting again changes nothing and writes nothing more.
    services.delete_attachment(ally=ally, attachment=kept)
    assert AuditEntry.objects.filter(action=Action.ATTACHMENT_DELETED).count() == 1


def test_a_relative_who_does_not_speak_for_the_person_deletes_only_their_own():
    trio = make_alliance_trio()
    relative = alliances.invite_ally(
        inviter=trio.professional, display_name="Oncle", role="relative"
    )
    alliances.accept_invitation(ally=relative)
    alliances.decide_on_ally(approver=trio.parent, ally=relative, approve=True)
    relative.refresh_from_db()
    theirs = services.attach_file(ally=trio.professional, data=PDF, name="a.pdf")
    mine = services.attach_file(ally=relative, data=PDF, name="b.pdf")
    assert not perms.can_delete_attachment(relative, theirs)
    assert perms.can_delete_attachment(relative, mine)
