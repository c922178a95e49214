"""The API of movement 2: means with stances and decisions (dissent visible),
actions with co-actors, the journal, indicator readings, the weather and reviews,
read through the pages' selectors and written through the same use cases."""

import json

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from alliance.acting import services as acting
from alliance.acting.models import IndicatorReading, JournalEntry, Stance, WeatherRating
from alliance.alliances import services
from alliance.alliances.models import Alliance, Role
from alliance.audit.models import Action, AuditEntry
from tests.factories import make_alliance_trio, make_signable_charter

pytestmark = pytest.mark.django_db


def _url(name, **kwargs):
    return reverse(f"api:{name}", kwargs=kwargs)


def _send(client, url, data, headers):
    return client.post(url, data=json.dumps(data), content_type="application/json", **headers)


def _since():
    last = AuditEntry.objects.order_by("-pk").first()
    return last.pk if last else 0


def _entries(action, since):
    return list(AuditEntry.objects.filter(action=action, pk__gt=since).order_by("pk"))


def _signed(trio):
    """A charter signed by the three allies, with an indicator the person and the
    parent rate, and the school in the perimeter."""
    charter = make_signable_charter(trio)
    indicator = services.add_indicator(
        ally=trio.professional,
        charter=charter,
        name="Léo se sent bien en classe",
        scale_min=0,
        scale_max=10,
        raters=[trio.person, trio.parent],
        expected_revision=charter.revision,
    )
    charter.refresh_from_db()
    services.set_perimeter(
        ally=trio.parent,
        charter=charter,
        label="Scolarité",
        status="in_alliance",
        expected_revision=charter.revision,
    )
    for ally in trio.allies:
        charter.refresh_from_db()
        services.sign_charter(ally=ally, charter=charter, expected_revision=charter.revision)
    charter.refresh_from_db()
    return charter, indicator


@pytest.fixture
def trio():
    trio = make_alliance_trio()
    trio.charter, trio.indicator = _signed(trio)
    trio.interest = trio.charter.interests.get()
    return trio


def _option(trio, description="Une AESH en classe"):
    return acting.propose_means(
        ally=trio.professional,
        interest_statement_id=trio.interest.statement_id,
        description=description,
    )


def test_means_show_every_stance_and_the_decision_with_its_dissent(client, trio, token_for):
    option = _option(trio)
    acting.take_stance(ally=trio.parent, option=option, value="support")
    acting.take_stance(
        ally=trio.professional, option=option, value="oppose", reason="Pas de poste."
    )
    acting.take_stance(
        ally=trio.professional, option=option, value="reservations", reason="Peut-être."
    )
    option.refresh_from_db()
    acting.decide_means(
        ally=trio.parent, option=option, consent=True, expected_version=option.version
    )
    [body] = client.get(
        _url("means_list", alliance_id=trio.alliance.pk), **token_for(trio.person.user)
    ).json()
    assert body["interest"] == trio.interest.text
    assert [(s["ally"]["name"], s["value"]) for s in body["stances"]] == [
        ("Nadia Martin", "support"),
        ("Inès Morel", "reservations"),
    ]
    assert [s["value"] for s in body["earlier_stances"]] == ["oppose"]
    assert body["decision"]["decided_by"]["name"] == "Nadia Martin"
    assert [(d["name"], d["value"], d["reason"]) for d in body["decision"]["dissent"]] == [
        ("Inès Morel", "reservations", "Peut-être.")
    ]


