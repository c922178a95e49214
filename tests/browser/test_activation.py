"""A person without email gets in (ADR 0013): the professional creates the alliance
and makes the activation letter; on a 360 px phone, with the keyboard only, the person
types the code, keeps the phone signed in, closes the browser and comes back later
signed in without any code."""

import re

import pytest
from playwright.sync_api import expect

from alliance.accounts import activation
from alliance.alliances.models import Alliance
from tests.browser.helpers import assert_accessible
from tests.browser.test_keyboard import tab_to
from tests.factories import UserFactory

pytestmark = pytest.mark.browser

CODE = re.compile(r"[A-HJKMNP-Z2-9]{5}-[A-HJKMNP-Z2-9]{5}")


def test_a_person_without_email_gets_in_with_the_letter(new_context, live_server, settings):
    settings.ALLIANCE_SITE_URL = live_server.url
    professional = UserFactory(professional=True, display_name="Inès Morel")
    pro = new_context(professional).new_page()

    pro.goto("/alliances/new/")
    pro.fill('input[name="title"]', "Le logement de Yvette")
    pro.fill('input[name="person_name"]', "Yvette Morel")
    pro.locator('main form button[type="submit"]').click()
    pro.wait_for_url(re.compile(r"/alliances/\d+/allies/\d+/letter/$"))
    assert_accessible(pro)
    alliance = Alliance.objects.get(title="Le logement de Yvette")
    pro.check('input[name="hand_over"]')
    pro.locator('form:not([action]) button[type="submit"]').click()
    pro.locator(".letter-code").wait_for()
    assert_accessible(pro)
    code = pro.locator(".letter-code").inner_text().strip()
    assert CODE.fullmatch(code)
    expect(pro.locator(".letter-qr svg")).to_have_count(1)
    # The PDF of the same letter.
    with pro.expect_response(re.compile(r"/letter/pdf/$")) as answer:
        pro.evaluate(
            """() => {
                const form = document.querySelector('form[action$="/letter/pdf/"]');
                return fetch(form.action, {method: "POST", body: new FormData(form)});
            }"""
        )
    pdf = answer.value
    assert pdf.status == 200 and pdf.headers["content-type"] == "application/pdf"

    # ---- The person, on their phone: 360 px, the keyboard only.
    context = new_context()
    phone = context.new_page()
    phone.set_viewport_size({"width": 360, "height": 780})
    phone.goto("/activate/")
    assert_accessible(phone)
    tab_to(phone, 'input[name="code"]')
    phone.keyboard.type(code)
    phone.keyboard.press("Enter")
    phone.wait_for_url(re.compile(r"/activate/choose/$"))
    assert_accessible(phone)
    tab_to(phone, 'form[action="/activate/choose/device/"] button')
    phone.keyboard.press("Enter")
    phone.wait_for_url(re.compile(rf"{re.escape(live_server.url)}/$"))
    expect(phone.locator("body")).to_contain_text("Yvette Morel")
    assert phone.evaluate("() => document.documentElement.scrollWidth") <= 360

    # ---- The browser closes (its session cookie goes), and later opens the site again.
    kept = [c for c in context.cookies() if c["expires"] != -1]
    assert [c["name"] for c in kept if c["name"] == activation.DEVICE_COOKIE]
    context.close()
    later = new_context()
    later.add_cookies(kept)
    again = later.new_page()
    again.set_viewport_size({"width": 360, "height": 780})
    again.goto(f"/alliances/{alliance.pk}/")
    expect(again.locator("body")).to_contain_text("Yvette Morel")
    assert "/sign-in/" not in again.url


def test_the_person_activates_with_the_keyboard_registers_a_passkey_and_comes_back_with_it(
    new_context, live_server, settings
):
    """Issue 9's journey: the letter's code on a 360 px phone, the keyboard only, then
    the phone's lock as a passkey (Chromium's virtual authenticator); later the person
    signs in with it, without any code."""
    from alliance.alliances import services
    from tests.browser.test_second_factor import _virtual_authenticator

    settings.ALLIANCE_SITE_URL = live_server.url
    professional = UserFactory(professional=True, display_name="Inès Morel")
    alliance = services.create_alliance(
        creator=professional, title="Le logement de Yvette", person_name="Yvette Morel"
    )
    person = alliance.allies.get(role="person")
    code = services.hand_over_activation_letter(
        by=alliance.allies.get(user=professional), ally=person
    )

    phone = new_context().new_page()
    phone.set_viewport_size({"width": 360, "height": 780})
    _virtual_authenticator(phone)
    phone.goto("/activate/")
    tab_to(phone, 'input[name="code"]')
    phone.keyboard.type(code)
    phone.keyboard.press("Enter")
    phone.wait_for_url(re.compile(r"/activate/choose/$"))
    tab_to(phone, 'a[href="/account/security/passkeys/"]')
    phone.keyboard.press("Enter")
    phone.wait_for_url(re.compile(r"/account/security/passkeys/$"))
    assert_accessible(phone)
    add = phone.get_by_role("button", name="Ajouter une clé d'accès sur cet appareil")
    add.focus()
    phone.keyboard.press("Enter")
    phone.get_by_role("button", name="Retirer la clé d'accès 1").wait_for()
    assert person.user.webauthncredential_set.count() == 1
    assert phone.evaluate("() => document.documentElement.scrollWidth") <= 360

    tab_to(phone, 'form[action="/sign-out/"] button')
    phone.keyboard.press("Enter")
    phone.wait_for_url(re.compile(r"/sign-in/"))
    phone.get_by_role("button", name="Utiliser ma clé d'accès").focus()
    phone.keyboard.press("Enter")
    phone.wait_for_url(lambda url: "/sign-in/" not in url)
    phone.goto(f"/alliances/{alliance.pk}/")
    expect(phone.locator("body")).to_contain_text("Yvette Morel")
    assert_accessible(phone)
