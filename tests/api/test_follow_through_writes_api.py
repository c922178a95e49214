"""The follow-through's writes by API (ADR 0038): the addressed decision maker answers
a request and posts progress, a member reacts to an answer; the same use cases as
the pages, so the same trail entries, 409s and refusals. Each door is tried by
everyone else: the other roles, a read token, another decision maker, a DUI
software, a revoked or expired token."""

import json

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from alliance.audit.models import Action, AuditEntry
from alliance.reports.models import AnswerReaction, ProgressUpdate, RequestAnswer
from alliance.reports.proposals import services
from tests.factories import UserFactory, make_alliance_trio
from tests.reports.proposal_world import make_world, member_of

pytestmark = pytest.mark.django_db

REQUESTS = ["Une zone de rencontre.", "Un passage piéton.", "Des bancs."]


@pytest.fixture
def world():
    trio = make_alliance_trio()
    made = make_world(trio, requests=REQUESTS)
    made.trio = trio
    return made


def _send(client, method, url, body, headers):
    return client.generic(
        method, url, data=json.dumps(body), content_type="application/json", **headers
    )


def _since():
    last = AuditEntry.objects.order_by("-pk").first()
    return last.pk if last else 0


def _entries(action, since):
    return list(AuditEntry.objects.filter(action=action, pk__gt=since).order_by("pk"))


def _answer_url(world, request):
    return reverse(
        "api:proposal_request_answer",
        kwargs={"proposal_id": world.proposal.pk, "request_id": request.pk},
    )


def _first(world):
    return world.proposal.requests.order_by("position").first()


def _answer(world, request, decision="accepted"):
    request.refresh_from_db()
    return services.answer_request(
        user=world.decision_maker,
        request=request,
        decision=decision,
        words="Oui.",
        expected_version=request.version,
    )


# ---------------------------------------------------------------- answering a request


