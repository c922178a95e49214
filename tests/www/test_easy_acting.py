"""The easy-read pages of movement 2 with the demo, as Samir (an adult, "vous") and
as Noé (9 years old, "tu"): solutions and the person's decision, actions, the
journal, the check-ups, the weather and the things we follow in faces, the alerts
worded for the person, and the news."""

import html
import io
import re

import pytest
from django.core.management import call_command
from django.db import transaction
from django.test import Client
from django.urls import reverse

from alliance.acting import services as acting
from alliance.acting.models import Action, JournalEntry, MeansOption, Review, WeatherRating
from alliance.alliances.models import Alliance, Role
from alliance.notifications.kinds import KINDS
from alliance.www.notifications.easy import EASY

SAMIR, NOE = "personne-samir", "personne-noe"


@pytest.fixture(scope="module")
def _demo(django_db_setup, django_db_blocker):
    """The demo, loaded once for the module in a transaction rolled back after it."""
    with django_db_blocker.unblock():
        held = transaction.atomic()
        held.__enter__()
        try:
            call_command("demo", stdout=io.StringIO())
        except BaseException:
            transaction.set_rollback(True)
            held.__exit__(None, None, None)
            raise
    yield
    with django_db_blocker.unblock():
        transaction.set_rollback(True)
        held.__exit__(None, None, None)


@pytest.fixture
def demo(_demo, db):
    return None


def _alliance(persona):
    return Alliance.objects.get(allies__user__demo_persona=persona, allies__role=Role.PERSON)


def _person(persona):
    return _alliance(persona).allies.select_related("user").get(role=Role.PERSON)


def _client(persona, mode="easy"):
    client = Client()
    client.force_login(_person(persona).user)
    session = client.session
    session["reading_mode"] = mode
    session.save()
    return client


def _main(response):
    page = html.unescape(response.content.decode())
    return page[page.index("<main") : page.index("</main>")]


def _urls(persona):
    alliance = _alliance(persona)
    person = _person(persona)
    entry = JournalEntry.objects.filter(alliance=alliance, author=person).first()
    review = Review.objects.filter(alliance=alliance).first()
    urls = {
        f"acting/{name}.html": reverse(f"acting:{name}", args=[alliance.pk])
        for name in ("means", "actions", "journal", "reviews", "weather", "indicators")
    }
    if entry is not None:
        urls["acting/journal_edit.html"] = reverse(
            "acting:journal_edit", args=[alliance.pk, entry.pk]
        )
    if review is not None:
        urls["acting/review.html"] = reverse("acting:review", args=[alliance.pk, review.pk])
    option = MeansOption.objects.filter(alliance=alliance).first()
    urls["acting/means.html?solution"] = (
        reverse("acting:means", args=[alliance.pk]) + f"?solution={option.pk}"
    )
    urls["notifications/list.html"] = reverse("notifications:list")
    return urls


@pytest.mark.parametrize("persona", [SAMIR, NOE])
def test_every_page_renders_its_easy_version(demo, persona):
    client = _client(persona)
    for template, url in _urls(persona).items():
        response = client.get(url)
        assert response.status_code == 200, url
        used = [t.name for t in response.templates]
        assert f"easy/{template.split('?')[0]}" in used, (url, used)
        main = _main(response)
        assert main.count("<h1") == 1, url
        # One main action at most: every other button is secondary.
        primaries = re.findall(r'class="button"', main)
        assert len(primaries) <= 1, (url, len(primaries))
        assert not re.search(r"\w·\w", re.sub(r"<[^>]+>", "", main)), url


@pytest.mark.parametrize("persona", [SAMIR, NOE])
def test_the_standard_pages_stay_for_the_standard_reading(demo, persona):
    client = _client(persona, mode="standard")
    for url in _urls(persona).values():
        response = client.get(url)
        assert response.status_code == 200, url
        assert not any(t.name.startswith("easy/") for t in response.templates), url


