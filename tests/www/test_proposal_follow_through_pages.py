"""The follow-through pages (ADR 0038): the addressee answers each request and posts
progress, members react, the public page counts reactions and never names who
reacted; bad input through the pages, a stale answer (409), and a fixed number of
queries per page whatever the number of requests, answers and reactions."""

from html import unescape

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import translation

from alliance.collectives.models import CollectiveMember, MemberStanding
from alliance.reports.models import AnswerReaction, ProgressUpdate, RequestAnswer
from alliance.reports.proposals import services
from alliance.www.reading import SESSION_KEY, STANDARD
from tests.factories import UserFactory, make_alliance_trio
from tests.reports.proposal_world import make_world, member_of

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def english(client, settings):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    with translation.override("en"):
        yield


def _page(response):
    return unescape(response.content.decode())


def _anonymous(client):
    """Signed out, still reading English (logging out empties the client's cookies)."""
    client.logout()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"


def _usual(client):
    session = client.session
    session[SESSION_KEY] = STANDARD
    session.save()


@pytest.fixture
def trio():
    return make_alliance_trio()


@pytest.fixture
def world(trio):
    return make_world(
        trio, requests=["Une zone de rencontre rue des Écoles.", "Un passage piéton éclairé."]
    )


def _answer(world, request, decision, words):
    request.refresh_from_db()
    return services.answer_request(
        user=world.decision_maker,
        request=request,
        decision=decision,
        words=words,
        expected_version=request.version,
    )


def test_the_town_hall_answers_two_requests_differently_through_the_pages(client, world):
    first, second = world.proposal.requests.order_by("position")
    client.force_login(world.decision_maker)
    received = _page(client.get(reverse("proposals:received", args=[world.proposal.pk])))
    assert "Answer this request" in received and "Post progress" in received
    for request, decision, words in [
        (first, "partly", "Un essai de trois mois."),
        (second, "accepted", "Financé cette année."),
    ]:
        url = reverse("proposals:answer_request", args=[request.pk])
        assert client.get(url).status_code == 200
        response = client.post(url, {"decision": decision, "words": words, "version": 1})
        assert response.status_code == 302
    assert list(
        RequestAnswer.objects.order_by("request__position").values_list("decision", flat=True)
    ) == ["partly", "accepted"]
    response = client.post(
        reverse("proposals:progress", args=[world.proposal.pk]),
        {
            "request": second.pk,
            "status_label": "Travaux commencés",
            "percentage": 40,
            "next_step": "Pose de l'éclairage",
            "next_step_on": "2027-02-15",
            "cost": "18500",
            "budget_line": "Voirie",
            "cost_public": "on",
        },
    )
    assert response.status_code == 302
    world.proposal.refresh_from_db()
    assert world.proposal.status == "in_progress"
    public = _page(client.get(reverse("proposals:public", args=[world.collective.public_key])))
    assert "Un essai de trois mois." in public and "Pose de l'éclairage" in public
    assert "18,500.00 €" in public and "40 % done" in public


def test_a_stale_answer_gets_409_and_keeps_its_words(client, world):
    first, _second = world.proposal.requests.order_by("position")
    _answer(world, first, "accepted", "Premier mot.")
    client.force_login(world.decision_maker)
    response = client.post(
        reverse("proposals:answer_request", args=[first.pk]),
        {"decision": "refused", "words": "Mes mots à garder.", "version": 1},
    )
    assert response.status_code == 409
    page = _page(response)
    assert "Mes mots à garder." in page and "Premier mot." in page
    assert list(RequestAnswer.objects.values_list("words", flat=True)) == ["Premier mot."]


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"status_label": "Étude", "percentage": 140}, "less than or equal to 100"),
        ({"status_label": "", "percentage": 10}, "This field is required"),
        ({"status_label": "Étude", "percentage": 10, "cost_public": "on"}, "Give the cost"),
        ({"status_label": "Étude", "percentage": 10, "next_step_on": "2027-01-01"}, "next step"),
    ],
)
def test_bad_progress_through_the_page_is_refused_and_nothing_saved(client, world, data, message):
    client.force_login(world.decision_maker)
    response = client.post(reverse("proposals:progress", args=[world.proposal.pk]), data)
    assert response.status_code == 400
    assert message in _page(response)
    assert not ProgressUpdate.objects.exists()


def test_progress_on_a_request_not_accepted_is_not_offered(client, world):
    first, _second = world.proposal.requests.order_by("position")
    _answer(world, first, "refused", "Non.")
    client.force_login(world.decision_maker)
    response = client.post(
        reverse("proposals:progress", args=[world.proposal.pk]),
        {"request": first.pk, "status_label": "Étude", "percentage": 10},
    )
    assert response.status_code == 400
    assert not ProgressUpdate.objects.exists()


