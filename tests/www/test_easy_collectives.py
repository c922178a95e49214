"""The easy-read pages of movement 3, of the home and of getting in (issue 11): the
home's tiles and what waits for me, groups, questions to the group and their ballot,
the results said simply (what unites everyone first, each group in one sentence
from its representative statements), the printable poster, the requests a person
signs, sign-in and activation."""

import re
from dataclasses import replace
from html import unescape
from pathlib import Path

import pytest
from django.contrib.staticfiles import finders
from django.urls import reverse
from django.utils import formats, timezone, translation

from alliance.collectives import results
from alliance.collectives import services as collectives
from alliance.home.selectors import Home, Need
from alliance.reports.models import CoSignature
from alliance.www.easy_home import SHOWN, easy_home
from alliance.www.reading import SESSION_KEY
from alliance.www.results.views import group_sentences, wording
from tests.collectives.test_results import Place
from tests.factories import UserFactory, make_alliance_trio
from tests.reports.proposal_world import make_world

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def english(client, settings):
    """Pages are read in the source language (the language switch's cookie)."""
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    with translation.override("en"):
        yield


def easy(client, user=None):
    """Sign in (or not) and choose easy-read for this browser, as the header's switch does."""
    if user is not None:
        client.force_login(user)
    session = client.session
    session[SESSION_KEY] = "easy"
    session.save()
    return client


def page(response):
    assert response.status_code == 200, response.status_code
    return unescape(response.content.decode())


def is_easy_page(html):
    return re.search(r'<body class="easy"', html) is not None


def primary_buttons(html):
    """The page's main actions: `.button` without `button-secondary`."""
    main = html.split("<main", 1)[1]
    classes = [c.split() for c in re.findall(r'class="([^"]*)"', main)]
    return [c for c in classes if "button" in c and "button-secondary" not in c]


@pytest.fixture
def computed():
    place = Place()
    place.vote_all()
    results.recompute_now(member=place.facilitator, consultation=place.consultation)
    return place


def url(place, name):
    return reverse(name, args=[place.collective.pk, place.consultation.pk])


# ------------------------------------------------------------------ results


def test_the_results_say_what_unites_everyone_first_then_each_group_in_one_sentence(
    client, computed
):
    place = computed
    html = page(easy(client, place.tenants[0].user).get(url(place, "results:results")))
    assert is_easy_page(html)
    main = html.split("<main", 1)[1]
    assert main.index('id="united-title"') < main.index('id="groups-title"')
    view = results.results_view(place.consultation, place.tenants[0])
    united = main[main.index('id="united-title"') : main.index('id="groups-title"')]
    for item in view.publication.common_ground:
        assert wording(view.statements[item.statement]) in united
    sentences = re.findall(r'class="group-sentence">(.*?)</p>', main, re.S)
    assert len(sentences) == len(view.publication.groups) == 2
    for group, sentence in zip(view.publication.groups, sentences, strict=True):
        first_agreed = next(r for r in group.representative if r.direction == "agree")
        quote = wording(view.statements[first_agreed.statement])
        assert sentence.startswith("This group thinks above all:")
        assert f"<q data-user-text>{quote}</q>." in sentence
        # One short sentence: one full stop, the quote aside.
        assert sentence.replace(quote, "").count(".") == 1
    # The map and what divides stay one tap away.
    assert main.index('<details class="more">') > main.index('id="groups-title"')


def test_a_group_that_only_rejects_is_said_so(computed):
    place = computed
    view = results.results_view(place.consultation, place.tenants[0])
    group = view.publication.groups[0]
    rejects = replace(
        group,
        representative=tuple(replace(r, direction="disagree") for r in group.representative),
    )
    (sentence,) = group_sentences(replace(view.publication, groups=(rejects,)), view.statements)
    assert not sentence.agrees
    assert sentence.quote == wording(view.statements[group.representative[0].statement])
    assert len(sentence.others) == len(group.representative) - 1


def test_the_easy_wording_of_a_statement_is_quoted_when_there_is_one(client, computed):
    place = computed
    statement = place.statements[0]
    statement.easy_read = "Tout le monde est d'accord."
    statement.save(update_fields=["easy_read"])
    html = page(easy(client, place.owners[0].user).get(url(place, "results:results")))
    assert "Tout le monde est d'accord<" in html  # the page's sentence ends it


