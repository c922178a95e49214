"""Behaviour through the pages, with Django's test client: bad input, concurrent
edits, htmx fragments, security headers, the ways to sign in, the language."""

import re
from html import escape
from html.parser import HTMLParser

import pytest
from django import forms
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext

from alliance.accounts.models import SignInSecret
from alliance.accounts.services import issue_sign_in_code, issue_sign_in_link
from alliance.alliances import services
from alliance.alliances.models import (
    Ally,
    AsymmetryEntry,
    Indicator,
    PerimeterEntry,
    Signature,
    Statement,
    StatementKind,
    Vote,
    VoteValue,
)
from alliance.audit.models import AuditEntry
from alliance.conflicts import ConflictError
from tests.factories import PASSWORD, Trio, UserFactory, make_common_ground

from .scene import URL_KWARGS, build_scene
from .test_permission_matrix import TABLE

pytestmark = pytest.mark.django_db


def fr(message):
    """The message as the French page shows it (the default language), escaped."""
    with translation.override("fr"):
        return escape(gettext(message) if isinstance(message, str) else str(message))


def revision_of(charter):
    charter.refresh_from_db()
    return charter.revision


# ---------------------------------------------------------------- bad input

REQUIRED = forms.Field.default_error_messages["required"]


def _rows(scene):
    """What a bad request must leave untouched."""
    charter = scene.charter
    charter.refresh_from_db()
    return {
        "statements": Statement.objects.count(),
        "votes": Vote.objects.count(),
        "allies": Ally.objects.count(),
        "asymmetries": AsymmetryEntry.objects.count(),
        "indicators": Indicator.objects.count(),
        "perimeter": PerimeterEntry.objects.count(),
        "signatures": Signature.objects.count(),
        "charter": (charter.revision, charter.status, charter.shared_understanding),
        "writes": AuditEntry.objects.exclude(action="alliance_viewed").count(),
    }


def _charter(section):
    return lambda s: {"alliance_id": s.alliance.pk, "section": section}


# id -> (role, url name, url kwargs, data, the message shown)
BAD_INPUT = {
    "statement empty": (
        "relative",
        "alliances:statement_new",
        URL_KWARGS["alliances:statement_new"],
        lambda s: {"kind": StatementKind.GOAL, "text": "   "},
        REQUIRED,
    ),
    "statement without kind": (
        "relative",
        "alliances:statement_new",
        URL_KWARGS["alliances:statement_new"],
        lambda s: {"kind": "wish", "text": "Un souhait."},
        forms.ChoiceField.default_error_messages["invalid_choice"] % {"value": "wish"},
    ),
    "invite without name": (
        "representative",
        "alliances:invite",
        URL_KWARGS["alliances:invite"],
        lambda s: {"display_name": "", "role": "relative"},
        REQUIRED,
    ),
    "recognition empty": (
        "relative",
        "alliances:recognition",
        URL_KWARGS["alliances:recognition"],
        lambda s: {"brings": " ", "expects": ""},
        "Write what you bring or what you expect.",
    ),
    "asymmetry without text": (
        "relative",
        "alliances:asymmetries",
        URL_KWARGS["alliances:asymmetries"],
        lambda s: {"dimension": "information", "what_is_held": ""},
        REQUIRED,
    ),
    "asymmetry other without name": (
        "relative",
        "alliances:asymmetries",
        URL_KWARGS["alliances:asymmetries"],
        lambda s: {"dimension": "custom", "what_is_held": "Le temps."},
        "Name the dimension.",
    ),
    "indicator max <= min": (
        "professional_ally",
        "alliances:charter_edit",
        _charter("indicators"),
        lambda s: {
            "revision": revision_of(s.charter),
            "name": "Sommeil",
            "scale_min": 5,
            "scale_max": 5,
            "raters": [s.allies["person"].pk],
        },
        "The highest value must be above the lowest.",
    ),
    "perimeter without domain": (
        "person",
        "alliances:charter_edit",
        _charter("perimeter"),
        lambda s: {"revision": revision_of(s.charter), "status": "in_alliance"},
        "Choose a life domain or name one.",
    ),
    "commitment empty": (
        "relative",
        "alliances:charter_edit",
        _charter("commitments"),
        lambda s: {"revision": revision_of(s.charter), "text": ""},
        REQUIRED,
    ),
    "sign before commitments": (
        "person",
        "alliances:charter_edit",
        _charter("sign"),
        lambda s: {"revision": revision_of(s.charter)},
        "Adopt at least one common interest.",
    ),
    "position unanswered": (
        "relative",
        "alliances:positions",
        URL_KWARGS["alliances:positions"],
        lambda s: {"chooses_path": "me"},
        REQUIRED,
    ),
}


