"""Lost access (ADR 0013), through the pages: the person's approved legal
representative re-issues alone; anyone else needs a second ally who is not their
colleague; the account's ways in end, the trail and the notifications say it."""

import re

import pytest
from django.urls import reverse

from alliance.accounts import activation
from alliance.accounts.models import ActivationLetter, DeviceCredential, UserSession
from alliance.alliances import services
from alliance.alliances.models import AccessReissue, Ally, Role
from alliance.audit.models import AuditEntry
from alliance.notifications.models import Notification
from tests.factories import UserFactory, make_alliance_trio

CODE = re.compile(r"\b([A-HJKMNP-Z2-9]{5}-[A-HJKMNP-Z2-9]{5})\b")
CONFIRM = {"confirm": "on"}


def _invite_and_activate(client, inviter, name, role=Role.RELATIVE):
    """An ally without email, invited, approved, who got in with their letter."""
    ally = services.invite_ally(inviter=inviter, display_name=name, role=role)
    services.accept_invitation(ally=ally)
    ally.refresh_from_db()
    code = services.hand_over_activation_letter(by=inviter, ally=ally)
    client.post(reverse("accounts:activate"), {"code": code})
    client.post(reverse("accounts:activate_device"))
    client.logout()
    return Ally.objects.select_related("user").get(pk=ally.pk)


@pytest.fixture
def world(client):
    """The trio, a relative without email who activated and keeps a device, and a
    second professional from the same organisation as the first."""
    trio = make_alliance_trio()
    relative = _invite_and_activate(client, trio.professional, "Sami Martin")
    services.decide_on_ally(approver=trio.parent, ally=relative, approve=True)
    colleague_user = UserFactory(
        professional=True, organisation=trio.professional.user.organisation, display_name="Paul"
    )
    colleague = services.invite_ally(
        inviter=trio.professional,
        display_name="Paul",
        email=colleague_user.email,
        role=Role.PROFESSIONAL,
    )
    colleague = services.answer_ally_invitation(
        user=colleague_user, invitation=colleague, accept=True
    )
    services.decide_on_ally(approver=trio.parent, ally=colleague, approve=True)
    return trio, Ally.objects.get(pk=relative.pk), Ally.objects.get(pk=colleague.pk)


def _url(ally):
    return reverse("alliances:reissue", args=[ally.alliance_id, ally.pk])


@pytest.mark.django_db
def test_a_lone_ally_only_asks(client, world):
    trio, relative, _ = world
    client.force_login(trio.professional.user)
    response = client.post(_url(relative), CONFIRM)
    assert response.status_code == 302
    assert not CODE.search(client.get(response["Location"]).content.decode())
    reissue = AccessReissue.objects.get()
    assert reissue.status == AccessReissue.Status.PENDING
    assert ActivationLetter.objects.filter(user=relative.user, used_at__isnull=True).count() == 0
    assert DeviceCredential.objects.get(user=relative.user).revoked_at is None
    # The pending request shows to the allies, with a way to review it for those who may;
    # not to the child, who has no hand-over button (issue 11): their parent has.
    client.force_login(trio.parent.user)
    overview = client.get(reverse("alliances:overview", args=[trio.alliance.pk])).content.decode()
    assert _url(relative) in overview
    client.force_login(trio.person.user)
    overview = client.get(reverse("alliances:overview", args=[trio.alliance.pk])).content.decode()
    assert _url(relative) not in overview
    assert Notification.objects.filter(
        user=trio.person.user, kind="access_reissue_requested"
    ).exists()
    # Asking again on top of it changes nothing.
    client.force_login(trio.professional.user)
    again = client.post(_url(relative), CONFIRM)
    assert again.status_code == 400
    assert AccessReissue.objects.count() == 1


@pytest.mark.django_db
def test_two_colleagues_cannot(client, world):
    trio, relative, colleague = world
    client.force_login(trio.professional.user)
    client.post(_url(relative), CONFIRM)
    client.force_login(colleague.user)
    assert client.get(_url(relative)).status_code == 403
    assert client.post(_url(relative), CONFIRM).status_code == 403
    assert AccessReissue.objects.get().status == AccessReissue.Status.PENDING