def test_taking_a_stance_is_the_pages_use_case(client, trio, token_for):
    option = _option(trio)
    url = _url("means_stance", alliance_id=trio.alliance.pk, option_id=option.pk)
    headers = token_for(trio.person.user, "write")
    refused = _send(client, url, {"value": "oppose"}, headers)
    assert refused.status_code == 422
    assert [e["field"] for e in refused.json()["errors"]] == ["reason"]
    assert not Stance.objects.exists()
    since = _since()
    response = _send(client, url, {"value": "oppose", "reason": "Trop tôt."}, headers)
    assert response.status_code == 201
    assert response.json()["ally"]["name"] == "Léo Martin"
    [entry] = _entries(Action.STANCE_TAKEN, since)
    assert (entry.actor_id, entry.target_id, entry.detail) == (
        trio.person.user_id,
        option.pk,
        {"value": "oppose"},
    )
    elsewhere = make_alliance_trio(title="Ailleurs")
    _signed(elsewhere)
    other = _option(_with_interest(elsewhere))
    foreign = _url("means_stance", alliance_id=trio.alliance.pk, option_id=other.pk)
    assert _send(client, foreign, {"value": "support"}, headers).status_code == 404


def _with_interest(trio):
    trio.interest = trio.alliance.charters.get(number=1).interests.get()
    return trio


def test_actions_show_their_co_actors_and_whether_the_person_must_agree(client, trio, token_for):
    action = acting.plan_action(
        ally=trio.professional,
        title="Rencontrer l'enseignante",
        domain_label="Scolarité",
        my_role="Je prends le rendez-vous",
    )
    acting.join_action(ally=trio.parent, action=action, role="J'y vais aussi")
    [body] = client.get(
        _url("action_list", alliance_id=trio.alliance.pk), **token_for(trio.person.user)
    ).json()
    assert body["title"] == "Rencontrer l'enseignante"
    assert [(c["ally"]["name"], c["role"]) for c in body["co_actors"]] == [
        ("Inès Morel", "Je prends le rendez-vous"),
        ("Nadia Martin", "J'y vais aussi"),
    ]
    assert body["needs_person_agreement"] is True


def test_taking_a_role_in_an_action_is_the_pages_use_case(client, trio, token_for):
    action = acting.plan_action(
        ally=trio.professional, title="Visiter le collège", domain_label="Scolarité", my_role="Moi"
    )
    url = _url("action_join", alliance_id=trio.alliance.pk, action_id=action.pk)
    since = _since()
    response = _send(
        client, url, {"role": "Je pose mes questions"}, token_for(trio.person.user, "write")
    )
    assert response.status_code == 200
    body = response.json()
    assert body["needs_person_agreement"] is False
    assert [(c["ally"]["name"], c["role"]) for c in body["co_actors"]] == [
        ("Inès Morel", "Moi"),
        ("Léo Martin", "Je pose mes questions"),
    ]
    [entry] = _entries(Action.ACTION_JOINED, since)
    assert (entry.actor_id, entry.target_id) == (trio.person.user_id, action.pk)
    unknown = _url("action_join", alliance_id=trio.alliance.pk, action_id=999_999)
    assert (
        _send(client, unknown, {"role": "x"}, token_for(trio.person.user, "write")).status_code
        == 404
    )


def test_only_the_author_revises_a_journal_entry_and_a_stale_version_is_409(
    client, trio, token_for
):
    entry = acting.write_journal_entry(ally=trio.parent, happened="Appel du collège.")
    url = _url("journal_revise", alliance_id=trio.alliance.pk, entry_id=entry.pk)
    headers = token_for(trio.parent.user, "write")
    since = _since()
    revised = client.put(
        url,
        data=json.dumps({"happened": "Appel du collège, mardi.", "version": 1}),
        content_type="application/json",
        **headers,
    )
    assert revised.status_code == 200 and revised.json()["version"] == 2
    [written] = _entries(Action.JOURNAL_REVISED, since)
    assert written.detail == {"version": 2}
    stale = client.put(
        url,
        data=json.dumps({"happened": "Autre chose.", "version": 1}),
        content_type="application/json",
        **headers,
    )
    assert stale.status_code == 409
    not_mine = client.put(
        url,
        data=json.dumps({"happened": "Pas à moi.", "version": 2}),
        content_type="application/json",
        **token_for(trio.professional.user, "write"),
    )
    assert not_mine.status_code == 403
    entry.refresh_from_db()
    assert (entry.happened, entry.version) == ("Appel du collège, mardi.", 2)


