"""A credential reaches only its owner (issue 9, findings 1, 2, 3 and 5), through the
pages: inviting by email makes a pending invitation that the owner of the address
answers; nobody is ever shown a link or a code of another account."""

import re
from datetime import timedelta

import pytest
from django.core import mail
from django.db import transaction
from django.test import TestCase
from django.urls import reverse
from django.utils import timezone, translation

from alliance.accounts.models import SignInSecret, User
from alliance.alliances import services
from alliance.alliances.models import Ally, AllyInvitation, MandateKind, Role
from alliance.audit.models import Action, AuditEntry
from alliance.collectives.models import CollectiveMember, MemberInvitation
from alliance.linking import services as linking
from alliance.notifications.models import Notification, OutgoingMessage
from tests.collectives.factories import make_circle
from tests.factories import PASSWORD, UserFactory, make_alliance_trio, make_signed_charter
from tests.notifications.queue import DATABASE_QUEUE, run_ready_tasks
from tests.www.scene import usual_pages

pytestmark = pytest.mark.django_db

TOKEN = re.compile(r"/invitations/([A-Za-z0-9_-]{20,})/")
CSRF = re.compile(r"[A-Za-z0-9]{64}")


def sent():
    """Runs what waits for the commit, as a real request would (the emails themselves
    go through the outbox, which the tests' immediate queue runs at once)."""
    return TestCase.captureOnCommitCallbacks(execute=True)


def no_credential(html):
    return "/sign-in/link/" not in html and not TOKEN.search(html)


def token_sent_to(address):
    (message,) = [m for m in mail.outbox if m.to == [address]]
    return TOKEN.search(message.body).group(1)


def french(label):
    with translation.override("fr"):
        return str(label)


def same_page(first, second, *typed):
    """Two answers equal once what the inviter typed (and the CSRF token) is taken out."""

    def bare(html, words):
        for word in words:
            html = html.replace(word, "")
        return CSRF.sub("", html)

    half = len(typed) // 2
    return bare(first, typed[:half]) == bare(second, typed[half:])


# ---------------------------------------------------------------- finding 1


def _admin_alliance(client):
    """An organisation administrator, in no alliance, starts one: anyone who can."""
    admin = UserFactory(org_admin=True, display_name="Anne Directrice")
    client.force_login(admin)
    response = client.post(
        reverse("alliances:create"), {"title": "Une alliance", "person_name": "Zoé"}
    )
    assert response.status_code == 302
    assert client.get(response["Location"]).status_code == 200  # reads the welcome message
    return admin, admin.allies.get().alliance


def test_inviting_an_existing_account_hands_over_nothing_and_it_answers_itself(client):
    victim = make_alliance_trio().professional.user
    admin, alliance = _admin_alliance(client)
    invite = reverse("alliances:invite", args=[alliance.pk])
    with sent():
        known = client.post(
            # Not the inviter's own role: the page's printed heading names it.
            invite,
            {"display_name": "Camille", "email": victim.email, "role": "relative"},
        )
        unknown = client.post(
            invite, {"display_name": "Dominique", "email": "nobody@example.org", "role": "peer"}
        )
    assert known.status_code == unknown.status_code == 200
    page = known.content.decode()
    assert no_credential(page)
    assert victim.display_name not in page
    # The same answer whether or not an account uses the address.
    assert same_page(
        page,
        unknown.content.decode(),
        "Camille",
        victim.email,
        french(Role.RELATIVE.label),
        "Dominique",
        "nobody@example.org",
        french(Role.PEER.label),
    )
    assert not SignInSecret.objects.filter(user=victim).exists()
    assert not Ally.objects.filter(alliance=alliance, user=victim).exists()
    # The account hears of it in the app and by an email without any secret.
    assert Notification.objects.filter(user=victim, kind="ally_invitation").exists()
    to_victim = [m.body for m in mail.outbox if m.to == [victim.email]]
    assert to_victim and all(no_credential(body) for body in to_victim)
    # Still the administrator: nothing opened the victim's account.
    assert client.get(reverse("home")).context["user"] == admin

    client.force_login(victim)
    home = client.get(reverse("home")).content.decode()
    invitation = AllyInvitation.objects.get(email=victim.email)
    answer = reverse("invitations:answer_alliance", args=[invitation.pk])
    assert answer in home
    client.force_login(admin)
    assert client.post(answer, {"answer": "accept"}).status_code == 404
    client.force_login(victim)
    assert client.post(answer, {"answer": "accept"}).status_code == 302
    ally = Ally.objects.get(alliance=alliance, user=victim)
    assert ally.status == Ally.Status.AWAITING_APPROVAL
    assert AuditEntry.objects.filter(
        action=Action.ALLY_INVITATION_ACCEPTED, alliance_id=alliance.pk
    ).exists()


