"""Helpers of browser tests: sign a user in, audit a page with axe-core."""

import json
from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client

from alliance.www.reading import SESSION_KEY as READING_SESSION_KEY

AXE_PATH = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"
BLOCKING_IMPACTS = {"serious", "critical"}


def sign_in(context, user, base_url, *, reading=None):
    """Signs `user` in by giving the context a session cookie made by Django's test
    client (the sign-in pages have their own tests). `reading`: "standard" or "easy"
    for this session, as the header switch sets it (a person reads easily by default)."""
    client = Client()
    client.force_login(user)
    if reading is not None:
        session = client.session
        session[READING_SESSION_KEY] = reading
        session.save()
    cookie = client.cookies[settings.SESSION_COOKIE_NAME]
    context.add_cookies(
        [
            {
                "name": settings.SESSION_COOKIE_NAME,
                "value": cookie.value,
                "url": base_url,
                "httpOnly": True,
                "sameSite": "Lax",
            }
        ]
    )


_axe_source = None

AXE_RUN = """() => axe.run(document, {resultTypes: ["violations"]}).then(r =>
    r.violations.map(v => ({
        id: v.id, impact: v.impact, help: v.help,
        nodes: v.nodes.map(n => n.target.join(" ")),
    })))"""


def axe_violations(page):
    """Every axe-core violation on the page. The script is evaluated, not added as a
    <script> tag: our content security policy forbids inline scripts."""
    global _axe_source
    if _axe_source is None:
        if not AXE_PATH.exists():
            pytest.fail(f"{AXE_PATH} is missing: run `npm ci` (make test does it).")
        _axe_source = AXE_PATH.read_text()
    if not page.evaluate("() => typeof axe !== 'undefined'"):
        page.evaluate(_axe_source)
    return page.evaluate(AXE_RUN)


def assert_accessible(page):
    """Fails listing every serious or critical axe-core violation of the page."""
    blocking = [v for v in axe_violations(page) if v["impact"] in BLOCKING_IMPACTS]
    assert not blocking, f"axe-core on {page.url}:\n" + "\n".join(
        f"- [{v['impact']}] {v['id']}: {v['help']} at {json.dumps(v['nodes'][:5])}"
        for v in blocking
    )


DUPLICATE_IDS = """() => {
    const seen = {};
    document.querySelectorAll("[id]").forEach(e => { seen[e.id] = (seen[e.id] || 0) + 1; });
    return Object.keys(seen).filter(id => seen[id] > 1);
}"""


def assert_unique_ids(page):
    """Fails when two elements share an id. axe-core rates this minor, but a label or
    an error summary link then points at the wrong field (two forms on one page)."""
    duplicates = page.evaluate(DUPLICATE_IDS)
    assert not duplicates, f"ids used more than once on {page.url}: {duplicates}"


def use_usual_pages(page):
    """The reader presses the header's switch to the usual pages, as a person who
    prefers them does (a person's account reads easily by default, issue 11)."""
    page.locator('form.reading-form button[value="standard"]').click()
    page.wait_for_load_state()
