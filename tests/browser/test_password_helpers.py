"""ASVS 2.1.8 and 2.1.12 in the browser: a person choosing a password can show what
they typed and sees how long it is, with the keyboard alone."""

import pytest
from playwright.sync_api import expect

from tests.browser.helpers import assert_accessible
from tests.factories import UserFactory

pytestmark = pytest.mark.browser


def test_a_new_password_can_be_shown_and_its_length_is_told(new_context):
    # Signed in with a code, without a password yet: the page asks for a new one only.
    user = UserFactory()
    user.set_unusable_password()
    user.save()
    page = new_context(user).new_page()
    page.goto("/account/password/")
    field = page.locator("#id_password")
    reveal = page.locator("#id_password_reveal")
    expect(reveal).to_be_visible()
    field.focus()
    page.keyboard.type("court")
    label = page.locator("#id_password_meter_label")
    expect(label).to_have_text("Trop court : au moins 12 caractères.")
    page.keyboard.type(" mais une petite phrase")
    expect(label).to_have_text("Solide : long et difficile à deviner.")
    assert page.locator("#id_password_meter").evaluate("m => m.value") == 24
    assert field.get_attribute("type") == "password"
    page.keyboard.press("Tab")
    page.keyboard.press("Space")
    assert field.get_attribute("type") == "text"
    assert_accessible(page)
