"""Easy-read mode (DESIGN rule 7): on by default for the person of an alliance, a
saved choice for anyone, a switch for one browser session, "tu" for a child."""

import datetime

import pytest
from django.template import engines
from django.test import RequestFactory
from django.urls import reverse
from django.utils import timezone

from alliance.accounts.models import User
from alliance.alliances import services
from alliance.alliances.models import Role
from alliance.www import reading
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def _alliance_for(name, **extra):
    pro = UserFactory(professional=True)
    alliance = services.create_alliance(creator=pro, title="A", person_name=name, **extra)
    return alliance, alliance.allies.get(role=Role.PERSON).user


def test_the_person_of_an_alliance_reads_easily_by_default():
    _, person = _alliance_for("Samir")
    assert person.easy_read is True


def test_a_professional_or_relative_keeps_the_usual_pages():
    alliance, _ = _alliance_for("Samir")
    pro = alliance.allies.get(role=Role.PROFESSIONAL).user
    assert pro.easy_read is None


def test_a_person_who_chose_the_usual_pages_keeps_them():
    person = UserFactory(easy_read=False)
    alliance = services.create_alliance(creator=person, title="Mine")
    assert alliance.allies.get(role=Role.PERSON).user_id == person.pk
    person.refresh_from_db()
    assert person.easy_read is False


def test_a_birth_date_in_the_future_is_refused_and_nothing_is_created():
    from django.core.exceptions import ValidationError

    pro = UserFactory(professional=True)
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    with pytest.raises(ValidationError) as error:
        services.create_alliance(creator=pro, title="A", person_name="X", person_born_on=tomorrow)
    assert "person_born_on" in error.value.message_dict
    assert not User.objects.filter(display_name="X").exists()


def _request(user, session=None):
    request = RequestFactory().get("/")
    request.user = user
    request.session = session or {}
    return request


def test_a_child_under_twelve_is_spoken_to_informally_only_in_easy_read():
    today = timezone.localdate()
    _, child = _alliance_for("Noé", person_born_on=today.replace(year=today.year - 9))
    assert reading.is_easy(_request(child)) and reading.is_informal(_request(child))
    standard = _request(child, {reading.SESSION_KEY: reading.STANDARD})
    assert not reading.is_informal(standard)


@pytest.mark.parametrize(("years", "informal"), [(11, True), (12, False), (30, False)])
def test_twelve_is_the_age_of_vous(years, informal):
    today = timezone.localdate()
    user = UserFactory(easy_read=True, born_on=today.replace(year=today.year - years))
    assert reading.is_informal(_request(user)) is informal


def test_the_session_switch_overrides_the_saved_choice():
    user = UserFactory(easy_read=True)
    assert not reading.is_easy(_request(user, {reading.SESSION_KEY: reading.STANDARD}))
    other = UserFactory(easy_read=None)
    assert reading.is_easy(_request(other, {reading.SESSION_KEY: reading.EASY}))


def test_render_picks_the_easy_version_when_there_is_one(client):
    user = UserFactory(easy_read=True)
    client.force_login(user)
    response = client.get(reverse("accounts:settings"))
    assert "easy/accounts/settings.html" in [t.name for t in response.templates]
    assert 'class="easy"' in response.content.decode()
    user.easy_read = False
    user.save()
    response = client.get(reverse("accounts:settings"))
    assert "easy/accounts/settings.html" not in [t.name for t in response.templates]


def test_the_switch_works_for_a_visitor_and_returns_to_the_page(client):
    sign_in = reverse("accounts:sign_in")
    response = client.post(reverse("accounts:reading_switch"), {"mode": "easy", "next": sign_in})
    assert response.status_code == 302 and response["Location"] == sign_in
    assert client.session[reading.SESSION_KEY] == "easy"
    page = client.get(sign_in).content.decode()
    assert 'class="easy"' in page


def test_the_switch_ignores_an_unknown_mode_and_a_foreign_next(client):
    response = client.post(
        reverse("accounts:reading_switch"), {"mode": "loud", "next": "https://evil.example/"}
    )
    assert response.status_code == 302 and "evil" not in response["Location"]
    assert reading.SESSION_KEY not in client.session


def test_the_saved_choice_is_kept_and_wins_over_the_session(client):
    user = UserFactory(easy_read=None)
    client.force_login(user)
    client.post(reverse("accounts:reading_switch"), {"mode": "easy"})
    response = client.post(reverse("accounts:settings"), {"easy_read": "0"})
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.easy_read is False
    assert reading.SESSION_KEY not in client.session


def test_a_bad_choice_changes_nothing(client):
    user = UserFactory(easy_read=True)
    client.force_login(user)
    response = client.post(reverse("accounts:settings"), {"easy_read": "maybe"})
    assert response.status_code == 400
    user.refresh_from_db()
    assert user.easy_read is True


def test_a_pictogram_never_comes_without_its_word():
    html = engines["django"].from_string('{% load easy %}{% picto "home" %}').render({})
    assert 'alt=""' in html and "img/openmoji/1F3E0.svg" in html
