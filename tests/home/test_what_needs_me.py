"""'What needs me': every source, for each kind of ally, at a cost that does not
grow with the number of alliances."""

import datetime
from html import unescape

import pytest
from django.urls import reverse
from django.utils import timezone

from alliance.acting import services as acting
from alliance.alliances import services
from alliance.alliances.models import Role, StatementKind
from alliance.demo.clock import as_of, days_ago
from alliance.home.selectors import what_needs_me
from tests.factories import UserFactory, make_alliance_trio, make_signed_charter

pytestmark = pytest.mark.django_db


def _busy_alliance(pro, i, *, rich):
    """An alliance of `pro` where something waits for them: a statement to vote on and,
    when `rich`, a charter signed 13 months ago (the review is overdue), a means
    awaiting their stance and an action of theirs that is late."""
    trio = make_alliance_trio(professional=pro, title=f"Alliance {i}")
    if rich:
        with as_of(days_ago(400)):
            charter = make_signed_charter(trio)
            due = timezone.localdate() + datetime.timedelta(days=2)
            action = acting.plan_action(
                ally=trio.parent, title=f"Appeler {i}", domain_label="Scolarité", my_role="Moi"
            )
            acting.join_action(ally=trio.professional, action=action, role="J'aide")
            acting.plan_action(
                ally=trio.professional,
                title=f"Visiter {i}",
                domain_label="Scolarité",
                my_role="Je conduis",
                due_date=due,
            )
        acting.propose_means(
            ally=trio.parent,
            interest_statement_id=charter.interests.get().statement_id,
            description=f"Moyen {i}",
        )
    services.write_statement(ally=trio.person, kind=StatementKind.GOAL, text=f"But {i}.")
    return trio


def _professional_in(n):
    pro = UserFactory(professional=True)
    for i in range(n):
        _busy_alliance(pro, i, rich=i % 10 == 0)
    other = make_alliance_trio(title="Invitation")
    services.invite_ally(
        inviter=other.parent, display_name=pro.display_name, email=pro.email, role=Role.PROFESSIONAL
    )
    return pro


def test_every_source_speaks_for_the_professional():
    pro = _professional_in(1)
    home = what_needs_me(pro)
    sources = {n.source for n in home.needs}
    assert sources == {"invitation", "vote", "stance", "action", "review", "weather"}
    late = [n for n in home.needs if n.late]
    assert {n.source for n in late} == {"action", "review"}
    assert home.needs[: len(late)] == late  # the late first


def test_only_the_person_and_their_representative_are_asked_to_approve(client):
    trio = make_alliance_trio()
    waiting = services.invite_ally(
        inviter=trio.professional, display_name="Tante Zoé", role=Role.RELATIVE
    )
    services.accept_invitation(ally=waiting)
    make_signed_charter(trio)
    client.force_login(trio.parent.user)
    page = unescape(client.get(reverse("home")).content.decode())
    assert "1 allié attend votre accord" in page
    client.force_login(trio.professional.user)
    assert "attend votre accord" not in unescape(client.get(reverse("home")).content.decode())


@pytest.mark.parametrize("sizes", [(1, 30, 300)])
def test_the_home_page_costs_the_same_for_1_30_or_300_alliances(
    client, django_assert_max_num_queries, sizes
):
    counts = []
    for n in sizes:
        pro = _professional_in(n)
        client.force_login(pro)
        client.get(reverse("home"))  # warm the session
        # 16: one is the session check of every signed-in page (accounts/sessions.py),
        # two the invitations to the viewer's address (alliances and collectives), one
        # django-otp's look-up of the device that verified the professional's session.
        with django_assert_max_num_queries(16) as captured:
            response = client.get(reverse("home"))
        assert response.status_code == 200
        counts.append(len(captured.captured_queries))
        page = unescape(response.content.decode())
        assert f"Alliance {n - 1}" in page and "Le point d'étape est en retard" in page
        # The list stays short: the most urgent 50, the rest counted on each alliance.
        assert page.count('<li><span class="needs-late">') <= 50
        assert ("autres choses\u00a0: voyez chaque alliance" in page) == (n == 300)
    assert len(set(counts)) == 1, counts
    print(f"home: {counts[0]} queries for {sizes} alliances")


def test_the_weather_is_asked_for_once_the_charter_is_signed_and_a_month_after_the_last():
    trio = make_alliance_trio()

    def asked(ally):
        return [n.url for n in what_needs_me(ally.user).needs if n.source == "weather"]

    assert asked(trio.person) == []  # no signed charter yet
    make_signed_charter(trio)
    weather_url = reverse("acting:weather", args=[trio.alliance.pk])
    assert asked(trio.person) == [weather_url]
    with as_of(days_ago(31)):
        acting.give_weather(ally=trio.person, aim=5, way=5, heard=5, decide=5)
    acting.give_weather(ally=trio.parent, aim=5, way=5, heard=5, decide=5)
    assert asked(trio.person) == [weather_url]  # 31 days ago: time to give it again
    assert asked(trio.parent) == []


def test_a_representative_waits_for_the_second_pair_of_eyes_only(client):
    """ADR 0009: a representative awaiting approval is a need of whoever may approve
    them, never of their inviter; at the start, of an ally who has only joined."""
    from alliance.alliances.models import MandateKind

    pro = UserFactory(professional=True)
    alliance = services.create_alliance(
        creator=pro, title="Pour Jade", person_name="Jade", person_is_protected=True
    )
    creator = alliance.allies.get(user=pro)
    parent = services.invite_ally(
        inviter=creator,
        display_name="Maman de Jade",
        role=Role.REPRESENTATIVE,
        mandate={"kind": MandateKind.PARENT},
    )
    services.accept_invitation(ally=parent)
    colleague = services.invite_ally(
        inviter=creator, display_name="Collègue", role=Role.PROFESSIONAL
    )
    services.accept_invitation(ally=colleague)

    def approvals(user):
        return [n for n in what_needs_me(user).needs if n.source == "approval"]

    assert approvals(pro) == []
    assert approvals(parent.user) == []
    (need,) = approvals(colleague.user)
    assert need.url == reverse("alliances:overview", args=[alliance.pk])
    client.force_login(colleague.user)
    assert need.label in unescape(client.get(reverse("home")).content.decode())