@pytest.mark.parametrize("case", BAD_INPUT)
def test_bad_input_gives_a_400_with_a_clear_message_and_saves_nothing(client, case):
    role, name, url_kwargs, data, message = BAD_INPUT[case]
    scene = build_scene()
    payload = data(scene)
    before = _rows(scene)
    client.force_login(scene.user(role))

    response = client.post(reverse(name, kwargs=url_kwargs(scene)), payload)

    assert response.status_code == 400
    html = response.content.decode()
    assert 'role="alert"' in html
    assert fr(message) in html
    assert _rows(scene) == before


def test_signing_before_everyone_committed_names_who_has_not(client):
    scene = build_scene()
    statement = make_common_ground(_trio(scene))
    services.adopt_interest(
        ally=scene.allies["person"],
        charter=scene.charter,
        statement=statement,
        expected_revision=revision_of(scene.charter),
    )
    before = _rows(scene)
    client.force_login(scene.user("person"))
    response = client.post(
        reverse("alliances:charter_edit", args=[scene.alliance.pk, "sign"]),
        {"revision": revision_of(scene.charter)},
    )
    assert response.status_code == 400
    with translation.override("fr"):
        for role in ("person", "representative", "relative", "professional_ally"):
            name = scene.user(role).display_name
            expected = gettext("%(name)s has not written a commitment yet.") % {"name": name}
            assert escape(expected) in response.content.decode()
    assert _rows(scene) == before


def test_an_invalid_vote_is_refused_with_or_without_htmx(client):
    scene = build_scene()
    client.force_login(scene.user("relative"))
    url = reverse("alliances:vote", args=[scene.alliance.pk, scene.statement.pk])
    before = _rows(scene)
    message = fr("Choose agree, disagree, not sure or pass.")

    fragment = client.post(url, {"value": "maybe"}, headers={"HX-Request": "true"})
    assert fragment.status_code == 400
    assert message in fragment.content.decode()

    page = client.post(url, {"value": "maybe"}, follow=True)
    assert page.redirect_chain[0][1] == 302
    assert message in page.content.decode()
    assert _rows(scene) == before


def _trio(scene):
    a = scene.allies
    return Trio(
        alliance=scene.alliance,
        professional=a["professional_ally"],
        parent=a["representative"],
        person=a["person"],
    )


# ---------------------------------------------------------------- concurrent edits


def _form(html, action=None):
    """The HTML of the (first) form posting to `action`."""
    pattern = rf'<form[^>]*action="{re.escape(action)}".*?</form>' if action else r"<form.*?</form>"
    return re.search(pattern, html, flags=re.S).group(0)


def _textarea(html, name):
    match = re.search(rf'<textarea name="{name}"[^>]*>(.*?)</textarea>', html, flags=re.S)
    return match.group(1).strip() if match else None


def _hidden(html, name):
    return int(re.search(rf'name="{name}" value="(\d+)"', html).group(1))


def test_two_allies_edit_the_charter_at_once_the_second_loses_nothing(client):
    from django.test import Client

    scene = build_scene()
    first, second = client, Client()
    first.force_login(scene.user("professional_ally"))
    second.force_login(scene.user("representative"))
    charter_url = reverse("alliances:charter", args=[scene.alliance.pk])
    edit_url = reverse("alliances:charter_edit", args=[scene.alliance.pk, "understanding"])
    seen_by_first = _hidden(_form(first.get(charter_url).content.decode(), edit_url), "revision")
    seen_by_second = _hidden(_form(second.get(charter_url).content.decode(), edit_url), "revision")
    assert seen_by_first == seen_by_second

    saved = first.post(edit_url, {"revision": seen_by_first, "text": "Léo veut apprendre."})
    assert saved.status_code == 302
    refused = second.post(
        edit_url, {"revision": seen_by_second, "text": "Léo a besoin de calme & de temps."}
    )

    assert refused.status_code == 409
    html = refused.content.decode()
    assert fr(ConflictError()) in html
    assert _textarea(_form(html, edit_url), "text") == escape("Léo a besoin de calme & de temps.")
    scene.charter.refresh_from_db()
    assert scene.charter.shared_understanding == "Léo veut apprendre."
    # The form now carries the new revision: saving again goes through.
    again = _hidden(_form(html, edit_url), "revision")
    assert again == scene.charter.revision
    assert second.post(edit_url, {"revision": again, "text": "Les deux."}).status_code == 302


