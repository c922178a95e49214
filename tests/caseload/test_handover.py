"""Handing a professional's alliances over to a colleague (ADR 0023): the colleague
waits for the person's approval like any new ally; approved, the leaving one leaves;
refused, they stay."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from alliance.alliances import lifecycle, services
from alliance.alliances.models import Ally, Handover, Role
from alliance.audit.models import Action, AuditEntry
from alliance.notifications.models import Notification
from tests.factories import UserFactory, make_alliance_trio

pytestmark = pytest.mark.django_db


@pytest.fixture
def leaving():
    return UserFactory(professional=True, display_name="Inès Morel")


@pytest.fixture
def colleague(leaving):
    return UserFactory(
        professional=True, organisation=leaving.organisation, display_name="Paul Collègue"
    )


def test_the_person_approves_and_the_leaving_professional_leaves(leaving, colleague):
    first = make_alliance_trio(professional=leaving, title="École")
    second = make_alliance_trio(professional=leaving, title="Loisirs")
    made = lifecycle.propose_handover(by=leaving, leaving=leaving, successor=colleague)
    assert {h.alliance_id for h in made} == {first.alliance.pk, second.alliance.pk}
    successor = Ally.objects.get(alliance=first.alliance, user=colleague)
    assert successor.status == Ally.Status.AWAITING_APPROVAL
    assert successor.role == Role.PROFESSIONAL
    assert Notification.objects.filter(kind="handover_proposed", user=first.parent.user).exists()
    services.decide_on_ally(approver=first.parent, ally=successor, approve=True)
    first.professional.refresh_from_db()
    successor.refresh_from_db()
    assert successor.status == Ally.Status.ACTIVE
    assert first.professional.status == Ally.Status.LEFT
    assert Handover.objects.get(alliance=first.alliance).status == Handover.Status.DONE
    actions = set(
        AuditEntry.objects.filter(alliance_id=first.alliance.pk).values_list("action", flat=True)
    )
    assert {Action.HANDOVER_PROPOSED, Action.HANDOVER_DONE, Action.ALLY_LEFT} <= actions


def test_a_refusal_keeps_the_leaving_professional(leaving, colleague):
    trio = make_alliance_trio(professional=leaving)
    lifecycle.propose_handover(by=leaving, leaving=leaving, successor=colleague)
    successor = Ally.objects.get(alliance=trio.alliance, user=colleague)
    services.decide_on_ally(approver=trio.parent, ally=successor, approve=False)
    trio.professional.refresh_from_db()
    assert trio.professional.status == Ally.Status.ACTIVE
    assert Handover.objects.get().status == Handover.Status.REFUSED


def test_who_may_hand_over_and_to_whom(leaving, colleague):
    make_alliance_trio(professional=leaving)
    outsider = UserFactory(professional=True)
    admin = UserFactory(org_admin=True, organisation=leaving.organisation)
    other_admin = UserFactory(org_admin=True)
    for by in (colleague, outsider, other_admin):
        with pytest.raises(PermissionDenied):
            lifecycle.propose_handover(by=by, leaving=leaving, successor=colleague)
    with pytest.raises(ValidationError):
        lifecycle.propose_handover(by=leaving, leaving=leaving, successor=outsider)
    with pytest.raises(ValidationError):
        lifecycle.propose_handover(by=leaving, leaving=leaving, successor=leaving)
    assert not Handover.objects.exists()
    assert len(lifecycle.propose_handover(by=admin, leaving=leaving, successor=colleague)) == 1
    with pytest.raises(ValidationError):  # already proposed there
        lifecycle.propose_handover(by=admin, leaving=leaving, successor=colleague)


def test_a_closed_alliance_is_not_handed_over(leaving, colleague):
    trio = make_alliance_trio(professional=leaving)
    lifecycle.close_alliance(ally=trio.parent, reason="Fin.", expected_version=1)
    with pytest.raises(ValidationError):
        lifecycle.propose_handover(by=leaving, leaving=leaving, successor=colleague)


def test_the_handover_page(client, leaving, colleague):
    first = make_alliance_trio(professional=leaving, title="École")
    second = make_alliance_trio(professional=leaving, title="Loisirs")
    client.force_login(leaving)
    url = reverse("caseload:handover")
    page = client.get(url).content.decode()
    assert "École" in page and "Loisirs" in page
    assert client.post(url, {"leaving": leaving.pk}).status_code == 400
    response = client.post(
        url,
        {"leaving": leaving.pk, "successor": colleague.pk, "alliances": [second.alliance.pk]},
    )
    assert response.status_code == 302
    assert list(Handover.objects.values_list("alliance_id", flat=True)) == [second.alliance.pk]
    # The person sees who would replace whom, in easy-read too.
    client.force_login(second.person.user)
    overview = client.get(reverse("alliances:overview", args=[second.alliance.pk]))
    assert "Inès Morel" in overview.content.decode()
    assert "1F504" in overview.content.decode()
    assert not Handover.objects.filter(alliance=first.alliance).exists()


def test_the_org_admin_sees_no_alliance_title(client, leaving, colleague):
    make_alliance_trio(professional=leaving, title="Titre confidentiel")
    admin = UserFactory(org_admin=True, organisation=leaving.organisation)
    client.force_login(admin)
    url = reverse("caseload:handover")
    assert "Titre confidentiel" not in client.get(url).content.decode()
    response = client.post(url, {"leaving": leaving.pk, "successor": colleague.pk})
    assert response.status_code == 302
    assert Handover.objects.count() == 1