def test_a_member_reacts_and_the_public_page_counts_without_names(client, trio, world):
    first, _second = world.proposal.requests.order_by("position")
    answer = _answer(world, first, "partly", "Un essai de trois mois.")
    client.force_login(trio.parent.user)
    _usual(client)
    url = reverse("proposals:react", args=[answer.pk])
    assert "React to this answer" in _page(
        client.get(reverse("proposals:detail", args=[world.proposal.pk]))
    )
    assert client.post(url, {"satisfied": "maybe"}).status_code == 400
    response = client.post(url, {"satisfied": "0", "words": "Trop court, l'essai."})
    assert response.status_code == 302
    response = client.post(url, {"satisfied": "1", "words": "Finalement, d'accord."})
    assert response.status_code == 302
    (reaction,) = AnswerReaction.objects.all()
    assert (reaction.satisfied, reaction.words) == (True, "Finalement, d'accord.")
    assert "Finalement, d'accord." in _page(client.get(url))
    _anonymous(client)
    public = _page(client.get(reverse("proposals:public", args=[world.collective.public_key])))
    assert "1 member satisfied" in public and "0 not satisfied" in public
    assert trio.parent.user.display_name not in public
    assert "Finalement, d'accord." not in public
    client.force_login(world.decision_maker)
    received = _page(client.get(reverse("proposals:received", args=[world.proposal.pk])))
    assert "1 member satisfied" in received and "Finalement, d'accord." not in received


def test_only_members_reach_the_reaction_page(client, trio, world):
    first, _second = world.proposal.requests.order_by("position")
    answer = _answer(world, first, "accepted", "Oui.")
    url = reverse("proposals:react", args=[answer.pk])
    for user in (world.decision_maker, UserFactory(), UserFactory(professional=True)):
        client.force_login(user)
        assert client.get(url).status_code == 404
        assert client.post(url, {"satisfied": "1"}).status_code == 404
    assert not AnswerReaction.objects.exists()


def test_the_easy_read_reaction_page_for_the_person(client, trio, world):
    first, _second = world.proposal.requests.order_by("position")
    answer = _answer(world, first, "partly", "Un essai.")
    client.force_login(trio.person.user)  # the person reads easily by default
    page = _page(client.get(reverse("proposals:react", args=[answer.pk])))
    assert "What I think of the answer" in page
    assert "The decision maker said yes, but not to everything." in page
    detail = _page(client.get(reverse("proposals:detail", args=[world.proposal.pk])))
    assert "I say what I think of the answer" in detail


def test_a_closed_proposal_offers_no_more_answers(client, world):
    for request in world.proposal.requests.all():
        _answer(world, request, "refused", "Non.")
    client.force_login(world.decision_maker)
    first = world.proposal.requests.first()
    page = _page(client.get(reverse("proposals:answer_request", args=[first.pk])))
    assert "This proposal is closed." in page and "Record this answer" not in page
    response = client.post(
        reverse("proposals:progress", args=[world.proposal.pk]),
        {"status_label": "Étude", "percentage": 10},
    )
    assert response.status_code == 400


# ---------------------------------------------------------------- query counts

CEILING = {"detail": 18, "received": 12, "public": 7, "answer": 11, "progress": 9, "react": 10}


def _grow(world, n):
    """n more requests, each answered twice, reacted to by n members, with progress."""
    proposal = world.proposal
    members = []
    for i in range(n):
        user = UserFactory(display_name=f"Membre {i}")
        CollectiveMember.objects.create(
            collective=world.collective, user=user, standing=MemberStanding.RESIDENT
        )
        members.append(member_of(world.collective, user))
    for i in range(n):
        proposal.requests.create(position=10 + i, text=f"Demande {i}")
    for request in proposal.requests.all():
        _answer(world, request, "partly", "D'abord en partie.")
        answer = _answer(world, request, "accepted", "Puis oui.")
        for member in members:
            services.react_to_answer(member=member, answer=answer, satisfied=True, words="Oui.")
        request.refresh_from_db()
        services.post_progress(
            user=world.decision_maker,
            proposal=proposal,
            request=request,
            status_label="En cours",
            percentage=50,
            cost=10,
            cost_public=True,
        )
    proposal.refresh_from_db()


def test_each_follow_through_page_costs_the_same_small_or_large(
    client, django_assert_max_num_queries
):
    counts = {}
    for n in (0, 8):
        trio = make_alliance_trio(title=f"Alliance {n}")
        world = make_world(trio, decision_maker=UserFactory(decision_maker=True), requests=["A"])
        _grow(world, n)
        request = world.proposal.requests.order_by("pk").first()
        answer = request.answers.order_by("-pk").first()
        dm, pk = world.decision_maker, world.proposal.pk
        pages = [
            ("detail", trio.parent.user, reverse("proposals:detail", args=[pk])),
            ("received", dm, reverse("proposals:received", args=[pk])),
            ("public", None, reverse("proposals:public", args=[world.collective.public_key])),
            ("answer", dm, reverse("proposals:answer_request", args=[request.pk])),
            ("progress", dm, reverse("proposals:progress", args=[pk])),
            ("react", trio.parent.user, reverse("proposals:react", args=[answer.pk])),
        ]
        for page, user, url in pages:
            _anonymous(client)
            if user is not None:
                client.force_login(user)
                _usual(client)
            assert client.get(url).status_code == 200
            with django_assert_max_num_queries(CEILING[page]) as captured:
                assert client.get(url).status_code == 200
            counts.setdefault(page, []).append(len(captured.captured_queries))
    for page, (small, large) in counts.items():
        assert small == large, (page, counts)
    print(counts)