def test_the_poster_is_one_printable_page_with_the_title_what_unites_the_groups_and_the_date(
    client, computed
):
    place = computed
    client.force_login(place.tenants[1].user)
    html = page(client.get(url(place, "results:poster")))
    assert 'href="/static/css/poster.css"' in html
    assert "data-print" in html
    assert '<h1 class="poster-title" data-user-text>Le nouveau plan de circulation ?</h1>' in html
    assert html.index("poster-united") < html.index("poster-groups")
    assert html.count("<q data-user-text>") == 2
    snapshot = results.latest_done(place.consultation)
    day = formats.date_format(timezone.localtime(snapshot.finished_at), "DATE_FORMAT")
    assert f"On {day}, 12 people had voted." in html
    css = Path(finders.find("css/poster.css")).read_text()
    assert "@media print" in css and "size: A4" in css
    print_rules = css.split("@media print", 1)[1]
    assert ".poster-actions { display: none; }" in print_rules


def test_the_results_link_to_the_poster(client, computed):
    place = computed
    html = page(easy(client, place.tenants[0].user).get(url(place, "results:results")))
    assert url(place, "results:poster") in html


@pytest.mark.parametrize(
    "who, status",
    [
        ("tenant", 200),
        ("owner", 200),
        ("facilitator", 200),
        ("professional outside", 404),
        ("decision maker", 404),
        ("individual outside", 404),
        ("former member", 404),
        ("anonymous", 302),
    ],
)
def test_only_who_reads_the_results_reaches_the_poster(client, computed, who, status):
    place = computed
    users = {
        "tenant": place.tenants[0].user,
        "owner": place.owners[0].user,
        "facilitator": place.facilitator.user,
        "professional outside": UserFactory(professional=True),
        "decision maker": UserFactory(decision_maker=True),
        "individual outside": UserFactory(),
        "former member": place.tenants[2].user,
    }
    if who == "former member":
        collectives.leave_collective(member=place.tenants[2])
    if who != "anonymous":
        client.force_login(users[who])
    for name in ("results:results", "results:poster"):
        response = client.get(url(place, name))
        assert response.status_code == status, name
        if status == 302:
            assert response["Location"].startswith(reverse("accounts:sign_in"))


def test_the_easy_results_before_any_vote(client):
    place = Place()
    for user in (place.facilitator.user, place.tenants[0].user):
        html = page(easy(client, user).get(url(place, "results:results")))
        assert "The results are not ready yet." in html


def test_the_poster_before_any_result(client):
    place = Place()
    client.force_login(place.tenants[0].user)
    html = page(client.get(url(place, "results:poster")))
    assert "The results are not ready yet." in html


# ------------------------------------------------------------------ collectives


def test_a_member_reads_the_group_the_question_and_votes_in_easy_read(client, computed):
    place = computed
    member = place.tenants[0]
    client = easy(client, member.user)
    c = place.collective.pk
    html = page(client.get(reverse("collectives:list")))
    assert is_easy_page(html) and "My groups" in html
    html = page(client.get(reverse("collectives:detail", args=[c])))
    assert is_easy_page(html)
    # Long lists and tools wait under "more"; a member sees no tool to lead the group.
    assert re.search(r'<details class="more"[^>]*>\s*<summary>.*?members of the group', html, re.S)
    assert reverse("collectives:add_member", args=[c]) not in html
    assert "I lead the group" not in html
    html = page(client.get(url(place, "collectives:consultation")))
    assert is_easy_page(html) and len(primary_buttons(html)) == 1
    assert url(place, "collectives:moderation") not in html
    # Everyone voted: the member changes a vote.
    html = page(client.get(url(place, "collectives:vote") + f"?statement={place.statements[0].pk}"))
    assert is_easy_page(html) and "I already voted." in html
    for label in ("Agree", "Disagree", "Skip"):
        assert label in html
    response = client.post(
        url(place, "collectives:vote"),
        {"statement": place.statements[0].pk, "value": "1"},
        headers={"HX-Request": "true"},
    )
    fragment = page(response)
    assert fragment.lstrip().startswith('<div id="ballot" class="ballot ballot-easy">')


def test_a_facilitator_finds_the_tools_under_more(client, computed):
    place = computed
    client = easy(client, place.facilitator.user)
    html = page(client.get(reverse("collectives:detail", args=[place.collective.pk])))
    tools = html.split("I lead the group", 1)[1]
    assert reverse("collectives:add_member", args=[place.collective.pk]) in tools
    html = page(client.get(url(place, "collectives:consultation")))
    assert url(place, "collectives:moderation") in html.split("I lead the group", 1)[1]


def test_the_usual_pages_stay_for_who_reads_the_usual_way(client, computed):
    place = computed
    client.force_login(place.tenants[0].user)
    html = page(client.get(url(place, "results:results")))
    assert not is_easy_page(html) and "The opinion map" in html


