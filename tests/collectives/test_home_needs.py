"""The home page's "what needs me" knows consultations: statements to vote on for
members, statements to moderate for facilitators."""

import pytest
from django.urls import reverse

from alliance.collectives import services
from alliance.home.selectors import what_needs_me

from .factories import make_circle

pytestmark = pytest.mark.django_db


def _needs(user, source):
    return [n for n in what_needs_me(user).needs if n.source == source]


def test_a_member_is_asked_to_vote_until_every_statement_has_their_vote():
    circle = make_circle(members=1, seeds=2)
    member = circle.members[0]
    (need,) = _needs(member.user, "consultation_vote")
    assert need.alliance is None and need.place == circle.collective.name
    assert need.url == reverse(
        "collectives:vote", args=[circle.collective.pk, circle.consultation.pk]
    )
    assert need.label.startswith("2 ")
    services.cast_votes(
        member=member,
        consultation=circle.consultation,
        values={s.pk: 1 for s in circle.statements},
    )
    assert not _needs(member.user, "consultation_vote")


def test_nothing_to_vote_on_in_a_draft_a_closed_consultation_or_after_leaving():
    draft = make_circle(members=1, seeds=1, open_it=False)
    assert not _needs(draft.members[0].user, "consultation_vote")
    closed = make_circle(members=2, seeds=1)
    services.close_consultation(
        by=closed.facilitator, consultation=closed.consultation, expected_version=2
    )
    assert not _needs(closed.members[0].user, "consultation_vote")
    left = make_circle(members=1, seeds=1)
    services.leave_collective(member=left.members[0])
    assert not _needs(left.members[0].user, "consultation_vote")


def test_only_facilitators_are_asked_to_moderate():
    circle = make_circle(members=2, seeds=1)
    for n in range(3):
        services.write_statement(
            member=circle.members[0], consultation=circle.consultation, text=f"Idée {n}."
        )
    (need,) = _needs(circle.facilitator.user, "moderation")
    assert need.label.startswith("3 ")
    assert need.url == reverse(
        "collectives:moderation", args=[circle.collective.pk, circle.consultation.pk]
    )
    assert not _needs(circle.members[1].user, "moderation")


def test_the_home_page_lists_them_with_the_collective_and_costs_the_same(
    client, django_assert_max_num_queries
):
    counts = []
    for size in (1, 4):
        facilitator = None
        for _ in range(size):
            circle = make_circle(members=1, seeds=2, facilitator_user=facilitator)
            facilitator = circle.facilitator.user
            services.write_statement(
                member=circle.members[0], consultation=circle.consultation, text="Une idée."
            )
        client.force_login(facilitator)
        assert client.get(reverse("home")).status_code == 200
        with django_assert_max_num_queries(12) as captured:
            page = client.get(reverse("home")).content.decode()
        counts.append(len(captured.captured_queries))
        assert circle.collective.name in page
        assert (
            reverse("collectives:moderation", args=[circle.collective.pk, circle.consultation.pk])
            in page
        )
    assert counts[0] == counts[1]