def test_noe_is_told_tu_and_samir_vous(demo):
    noe = _client(NOE).get(reverse("acting:weather", args=[_alliance(NOE).pk]))
    samir = _client(SAMIR).get(reverse("acting:weather", args=[_alliance(SAMIR).pk]))
    assert "dis comment ça va pour toi" in noe.content.decode()
    assert "dites comment ça va pour vous" in samir.content.decode()
    assert "dites comment" not in noe.content.decode()


def test_the_person_decides_on_a_solution_from_one_easy_screen(demo):
    alliance = _alliance(SAMIR)
    option = MeansOption.objects.get(
        alliance=alliance, description="Un duo avec les agents de la mairie"
    )
    client = _client(SAMIR)
    url = reverse("acting:means", args=[alliance.pk])
    page = _main(client.get(url + f"?solution={option.pk}"))
    assert "C'est vous qui décidez" in page
    assert "Je choisis cette solution" in page
    for words in ("Je suis pour", "J'ai des doutes", "Je suis contre"):
        assert words in page
    # The decision is the screen's one main button; the stance's is secondary.
    (main_button,) = re.findall(r'<button type="submit" class="button">(.*?)</button>', page, re.S)
    assert "Je choisis cette solution" in main_button
    response = client.post(
        reverse("acting:decide", args=[alliance.pk, option.pk]),
        {"consent": "on", "version": option.version},
    )
    assert response.status_code == 302
    assert response.url == url + f"?solution={option.pk}"
    option.refresh_from_db()
    assert option.decision.decided_by.role == Role.PERSON
    page = _main(client.get(response.url))
    assert "C'est choisi" in page and "Je choisis cette solution" not in page


def test_noe_decides_in_tu_and_a_professional_cannot(demo):
    alliance = _alliance(NOE)
    pro = alliance.allies.filter(role=Role.PROFESSIONAL).select_related("user").first()
    option = MeansOption.objects.filter(alliance=alliance).first()
    page = _main(
        _client(NOE).get(reverse("acting:means", args=[alliance.pk]) + f"?solution={option.pk}")
    )
    if not hasattr(option, "decision"):
        assert "C'est toi qui décides" in page
    client = Client()
    client.force_login(pro.user)
    session = client.session
    session["reading_mode"] = "easy"
    session.save()
    undecided = MeansOption.objects.filter(alliance=alliance, decision__isnull=True).first()
    if undecided is not None:
        page = _main(
            client.get(reverse("acting:means", args=[alliance.pk]) + f"?solution={undecided.pk}")
        )
        assert "Seule la personne choisit la solution." in page
        assert "Je choisis cette solution" not in page


def test_a_stance_with_pictograms_is_taken_and_the_screen_comes_back(demo):
    alliance = _alliance(SAMIR)
    option = MeansOption.objects.get(
        alliance=alliance, description="Un duo avec les agents de la mairie"
    )
    client = _client(SAMIR)
    response = client.post(
        reverse("acting:stance", args=[alliance.pk, option.pk]),
        {"value": "reservations", "reason": "Je ne connais pas la mairie."},
    )
    assert response.status_code == 302
    assert response.url.endswith(f"?solution={option.pk}")
    page = _main(client.get(response.url))
    assert "Samir" in page and "a des doutes." in page
    # Doubts without a reason: the screen shows the error, the choice kept.
    response = client.post(
        reverse("acting:stance", args=[alliance.pk, option.pk]), {"value": "oppose"}
    )
    assert response.status_code == 400
    assert "easy/acting/means.html" in [t.name for t in response.templates]
    assert 'value="oppose" id="o' in response.content.decode()
    assert "checked" in response.content.decode().split('value="oppose"')[1][:80]


