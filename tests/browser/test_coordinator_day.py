"""The coordinator's day (issue 12, "Done when"), in Chromium: a professional finds
an alliance among 300 by searching the person's name from the keyboard, prepares a
meeting, holds the review and closes it, then downloads the project and its easy-read
version; the person downloads theirs on a phone, in easy-read. Closing the alliance
itself: the professional proposes, the person agrees, and the alliance is read-only.
axe-core on every page reached."""

import datetime
import re
import time
from pathlib import Path

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from alliance.acting import services as acting
from alliance.acting.models import Meeting, Review
from tests.browser.helpers import assert_accessible, assert_unique_ids
from tests.caseload.test_caseload import build_caseload
from tests.documents.pdf import text_of
from tests.factories import UserFactory, make_alliance_trio, make_signed_charter

pytestmark = pytest.mark.browser

PHONE = {"width": 360, "height": 740}
TITLE = "Aller à l'école du quartier"


def audit(page):
    assert_accessible(page)
    assert_unique_ids(page)


def section(page, name):
    return page.get_by_role("navigation", name="Parties de l'alliance").get_by_role(
        "link", name=name, exact=True
    )


def pdf_text(download):
    data = Path(download.value.path()).read_bytes()
    assert data.startswith(b"%PDF-")
    return " ".join(text_of(data).split())  # PDF text breaks lines anywhere


def more_about_the_alliance(page):
    """The easy overview keeps its other pages in a disclosure, opened from the keyboard."""
    page.locator("#more-pages summary").focus()
    page.keyboard.press("Enter")
    expect(page.locator("#more-pages")).to_have_attribute("open", "")


def _scene():
    """Inès Morel, in 300 small alliances and in Léo Martin's, whose charter is signed."""
    started = time.monotonic()
    trio = make_alliance_trio(
        professional=UserFactory(professional=True, display_name="Inès Morel"), title=TITLE
    )
    make_signed_charter(trio)
    build_caseload(trio.professional.user, 300)
    assert time.monotonic() - started < 30, "the scene takes too long to build"
    return trio


@pytest.mark.django_db(transaction=True)
def test_the_coordinators_day(new_context):
    trio = _scene()
    pk = trio.alliance.pk
    pro = new_context(trio.professional.user, reading="standard").new_page()

    # 1. The caseload: 301 alliances; the person's name typed and sent from the keyboard.
    pro.goto(reverse("caseload:list"))
    expect(pro.locator("#caseload-results")).to_have_text("301 alliances")
    audit(pro)
    search = pro.locator("#id_q")
    search.focus()
    pro.keyboard.type("leo martin")  # case and accents aside
    pro.keyboard.press("Enter")
    pro.wait_for_url(re.compile(r"/caseload/\?.*q=leo\+martin"))
    expect(pro.locator("#caseload-results")).to_have_text("1 alliance")
    audit(pro)
    pro.get_by_role("link", name=TITLE).click()
    pro.wait_for_url(re.compile(rf"/alliances/{pk}/$"))

    # 2. A meeting: when, where, what for, what to prepare; the person is invited.
    section(pro, "Réunions").click()
    pro.wait_for_url(re.compile(rf"/alliances/{pk}/meetings/$"))
    audit(pro)
    pro.get_by_role("link", name="Prévoir une réunion").click()
    pro.wait_for_url(re.compile(r"/meetings/new/$"))
    audit(pro)
    day = timezone.localdate() + datetime.timedelta(days=7)
    pro.get_by_label("Jour").fill(day.isoformat())
    pro.get_by_label("Heure").fill("14:30")
    pro.get_by_label("Où").fill("Au centre social, salle 2")
    pro.get_by_label("Ce qu’il faut préparer").fill("Le bulletin scolaire.")
    pro.get_by_role("group", name="Qui est invité").get_by_label("Léo Martin").check()
    purpose = pro.get_by_label("Pour quoi faire")
    purpose.fill("Préparer le point d'étape")
    purpose.press("Enter")  # the form sent from the keyboard
    pro.wait_for_url(re.compile(rf"/alliances/{pk}/meetings/\d+/$"))
    meeting = Meeting.objects.get(alliance=trio.alliance)
    assert {i.ally_id for i in meeting.invitations.all()} >= {trio.person.pk}
    assert timezone.localtime(meeting.starts_at).strftime("%H:%M") == "14:30"
    section(pro, "Réunions").click()
    upcoming = pro.locator("section", has=pro.locator("#upcoming-title"))
    expect(upcoming.get_by_role("link", name="Préparer le point d'étape")).to_be_visible()
    expect(upcoming).to_contain_text("Au centre social, salle 2")

    # 3. The review: my conclusion, the person's written on their side, the parent
    # who did not come recorded absent; closed, its report listed in the documents.
    section(pro, "Agir ensemble").click()
    pro.get_by_role("link", name="Points d'étape", exact=True).click()
    pro.wait_for_url(re.compile(rf"/alliances/{pk}/reviews/$"))
    audit(pro)
    pro.get_by_role("button", name="Faire le point d'étape maintenant").click()
    pro.wait_for_url(re.compile(rf"/alliances/{pk}/reviews/\d+/$"))
    audit(pro)
    pro.fill("#id_conclusion_text", "Léo va à l'école du quartier trois matins par semaine.")
    pro.get_by_role("button", name="Enregistrer ma conclusion").click()
    pro.wait_for_url(re.compile(r"/reviews/\d+/#mine$"))
    review = Review.objects.get(alliance=trio.alliance)
    acting.write_conclusion(
        ally=trio.person,
        review=review,
        author=trio.person,
        text="J'aime la récréation.",
        expected_version=0,
    )
    pro.goto(pro.url.split("#")[0])
    closing = pro.locator("#closing")
    expect(closing).to_contain_text("Nadia Martin")
    closing.get_by_label("Allié").select_option(label="Nadia Martin")
    closing.get_by_label("Pourquoi").fill("Absente, excusée")
    closing.get_by_role("button", name="Noter l’absence").click()
    expect(pro.get_by_text("L’absence est enregistrée.")).to_be_visible()
    audit(pro)
    pro.get_by_role("button", name="Clore le point d’étape").click()
    expect(pro.get_by_text("Le point d’étape est clos.")).to_be_visible()
    audit(pro)
    pro.get_by_role("link", name="Son compte rendu est dans les documents.").click()
    pro.wait_for_url(re.compile(rf"/alliances/{pk}/documents/$"))
    reports = pro.get_by_role("link", name=re.compile(r"^Compte rendu du point d’étape"))
    expect(reports).to_have_count(2)  # the usual one and the easy-read one
    audit(pro)

    # 4. The project and its easy-read version, made and downloaded.
    pro.get_by_role("button", name="Produire le projet personnalisé").click()
    expect(pro.get_by_text("Le document est prêt")).to_be_visible()
    pro.get_by_role("button", name="Produire sa version facile à lire").click()
    expect(pro.get_by_text("Le document est prêt")).to_be_visible()
    audit(pro)
    with pro.expect_download() as usual:
        pro.get_by_role("link", name="Projet personnalisé", exact=True).click()
    assert usual.value.suggested_filename == "projet-personnalise-v1.pdf"
    text = pdf_text(usual)
    assert "Personne : Léo Martin" in text
    assert "Version 1 de notre charte" in text
    with pro.expect_download() as easy:
        pro.get_by_role("link", name="Projet personnalisé · facile à lire").click()
    assert easy.value.suggested_filename == "projet-personnalise-v1-facile-a-lire.pdf"
    text = pdf_text(easy)
    assert "Léo Martin" in text
    assert "accord numéro 1" in text

    # 5. The person, on a phone, in easy-read (their default), downloads theirs.
    person = new_context(trio.person.user).new_page()
    person.set_viewport_size(PHONE)
    person.goto(reverse("alliances:overview", args=[pk]))
    more_about_the_alliance(person)
    person.get_by_role("link", name="Nos papiers").click()
    person.wait_for_url(re.compile(rf"/alliances/{pk}/documents/$"))
    expect(person.get_by_role("heading", level=1)).to_have_text(re.compile("Nos papiers"))
    audit(person)
    assert person.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    with person.expect_download() as theirs:
        person.get_by_role("link", name="Notre projet · facile à lire").click()
    assert theirs.value.suggested_filename == "projet-personnalise-v1-facile-a-lire.pdf"
    text = pdf_text(theirs)
    assert "Léo Martin" in text
    assert "accord numéro 1" in text


