"""Issue 13's pages in Chromium, on the demo: Léa agrees that Noé's alliance goes to
the establishment's file (easy-read and usual pages) and Hélène downloads the export;
Hélène starts an alliance from a DUI bundle; "My data" and "My data rights" for a
person, a child and a legal representative; the API's credentials (a personal token
behind the re-authentication step, a DUI software). axe-core on every page reached,
the keyboard where a person acts, 360 px where a person reads."""

import io
import json
import re
import zipfile
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from playwright.sync_api import expect

from alliance.accounts import mfa, sessions
from alliance.accounts.models import User
from alliance.alliances.models import Ally, AllyInvitation, Role
from alliance.interop.models import DuiConsent
from alliance.privacy.models import DataArchive, RightRequest
from tests.browser.helpers import assert_accessible, assert_unique_ids, use_usual_pages
from tests.interop import bundles

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 360, "height": 740}
PASSWORD = "une phrase de passe assez longue"


@pytest.fixture
def demo():
    call_command("demo", stdout=None)


def audit(page):
    assert_accessible(page)
    assert_unique_ids(page)


def fits_the_phone(page):
    """Nothing wider than the screen: no sideways scrolling on a 360 px phone."""
    width = page.evaluate("() => document.documentElement.scrollWidth")
    assert width <= PHONE["width"], f"{page.url} is {width} px wide at {PHONE['width']} px"


def persona(slug) -> User:
    return User.objects.get(demo_persona=slug)


def noes_alliance_id() -> int:
    return Ally.objects.get(user__demo_persona="personne-noe", role=Role.PERSON).alliance_id


def main_text(page) -> str:
    return " ".join(page.locator("main").inner_text().split())


def press(locator):
    """Activates a control from the keyboard, as a person without a mouse does."""
    locator.focus()
    locator.press("Enter")


# ------------------------------------------------------------------ the DUI consent


def test_lea_agrees_to_share_noes_alliance_and_helene_downloads_it(demo, new_context):
    alliance_id = noes_alliance_id()
    dui_url = reverse("interop:dui", args=[alliance_id])
    lea = new_context(persona("parent-lea"), reading="easy").new_page()
    lea.set_viewport_size(PHONE)

    # Easy-read, on a phone: from the alliance's page to the establishment's file.
    lea.goto(reverse("alliances:overview", args=[alliance_id]))
    press(lea.locator("#more-pages summary"))
    expect(lea.locator("#more-pages")).to_have_attribute("open", "")
    lea.get_by_role("link", name="Le dossier de l'établissement").click()
    lea.wait_for_url(re.compile(re.escape(dui_url) + "$"))
    expect(lea.locator("main")).to_contain_text("Notre projet ne va pas dans le dossier.")
    expect(lea.get_by_role("button", name="Oui, il peut y aller")).to_be_visible()
    audit(lea)
    fits_the_phone(lea)

    # The usual pages: the same decision, said at length; agreed from the keyboard.
    use_usual_pages(lea)
    expect(lea.get_by_role("heading", level=1)).to_have_text(
        "Partager avec le dossier de l'établissement"
    )
    expect(lea.locator("main")).to_contain_text("Non partagé.")
    audit(lea)
    fits_the_phone(lea)
    press(lea.get_by_role("button", name="J'accepte de partager"))
    lea.wait_for_url(re.compile(re.escape(dui_url) + "$"))
    expect(lea.locator(".messages")).to_contain_text("C'est accepté")
    expect(lea.locator("main")).to_contain_text("Partagé.")
    expect(lea.locator("main")).to_contain_text("Accord donné par Léa")
    expect(lea.get_by_role("button", name="Arrêter le partage")).to_be_visible()
    audit(lea)
    consent = DuiConsent.objects.get(alliance_id=alliance_id, withdrawn_at__isnull=True)
    assert consent.given_by.user.demo_persona == "parent-lea"

    # Back to easy-read: it is given, and she may say stop.
    lea.locator('form.reading-form button[value="easy"]').click()
    lea.wait_for_load_state()
    expect(lea.locator("main")).to_contain_text("Notre projet va dans le dossier.")
    expect(lea.get_by_role("button", name="Stop")).to_be_visible()
    audit(lea)

    # Hélène downloads the bundle for the DUI (a file: no page to audit).
    helene = new_context(persona("pro-helene"), reading="standard").new_page()
    helene.goto(dui_url)
    audit(helene)
    link = helene.get_by_role("link", name="Télécharger le fichier à remettre au DUI (FHIR)")
    with helene.expect_download() as download:
        link.click()
    assert download.value.suggested_filename == f"alliance-{alliance_id}-tddui.json"
    document = json.loads(Path(download.value.path()).read_text())
    assert document["resourceType"] == "Bundle"
    kinds = {entry["resource"]["resourceType"] for entry in document["entry"]}
    assert {"Patient", "CarePlan"} <= kinds


# ------------------------------------------------------------------ the import