def test_a_journal_entry_is_written_and_read_back_with_its_history(client, trio, token_for):
    headers = token_for(trio.parent.user, "write")
    since = _since()
    response = _send(
        client,
        _url("journal_create", alliance_id=trio.alliance.pk),
        {"happened": "Réunion à l'école.", "emerged": "Léo veut un tuteur."},
        headers,
    )
    assert response.status_code == 201
    entry = JournalEntry.objects.get()
    assert response.json()["id"] == entry.pk
    [written] = _entries(Action.JOURNAL_WRITTEN, since)
    assert (written.actor_id, written.target_id) == (trio.parent.user_id, entry.pk)
    acting.revise_journal_entry(
        ally=trio.parent, entry=entry, happened="Réunion à l'école, lundi.", expected_version=1
    )
    [body] = client.get(
        _url("journal_list", alliance_id=trio.alliance.pk), **token_for(trio.person.user)
    ).json()
    assert body["happened"] == "Réunion à l'école, lundi." and body["version"] == 2
    assert [r["happened"] for r in body["revisions"]] == ["Réunion à l'école."]

    bad = _send(
        client,
        _url("journal_create", alliance_id=trio.alliance.pk),
        {"happened": "X", "action_id": 999_999},
        headers,
    )
    assert bad.status_code == 422
    assert [e["field"] for e in bad.json()["errors"]] == ["action_id"]
    assert JournalEntry.objects.count() == 1


def test_a_reading_of_an_indicator_is_checked_like_on_the_page(client, trio, token_for):
    key = trio.indicator.key
    url = _url("indicator_reading", alliance_id=trio.alliance.pk, indicator_key=key)
    since = _since()
    mine = _send(client, url, {"value": 7, "note": "Mieux"}, token_for(trio.person.user, "write"))
    assert mine.status_code == 201 and mine.json()["value"] == 7
    [entry] = _entries(Action.INDICATOR_RATED, since)
    assert entry.detail == {"indicator": str(key)}
    # The charter names who rates: the professional is not among them.
    not_a_rater = _send(client, url, {"value": 5}, token_for(trio.professional.user, "write"))
    assert not_a_rater.status_code == 422
    out_of_scale = _send(client, url, {"value": 11}, token_for(trio.parent.user, "write"))
    assert out_of_scale.status_code == 422
    assert [e["field"] for e in out_of_scale.json()["errors"]] == ["value"]
    assert IndicatorReading.objects.count() == 1
    [board] = client.get(
        _url("indicator_list", alliance_id=trio.alliance.pk), **token_for(trio.parent.user)
    ).json()
    assert [r["name"] for r in board["raters"]] == ["Léo Martin", "Nadia Martin"]
    assert [(r["ally"]["name"], r["value"]) for r in board["readings"]] == [("Léo Martin", 7)]


def test_the_weather_is_given_and_read(client, trio, token_for):
    url = _url("weather_give", alliance_id=trio.alliance.pk)
    since = _since()
    answer = {"aim": 8, "way": 6, "heard": 9, "decide": 7, "word": "confiance"}
    response = _send(client, url, answer, token_for(trio.person.user, "write"))
    assert response.status_code == 201
    [entry] = _entries(Action.WEATHER_GIVEN, since)
    assert entry.detail == {"easy_read": False}
    future = _send(
        client,
        url,
        {**answer, "meeting_on": str(timezone.localdate() + timezone.timedelta(days=2))},
        token_for(trio.parent.user, "write"),
    )
    assert future.status_code == 422
    assert WeatherRating.objects.count() == 1
    [rating] = client.get(url, **token_for(trio.professional.user)).json()
    assert (rating["ally"]["name"], rating["heard"], rating["word"]) == (
        "Léo Martin",
        9,
        "confiance",
    )