def test_the_roster_shows_what_the_inviter_typed_until_the_invitation_is_accepted(client):
    trio = make_alliance_trio()
    known = UserFactory(display_name="Le vrai nom du compte")
    services.invite_ally(
        inviter=trio.professional, display_name="Tatie", email=known.email, role=Role.RELATIVE
    )
    client.force_login(trio.person.user)
    usual_pages(client)
    page = client.get(reverse("alliances:overview", args=[trio.alliance.pk])).content.decode()
    assert "Tatie" in page and known.email in page
    assert "Le vrai nom du compte" not in page


def test_the_same_address_cannot_be_invited_twice_nor_a_second_person(client):
    trio = make_alliance_trio()
    services.invite_ally(
        inviter=trio.professional, display_name="Tatie", email="tatie@example.org", role="relative"
    )
    client.force_login(trio.professional.user)
    invite = reverse("alliances:invite", args=[trio.alliance.pk])
    again = client.post(
        invite, {"display_name": "Tata", "email": "TATIE@example.org", "role": "relative"}
    )
    assert again.status_code == 400
    assert AllyInvitation.objects.filter(email__iexact="tatie@example.org").count() == 1


# ---------------------------------------------------------------- findings 2 and 3


def test_no_ally_can_make_a_sign_in_code_for_another(client):
    trio = make_alliance_trio()
    without_email = services.invite_ally(
        inviter=trio.parent, display_name="Mamie", role=Role.RELATIVE
    )
    client.force_login(trio.professional.user)
    overview = client.get(reverse("alliances:overview", args=[trio.alliance.pk]))
    assert "/code/" not in overview.content.decode()
    for ally in (without_email, trio.person, trio.parent):
        response = client.post(f"/alliances/{trio.alliance.pk}/allies/{ally.pk}/code/")
        assert response.status_code == 404
    assert not SignInSecret.objects.exists()


def test_a_facilitator_of_a_linked_collective_gets_no_code_for_other_families(client):
    pro = UserFactory(professional=True)
    first, second = (make_alliance_trio(professional=pro, title=f"École {n}") for n in (1, 2))
    for trio in (first, second):
        make_signed_charter(trio)
        linking.give_link_consent(ally=trio.parent)
    # The other family's second parent has no email.
    other_parent = services.invite_ally(
        inviter=second.parent, display_name="Karim", role=Role.REPRESENTATIVE
    )
    other_parent = services.accept_invitation(ally=other_parent)
    services.record_mandate(ally=other_parent, kind=MandateKind.PARENT)
    services.decide_on_ally(approver=second.person, ally=other_parent, approve=True)
    facilitator = linking.join_linked_collective(ally=first.parent, need_code="1.3.3.1")
    member = linking.join_linked_collective(ally=other_parent, need_code="1.3.3.1")
    collective = facilitator.collective
    client.force_login(first.parent.user)
    detail = client.get(reverse("collectives:detail", args=[collective.pk])).content.decode()
    assert "/code/" not in detail
    response = client.post(f"/collectives/{collective.pk}/members/{member.pk}/code/")
    assert response.status_code == 404
    assert not SignInSecret.objects.filter(user=other_parent.user).exists()


# ---------------------------------------------------------------- finding 5


