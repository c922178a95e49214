"""The data-rights page (ADR 0033): each one asks for themselves, a legal
representative for the person they represent; the page says what is kept, until
when and why, before anything is asked."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from alliance.alliances.models import Alliance
from alliance.audit.models import Action, AuditEntry
from alliance.privacy.models import RightRequest
from tests.factories import UserFactory, make_alliance_trio

pytestmark = pytest.mark.django_db

PAGE = reverse("rights:page")


def test_the_representative_asks_for_the_person_and_reads_until_when(client):
    trio = make_alliance_trio()
    until = timezone.localdate() + datetime.timedelta(days=300)
    Alliance.objects.filter(pk=trio.alliance.pk).update(closed_at=timezone.now(), keep_until=until)
    leo, nadia = trio.person.user, trio.parent.user
    client.force_login(nadia)
    page = client.get(PAGE).content.decode()
    assert "Léo Martin" in page and f'name="subject" value="{leo.pk}"' in page

    response = client.post(PAGE, {"action": "erase", "subject": leo.pk}, follow=True)

    assert response.status_code == 200
    request = RightRequest.objects.get(user=leo)
    assert (request.kind, request.status, request.asked_by) == ("erasure", "open", nadia)
    leo.refresh_from_db()
    assert leo.display_name == "Léo Martin"
    client.post(PAGE, {"action": "cancel_erasure", "subject": leo.pk})
    request.refresh_from_db()
    assert request.status == "cancelled"


def test_nobody_asks_for_someone_they_do_not_represent(client):
    trio = make_alliance_trio()
    client.force_login(trio.professional.user)
    response = client.post(PAGE, {"action": "restrict", "subject": trio.person.user.pk})
    assert response.status_code == 404
    assert not RightRequest.objects.exists()


def test_a_post_without_a_known_action_changes_nothing(client):
    user = UserFactory()
    client.force_login(user)
    response = client.post(PAGE, {"action": "delete everything", "subject": user.pk})
    assert response.status_code == 400
    assert not RightRequest.objects.exists()


def test_freezing_my_account_signs_me_out_and_is_in_the_trail(client):
    user = UserFactory(display_name="Solène Petit")
    client.force_login(user)
    response = client.post(PAGE, {"action": "restrict", "subject": user.pk})
    assert response.status_code == 302 and response.url == reverse("accounts:sign_in")
    user.refresh_from_db()
    assert not user.is_active
    assert AuditEntry.objects.filter(action=Action.PROCESSING_RESTRICTED, actor=user).exists()


def test_erasing_with_nothing_kept_replaces_my_name_at_once(client):
    user = UserFactory(display_name="Solène Petit")
    client.force_login(user)
    client.post(PAGE, {"action": "erase", "subject": user.pk})
    user.refresh_from_db()
    assert user.display_name.startswith("Personne ") and not user.is_active


def test_the_page_reads_a_fixed_number_of_queries(client, django_assert_max_num_queries):
    trio = make_alliance_trio()
    for n in range(3):
        make_alliance_trio(professional=trio.professional.user, title=f"Alliance {n}")
    client.force_login(trio.parent.user)
    with django_assert_max_num_queries(14):
        assert client.get(PAGE).status_code == 200


def test_an_admin_removes_a_professional_who_left_without_any_protected_error(client):
    trio = make_alliance_trio()
    ines = trio.professional.user
    admin = UserFactory(professional=True, organisation=ines.organisation, is_org_admin=True)
    client.force_login(admin)
    remove = reverse("rights:remove_professional", args=[ines.pk])

    client.post(remove)
    ines.refresh_from_db()
    assert ines.is_active and not RightRequest.objects.exists()  # deactivate first

    client.post(reverse("accounts:professional_active", args=[ines.pk]), {"active": "0"})
    page = client.post(remove, follow=True).content.decode()

    ines.refresh_from_db()
    assert "Inès Morel" in page  # the message names whom, once
    assert not ines.is_active and ines.display_name == "Inès Morel"
    assert RightRequest.objects.get(user=ines).kind == "erasure"
    assert AuditEntry.objects.filter(action=Action.USER_REMOVED, actor=admin).exists()
