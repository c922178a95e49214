"""Inviting a list of people from a file (issue 14, ADR 0040): read, reviewed, sent in
one transaction through the single invitation's use case; a credential reaches its
own address only, nobody joins without accepting, everything is in the trail."""

import re
from datetime import timedelta

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone, translation

from alliance.audit.models import Action, AuditEntry
from alliance.collectives import invitation_batches as batches
from alliance.collectives import services
from alliance.collectives.models import (
    CollectiveMember,
    MemberInvitation,
    MemberInvitationBatch,
    MemberStanding,
)
from alliance.notifications.models import Notification
from alliance.upkeep.retention import purge_expired
from tests.factories import UserFactory

from .factories import make_circle

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def english():
    """The messages are read in the source language."""
    with translation.override("en"):
        yield


TOKEN = re.compile(r"/invitations/([A-Za-z0-9_-]{20,})/")


def _file(*rows, header="Nom;Courriel;Qualité"):
    return ("\r\n".join([header, *rows]) + "\r\n").encode("cp1252")


def _prepare(by, data, standing=MemberStanding.RESIDENT):
    return batches.prepare_batch(by=by, data=data, file_name="liste.csv", default_standing=standing)


def test_a_file_becomes_invitations_that_each_owner_answers(django_capture_on_commit_callbacks):
    circle = make_circle(members=1, seeds=0)
    known = UserFactory(display_name="Bruno Déjà-Inscrit", email="bruno@example.org")
    batch = _prepare(
        circle.facilitator,
        _file(
            "Hélène Éluard;helene@example.org;Habitante",
            "Bruno;BRUNO@example.org;Proche",
            f"Membre;{circle.members[0].user.email};",
            "Faux;pas-une-adresse;",
            "Hélène encore;Helene@Example.org;",
        ),
    )
    review = batches.review_batch(batch, user=circle.facilitator.user)
    assert [r.outcome for r in review.rows] == [
        "invite",
        "invite",
        "member",
        "invalid_email",
        "duplicate",
    ]
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        sent = batches.send_batch(by=circle.facilitator, batch=batch)
    assert sent.status == MemberInvitationBatch.Status.SENT
    assert sent.lines == [] and sent.outcomes["invite"] == 2

    invitations = MemberInvitation.objects.filter(collective=circle.collective)
    invitations = {i.email: i for i in invitations}
    assert set(invitations) - {m.user.email for m in circle.members} >= {
        "helene@example.org",
        "BRUNO@example.org",
    }
    assert invitations["helene@example.org"].standing == MemberStanding.RESIDENT
    assert invitations["BRUNO@example.org"].standing == MemberStanding.RELATIVE
    # Nobody joined: the unknown address got its own link by email; the existing
    # account is told (in the product, and by a notice without any link that signs
    # in) and answers from its own session.
    assert not CollectiveMember.objects.filter(collective=circle.collective, user=known).exists()
    links = {tuple(m.to): TOKEN.findall(m.body) for m in mail.outbox}
    assert links.keys() <= {("helene@example.org",), ("bruno@example.org",)}
    assert len(links[("helene@example.org",)]) == 1
    assert not links.get(("bruno@example.org",))
    assert Notification.objects.filter(user=known, kind="member_invitation").exists()
    member = services.answer_member_invitation(
        user=known, invitation=invitations["BRUNO@example.org"], accept=True
    )
    assert member.standing == MemberStanding.RELATIVE

    trail = AuditEntry.objects.filter(actor=circle.facilitator.user)
    assert trail.filter(action=Action.MEMBER_INVITATION_SENT).count() == 1 + 2  # make_circle's
    prepared = trail.get(action=Action.MEMBER_INVITATION_BATCH_PREPARED)
    sent_entry = trail.get(action=Action.MEMBER_INVITATION_BATCH_SENT)
    assert prepared.target_id == sent_entry.target_id == batch.pk
    assert sorted(sent_entry.detail["invitations"]) == sorted(
        invitations[e].pk for e in ("helene@example.org", "BRUNO@example.org")
    )


def test_each_link_goes_to_its_own_address_only(django_capture_on_commit_callbacks):
    circle = make_circle(members=0, seeds=0)
    rows = [f"Personne {n};p{n}@example.org;" for n in range(6)]
    batch = _prepare(circle.facilitator, _file(*rows))
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        batches.send_batch(by=circle.facilitator, batch=batch)
    assert len(mail.outbox) == 6
    seen = set()
    for message in mail.outbox:
        assert len(message.to) == 1 and not message.cc and not message.bcc
        (token,) = TOKEN.findall(message.body)
        invitation = services.invitation_for_token(token)
        # The link of person X opens X's invitation, and only X's address received it.
        assert invitation.email == message.to[0]
        seen.add(token)
    assert len(seen) == 6
    assert not any(TOKEN.search(str(entry.detail)) for entry in AuditEntry.objects.all())


