"""The alliance pages in easy-read (issue 11), as Samir (an adult, ESAT) and Noé (9,
addressed with "tu") read them in the demo: each page has its easy version, Noé
has no button a child should not hold, the charter says what one signs before the
button, its perimeter speaks of everyday life (never a SERAFIN-PH code), and the
five images of the position check are drawn, with an accessible name."""

import re
from html import unescape

import pytest
from django.db import transaction
from django.urls import reverse

from alliance.alliances import services
from alliance.alliances.models import Alliance, Ally, Role, Statement
from alliance.demo import loader
from alliance.demo.history import living_esat


@pytest.fixture(scope="module")
def _module_demo(django_db_setup, django_db_blocker):
    """The demo's two alliances (not the collectives nor the reports: they are not
    read here), built once for the module in a transaction rolled back after it."""
    with django_db_blocker.unblock():
        held = transaction.atomic()
        held.__enter__()
        try:
            with loader._no_outgoing_mail():
                people = loader._accounts()
                child = loader._child_alliance(people)
                esat = living_esat(people, loader._esat_alliance)
        except BaseException:
            transaction.set_rollback(True)
            held.__exit__(None, None, None)
            raise
    yield {"child": child.pk, "esat": esat.pk}
    with django_db_blocker.unblock():
        transaction.set_rollback(True)
        held.__exit__(None, None, None)


@pytest.fixture
def demo(_module_demo, db):
    child = Alliance.objects.get(pk=_module_demo["child"])
    esat = Alliance.objects.get(pk=_module_demo["esat"])
    allies = {a.user.demo_persona: a for a in Ally.objects.select_related("user", "alliance")}
    return {
        "child": child,
        "esat": esat,
        "samir": allies["personne-samir"],
        "noe": allies["personne-noe"],
        "lea": allies["parent-lea"],
        "julie": allies["pair-julie"],
    }


def _reader(client, ally, mode="easy"):
    client.force_login(ally.user)
    session = client.session
    session["reading_mode"] = mode
    session.save()
    return client


def _pages(ally):
    alliance = ally.alliance
    statement = Statement.objects.filter(alliance=alliance, author=ally).first()
    args = [alliance.pk]
    return {
        "overview": reverse("alliances:overview", args=args),
        "words": reverse("alliances:words", args=args),
        "agree": reverse("alliances:agree", args=args),
        "statement_form": reverse("alliances:statement_new", args=args),
        "statement_detail": reverse("alliances:statement", args=[alliance.pk, statement.pk]),
        "charter": reverse("alliances:charter", args=args),
        "positions": reverse("alliances:positions", args=args),
        "recognition": reverse("alliances:recognition", args=args),
        "asymmetries": reverse("alliances:asymmetries", args=args),
        "trail": reverse("alliances:trail", args=args),
        "leave": reverse("alliances:leave", args=args),
    }


def _main(html):
    return html.split("<main", 1)[1].split("</main>", 1)[0]


@pytest.mark.parametrize("who", ["samir", "noe"])
def test_every_alliance_page_has_its_easy_version(client, demo, who):
    reader = _reader(client, demo[who])
    for name, url in _pages(demo[who]).items():
        response = reader.get(url)
        assert response.status_code == 200, name
        used = [t.name for t in response.templates]
        assert f"easy/alliances/{name}.html" in used, (name, used)
        main = _main(response.content.decode())
        assert "·" not in re.sub(r"<[^>]+>", " ", main), name  # no point médian
        assert re.search(r"<img(?![^>]*\balt=)", main) is None, name


def test_noe_is_told_tu_and_samir_vous(client, demo):
    noe = _reader(client, demo["noe"]).get(_pages(demo["noe"])["positions"]).content.decode()
    assert "Tu ne vois pas le chemin tout à fait comme les professionnels." in noe
    samir = _reader(client, demo["samir"]).get(_pages(demo["samir"])["positions"])
    assert "Vous et les professionnels, vous voyez le chemin un peu différemment." in (
        samir.content.decode()
    )
    noe = _reader(client, demo["noe"]).get(_pages(demo["noe"])["agree"]).content.decode()
    assert "Tu peux changer ta réponse." in noe and "Vous pouvez" not in noe
    samir = _reader(client, demo["samir"]).get(_pages(demo["samir"])["agree"]).content.decode()
    assert "Vous pouvez changer votre réponse." in samir and "Tu peux" not in samir


@pytest.mark.parametrize("mode", ["easy", "standard"])
def test_noe_has_no_button_to_invite_hand_over_or_remove(client, demo, mode):
    noe, child = demo["noe"], demo["child"]
    html = _reader(client, noe, mode).get(_pages(noe)["overview"]).content.decode()
    assert reverse("alliances:invite", args=[child.pk]) not in html
    for ally in child.allies.exclude(pk=noe.pk):
        assert reverse("alliances:remove_ally", args=[child.pk, ally.pk]) not in html
        assert reverse("alliances:letter", args=[child.pk, ally.pk]) not in html
        assert reverse("alliances:reissue", args=[child.pk, ally.pk]) not in html
    # Samir, an adult, keeps them.
    samir, esat = demo["samir"], demo["esat"]
    html = _reader(client, samir, mode).get(_pages(samir)["overview"]).content.decode()
    assert reverse("alliances:invite", args=[esat.pk]) in html
    assert reverse("alliances:remove_ally", args=[esat.pk, demo["julie"].pk]) in html