def test_adding_an_address_to_a_collective_creates_no_account_for_the_adder(client):
    circle = make_circle(members=0, seeds=0)
    client.force_login(circle.facilitator.user)
    add = reverse("collectives:add_member", args=[circle.collective.pk])
    with sent():
        response = client.post(
            add, {"display_name": "Marie", "email": "marie@example.org", "standing": "resident"}
        )
    assert response.status_code == 200
    assert no_credential(response.content.decode())
    assert not User.objects.filter(email__iexact="marie@example.org").exists()
    token = token_sent_to("marie@example.org")

    # A professional later invites the same address: still no account, nobody in.
    trio = make_alliance_trio()
    with sent():
        services.invite_ally(
            inviter=trio.professional,
            display_name="Marie",
            email="marie@example.org",
            role=Role.RELATIVE,
        )
    assert not User.objects.filter(email__iexact="marie@example.org").exists()

    # The owner of the address opens her link: a GET uses nothing up.
    client.logout()
    link = reverse("invitations:open", args=[token])
    assert client.get(link).status_code == 200
    page = client.get(link).content.decode()
    assert 'value="Marie"' in page and "marie@example.org" in page
    response = client.post(link, {"display_name": "Marie Curie", "password": PASSWORD})
    assert response.status_code == 302
    marie = User.objects.get(email="marie@example.org")
    assert marie.display_name == "Marie Curie" and marie.check_password(PASSWORD)
    assert circle.collective.members.filter(user=marie, status="active").exists()
    assert client.get(reverse("home")).context["user"] == marie
    # Single use.
    assert client.post(link, {"display_name": "X", "password": PASSWORD}).status_code == 404
    # The alliance's invitation waits on her home page, answered from her session.
    home = client.get(reverse("home")).content.decode()
    invitation = AllyInvitation.objects.get(email="marie@example.org")
    assert reverse("invitations:answer_alliance", args=[invitation.pk]) in home
    client.post(reverse("invitations:answer_alliance", args=[invitation.pk]), {"answer": "accept"})
    assert Ally.objects.get(user=marie).status == Ally.Status.AWAITING_APPROVAL


def test_adding_a_member_by_email_does_not_tell_who_has_an_account(client):
    circle = make_circle(members=0, seeds=0)
    known = UserFactory(display_name="Nom secret du compte")
    client.force_login(circle.facilitator.user)
    add = reverse("collectives:add_member", args=[circle.collective.pk])
    first = client.post(add, {"display_name": "Voisin", "email": known.email, "standing": "other"})
    second = client.post(
        add, {"display_name": "Voisine", "email": "new@example.org", "standing": "other"}
    )
    assert first.status_code == second.status_code == 200
    assert "Nom secret du compte" not in first.content.decode()
    assert same_page(
        first.content.decode(),
        second.content.decode(),
        "Voisin",
        known.email,
        "Voisine",
        "new@example.org",
    )
    detail = client.get(reverse("collectives:detail", args=[circle.collective.pk]))
    assert "Nom secret du compte" not in detail.content.decode()
    # The account joins from its own session.
    client.force_login(known)
    invitation = MemberInvitation.objects.get(email=known.email)
    answer = reverse("invitations:answer_collective", args=[invitation.pk])
    assert answer in client.get(reverse("home")).content.decode()
    assert client.post(answer, {"answer": "accept"}).status_code == 302
    assert CollectiveMember.objects.filter(collective=circle.collective, user=known).exists()


# ---------------------------------------------------------------- the link's life


def _invited(trio, address="chloe@example.org"):
    with sent():
        invitation = services.invite_ally(
            inviter=trio.professional, display_name="Chloé", email=address, role=Role.PEER
        )
    return invitation, token_sent_to(address)


def test_a_link_never_signs_in_to_an_account_that_exists_by_now(client):
    trio = make_alliance_trio()
    invitation, token = _invited(trio)
    owner = UserFactory(email="Chloe@Example.org", display_name="Chloé")
    link = reverse("invitations:open", args=[token])
    page = client.get(link)
    assert page.status_code == 200 and page.context["account_exists"]
    response = client.post(link, {"display_name": "Chloé", "password": PASSWORD})
    assert response.status_code == 400
    assert "_auth_user_id" not in client.session
    assert User.objects.filter(email__iexact="chloe@example.org").count() == 1
    # Its owner answers from home, matched on the address whatever its case.
    client.force_login(owner)
    answer = reverse("invitations:answer_alliance", args=[invitation.pk])
    assert client.post(answer, {"answer": "accept"}).status_code == 302
    assert Ally.objects.filter(alliance=trio.alliance, user=owner).exists()