def test_only_a_facilitator_of_this_collective_reads_or_sends_a_file():
    circle = make_circle(members=1, seeds=0)
    other = make_circle(members=0, seeds=0)
    data = _file("A;a@example.org;")
    with pytest.raises(PermissionDenied):
        _prepare(circle.members[0], data)  # a member who does not facilitate
    batch = _prepare(circle.facilitator, data)
    for intruder in (circle.members[0], other.facilitator):
        with pytest.raises(PermissionDenied):
            batches.send_batch(by=intruder, batch=batch)
        with pytest.raises(PermissionDenied):
            batches.discard_batch(by=intruder, batch=batch)
    # A second facilitator does not send another's draft either.
    second = circle.members[0]
    services.make_facilitator(by=circle.facilitator, member=second)
    with pytest.raises(PermissionDenied):
        batches.send_batch(by=second, batch=batch)
    assert not MemberInvitation.objects.filter(email="a@example.org").exists()
    # A facilitator who stepped out of the collective no longer sends.
    services.leave_collective(member=circle.facilitator)
    circle.facilitator.refresh_from_db()
    with pytest.raises(PermissionDenied):
        batches.send_batch(by=circle.facilitator, batch=batch)


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "The file is empty"),
        (b"PK\x03\x04...", "This is a spreadsheet"),
        (b"Anne;Martin\n", "No email address"),
    ],
)
def test_a_file_that_cannot_be_read_changes_nothing_and_says_why(data, message):
    circle = make_circle(members=0, seeds=0)
    with pytest.raises(ValidationError) as refused:
        _prepare(circle.facilitator, data)
    assert message in " ".join(refused.value.message_dict["file"])
    assert not MemberInvitationBatch.objects.exists()


def test_the_caps_of_a_file(settings):
    circle = make_circle(members=0, seeds=0)
    settings.ALLIANCE_INVITATION_FILE_MAX_LINES = 3
    with pytest.raises(ValidationError) as refused:
        _prepare(circle.facilitator, _file(*[f"P;p{n}@example.org;" for n in range(4)]))
    assert "more than 3 lines" in str(refused.value)
    settings.ALLIANCE_INVITATION_FILE_MAX_BYTES = 50
    with pytest.raises(ValidationError) as refused:
        _prepare(circle.facilitator, _file("P;p@example.org;", "Q;q@example.org;"))
    assert "too large" in str(refused.value)


def test_the_day_budget_is_shared_with_single_invitations(settings):
    circle = make_circle(members=0, seeds=0)
    settings.ALLIANCE_MEMBER_INVITATIONS_PER_DAY = 3
    settings.ALLIANCE_INVITATION_BATCH_MAX = 10
    services.add_member(by=circle.facilitator, display_name="Un", email="un@example.org")
    batch = _prepare(circle.facilitator, _file(*[f"P;p{n}@example.org;" for n in range(4)]))
    review = batches.review_batch(batch, user=circle.facilitator.user)
    assert review.cap == 2 and review.capped_by_the_day
    assert [r.outcome for r in review.rows] == ["invite", "invite", "over_cap", "over_cap"]
    batches.send_batch(by=circle.facilitator, batch=batch)
    # The budget is spent: a single invitation is refused too, with the reason.
    with pytest.raises(ValidationError) as refused:
        services.add_member(by=circle.facilitator, display_name="Trop", email="t@example.org")
    assert "the most one account may send" in str(refused.value)
    # A day later, the budget is back.
    MemberInvitation.objects.update(created_at=timezone.now() - timedelta(days=1, minutes=1))
    services.add_member(by=circle.facilitator, display_name="Demain", email="d@example.org")


def test_a_list_is_sent_once_and_not_after_it_waited_too_long():
    circle = make_circle(members=0, seeds=0)
    batch = _prepare(circle.facilitator, _file("A;a@example.org;"))
    batches.send_batch(by=circle.facilitator, batch=batch)
    with pytest.raises(ValidationError):
        batches.send_batch(by=circle.facilitator, batch=batch)
    with pytest.raises(ValidationError):
        batches.discard_batch(by=circle.facilitator, batch=batch)
    assert MemberInvitation.objects.filter(email="a@example.org").count() == 1

    old = _prepare(circle.facilitator, _file("B;b@example.org;"))
    MemberInvitationBatch.objects.filter(pk=old.pk).update(
        created_at=timezone.now() - timedelta(hours=25)
    )
    with pytest.raises(ValidationError) as refused:
        batches.send_batch(by=circle.facilitator, batch=old)
    assert "Send the file again" in str(refused.value)
    # The daily purge deletes the names and addresses of a list never sent.
    assert purge_expired()["invitation_batches"] == 1
    assert not MemberInvitationBatch.objects.filter(pk=old.pk).exists()


def test_a_line_invited_meanwhile_undoes_the_whole_batch(monkeypatch):
    circle = make_circle(members=0, seeds=0)
    batch = _prepare(circle.facilitator, _file("A;a@example.org;", "B;b@example.org;"))
    original = batches._invite_member

    def racing(**kwargs):
        if kwargs["email"] == "b@example.org":  # another facilitator invited B just now
            raise ValidationError({"email": "already invited"})
        return original(**kwargs)

    monkeypatch.setattr(batches, "_invite_member", racing)
    with pytest.raises(ValidationError) as refused:
        batches.send_batch(by=circle.facilitator, batch=batch)
    assert "Line 3 changed" in str(refused.value)
    assert not MemberInvitation.objects.filter(email="a@example.org").exists()
    batch.refresh_from_db()
    assert batch.status == MemberInvitationBatch.Status.DRAFT and len(batch.lines) == 2


def test_discarding_empties_the_list():
    circle = make_circle(members=0, seeds=0)
    batch = _prepare(circle.facilitator, _file("A;a@example.org;"))
    batches.discard_batch(by=circle.facilitator, batch=batch)
    batch.refresh_from_db()
    assert batch.status == MemberInvitationBatch.Status.DISCARDED and batch.lines == []
    assert not MemberInvitation.objects.filter(email="a@example.org").exists()
    assert AuditEntry.objects.filter(action=Action.MEMBER_INVITATION_BATCH_DISCARDED).exists()