@pytest.mark.django_db(transaction=True)
def test_the_professional_proposes_to_close_and_the_person_agrees(new_context):
    trio = make_alliance_trio(title=TITLE)
    make_signed_charter(trio)
    pk = trio.alliance.pk
    pro = new_context(trio.professional.user, reading="standard").new_page()
    pro.goto(reverse("alliances:overview", args=[pk]))
    pro.get_by_role("link", name="Clore l’alliance").click()
    pro.wait_for_url(re.compile(rf"/alliances/{pk}/closing/$"))
    audit(pro)
    pro.get_by_label("Pourquoi, en quelques mots").fill("Léo a fini son année; il va bien.")
    pro.get_by_role("button", name="Envoyer la proposition").click()
    expect(pro.get_by_text("Votre proposition est envoyée")).to_be_visible()
    # The professional keeps a meeting form open while the person answers.
    pro.goto(reverse("meetings:new", args=[pk]))

    person = new_context(trio.person.user).new_page()
    person.set_viewport_size(PHONE)
    person.goto(reverse("alliances:overview", args=[pk]))
    more_about_the_alliance(person)
    person.get_by_role("link", name="Arrêter l’alliance").click()
    person.wait_for_url(re.compile(rf"/alliances/{pk}/closing/$"))
    expect(person.locator("main")).to_contain_text("Léo a fini son année")
    audit(person)
    person.get_by_role("button", name="Oui, on arrête").click()
    person.wait_for_url(re.compile(rf"/alliances/{pk}/closing/$"))
    trio.alliance.refresh_from_db()
    assert trio.alliance.is_closed

    # The form opened before is refused; the pages say why and offer no writing.
    pro.get_by_label("Jour").fill((timezone.localdate() + datetime.timedelta(days=3)).isoformat())
    pro.get_by_label("Heure").fill("10:00")
    pro.get_by_label("Où").fill("Au centre")
    pro.get_by_label("Pour quoi faire").fill("Encore une réunion")
    with pro.expect_response(re.compile(r"/meetings/new/$")) as refused:
        pro.get_by_label("Pour quoi faire").press("Enter")
    assert refused.value.status == 403
    expect(pro.get_by_text("Cette alliance est close.")).to_be_visible()
    assert not Meeting.objects.exists()
    pro.goto(reverse("meetings:list", args=[pk]))
    expect(pro.get_by_text("Cette alliance est close.")).to_be_visible()
    expect(pro.get_by_role("link", name="Prévoir une réunion")).to_have_count(0)
    audit(pro)