def test_an_action_without_the_person_waits_for_their_agreement_in_easy_words(demo):
    alliance = _alliance(SAMIR)
    thierry = alliance.allies.get(role=Role.PROFESSIONAL)
    action = acting.plan_action(
        ally=thierry,
        title="Appeler la mairie",
        domain_label=Action.objects.filter(alliance=alliance).first().domain_label,
        my_role="J'appelle",
    )
    client = _client(SAMIR)
    page = _main(client.get(reverse("acting:actions", args=[alliance.pk])))
    assert "Vous n'êtes pas dans cette action." in page
    assert "Elle commence seulement si vous êtes d'accord." in page
    response = client.post(reverse("acting:agree_action", args=[alliance.pk, action.pk]))
    assert response.status_code == 302
    action.refresh_from_db()
    assert action.agreed_by.role == Role.PERSON


def test_the_weather_form_and_charts_are_in_faces(demo):
    alliance = _alliance(NOE)
    response = _client(NOE).get(reverse("acting:weather", args=[alliance.pk]))
    page = _main(response)
    assert page.count("img/faces/face-") == 4 * 5  # four questions, five faces each
    assert page.count('class="chart chart-faces"') == 4
    assert "chart-line" not in page
    assert "On décide ensemble\u202f?" in page
    # The table alternative writes each face as its word.
    assert "<td>Plutôt oui</td>" in page or "<td>Complètement</td>" in page


def test_a_person_who_answered_in_faces_sees_faces_on_the_standard_page(demo):
    alliance = _alliance(SAMIR)
    assert WeatherRating.objects.filter(ally=_person(SAMIR), easy_read=True).exists()
    page = _main(_client(SAMIR, "standard").get(reverse("acting:weather", args=[alliance.pk])))
    assert 'class="chart chart-faces"' in page
    # A professional who answers from 0 to 10 keeps the lines.
    pro = alliance.allies.filter(role=Role.PROFESSIONAL).select_related("user").first()
    client = Client()
    client.force_login(pro.user)
    page = _main(client.get(reverse("acting:weather", args=[alliance.pk])))
    assert "chart-faces" not in page and "chart-line" in page


def test_the_things_we_follow_are_scored_with_faces(demo):
    alliance = _alliance(NOE)
    client = _client(NOE)
    url = reverse("acting:indicators", args=[alliance.pk])
    page = _main(client.get(url))
    assert 'class="chart chart-faces"' in page
    assert "img/faces/face-5.svg" in page  # Noé rates "content d'aller en classe"
    board = next(
        i
        for i in acting.signed_charter(alliance).indicators.all()
        if i.raters.filter(role=Role.PERSON).exists()
    )
    happiest = board.scale_max  # the happiest face gives the top of the scale
    response = client.post(url, {"indicator": board.pk, "value": happiest, "note": ""})
    assert response.status_code == 302
    assert board.readings.order_by("-pk").first().value == happiest


def test_the_alert_is_worded_for_the_person(demo):
    alliance = _alliance(NOE)
    page = _main(_client(NOE).get(reverse("acting:weather", args=[alliance.pk])))
    assert "Karim Martin trouve qu'on décide moins ensemble." in page
    assert "Tu peux en parler à la prochaine réunion." in page
    assert "points" not in re.sub(r"<[^>]+>", " ", page.split("weather-alerts-title")[1])[:400]
    # The professionals keep the detailed wording.
    pro = alliance.allies.filter(role=Role.PROFESSIONAL).select_related("user").first()
    client = Client()
    client.force_login(pro.user)
    page = _main(client.get(reverse("acting:weather", args=[alliance.pk])))
    assert "Karim Martin" in page and "points" in page


def test_every_kind_of_news_has_its_easy_words():
    assert set(EASY) == set(KINDS)


def test_the_news_are_short_sentences_with_a_pictogram(demo):
    client = _client(SAMIR)
    page = _main(client.get(reverse("notifications:list")))
    items = re.findall(r'<li class="card[^"]*">(.*?)</li>', page, re.S)
    assert items
    for item in items:
        assert 'class="picto"' in item
        sentence = re.sub(r"<[^>]+>", " ", item.split("</p>")[0])
        assert len(sentence.split()) <= 16, sentence