@pytest.mark.django_db
def test_the_requester_cannot_approve_their_own_request(client, world):
    trio, relative, _ = world
    client.force_login(trio.professional.user)
    client.post(_url(relative), CONFIRM)
    response = client.post(_url(relative), CONFIRM)
    assert response.status_code == 400
    assert AccessReissue.objects.get().status == AccessReissue.Status.PENDING


@pytest.mark.django_db
def test_a_second_ally_who_is_no_colleague_completes_it(client, world):
    trio, relative, _ = world
    old_session = UserSession.objects.filter(user=relative.user).count()
    client.force_login(trio.professional.user)
    client.post(_url(relative), CONFIRM)
    client.force_login(trio.person.user)
    response = client.post(_url(relative), CONFIRM)
    assert response.status_code == 200
    code = CODE.search(response.content.decode()).group(1)
    assert response["Referrer-Policy"] == "same-origin"
    reissue = AccessReissue.objects.get()
    assert reissue.status == AccessReissue.Status.DONE and reissue.approved_by_id == trio.person.pk
    relative.user.refresh_from_db()
    # Every way in of the account ended: sessions, devices, password.
    assert (
        old_session
        and not UserSession.objects.filter(user=relative.user, ended_at__isnull=True).exists()
    )
    assert not activation.devices_of(relative.user).exists()
    assert not relative.user.has_usable_password()
    # The letter went to the one who completed it.
    letter = ActivationLetter.objects.filter(user=relative.user).first()
    assert letter.issued_by == trio.person.user and letter.is_usable()
    # The trail names whose access and by whom; everyone is told.
    entry = AuditEntry.objects.get(alliance_id=trio.alliance.pk, action="access_reissued")
    assert entry.detail["account"] == "Sami Martin"
    assert entry.detail["requested_by"] == trio.professional.user.display_name
    assert entry.detail["approved_by"] == trio.person.user.display_name
    trail = client.get(reverse("alliances:trail", args=[trio.alliance.pk])).content.decode()
    assert "Sami Martin" in trail
    for ally in (trio.parent, trio.professional, trio.person):
        assert Notification.objects.filter(user=ally.user, kind="access_reissued").exists()
    assert Notification.objects.filter(user=relative.user, kind="your_access_reissued").exists()
    # The new letter opens the account again.
    client.logout()
    assert client.post(reverse("accounts:activate"), {"code": code}).status_code == 302


@pytest.mark.django_db
def test_the_representative_reissues_the_persons_access_alone(client):
    trio = make_alliance_trio()
    person_user = trio.person.user
    person_user.email = None
    person_user.save(update_fields=["email"])
    client.force_login(trio.parent.user)
    response = client.post(_url(trio.person), CONFIRM)
    assert response.status_code == 200
    assert CODE.search(response.content.decode())
    assert AccessReissue.objects.get().status == AccessReissue.Status.DONE
    assert AuditEntry.objects.filter(
        alliance_id=trio.alliance.pk, action="access_reissued"
    ).exists()


@pytest.mark.django_db
def test_a_representative_does_not_reissue_a_relatives_access_alone(client, world):
    trio, relative, _ = world
    client.force_login(trio.parent.user)
    response = client.post(_url(relative), CONFIRM)
    assert response.status_code == 302
    assert AccessReissue.objects.get().status == AccessReissue.Status.PENDING


@pytest.mark.django_db
def test_nobody_outside_the_alliance_reaches_it(client, world):
    _trio, relative, _ = world
    for user in (UserFactory(professional=True), UserFactory()):
        client.force_login(user)
        assert client.get(_url(relative)).status_code == 404
        assert client.post(_url(relative), CONFIRM).status_code == 404
    client.force_login(relative.user)
    assert client.post(_url(relative), CONFIRM).status_code == 403
    assert not AccessReissue.objects.exists()