def test_changing_a_statement_from_a_stale_version_keeps_the_typed_text(client):
    scene = build_scene()
    statement = scene.statement
    client.force_login(scene.user("person"))
    url = reverse("alliances:statement_edit", args=[scene.alliance.pk, statement.pk])
    version = _hidden(client.get(url).content.decode(), "version")
    # Meanwhile, the same person changes it from another tab.
    services.change_statement(
        ally=scene.allies["person"],
        statement=statement,
        kind=statement.kind,
        text="Dans l'autre onglet.",
        expected_version=version,
    )

    response = client.post(
        url, {"kind": statement.kind, "text": "Mes mots, tapés ici.", "version": version}
    )

    assert response.status_code == 409
    html = response.content.decode()
    assert fr(ConflictError()) in html
    assert _textarea(html, "text") == escape("Mes mots, tapés ici.")
    assert escape("Dans l'autre onglet.") in html  # the words as they are now
    statement.refresh_from_db()
    assert (statement.text, statement.version) == ("Dans l'autre onglet.", version + 1)
    assert statement.revisions.count() == 1


# ---------------------------------------------------------------- htmx


class _Element(HTMLParser):
    """The normalised content of the element with a given id: tags, attributes and
    text, with the per-render CSRF token left out."""

    def __init__(self, element_id):
        super().__init__(convert_charrefs=True)
        self.element_id, self.depth, self.tokens = element_id, 0, []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if self.depth == 0 and attrs.get("id") != self.element_id:
            return
        if attrs.get("name") == "csrfmiddlewaretoken":
            attrs["value"] = "…"
        self.tokens.append(("start", tag, sorted(attrs.items())))
        if tag not in {"input", "br", "img", "meta", "link"}:
            self.depth += 1

    def handle_endtag(self, tag):
        if self.depth:
            self.tokens.append(("end", tag))
            self.depth -= 1

    def handle_data(self, data):
        if self.depth and data.split():
            self.tokens.append(("text", " ".join(data.split())))


def element(html, element_id):
    parser = _Element(element_id)
    parser.feed(html)
    assert parser.tokens, f"no #{element_id}"
    return parser.tokens


def test_an_htmx_vote_returns_the_standings_as_the_reloaded_page_shows_them(client):
    scene = build_scene()
    make_common_ground(_trio(scene), text="Dormir la nuit.")
    client.force_login(scene.user("relative"))
    url = reverse("alliances:vote", args=[scene.alliance.pk, scene.statement.pk])

    fragment = client.post(url, {"value": VoteValue.DISAGREE}, headers={"HX-Request": "true"})

    assert fragment.status_code == 200
    html = fragment.content.decode()
    assert html.lstrip().startswith('<div id="standings"')
    assert "<html" not in html
    page = client.get(reverse("alliances:overview", args=[scene.alliance.pk])).content.decode()
    assert element(html, "standings") == element(page, "standings")
    assert (
        Vote.objects.get(statement=scene.statement, ally=scene.allies["relative"]).value
        == VoteValue.DISAGREE
    )


# ---------------------------------------------------------------- security headers

GET_PAGES = [n for n, m in TABLE.items() if "get" in m and m["get"]["person"] == 200]


# No inline script; a JSON data block (the passkey buttons' settings) runs nothing.
INLINE_SCRIPT = r"<script(?![^>]*\b(src=|type=\"application/json\"))[^>]*>"


@pytest.mark.parametrize("name", GET_PAGES)
def test_security_headers_and_no_inline_script_or_style(client, name):
    scene = build_scene()
    client.force_login(scene.user("person"))
    response = client.get(reverse(name, kwargs=URL_KWARGS[name](scene)))
    assert response.status_code == 200
    csp = response["Content-Security-Policy"]
    assert "'unsafe-inline'" not in csp and "'unsafe-eval'" not in csp
    if response["Content-Type"].startswith(("image/", "application/pdf")):
        # An attached file (ADR 0026): stricter still, it runs and loads nothing.
        assert csp.startswith("sandbox; default-src 'none'")
    else:
        assert "script-src 'self'" in csp
    assert "frame-ancestors 'none'" in csp
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    if response["Content-Type"].startswith(("audio/", "image/", "application/pdf")):
        return  # a voice note's sound (ADR 0019), a file (ADR 0026): no markup to check
    html = response.content.decode()
    assert not re.search(INLINE_SCRIPT, html), "inline script"
    assert not re.search(r"<style\b|\sstyle=|\son[a-z]+=", html), "inline style or handler"