def test_noe_still_approves_who_joins(client, demo):
    noe, child = demo["noe"], demo["child"]
    newcomer = services.invite_ally(
        inviter=demo["lea"], display_name="Mamie Rose", role=Role.RELATIVE
    )
    services.accept_invitation(ally=newcomer)
    html = _reader(client, noe).get(_pages(noe)["overview"]).content.decode()
    assert reverse("alliances:decide", args=[child.pk, newcomer.pk]) in html
    assert "Mamie Rose veut entrer dans l'alliance" in unescape(html)


def test_the_summary_of_what_one_signs_comes_before_the_sign_button(client, demo):
    samir = demo["samir"]
    charter = services.current_charter(demo["esat"])
    # A change opens a new version: Samir signs again.
    services.add_commitment(
        ally=samir, charter=charter, text="Je montre le geste.", expected_revision=charter.revision
    )
    html = _reader(client, samir).get(_pages(samir)["charter"]).content.decode()
    assert "En signant, je dis" in html
    assert html.index("En signant, je dis") < html.index("sign-button")


def test_a_representative_sees_for_whom_she_signs(client, demo):
    lea, child = demo["lea"], demo["child"]
    charter = services.current_charter(child)
    services.add_commitment(
        ally=lea, charter=charter, text="Je viens.", expected_revision=charter.revision
    )
    html = _reader(client, lea).get(_pages(lea)["charter"]).content.decode()
    assert "Je signe pour Noé" in html
    assert html.index("En signant, je dis") < html.index("Je signe pour Noé")


@pytest.mark.parametrize("who", ["samir", "noe"])
def test_the_easy_charter_speaks_of_everyday_life_never_of_codes(client, demo, who):
    html = _reader(client, demo[who]).get(_pages(demo[who])["charter"]).content.decode()
    text = unescape(re.sub(r"<[^>]+>", " ", _main(html)))
    assert "SERAFIN" not in html
    assert re.search(r"\b1\.[1-3](\.\d+)*\b", text) is None
    expected = {"samir": "L'école et le travail", "noe": "Ma santé"}[who]
    assert expected in text


@pytest.mark.parametrize("mode", ["easy", "standard"])
def test_the_five_images_are_drawn_with_an_accessible_name(client, demo, mode):
    html = _reader(client, demo["samir"], mode).get(_pages(demo["samir"])["positions"])
    drawings = re.findall(r"<svg[^>]*>.*?</svg>", html.content.decode(), re.S)
    titles = set()
    for svg in drawings:
        assert 'role="img"' in svg
        title = re.search(r"<title>([^<]+)</title>", svg)
        assert title and title.group(1).strip()
        titles.add(title.group(1))
    assert len(titles) == 5


def test_answering_the_position_check_in_easy_mode(client, demo):
    noe = demo["noe"]
    reader = _reader(client, noe)
    url = _pages(noe)["positions"]
    page = reader.get(url).content.decode()
    assert page.count('class="big-choice"') == 9
    response = reader.post(
        url, {"chooses_path": "together", "sets_pace": "together", "walks_ahead": "together"}
    )
    assert response.status_code == 302
    assert noe.position_checks.first().image == "hikers"


def test_voting_in_easy_mode_keeps_htmx(client, demo):
    julie = demo["julie"]
    statement = Statement.objects.filter(alliance=julie.alliance).exclude(author=julie).first()
    reader = _reader(client, julie)
    url = reverse("alliances:vote", args=[julie.alliance_id, statement.pk])
    response = reader.post(url, {"value": "unsure"}, HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    body = response.content.decode()
    assert "easy-statement" in body and "<html" not in body
    # Without htmx, back to the page of the messages to answer.
    response = reader.post(url, {"value": "agree"})
    assert response.url.startswith(reverse("alliances:agree", args=[julie.alliance_id]))


def test_saying_what_matters_in_easy_mode(client, demo):
    samir = demo["samir"]
    reader = _reader(client, samir)
    url = _pages(samir)["statement_form"]
    page = reader.get(url).content.decode()
    assert page.count('class="big-choice"') == 5
    response = reader.post(url, {"kind": "interest", "text": "Je veux apprendre un poste."})
    assert response.url == reverse("alliances:words", args=[samir.alliance_id])
    words = reader.get(response.url).content.decode()
    assert "Je veux apprendre un poste." in words


def test_the_trail_is_summarised_per_person_and_day(client, demo):
    noe, child = demo["noe"], demo["child"]
    helene = child.allies.get(role=Role.PROFESSIONAL, user__display_name__startswith="Hélène")
    client.force_login(helene.user)
    for _ in range(3):
        client.get(_pages(noe)["overview"])
    html = _reader(client, noe).get(_pages(noe)["trail"]).content.decode()
    line = f"{helene.user.display_name} a regardé 3 fois aujourd'hui."
    assert line in unescape(html)
    # The detail stays one tap away.
    assert '<details class="more"' in html


@pytest.mark.parametrize("name", ["words", "agree"])
def test_the_new_pages_have_a_standard_version(client, demo, name):
    samir = demo["samir"]
    response = _reader(client, samir, "standard").get(_pages(samir)[name])
    assert response.status_code == 200
    assert f"alliances/{name}.html" in [t.name for t in response.templates]
    assert "easy/alliances" not in " ".join(t.name for t in response.templates)