def test_helene_starts_an_alliance_from_a_dui_bundle(demo, new_context):
    helene = new_context(persona("pro-helene"), reading="standard").new_page()
    helene.goto(reverse("interop_import:upload"))
    audit(helene)

    # Nothing chosen: the error says so, and the page stays accessible.
    helene.get_by_role("button", name="Lire le fichier").click()
    expect(helene.get_by_role("alert")).to_contain_text("Ce champ est obligatoire.")
    audit(helene)

    helene.get_by_label(
        "Le fichier exporté par le DUI de l'établissement (FHIR, JSON)"
    ).set_input_files(
        {"name": "dui-jeanne.json", "mimeType": "application/fhir+json", "buffer": bundles.raw()}
    )
    helene.get_by_role("button", name="Lire le fichier").click()
    helene.wait_for_url(re.compile(re.escape(reverse("interop_import:review")) + "$"))
    main = helene.locator("main")
    expect(main).to_contain_text("Jeanne L.")
    expect(main).to_contain_text("Besoins pour la mobilité (SERAFIN-PH 1.2.1.3)")
    expect(main).to_contain_text("Marcher jusqu'au jardin chaque jour avec un appui")
    expect(helene.get_by_label("Titre de l'alliance")).to_have_value("Alliance de Jeanne L.")
    audit(helene)

    # Claire, the daughter the DUI names, invited as a relative from the keyboard.
    claire = helene.get_by_role("group", name="Claire L. (fille)")
    claire.get_by_label("Inviter Claire L.").focus()
    helene.keyboard.press("Space")
    expect(claire.get_by_label("Inviter Claire L.")).to_be_checked()
    claire.get_by_label("Rôle de Claire L.").select_option(label="Proche")
    expect(claire.get_by_label("Adresse e-mail de Claire L. (facultatif)")).to_have_value(
        "claire@example.org"
    )

    before = set(Ally.objects.filter(role=Role.PERSON).values_list("alliance_id", flat=True))
    press(helene.get_by_role("button", name="Créer l'alliance"))
    helene.wait_for_url(re.compile(r"/alliances/\d+/$"))
    created = int(re.search(r"/alliances/(\d+)/$", helene.url).group(1))
    assert created not in before
    invitation = AllyInvitation.objects.get(alliance_id=created)
    assert (invitation.email, invitation.role) == ("claire@example.org", Role.RELATIVE)
    expect(helene.locator(".messages")).to_contain_text("DUI")
    audit(helene)


# ------------------------------------------------------------------ my data


def test_samir_takes_his_ready_archive_on_a_phone(demo, new_context):
    samir = new_context(persona("personne-samir"), reading="easy").new_page()
    samir.set_viewport_size(PHONE)
    samir.goto(reverse("privacy:mine"))
    expect(samir.get_by_role("heading", level=1)).to_have_text("Mes données")
    audit(samir)
    fits_the_phone(samir)
    ready = samir.get_by_role("link", name=re.compile("^Le fichier est prêt jusqu"))
    with samir.expect_download() as download:
        press(ready)
    data = Path(download.value.path()).read_bytes()
    names = zipfile.ZipFile(io.BytesIO(data)).namelist()
    assert any(name.endswith(".json") for name in names)
    assert any(name.endswith(".pdf") for name in names)


def test_lea_asks_for_noes_data_on_the_usual_pages(demo, new_context):
    lea_user = persona("parent-lea")
    noe = persona("personne-noe")
    lea = new_context(lea_user, reading="standard").new_page()
    lea.goto(reverse("privacy:mine"))
    expect(lea.get_by_role("heading", name="Ce qu'Alliance garde sur moi")).to_be_visible()
    expect(lea.get_by_role("columnheader", name="Nombre")).to_be_visible()  # a count
    audit(lea)
    press(lea.get_by_role("button", name=f"Télécharger les données de {noe.display_name}"))
    lea.wait_for_url(re.compile(re.escape(reverse("privacy:mine")) + "$"))
    expect(lea.locator(".messages")).to_contain_text("archive")
    expect(lea.get_by_role("heading", name="Mes archives")).to_be_visible()
    expect(lea.locator("main")).to_contain_text(f"données de {noe.display_name}")
    audit(lea)
    assert DataArchive.objects.filter(requested_by=lea_user, subject=noe).exists()


# ------------------------------------------------------------------ my data rights


