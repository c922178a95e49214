"""Every refusal reads as a page of the product, in the reader's language, with
DEBUG off: a 403 raised by a real view, a CSRF failure, a 405 of require_POST, an
empty HttpResponseForbidden, a 404 — never the browser's bare "403 Forbidden"
(tests/operations/test_error_pages.py covers 400, 500 and the handlers)."""

import pytest
from django.http import HttpResponse, HttpResponseForbidden
from django.test import Client
from django.urls import path, reverse

from alliance.www.urls import urlpatterns as product_urlpatterns
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

LAYOUT = 'class="site-header"'


def _bare_forbidden(request):
    return HttpResponseForbidden()


def _empty_ok(request):
    return HttpResponse(status=204)


urlpatterns = [
    path("test-errors/bare-403/", _bare_forbidden),
    path("test-errors/204/", _empty_ok),
    *product_urlpatterns,
]


@pytest.fixture(autouse=True)
def no_debug(settings):
    settings.DEBUG = False


def _page(response, status, title):
    assert response.status_code == status
    assert response["Content-Type"].startswith("text/html")
    html = response.content.decode()
    assert LAYOUT in html and f"<h1>{title}</h1>" in html
    assert "Forbidden" not in html and "Method Not Allowed" not in html
    return html


def test_a_403_raised_by_a_view_is_the_french_page(client):
    client.force_login(UserFactory())  # not an operator
    _page(client.get(reverse("notifications:failed_deliveries")), 403, "Action non autorisée")


def test_a_403_in_english_for_whoever_chose_english(client):
    client.force_login(UserFactory())
    client.cookies["django_language"] = "en"
    html = _page(client.get(reverse("notifications:failed_deliveries")), 403, "Not allowed")
    assert '<html lang="en">' in html


def test_a_csrf_failure_on_a_signed_in_page_is_the_french_page():
    strict = Client(enforce_csrf_checks=True)
    strict.force_login(UserFactory())
    _page(strict.post(reverse("notifications:read"), {}), 403, "Le formulaire a expiré")


def test_a_get_on_a_post_only_address_is_the_405_page(client):
    client.force_login(UserFactory())
    response = client.get(reverse("notifications:read"))
    _page(response, 405, "Cette adresse ne s’ouvre pas ainsi")
    assert response["Allow"] == "POST"


@pytest.mark.urls("tests.www.test_error_pages")
def test_an_empty_forbidden_response_gets_the_page(client):
    client.force_login(UserFactory())
    _page(client.get("/test-errors/bare-403/"), 403, "Action non autorisée")
    assert client.get("/test-errors/204/").content == b""  # not an error: left alone


def test_a_404_of_the_gatekeeper_is_the_french_page(client):
    client.force_login(UserFactory())
    _page(client.get(reverse("alliances:overview", args=[999999])), 404, "Page introuvable")
