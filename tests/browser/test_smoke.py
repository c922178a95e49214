"""The browser fixtures themselves: Chromium starts, contexts are independent, a
user is signed in by cookie, and the axe-core audit finds what it must."""

import pytest
from django.urls import reverse

from tests.browser.helpers import assert_accessible, axe_violations

pytestmark = pytest.mark.browser


def test_axe_audit_catches_a_serious_violation(page):
    page.set_content(
        '<html lang="fr"><head><title>T</title></head><body><main>'
        '<h1>Titre</h1><img src="x.png"></main></body></html>'
    )
    assert "image-alt" in {v["id"] for v in axe_violations(page)}
    with pytest.raises(AssertionError, match="image-alt"):
        assert_accessible(page)


def test_sign_in_page_is_accessible(page):
    page.goto(reverse("accounts:sign_in"))
    assert page.locator("h1").count() == 1
    assert_accessible(page)


def test_contexts_are_independent_and_signed_in(new_context, professional, individual):
    pro_page = new_context(professional).new_page()
    person_page = new_context(individual).new_page()
    anonymous_page = new_context().new_page()
    pro_page.goto(reverse("home"))
    person_page.goto(reverse("home"))
    anonymous_page.goto(reverse("home"))
    assert professional.display_name in pro_page.content()
    assert individual.display_name in person_page.content()
    assert reverse("accounts:sign_in") in anonymous_page.url
    assert_accessible(pro_page)