# ------------------------------------------------------------------ requests


@pytest.fixture
def world():
    trio = make_alliance_trio()
    return trio, make_world(trio)


def test_a_person_signs_a_request_in_easy_words(client, world):
    trio, world = world
    client = easy(client, trio.person.user)
    detail = reverse("proposals:detail", args=[world.proposal.pk])
    html = page(client.get(detail))
    assert is_easy_page(html)
    assert "I sign this request" in html and len(primary_buttons(html)) == 1
    # The whole text waits under "more".
    assert re.search(r'<details class="more">\s*<summary>.*?Read the whole request', html, re.S)
    response = client.post(reverse("proposals:co_sign", args=[world.proposal.pk]), {"x": ""})
    assert response.status_code == 302
    html = page(client.get(detail))
    assert "I signed this request." in html and "I sign this request<" not in html
    assert CoSignature.objects.filter(proposal=world.proposal, signatory=trio.person.user).exists()


def test_the_requests_of_the_group_in_easy_read(client, world):
    trio, world = world
    client = easy(client, trio.person.user)
    html = page(client.get(reverse("proposals:collective", args=[world.collective.pk])))
    assert is_easy_page(html) and world.proposal.title.replace("'", "'") in html


# ------------------------------------------------------------------ home


def test_the_easy_home_has_a_tile_per_alliance_and_group(client):
    trio = make_alliance_trio()
    place = Place(tenants=1, owners=0)
    collectives.add_member(by=place.facilitator, user=trio.person.user)
    client = easy(client, trio.person.user)
    html = page(client.get(reverse("home")))
    assert is_easy_page(html)
    assert len(re.findall(r'<li class="tile">', html)) == 2
    assert reverse("alliances:overview", args=[trio.alliance.pk]) in html
    assert reverse("collectives:detail", args=[place.collective.pk]) in html
    assert len(primary_buttons(html)) <= 1


def test_what_waits_for_me_shows_three_things_at_most_each_in_the_first_person():
    trio = make_alliance_trio()
    needs = [
        Need("vote", trio.alliance, "3 statements to vote on", "/a"),
        Need("action", trio.alliance, "Late: Appeler la MDPH", "/b", late=True),
        Need("weather", trio.alliance, "Give the alliance weather", "/c"),
        Need("signature", trio.alliance, "The charter waits for your signature", "/d"),
        Need("invitation", trio.alliance, "You are invited: answer the invitation", "/e"),
    ]
    context = easy_home(trio.person.user, Home(needs=needs, rows=[]))
    shown = context["easy_needs"]
    assert len(shown) == SHOWN == 3 and context["more_easy_needs"] == 1
    assert [n.text for n in shown] == [
        "I say if I agree with new messages.",
        "An action is late:",
        "I say how it is going.",
    ]
    assert shown[1].user_text == "Appeler la MDPH" and shown[1].late


def test_an_invitation_is_answered_simply_and_a_child_is_told_tu(client):
    trio = make_alliance_trio()
    place = Place(tenants=0, owners=0)
    child = trio.person.user
    child.email = "noe@example.org"
    child.born_on = child.date_joined.date().replace(year=child.date_joined.year - 9)
    child.save()
    collectives.add_member(by=place.facilitator, display_name="Noé", email="noe@example.org")
    client = easy(client, child)
    with translation.override("fr"):
        client.cookies["django_language"] = "fr"
        html = page(client.get(reverse("home")))
    assert "t'invite" in html and "vous invite" not in html
    assert "Oui, j'entre" in html or "Yes, I join" in html
    assert len(primary_buttons(html)) == 1


# ------------------------------------------------------------------ getting in


def test_an_anonymous_visitor_chooses_easy_read_for_the_sign_in_page(client):
    html = page(client.get(reverse("accounts:sign_in")))
    assert not is_easy_page(html)
    response = client.post(
        reverse("accounts:reading_switch"),
        {"mode": "easy", "next": reverse("accounts:sign_in")},
    )
    assert response.status_code == 302
    html = page(client.get(reverse("accounts:sign_in")))
    assert is_easy_page(html) and "I get into Alliance" in html
    assert len(primary_buttons(html)) == 1


def test_the_activation_page_reads_easily_unless_the_visitor_chose_the_usual_pages(client):
    html = page(client.get(reverse("accounts:activate")))
    assert is_easy_page(html) and "I get in with my letter" in html
    assert "data-code-from-fragment" in html
    client.post(reverse("accounts:reading_switch"), {"mode": "standard"})
    html = page(client.get(reverse("accounts:activate")))
    assert not is_easy_page(html) and "Get in with your letter" in html