def test_the_public_sign_in_page_has_the_same_headers(client):
    response = client.get(reverse("accounts:sign_in"))
    assert response.status_code == 200
    assert "'unsafe-inline'" not in response["Content-Security-Policy"]
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert not re.search(INLINE_SCRIPT, response.content.decode())


def test_the_session_cookie_is_http_only_and_same_site(client):
    user = UserFactory(email="ines@example.org")
    response = client.post(
        reverse("accounts:sign_in"), {"email": "ines@example.org", "password": PASSWORD}
    )
    assert response.status_code == 302
    cookie = response.cookies["sessionid"]
    assert cookie["httponly"] and cookie["samesite"] == "Lax"
    assert client.session["_auth_user_id"] == str(user.pk)


# ---------------------------------------------------------------- signing in


def test_the_demo_buttons_work_only_in_demo_mode(client, settings):
    persona = UserFactory(demo_persona="nadia", display_name="Nadia Démo")
    url = reverse("accounts:sign_in_demo", args=["nadia"])
    with translation.override("fr"):
        button = escape(gettext("Sign in as %(name)s") % {"name": "Nadia Démo"})

    settings.ALLIANCE_DEMO_MODE = False
    assert button not in client.get(reverse("accounts:sign_in")).content.decode()
    assert client.post(url).status_code == 404
    assert "_auth_user_id" not in client.session

    settings.ALLIANCE_DEMO_MODE = True
    assert button in client.get(reverse("accounts:sign_in")).content.decode()
    response = client.post(url)
    assert response.status_code == 302 and response["Location"] == reverse("home")
    assert client.session["_auth_user_id"] == str(persona.pk)


def test_signing_in_with_a_code_works_once(client):
    user = UserFactory(email=None)
    code = issue_sign_in_code(user=user)
    url = reverse("accounts:sign_in_code")
    typed = " " + code.lower().replace("-", " ") + " "  # as read aloud and typed

    response = client.post(url, {"code": typed})
    assert response.status_code == 302 and response["Location"] == reverse("home")
    assert client.session["_auth_user_id"] == str(user.pk)
    assert client.get(reverse("home")).status_code == 200

    client.logout()
    again = client.post(url, {"code": code})
    assert again.status_code == 400
    assert (
        fr("This link or code does not work any more. Ask an ally for a new one.")
        in again.content.decode()
    )
    assert "_auth_user_id" not in client.session


def test_signing_in_with_a_personal_link_works_once_and_not_on_a_mere_visit(client):
    user = UserFactory(email=None)
    link = issue_sign_in_link(user=user)

    assert client.get(link).status_code == 200  # a mail scanner following the link
    assert SignInSecret.objects.get(user=user).used_at is None
    assert "_auth_user_id" not in client.session

    response = client.post(link)
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(user.pk)

    client.logout()
    again = client.post(link)
    assert again.status_code == 400
    assert "_auth_user_id" not in client.session


# ---------------------------------------------------------------- language


def _lang(html):
    return re.search(r'<html lang="([^"]+)"', html).group(1)


def test_french_by_default_english_after_the_switch(client):
    url = reverse("accounts:sign_in")
    with translation.override("fr"):
        french = escape(gettext("Sign in to Alliance"))
    with translation.override("en"):
        english = escape(gettext("Sign in to Alliance"))

    page = client.get(url, headers={"Accept-Language": "en-GB,en;q=0.9"}).content.decode()
    assert _lang(page) == "fr"
    assert french in page

    response = client.post(reverse("set_language"), {"language": "en", "next": url})
    assert response.status_code == 302
    page = client.get(url).content.decode()
    assert _lang(page) == "en"
    assert english in page

    client.post(reverse("set_language"), {"language": "fr", "next": url})
    assert _lang(client.get(url).content.decode()) == "fr"


def test_the_french_catalogue_is_in_use():
    with translation.override("fr"):
        assert gettext("Sign in to Alliance") != "Sign in to Alliance"