def test_an_expired_withdrawn_or_declined_invitation_opens_nothing(client):
    trio = make_alliance_trio()
    expired, expired_token = _invited(trio, "a@example.org")
    AllyInvitation.objects.filter(pk=expired.pk).update(expires_at=timezone.now() - timedelta(1))
    withdrawn, withdrawn_token = _invited(trio, "b@example.org")
    client.force_login(trio.person.user)
    response = client.post(
        reverse("alliances:withdraw_invitation", args=[trio.alliance.pk, withdrawn.pk])
    )
    assert response.status_code == 302
    assert AuditEntry.objects.filter(
        action=Action.ALLY_INVITATION_WITHDRAWN, alliance_id=trio.alliance.pk
    ).exists()
    client.logout()
    for token in (expired_token, withdrawn_token, "made-up-token-made-up-token"):
        link = reverse("invitations:open", args=[token])
        assert client.get(link).status_code == 404
        assert client.post(link, {"display_name": "X", "password": PASSWORD}).status_code == 404
    assert not User.objects.filter(email__in=["a@example.org", "b@example.org"]).exists()


def test_the_account_declines_and_a_bad_answer_changes_nothing(client):
    trio = make_alliance_trio()
    owner = UserFactory()
    invitation = services.invite_ally(
        inviter=trio.professional, display_name="X", email=owner.email, role=Role.PEER
    )
    client.force_login(owner)
    answer = reverse("invitations:answer_alliance", args=[invitation.pk])
    assert client.post(answer, {"answer": "maybe"}).status_code == 400
    assert client.post(answer, {"answer": "decline"}).status_code == 302
    invitation.refresh_from_db()
    assert invitation.status == AllyInvitation.Status.DECLINED
    assert not Ally.objects.filter(user=owner).exists()
    assert client.post(answer, {"answer": "accept"}).status_code == 302
    assert not Ally.objects.filter(user=owner).exists()


def test_only_the_person_the_representative_or_the_inviter_withdraws(client):
    trio = make_alliance_trio()
    relative = services.accept_invitation(
        ally=services.invite_ally(inviter=trio.parent, display_name="Oncle", role=Role.RELATIVE)
    )
    services.decide_on_ally(approver=trio.parent, ally=relative, approve=True)
    invitation, _token = _invited(trio)
    withdraw = reverse("alliances:withdraw_invitation", args=[trio.alliance.pk, invitation.pk])
    client.force_login(relative.user)
    assert client.post(withdraw).status_code == 403
    client.force_login(trio.professional.user)
    assert client.post(withdraw).status_code == 302


def test_a_rolled_back_invitation_sends_no_email(settings):
    """With the production queue (in the database), the email's task is rolled back
    with the invitation: the worker finds nothing to send."""
    settings.TASKS = DATABASE_QUEUE
    trio = make_alliance_trio()
    run_ready_tasks()  # what making the alliance sent
    mail.outbox.clear()
    before = OutgoingMessage.objects.count()
    with sent(), pytest.raises(RuntimeError), transaction.atomic():
        services.invite_ally(
            inviter=trio.professional, display_name="X", email="x@example.org", role=Role.PEER
        )
        raise RuntimeError
    assert run_ready_tasks() == 0
    assert not mail.outbox
    assert not AllyInvitation.objects.filter(email="x@example.org").exists()
    assert OutgoingMessage.objects.count() == before


def test_inviting_without_email_shows_no_link_and_no_code(client):
    trio = make_alliance_trio()
    client.force_login(trio.parent.user)
    response = client.post(
        reverse("alliances:invite", args=[trio.alliance.pk]),
        {"display_name": "Mamie", "email": "", "role": "relative"},
    )
    assert response.status_code == 200
    assert no_credential(response.content.decode())
    assert Ally.objects.get(user__display_name="Mamie").status == Ally.Status.INVITED
    assert not SignInSecret.objects.exists()
