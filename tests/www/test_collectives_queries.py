"""Collective, consultation, voting and moderation pages cost a fixed number of
queries, whatever the number of members, statements and votes."""

import pytest
from django.urls import reverse

from alliance.collectives import services
from alliance.collectives.models import OpinionSnapshot
from tests.collectives.factories import make_circle

pytestmark = pytest.mark.django_db

# 15 since the easy-read results and the poster read the facilitators' group
# descriptions (one query, whatever the number of groups).
CEILING = 15


def _grow(*, members, statements, pending):
    """A circle whose members each voted on two thirds of the statements, wrote
    statements (some waiting, some refused, one withdrawn), with a finished
    computation of the opinion groups."""
    circle = make_circle(members=members, seeds=statements)
    consultation, voters = circle.consultation, circle.members
    ids = [s.pk for s in circle.statements]
    for i, member in enumerate(voters):
        services.cast_votes(
            member=member,
            consultation=consultation,
            values={sid: (i + n) % 3 - 1 for n, sid in enumerate(ids) if (i + n) % 3},
        )
    written = [
        services.write_statement(
            member=voters[n % len(voters)], consultation=consultation, text=f"Idée {n}."
        )
        for n in range(pending + 2)
    ]
    services.moderate_statement(
        by=circle.facilitator, statement=written[0], accept=False, reason="Hors sujet."
    )
    services.withdraw_statement(member=voters[1 % len(voters)], statement=written[1])
    OpinionSnapshot.objects.create(
        consultation=consultation,
        status=OpinionSnapshot.Status.DONE,
        result={
            "consensus": {str(sid): 0.5 for sid in ids},
            "divisive": ids[:1],
            "summary": {"statement_votes": {str(sid): [1, 1, 3] for sid in ids}},
        },
    )
    return circle


def _pages(circle):
    c, k = circle.collective.pk, circle.consultation.pk
    return {
        "list": reverse("collectives:list"),
        "detail": reverse("collectives:detail", args=[c]),
        "consultation": reverse("collectives:consultation", args=[c, k]),
        "vote": reverse("collectives:vote", args=[c, k]),
        "moderation": reverse("collectives:moderation", args=[c, k]),
    }


def _count(client, url, django_assert_max_num_queries):
    assert client.get(url).status_code == 200
    with django_assert_max_num_queries(CEILING) as captured:
        assert client.get(url).status_code == 200
    return len(captured.captured_queries)


def test_the_pages_cost_the_same_for_3_or_40_members_and_3_or_60_statements(
    client, django_assert_max_num_queries
):
    small = _grow(members=3, statements=3, pending=2)
    large = _grow(members=40, statements=60, pending=25)
    counts = {}
    for name in ("list", "detail", "consultation", "vote", "moderation"):
        for who in ("facilitator", "member"):
            if name == "moderation" and who == "member":
                continue
            measured = []
            for circle in (small, large):
                user = (circle.facilitator if who == "facilitator" else circle.members[1]).user
                client.force_login(user)
                measured.append(_count(client, _pages(circle)[name], django_assert_max_num_queries))
            counts[f"{name} as {who}"] = measured
    assert all(a == b for a, b in counts.values()), counts
    print(counts)


def test_the_easy_read_pages_cost_the_same_for_3_or_40_members_and_3_or_60_statements(
    client, django_assert_max_num_queries
):
    """The easy-read versions (issue 11)."""
    small = _grow(members=3, statements=3, pending=2)
    large = _grow(members=40, statements=60, pending=25)
    counts = {}
    for name in ("list", "detail", "consultation", "vote"):
        for who in ("facilitator", "member"):
            measured = []
            for circle in (small, large):
                user = (circle.facilitator if who == "facilitator" else circle.members[1]).user
                _easy(client, user)
                measured.append(_count(client, _pages(circle)[name], django_assert_max_num_queries))
            counts[f"{name} as {who}"] = measured
    assert {k: v for k, v in counts.items() if v[0] != v[1]} == {}


def test_the_easy_read_results_and_poster_cost_the_same_for_12_or_60_participants(
    client, django_assert_max_num_queries
):
    from alliance.collectives import results
    from tests.collectives.test_results import Place

    places = [Place(tenants=6, owners=6), Place(tenants=30, owners=30)]
    counts = {}
    for place in places:
        place.vote_all()
        results.recompute_now(member=place.facilitator, consultation=place.consultation)
    for name in ("results:results", "results:poster"):
        for who in ("facilitator", "member"):
            measured = []
            for place in places:
                _easy(client, (place.facilitator if who == "facilitator" else place.owners[0]).user)
                url = reverse(name, args=[place.collective.pk, place.consultation.pk])
                measured.append(_count(client, url, django_assert_max_num_queries))
            counts[f"{name} as {who}"] = measured
    assert {k: v for k, v in counts.items() if v[0] != v[1]} == {}


def _easy(client, user):
    from alliance.www.reading import EASY, SESSION_KEY

    client.force_login(user)
    session = client.session
    session[SESSION_KEY] = EASY
    session.save()
