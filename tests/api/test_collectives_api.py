"""Movement 3 through the API: the same gatekeepers, selectors and use cases as the
pages, so the same people see the same things and the trail says the same."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from alliance.audit.models import Action, AuditEntry
from alliance.collectives import results, services
from alliance.collectives.models import ConsultationStatement, ConsultationVote
from alliance.consensus.publication import MIN_SHARE_VOTES, publish
from alliance.reports.models import ProposalStatus
from alliance.reports.proposals import services as proposals
from tests.collectives.factories import make_circle
from tests.collectives.test_results import Place
from tests.factories import UserFactory, make_alliance_trio
from tests.reports.proposal_world import make_collective, make_report, make_world

pytestmark = pytest.mark.django_db

BASE = "/api/v1"


def _url(circle, tail=""):
    return f"{BASE}/collectives/{circle.collective.pk}/consultations/{circle.consultation.pk}{tail}"


# ---------------------------------------------------------------- collectives


def test_my_collectives_in_a_fixed_number_of_queries(client, token_for):
    circle = make_circle(members=2, seeds=1)
    me = circle.members[0].user
    headers = token_for(me)

    def count():
        with CaptureQueriesContext(connection) as queries:
            response = client.get(f"{BASE}/collectives", **headers)
        assert response.status_code == 200
        return response.json(), len(queries)

    count()  # the token's first use is written down once
    body, few = count()
    assert [(c["name"], c["my_role"], c["member_count"]) for c in body] == [
        ("Quartier Bellevue", "member", 3)
    ]
    for _n in range(3):
        other = make_circle(members=1, seeds=0)
        services.add_member(by=other.facilitator, user=me, standing="resident")
    body, many = count()
    assert len(body) == 4 and many == few


def test_a_stranger_finds_no_collective_and_a_decision_maker_none_of_its_proposals(
    client, token_for
):
    circle = make_circle(members=1)
    for user in (UserFactory(), UserFactory(decision_maker=True)):
        headers = token_for(user)
        for tail in ("", "/consultations", "/proposals"):
            response = client.get(f"{BASE}/collectives/{circle.collective.pk}{tail}", **headers)
            assert response.status_code == 404
            assert response["Content-Type"] == "application/problem+json"
        assert client.get(_url(circle, "/statements"), **headers).status_code == 404
        assert client.get(f"{BASE}/collectives", **headers).json() == []


def test_a_draft_consultation_is_seen_by_facilitators_only(client, token_for):
    circle = make_circle(members=1, open_it=False)
    member, facilitator = circle.members[0].user, circle.facilitator.user
    url = f"{BASE}/collectives/{circle.collective.pk}/consultations"
    assert client.get(url, **token_for(member)).json() == []
    assert client.get(_url(circle), **token_for(member)).status_code == 404
    (shown,) = client.get(url, **token_for(facilitator)).json()
    assert shown["status"] == "draft" and shown["version"] == 1


def test_detail_counts_members_by_how_they_take_part(client, token_for):
    circle = make_circle(members=2, seeds=0)
    body = client.get(
        f"{BASE}/collectives/{circle.collective.pk}", **token_for(circle.facilitator.user)
    ).json()
    assert body["my_role"] == "facilitator" and body["member_count"] == 3
    assert {(s["standing"], s["count"]) for s in body["members_by_standing"]} == {
        ("professional", 1),
        ("resident", 2),
    }


# ---------------------------------------------------------------- statements and votes


def test_statements_show_my_votes_and_my_own_words_never_others_waiting(client, token_for):
    circle = make_circle(members=2, seeds=2)
    me, other = circle.members
    services.cast_vote(member=me, statement=circle.statements[0], value=-1)
    services.write_statement(member=me, consultation=circle.consultation, text="Un banc ici.")
    services.write_statement(member=other, consultation=circle.consultation, text="Pas de banc.")
    body = client.get(_url(circle, "/statements"), **token_for(me.user)).json()
    assert [(s["text"], s["my_vote"]) for s in body["statements"]] == [
        ("Proposition de départ 0.", -1),
        ("Proposition de départ 1.", None),
    ]
    assert [(s["text"], s["status"]) for s in body["mine"]] == [("Un banc ici.", "pending")]
    assert body["voted"] == 1


def test_a_vote_goes_through_the_use_case_and_its_trail(client, token_for):
    circle = make_circle(members=1, seeds=1)
    me = circle.members[0]
    statement = circle.statements[0]
    url = _url(circle, f"/statements/{statement.pk}/vote")
    write = token_for(me.user, scope="write")
    response = client.put(url, {"value": 1}, content_type="application/json", **write)
    assert response.status_code == 200 and response.json() == {
        "statement_id": statement.pk,
        "value": 1,
    }
    response = client.put(url, {"value": 0}, content_type="application/json", **write)
    assert ConsultationVote.objects.get(statement=statement, participant=me.user).value == 0
    entries = AuditEntry.objects.filter(action=Action.CONSULTATION_VOTED, actor=me.user)
    assert entries.count() == 2 and "value" not in str(entries.first().detail)


@pytest.mark.parametrize(
    ("scope", "body", "status"),
    [("read", {"value": 1}, 403), ("write", {"value": 2}, 422), ("write", {}, 422)],
)
def test_a_refused_vote_changes_nothing(client, token_for, scope, body, status):
    circle = make_circle(members=1, seeds=1)
    url = _url(circle, f"/statements/{circle.statements[0].pk}/vote")
    headers = token_for(circle.members[0].user, scope=scope)
    response = client.put(url, body, content_type="application/json", **headers)
    assert response.status_code == status
    assert response["Content-Type"] == "application/problem+json"
    assert not ConsultationVote.objects.exists()


def test_a_vote_on_a_waiting_statement_is_refused_in_the_callers_language(client, token_for):
    circle = make_circle(members=1, seeds=1)
    waiting = services.write_statement(
        member=circle.members[0], consultation=circle.consultation, text="Un banc ici."
    )
    url = _url(circle, f"/statements/{waiting.pk}/vote")
    headers = token_for(circle.members[0].user, scope="write")
    response = client.put(
        url, {"value": 1}, content_type="application/json", HTTP_ACCEPT_LANGUAGE="en", **headers
    )
    assert response.status_code == 422
    assert "waiting for moderation" in response.json()["detail"]
    assert not ConsultationVote.objects.exists()


def test_a_member_writes_a_statement_that_waits_for_moderation(client, token_for):
    circle = make_circle(members=1, seeds=1)
    headers = token_for(circle.members[0].user, scope="write")
    response = client.post(
        _url(circle, "/statements"),
        {"text": "Un banc ici."},
        content_type="application/json",
        **headers,
    )
    assert response.status_code == 201 and response.json()["status"] == "pending"
    assert AuditEntry.objects.filter(action=Action.CONSULTATION_STATEMENT_WRITTEN).count() == 1
    again = client.post(
        _url(circle, "/statements"),
        {"text": "un banc ici."},
        content_type="application/json",
        **headers,
    )
    assert again.status_code == 422
    assert ConsultationStatement.objects.filter(text__iexact="un banc ici.").count() == 1


# ---------------------------------------------------------------- results


def test_results_are_what_the_page_publishes_and_the_export_is_for_facilitators(client, token_for):
    place = Place(tenants=6, owners=3)
    place.vote_all()
    results.recompute_now(member=place.facilitator, consultation=place.consultation)
    base = f"{BASE}/collectives/{place.collective.pk}/consultations/{place.consultation.pk}"
    tenant = place.tenants[0]
    body = client.get(f"{base}/results", **token_for(tenant.user)).json()
    snapshot = place.consultation.snapshots.get()
    shown = publish(snapshot.result["summary"])
    # The owners' group is too small to be shown: they count among the others.
    assert [(g["id"], g["size"]) for g in body["groups"]] == [(g.id, g.size) for g in shown.groups]
    assert body["others"] == shown.others == 3 and body["participants"] == 9
    assert [s["statement_id"] for s in body["common_ground"]] == [
        s.statement for s in shown.common_ground
    ]
    for line in body["common_ground"] + body["divisive"]:
        for share in [line["overall"]] + [g["share"] for g in line["by_group"]]:
            assert share["shown"] == (share["votes"] >= MIN_SHARE_VOTES)
            assert (share["agree_percent"] is None) == (not share["shown"])
    assert "participants" not in str(body["groups"]) and "Locataire" not in str(body)

    assert client.get(f"{base}/results/export", **token_for(tenant.user)).status_code == 403
    export = client.get(f"{base}/results/export", **token_for(place.facilitator.user))
    assert export.status_code == 200
    assert export.json()["source"] == f"consultation {place.consultation.pk}"
    assert AuditEntry.objects.filter(action=Action.RESULTS_EXPORTED).count() == 1


def test_results_before_any_computation_are_empty_and_the_export_not_found(client, token_for):
    circle = make_circle(members=1, seeds=1)
    headers = token_for(circle.facilitator.user)
    body = client.get(_url(circle, "/results"), **headers).json()
    assert body["computed_at"] is None and body["groups"] == []
    assert client.get(_url(circle, "/results/export"), **headers).status_code == 404


# ---------------------------------------------------------------- reports


def test_a_report_shows_exactly_the_suppressed_tables_and_is_read_in_the_trail(client, token_for):
    trio = make_alliance_trio()
    world = make_world(trio, with_report=True)
    report = world.proposal.report
    report.refresh_from_db()
    headers = token_for(world.decision_maker)
    (listed,) = client.get(f"{BASE}/reports", **headers).json()
    assert listed["id"] == report.pk and listed["status"] == "ready"
    body = client.get(f"{BASE}/reports/{report.pk}", **headers).json()
    tables = report.snapshot["tables"]
    assert [t["key"] for t in body["tables"]] == list(tables)
    for table in body["tables"]:
        stored = tables[table["key"]]
        assert table["cells"] == stored["cells"]
        total = stored.get("grand_total", stored.get("total"))
        assert table["total"] == total
        assert table["row_labels"] and len(table["row_labels"]) == len(stored["rows"])
    entry = AuditEntry.objects.filter(action=Action.REPORT_VIEWED).get()
    assert entry.actor == world.decision_maker and entry.detail["as"] == "api"
    # Another decision maker, or a professional of another organisation, sees nothing.
    for stranger in (UserFactory(decision_maker=True), UserFactory(professional=True)):
        response = client.get(f"{BASE}/reports/{report.pk}", **token_for(stranger))
        assert response.status_code == 404
        assert client.get(f"{BASE}/reports", **token_for(stranger)).json() == []


# ---------------------------------------------------------------- proposals


def test_a_decision_maker_reads_counts_and_never_a_signers_name(client, token_for):
    trio = make_alliance_trio()
    world = make_world(trio)
    headers = token_for(world.decision_maker)
    (listed,) = client.get(f"{BASE}/proposals", **headers).json()
    assert listed["id"] == world.proposal.pk and listed["status"] == "sent"
    body = client.get(f"{BASE}/proposals/{world.proposal.pk}", **headers).json()
    # Closing comes from the requests, never from a step (ADR 0038).
    assert body["next_steps"] == ["acknowledged", "answered", "in_progress"]
    assert {e["actor"] for e in body["events"]} == {""}
    assert trio.professional.user.display_name not in str(body)


def test_proposal_lists_take_a_fixed_number_of_queries(client, token_for):
    trio = make_alliance_trio()
    world = make_world(trio)
    headers = token_for(world.decision_maker)
    member = token_for(trio.professional.user)
    collective_url = f"{BASE}/collectives/{world.collective.pk}/proposals"

    def count(url, h):
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url, **h).status_code == 200
        return len(queries)

    count(f"{BASE}/proposals", headers), count(collective_url, member)  # first uses
    few = (count(f"{BASE}/proposals", headers), count(collective_url, member))
    for n in range(3):
        make_world(trio, decision_maker=world.decision_maker, title=f"Proposition {n}")
        proposals.write_proposal(
            member=world.facilitator,
            title=f"Brouillon {n}",
            text="Un texte.",
            addressee=world.decision_maker,
        )
    many = (count(f"{BASE}/proposals", headers), count(collective_url, member))
    assert many == few
    assert len(client.get(f"{BASE}/proposals", **headers).json()) == 4


def test_the_answer_goes_through_the_use_case_with_409_on_a_stale_version(client, token_for):
    trio = make_alliance_trio()
    world = make_world(trio)
    url = f"{BASE}/proposals/{world.proposal.pk}/answer"
    headers = token_for(world.decision_maker, scope="write")
    version = world.proposal.version
    answer = {"status": "answered", "words": "Nous étudions.", "expected_version": version}
    response = client.post(url, answer, content_type="application/json", **headers)
    assert response.status_code == 200
    assert response.json()["status"] == "answered" and response.json()["version"] == version + 1
    assert AuditEntry.objects.filter(action=Action.PROPOSAL_MOVED).count() == 1
    stale = client.post(
        url, answer | {"status": "in_progress"}, content_type="application/json", **headers
    )
    assert stale.status_code == 409 and stale["Content-Type"] == "application/problem+json"
    backwards = client.post(
        url,
        {"status": "acknowledged", "expected_version": version + 1},
        content_type="application/json",
        **headers,
    )
    assert backwards.status_code == 422
    world.proposal.refresh_from_db()
    assert world.proposal.status == ProposalStatus.ANSWERED
    # Only the addressee answers, and only with a write token.
    read = token_for(world.decision_maker)
    assert client.post(url, answer, content_type="application/json", **read).status_code == 403
    member = token_for(trio.professional.user, scope="write")
    assert client.post(url, answer, content_type="application/json", **member).status_code == 404


def test_members_follow_their_collectives_proposals_with_who_did_each_step(client, token_for):
    trio = make_alliance_trio()
    world = make_world(trio)
    headers = token_for(trio.person.user)
    (listed,) = client.get(f"{BASE}/collectives/{world.collective.pk}/proposals", **headers).json()
    assert listed["title"] == world.proposal.title
    body = client.get(f"{BASE}/proposals/{world.proposal.pk}", **headers).json()
    assert [(e["status"], e["actor"]) for e in body["events"]] == [
        ("draft", trio.professional.user.display_name),
        ("sent", trio.professional.user.display_name),
    ]
    assert body["next_steps"] == []
    # Members of another collective find nothing.
    other = make_collective(facilitator=UserFactory(professional=True), name="Ailleurs")
    outsider = other.members.get().user
    response = client.get(f"{BASE}/proposals/{world.proposal.pk}", **token_for(outsider))
    assert response.status_code == 404


@pytest.mark.parametrize("raw", ["0", "-1", "abc", str(2**64)])
def test_an_id_that_cannot_be_a_row_is_refused_as_a_problem(client, token_for, raw):
    response = client.get(f"{BASE}/collectives/{raw}", **token_for(UserFactory()))
    assert response.status_code == 422
    assert response["Content-Type"] == "application/problem+json"
    assert response.json()["errors"] == [
        {"field": "path.collective_id", "reason": response.json()["errors"][0]["reason"]}
    ]


def _queries(client, url, headers):
    client.get(url, **headers)  # the token's first use is written down once
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url, **headers).status_code == 200
    return len(queries)


def test_consultations_and_reports_are_listed_in_a_fixed_number_of_queries(client, token_for):
    circle = make_circle(members=1, seeds=1)
    url = f"{BASE}/collectives/{circle.collective.pk}/consultations"
    headers = token_for(circle.facilitator.user)
    few = _queries(client, url, headers)
    for n in range(3):
        services.create_consultation(by=circle.facilitator, question=f"Question {n} ?")
    assert _queries(client, url, headers) == few
    assert len(client.get(url, **headers).json()) == 4

    trio = make_alliance_trio()
    claire = UserFactory(decision_maker=True)
    make_report(trio, publish_to=[claire])
    headers = token_for(claire)
    few = _queries(client, f"{BASE}/reports", headers)
    make_report(trio, publish_to=[claire])
    make_report(trio, publish_to=[claire])
    assert _queries(client, f"{BASE}/reports", headers) == few
    assert len(client.get(f"{BASE}/reports", **headers).json()) == 3