def test_the_addressee_answers_a_request_and_the_trail_says_so(client, world, token_for):
    request = _first(world)
    since = _since()
    response = _send(
        client,
        "post",
        _answer_url(world, request),
        {"decision": "partly", "words": "Un essai d'abord.", "expected_version": 1},
        token_for(world.decision_maker, "write"),
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert (body["id"], body["decision"], body["version"]) == (request.pk, "partly", 2)
    assert body["answer"]["words"] == "Un essai d'abord."
    [entry] = _entries(Action.REQUEST_ANSWERED, since)
    assert entry.actor_id == world.decision_maker.pk
    assert entry.detail["request"] == request.pk and entry.detail["decision"] == "partly"


def test_a_stale_answer_is_refused_and_changes_nothing(client, world, token_for):
    request = _first(world)
    _answer(world, request, "refused")  # someone answered meanwhile: version 2
    response = _send(
        client,
        "post",
        _answer_url(world, request),
        {"decision": "accepted", "words": "Oui.", "expected_version": 1},
        token_for(world.decision_maker, "write"),
    )
    assert response.status_code == 409
    assert response["Content-Type"] == "application/problem+json"
    assert response.json()["type"].endswith("/conflict")
    assert list(RequestAnswer.objects.values_list("decision", flat=True)) == ["refused"]


def test_a_bad_answer_is_refused_in_the_callers_language(client, world, token_for):
    url = _answer_url(world, _first(world))
    headers = token_for(world.decision_maker, "write")
    body = {"decision": "maybe", "words": " ", "expected_version": 1}
    french = _send(client, "post", url, body, headers).json()
    english = _send(client, "post", url, body, {**headers, "HTTP_ACCEPT_LANGUAGE": "en"}).json()
    assert french["status"] == english["status"] == 422
    assert {e["field"] for e in english["errors"]} == {"decision", "words"}
    assert "Choose: accepted, partly accepted or refused." in english["detail"]
    assert "Choose: accepted, partly accepted or refused." not in french["detail"]
    assert not RequestAnswer.objects.exists()


def test_a_request_of_another_proposal_is_not_found(client, world, token_for):
    other = make_world(make_alliance_trio(), decision_maker=world.decision_maker)
    url = reverse(
        "api:proposal_request_answer",
        kwargs={"proposal_id": world.proposal.pk, "request_id": _first(other).pk},
    )
    body = {"decision": "accepted", "words": "Oui.", "expected_version": 1}
    response = _send(client, "post", url, body, token_for(world.decision_maker, "write"))
    assert response.status_code == 404
    assert not RequestAnswer.objects.exists()


@pytest.fixture
def callers(token_for, dead_token, software_for):
    return token_for, dead_token, software_for


def _nobody_else(client, world, callers, method, url, body, members_pass=False):
    """Every caller but the one the door is for, and what each gets. Nothing is
    written by any of them. A read token reads, so it is tried on writes only."""
    token_for, dead_token, software_for = callers
    trio = world.trio
    other_dm = UserFactory(decision_maker=True)
    owner = trio.person.user if members_pass else world.decision_maker
    refused = {
        "no token": ({}, 401),
        "revoked token": (dead_token(owner, "revoked"), 401),
        "expired token": (dead_token(owner, "expired"), 401),
        "read token": (token_for(owner, "read"), 403),
        "DUI software": (software_for(trio.professional.user.organisation), 403),
        "another decision maker": (token_for(other_dm, "write"), 404),
        "stranger": (token_for(UserFactory(), "write"), 404),
        "organisation admin": (
            token_for(
                UserFactory(org_admin=True, organisation=trio.professional.user.organisation),
                "write",
            ),
            404,
        ),
    }
    if members_pass:
        refused["addressee"] = (token_for(world.decision_maker, "write"), 404)
    else:
        refused.update(
            {
                "member (the person)": (token_for(trio.person.user, "write"), 404),
                "representative": (token_for(trio.parent.user, "write"), 404),
                "facilitator": (token_for(trio.professional.user, "write"), 404),
            }
        )
    if method == "get":
        del refused["read token"]
    for who, (headers, status) in refused.items():
        response = _send(client, method, url, body, headers)
        assert response.status_code == status, (who, response.content[:200])
        assert response["Content-Type"] == "application/problem+json", who
        if who == "read token":
            assert response.json()["type"].endswith("/insufficient-scope")


def test_nobody_but_the_addressee_answers_a_request(client, world, callers):
    request = _first(world)
    body = {"decision": "accepted", "words": "Oui.", "expected_version": 1}
    _nobody_else(client, world, callers, "post", _answer_url(world, request), body)
    assert not RequestAnswer.objects.exists()


# ---------------------------------------------------------------- progress


def _progress_url(world):
    return reverse("api:proposal_progress", kwargs={"proposal_id": world.proposal.pk})


def test_the_addressee_posts_progress_on_an_accepted_request(client, world, token_for):
    request = _first(world)
    _answer(world, request)
    since = _since()
    response = _send(
        client,
        "post",
        _progress_url(world),
        {
            "request_id": request.pk,
            "status_label": "Travaux lancés",
            "percentage": 40,
            "next_step": "Marquage au sol",
            "next_step_on": "2027-03-01",
            "cost": "12500.50",
            "budget_line": "Voirie 2027",
        },
        token_for(world.decision_maker, "write"),
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert (body["request_id"], body["percentage"], body["cost"]) == (request.pk, 40, "12500.50")
    [entry] = _entries(Action.PROGRESS_POSTED, since)
    assert entry.detail["request"] == request.pk and entry.detail["percentage"] == 40
    request.refresh_from_db()
    assert request.percentage == 40


@pytest.mark.parametrize(
    ("payload", "field", "message"),
    [
        ({"percentage": 150}, "percentage", "Give a percentage between 0 and 100."),
        ({"status_label": " "}, "status_label", "Say in a few words where it stands."),
        ({"cost": "-3"}, "cost", "A cost cannot be negative."),
        # A request not yet accepted takes no progress.
        ({"request": "first"}, "request", "answer it first."),
        ({"request": "elsewhere"}, "request_id", "Choose a request of this proposal."),
    ],
)
def test_bad_progress_is_refused_with_a_clear_message(
    client, world, token_for, payload, field, message
):
    body = {"status_label": "Étude", "percentage": 10, **payload}
    if body.pop("request", None) == "first":
        body["request_id"] = _first(world).pk
    elif payload.get("request") == "elsewhere":
        body["request_id"] = _first(make_world(make_alliance_trio())).pk
    headers = {**token_for(world.decision_maker, "write"), "HTTP_ACCEPT_LANGUAGE": "en"}
    response = _send(client, "post", _progress_url(world), body, headers)
    assert response.status_code == 422, response.content
    assert field in {e["field"] for e in response.json()["errors"]}
    assert message in response.json()["detail"]
    assert not ProgressUpdate.objects.exists()


def test_nobody_but_the_addressee_posts_progress(client, world, callers):
    body = {"status_label": "Étude", "percentage": 10}
    _nobody_else(client, world, callers, "post", _progress_url(world), body)
    assert not ProgressUpdate.objects.exists()


# ---------------------------------------------------------------- reactions


def _reaction_url(world, answer):
    return reverse(
        "api:proposal_answer_reaction",
        kwargs={"proposal_id": world.proposal.pk, "answer_id": answer.pk},
    )


def test_a_member_reacts_then_changes_their_mind_and_the_counts_follow(client, world, token_for):
    answer = _answer(world, _first(world))
    services.react_to_answer(
        member=member_of(world.collective, world.trio.parent.user), answer=answer, satisfied=True
    )
    url, headers = _reaction_url(world, answer), token_for(world.trio.person.user, "write")
    since = _since()
    first = _send(client, "put", url, {"satisfied": False, "words": "Trop tard."}, headers)
    assert first.status_code == 200, first.content
    assert first.json() == {
        "answer_id": answer.pk,
        "satisfied": False,
        "words": "Trop tard.",
        "satisfied_count": 1,
        "unsatisfied_count": 1,
    }
    again = _send(client, "put", url, {"satisfied": True}, headers).json()
    assert (again["satisfied_count"], again["unsatisfied_count"]) == (2, 0)
    assert [e.detail["changed"] for e in _entries(Action.ANSWER_REACTED, since)] == [False, True]
    assert AnswerReaction.objects.filter(member=world.trio.person.user).count() == 1


def test_a_reaction_needs_to_say_whether_and_keeps_words_short(client, world, token_for):
    answer = _answer(world, _first(world))
    url, headers = _reaction_url(world, answer), token_for(world.trio.person.user, "write")
    for body in ({"words": "Bof."}, {"satisfied": True, "words": "x" * 1001}):
        response = _send(client, "put", url, body, headers)
        assert response.status_code == 422
        assert response["Content-Type"] == "application/problem+json"
    assert not AnswerReaction.objects.exists()


def test_nobody_outside_the_collective_reacts(client, world, callers):
    answer = _answer(world, _first(world))
    body = {"satisfied": True}
    url = _reaction_url(world, answer)
    _nobody_else(client, world, callers, "put", url, body, members_pass=True)
    assert not AnswerReaction.objects.exists()


def test_an_answer_of_another_proposal_is_not_found_through_this_one(client, world, token_for):
    other = make_world(world.trio, decision_maker=world.decision_maker)
    answer = _answer(other, _first(other))
    headers = token_for(world.trio.person.user, "write")
    response = _send(client, "put", _reaction_url(world, answer), {"satisfied": True}, headers)
    assert response.status_code == 404
    assert not AnswerReaction.objects.exists()
    services.react_to_answer(
        member=member_of(other.collective, world.trio.person.user), answer=answer, satisfied=True
    )
    assert _read_reaction(client, world, answer, headers).status_code == 404


def _read_reaction(client, world, answer, headers):
    return client.get(_reaction_url(world, answer), **headers)


def test_a_member_reads_their_own_reaction_only(client, world, token_for):
    answer = _answer(world, _first(world))
    person, parent = world.trio.person.user, world.trio.parent.user
    services.react_to_answer(
        member=member_of(world.collective, parent), answer=answer, satisfied=True, words="Enfin."
    )
    none_yet = _read_reaction(client, world, answer, token_for(person))
    assert none_yet.status_code == 404
    assert none_yet["Content-Type"] == "application/problem+json"
    services.react_to_answer(
        member=member_of(world.collective, person), answer=answer, satisfied=False, words="Tard."
    )
    mine = _read_reaction(client, world, answer, token_for(person))
    assert mine.status_code == 200, mine.content
    assert mine.json() == {
        "answer_id": answer.pk,
        "satisfied": False,
        "words": "Tard.",
        "satisfied_count": 1,
        "unsatisfied_count": 1,
    }
    theirs = _read_reaction(client, world, answer, token_for(parent)).json()
    assert (theirs["satisfied"], theirs["words"]) == (True, "Enfin.")
    # The facilitator is a member who has not reacted: the others' stay theirs.
    facilitator = token_for(world.trio.professional.user)
    assert _read_reaction(client, world, answer, facilitator).status_code == 404


def test_nobody_outside_the_collective_reads_a_reaction(client, world, callers):
    answer = _answer(world, _first(world))
    services.react_to_answer(
        member=member_of(world.collective, world.trio.person.user), answer=answer, satisfied=True
    )
    url = _reaction_url(world, answer)
    _nobody_else(client, world, callers, "get", url, None, members_pass=True)


# ---------------------------------------------------------------- query counts


def _queries(client, method, url, body, headers):
    with CaptureQueriesContext(connection) as queries:
        response = _send(client, method, url, body, headers)
    assert response.status_code in (200, 201), response.content
    return len(queries)


def test_each_door_costs_the_same_whatever_the_proposal_holds(client, token_for):
    """One request or ten with their answers and reactions: each write, and a member's
    read of their reaction, costs the same number of queries, under a ceiling."""
    costs = []
    for count in (1, 10):
        trio = make_alliance_trio()
        world = make_world(trio, requests=[f"Demande {n}." for n in range(count)])
        world.trio = trio
        for request in world.proposal.requests.all():
            answer = _answer(world, request, "partly")
            services.react_to_answer(
                member=member_of(world.collective, trio.parent.user), answer=answer, satisfied=True
            )
        request = _first(world)
        request.refresh_from_db()
        dm = token_for(world.decision_maker, "write")
        member = token_for(trio.person.user, "write")
        costs.append(
            (
                _queries(
                    client,
                    "post",
                    _answer_url(world, request),
                    {"decision": "accepted", "words": "Oui.", "expected_version": request.version},
                    dm,
                ),
                _queries(
                    client,
                    "post",
                    _progress_url(world),
                    {"request_id": request.pk, "status_label": "Étude", "percentage": 20},
                    dm,
                ),
                _queries(
                    client,
                    "put",
                    _reaction_url(world, request.answers.latest("at", "pk")),
                    {"satisfied": False},
                    member,
                ),
                _queries(
                    client,
                    "get",
                    _reaction_url(world, request.answers.latest("at", "pk")),
                    None,
                    member,
                ),
            )
        )
    assert costs[0] == costs[1], costs
    assert all(cost <= ceiling for cost, ceiling in zip(costs[0], CEILINGS, strict=True)), costs


# Answer, progress, reaction: the token and the gatekeeper, then the use case (the
# locks, the write, the trail, the proposal's status, a notification to each of the
# collective's three other members, as from the page) and what is read back. Reading
# one's reaction: the token, the gatekeeper, the reaction and its counts.
CEILINGS = (50, 48, 15, 8)


# ---------------------------------------------------------------- a tool's round trip


def test_a_tool_answers_and_reacts_with_what_the_proposal_read_gave_it(client, world, token_for):
    """What the read says is what the writes need: the request's version, the
    answer's id."""
    detail_url = reverse("api:proposal_detail", kwargs={"proposal_id": world.proposal.pk})
    dm = token_for(world.decision_maker, "write")
    [first, *_rest] = client.get(detail_url, **dm).json()["requests"]
    request = world.proposal.requests.get(pk=first["id"])
    body = {"decision": "accepted", "words": "Oui.", "expected_version": first["version"]}
    assert _send(client, "post", _answer_url(world, request), body, dm).status_code == 201
    member = token_for(world.trio.person.user, "write")
    [answered, *_rest] = client.get(detail_url, **member).json()["requests"]
    answer = RequestAnswer.objects.get(pk=answered["answer"]["id"])
    response = _send(client, "put", _reaction_url(world, answer), {"satisfied": True}, member)
    assert response.status_code == 200
    [seen, *_rest] = client.get(detail_url, **dm).json()["requests"]
    assert (seen["answer"]["satisfied_count"], seen["answer"]["unsatisfied_count"]) == (1, 0)
