"""The proposal read schema carries the follow-through (ADR 0038): requests with
their current and earlier answers and reaction counts, and dated progress whose cost
reaches only the addressee unless it is public. Never who reacted."""

from decimal import Decimal

import pytest

from alliance.reports.proposals import services
from tests.factories import make_alliance_trio
from tests.reports.proposal_world import make_world, member_of

pytestmark = pytest.mark.django_db

BASE = "/api/v1"


def test_the_proposal_reads_its_requests_answers_progress_and_reaction_counts(client, token_for):
    trio = make_alliance_trio()
    world = make_world(trio, requests=["Une zone de rencontre.", "Un passage piéton."])
    first, second = world.proposal.requests.order_by("position")
    dm = world.decision_maker
    services.answer_request(
        user=dm, request=first, decision="refused", words="D'abord non.", expected_version=1
    )
    first.refresh_from_db()
    answer = services.answer_request(
        user=dm, request=first, decision="partly", words="Un essai.", expected_version=2
    )
    services.react_to_answer(
        member=member_of(world.collective, trio.person.user),
        answer=answer,
        satisfied=False,
        words="Trop court.",
    )
    first.refresh_from_db()
    for public, cost in ((True, Decimal("18500")), (False, Decimal("300"))):
        services.post_progress(
            user=dm,
            proposal=world.proposal,
            request=first,
            status_label="Essai",
            percentage=30,
            cost=cost,
            budget_line="Voirie",
            cost_public=public,
        )
    url = f"{BASE}/proposals/{world.proposal.pk}"
    for user, costs in (
        (dm, ["18500.00", "300.00"]),
        (trio.person.user, ["18500.00", None]),
    ):
        body = client.get(url, **token_for(user)).json()
        requested = body["requests"]
        assert [(r["position"], r["decision"], r["settled"]) for r in requested] == [
            (1, "partly", False),
            (2, "", False),
        ]
        assert requested[0]["answer"]["words"] == "Un essai."
        assert (
            requested[0]["answer"]["satisfied_count"],
            requested[0]["answer"]["unsatisfied_count"],
        ) == (0, 1)
        assert [a["words"] for a in requested[0]["earlier_answers"]] == ["D'abord non."]
        assert [p["cost"] for p in body["progress"]] == costs
        assert [p["request_id"] for p in body["progress"]] == [first.pk, first.pk]
        assert "Trop court." not in str(body)
        assert trio.person.user.display_name not in str(requested)
    assert second.pk == requested[1]["id"]
