"""Error pages in French, in the product's layout, never Django's bare English ones."""

import pytest
from django.template import loader
from django.test import Client

from tests.factories import UserFactory

LAYOUT = 'class="site-header"'
FOOTER = "logiciel libre"


def assert_in_layout(response, status, french_title):
    assert response.status_code == status
    html = response.content.decode()
    assert '<html lang="fr">' in html
    assert LAYOUT in html
    assert FOOTER in html
    assert french_title in html
    assert "Forbidden" not in html
    assert "Not Found" not in html


@pytest.fixture
def error_urls(settings):
    settings.ROOT_URLCONF = "tests.operations.error_urls"
    settings.DEBUG = False


@pytest.mark.django_db
@pytest.mark.usefixtures("error_urls")
def test_a_bug_shows_the_french_500_page():
    client = Client(raise_request_exception=False)
    response = client.get("/test-errors/500/")
    assert_in_layout(response, 500, "Une erreur est survenue")


def test_the_500_page_renders_without_request_nor_database():
    """server_error renders it with no request and no context processor; the error
    may be the database itself. Without the django_db mark, pytest-django makes any
    database access raise."""
    html = loader.get_template("500.html").render()
    assert "Une erreur est survenue" in html
    assert LAYOUT in html
    assert "csrf" not in html.lower()


@pytest.mark.django_db
@pytest.mark.usefixtures("error_urls")
def test_a_refusal_shows_the_french_403_page(client):
    client.force_login(UserFactory())
    assert_in_layout(client.get("/test-errors/403/"), 403, "Action non autorisée")


@pytest.mark.django_db
@pytest.mark.usefixtures("error_urls")
def test_bad_input_shows_the_french_400_page(client):
    assert_in_layout(client.get("/test-errors/400/"), 400, "Demande incomprise")


@pytest.mark.django_db
def test_an_unknown_address_shows_the_french_404_page(client):
    client.force_login(UserFactory())
    assert_in_layout(client.get("/no-such-page/"), 404, "Page introuvable")


@pytest.mark.django_db
def test_a_form_without_its_csrf_token_shows_the_french_page():
    client = Client(enforce_csrf_checks=True)
    response = client.post("/sign-in/", {"email": "someone@example.org"})
    assert_in_layout(response, 403, "Le formulaire a expiré")