def test_reviews_show_each_allys_conclusion(client, trio, token_for):
    review = acting.open_review(ally=trio.professional)
    acting.write_conclusion(
        ally=trio.person, review=review, author=trio.person, text="Ça va mieux.", expected_version=0
    )
    body = client.get(
        _url("review_list", alliance_id=trio.alliance.pk), **token_for(trio.parent.user)
    ).json()
    [listed] = body["reviews"]
    assert listed["id"] == review.pk and listed["opened_by"]["name"] == "Inès Morel"
    assert [(c["ally"]["name"], c["text"]) for c in listed["conclusions"]] == [
        ("Léo Martin", "Ça va mieux.")
    ]
    assert body["next_on"] is not None
    detail = client.get(
        _url("review_detail", alliance_id=trio.alliance.pk, review_id=review.pk),
        **token_for(trio.parent.user),
    ).json()
    assert [p["name"] for p in detail["missing"]] == ["Inès Morel", "Nadia Martin"]
    assert detail["closed_at"] is None


def test_a_closed_alliance_refuses_the_weather_and_a_waiting_ally_reads_nothing(
    client, trio, token_for
):
    waiting = services.invite_ally(inviter=trio.parent, display_name="Lou", role=Role.RELATIVE)
    services.accept_invitation(ally=waiting)
    for name in ("means_list", "action_list", "journal_list", "weather_list", "review_list"):
        response = client.get(_url(name, alliance_id=trio.alliance.pk), **token_for(waiting.user))
        assert response.status_code == 403, name
    Alliance.objects.filter(pk=trio.alliance.pk).update(closed_at=timezone.now())
    response = _send(
        client,
        _url("weather_give", alliance_id=trio.alliance.pk),
        {"aim": 8, "way": 6, "heard": 9, "decide": 7},
        token_for(trio.person.user, "write"),
    )
    assert response.status_code == 403
    assert not WeatherRating.objects.exists()


def _grow(trio, n):
    for i in range(n):
        option = _option(trio, f"Moyen {i}")
        for ally in trio.allies:
            acting.take_stance(ally=ally, option=option, value="reservations", reason="Voir.")
        action = acting.plan_action(
            ally=trio.professional, title=f"Action {i}", domain_label="Scolarité", my_role="Moi"
        )
        acting.join_action(ally=trio.person, action=action, role="Moi aussi")
        entry = acting.write_journal_entry(ally=trio.parent, happened=f"Fait {i}.")
        acting.revise_journal_entry(
            ally=trio.parent, entry=entry, happened=f"Fait {i} !", expected_version=1
        )
        acting.rate_indicator(ally=trio.person, indicator=trio.indicator, value=i % 10)
        acting.give_weather(ally=trio.parent, aim=5, way=5, heard=5, decide=5)


@pytest.mark.parametrize(
    ("name", "ceiling"),
    [
        # The token (2), the gate and its trail entry (2), then the selectors.
        ("means_list", 7),
        ("action_list", 8),
        ("journal_list", 7),
        ("indicator_list", 8),
        ("weather_list", 5),
        ("review_list", 11),
    ],
)
def test_reads_cost_the_same_whatever_the_size(client, token_for, name, ceiling):
    small = make_alliance_trio(title="Petite")
    large = make_alliance_trio(title="Grande")
    counts = []
    for trio, n in ((small, 1), (large, 5)):
        trio.charter, trio.indicator = _signed(trio)
        trio.interest = trio.charter.interests.get()
        _grow(trio, n)
        acting.open_review(ally=trio.professional)
        headers = token_for(trio.person.user)
        with CaptureQueriesContext(connection) as queries:
            response = client.get(_url(name, alliance_id=trio.alliance.pk), **headers)
        assert response.status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1] <= ceiling, counts
