"""The ballot: which statement a member sees next, from live counts before the first
computation of the opinion groups and from the last snapshot after it."""

import pytest

from alliance.collectives import selectors, services
from alliance.collectives.models import OpinionSnapshot

from .factories import make_circle

pytestmark = pytest.mark.django_db


def test_before_any_computation_the_least_voted_statement_comes_first():
    circle = make_circle(members=2, seeds=3)
    first, second, third = circle.statements
    services.cast_votes(
        member=circle.members[0],
        consultation=circle.consultation,
        values={first.pk: 1, third.pk: -1},
    )
    ballot = selectors.ballot(circle.members[1], circle.consultation)
    assert ballot.statement == second
    assert (ballot.voted, ballot.total, ballot.my_value) == (0, 3, None)


def test_after_a_computation_divisive_and_uniting_statements_come_first():
    circle = make_circle(members=1, seeds=3)
    first, second, third = circle.statements
    OpinionSnapshot.objects.create(
        consultation=circle.consultation,
        status=OpinionSnapshot.Status.DONE,
        result={
            "consensus": {str(first.pk): 0.1, str(second.pk): 0.9, str(third.pk): 0.1},
            "divisive": [third.pk],
            "summary": {"statement_votes": {str(s.pk): [2, 2, 5] for s in circle.statements}},
            "participants": {"p1": {"group": 0}},
        },
    )
    member = circle.members[0]
    assert selectors.ballot(member, circle.consultation).statement == third
    services.cast_vote(member=member, statement=third, value=1)
    assert selectors.ballot(member, circle.consultation).statement == second


def test_a_statement_asked_for_again_shows_the_members_vote():
    circle = make_circle(members=1, seeds=2)
    member, statement = circle.members[0], circle.statements[0]
    services.cast_vote(member=member, statement=statement, value=-1)
    ballot = selectors.ballot(member, circle.consultation, statement_id=statement.pk)
    assert (ballot.statement, ballot.my_value, ballot.voted) == (statement, -1, 1)


def test_a_statement_not_open_to_votes_is_not_put_on_the_ballot():
    circle = make_circle(members=1, seeds=1)
    pending = services.write_statement(
        member=circle.members[0], consultation=circle.consultation, text="En attente."
    )
    ballot = selectors.ballot(circle.members[0], circle.consultation, statement_id=pending.pk)
    assert ballot.statement == circle.statements[0]