def test_lea_and_noe_read_their_data_rights(demo, new_context):
    noe = persona("personne-noe")
    lea = new_context(persona("parent-lea"), reading="standard").new_page()
    lea.goto(reverse("rights:page"))
    expect(lea.get_by_role("heading", name="Mon compte")).to_be_visible()
    expect(lea.get_by_role("heading", name=re.compile(re.escape(noe.display_name)))).to_be_visible()
    expect(lea.get_by_role("button", name="Demander l'effacement du nom")).to_have_count(2)
    audit(lea)

    child = new_context(noe, reading="easy").new_page()
    child.set_viewport_size(PHONE)
    child.goto(reverse("rights:page"))
    expect(child.get_by_role("heading", name="Ce que je peux demander")).to_be_visible()
    expect(child.locator("main")).to_contain_text(
        re.compile(
            r"1 alliance est encore ouverte\.\s+"
            r"La loi demande de la garder \d+ ans après sa clôture\."
        )
    )
    erase = child.get_by_role("button", name="Demander l'effacement du nom")
    freeze = child.get_by_role("button", name="Geler le compte maintenant")
    expect(erase).to_be_visible()
    # Stacked on the phone, the two requests keep a gap: no tap lands on the wrong one.
    assert (
        freeze.bounding_box()["y"] >= erase.bounding_box()["y"] + erase.bounding_box()["height"] + 4
    )
    # A child is spoken to as "tu", never "vous".
    assert not re.search(r"\b[Vv]ous\b", main_text(child)), main_text(child)
    audit(child)
    fits_the_phone(child)
    # Only read: nothing was asked.
    assert not RightRequest.objects.filter(user__in=[noe, persona("parent-lea")]).exists()


# ------------------------------------------------------------------ the API's credentials


def _signed_in_long_ago(new_context, user, live_server):
    """A context whose session signed in long ago: the next sensitive action asks for
    the password again (the re-authentication step)."""
    user.set_password(PASSWORD)
    user.save(update_fields=["password"])
    client = Client()
    client.force_login(user)
    session = client.session
    for key in (sessions.SIGNED_IN_AT, mfa.REAUTHENTICATED_AT):
        if key in session:
            session[key] -= (settings.ALLIANCE_REAUTHENTICATION_MINUTES + 5) * 60
    session["reading_mode"] = "standard"
    session.save()
    context = new_context()
    context.add_cookies(
        [
            {
                "name": settings.SESSION_COOKIE_NAME,
                "value": session.session_key,
                "url": live_server.url,
                "httpOnly": True,
                "sameSite": "Lax",
            }
        ]
    )
    return context.new_page()


def _confirm_with_password(page):
    page.wait_for_url(re.compile(re.escape(reverse("mfa:reauthenticate"))))
    audit(page)
    field = page.get_by_role("textbox", name=re.compile("Votre mot de passe"))
    field.fill(PASSWORD)
    field.press("Enter")


def _make_token(page, name):
    section = page.locator("#api")
    section.get_by_label("Nom du jeton").fill(name)
    section.get_by_label("Durée de validité en jours").fill("30")
    section.get_by_role("button", name="Créer le jeton").click()


def test_helene_makes_then_revokes_a_token(demo, new_context, live_server):
    helene = _signed_in_long_ago(new_context, persona("pro-helene"), live_server)
    helene.goto(reverse("accounts:settings"))
    expect(helene.get_by_role("heading", name="Accès pour un logiciel (API)")).to_be_visible()
    audit(helene)

    # The first attempt asks who she is, then brings her back to the form.
    _make_token(helene, "Mon tableur")
    _confirm_with_password(helene)
    helene.wait_for_url(re.compile(re.escape(reverse("accounts:settings"))))
    _make_token(helene, "Mon tableur")
    helene.wait_for_url(re.compile(re.escape(reverse("accounts:settings"))))
    secret = helene.get_by_label("Votre nouveau jeton (affiché seulement maintenant) :")
    expect(secret).to_have_value(re.compile(r"^alp_"))
    audit(helene)

    # Shown once: a reload no longer shows it.
    helene.reload()
    expect(helene.locator("#token-secret")).to_have_count(0)
    expect(helene.locator("#api")).to_contain_text("Mon tableur")

    press(helene.get_by_role("button", name="Révoquer le jeton Mon tableur"))
    helene.wait_for_url(re.compile(re.escape(reverse("accounts:settings"))))
    expect(helene.locator(".messages")).to_contain_text("Le jeton ne fonctionne plus.")
    expect(helene.get_by_role("button", name="Révoquer le jeton Mon tableur")).to_have_count(0)
    audit(helene)


def test_sophie_registers_the_dui_software(demo, new_context, live_server):
    sophie = _signed_in_long_ago(new_context, persona("admin-sophie"), live_server)
    url = reverse("accounts:api_clients")
    sophie.goto(url)
    audit(sophie)
    sophie.get_by_label("Nom du logiciel").fill("DUI de test")
    sophie.get_by_role("button", name="Enregistrer et afficher son secret").click()
    _confirm_with_password(sophie)
    sophie.wait_for_url(re.compile(re.escape(url) + "$"))
    sophie.get_by_label("Nom du logiciel").fill("DUI de test")
    press(sophie.get_by_role("button", name="Enregistrer et afficher son secret"))
    sophie.wait_for_url(re.compile(re.escape(url) + "$"))
    expect(sophie.get_by_label("Secret du client")).not_to_have_value("")
    expect(sophie.locator("main")).to_contain_text("DUI de test")
    audit(sophie)
    sophie.reload()
    expect(sophie.get_by_label("Secret du client")).to_have_count(0)
    expect(sophie.get_by_role("button", name="Révoquer le logiciel DUI de test")).to_be_visible()
