"""Browser tests: Debian's Chromium driven by Playwright against pytest-django's
live_server, several independent contexts per test (person, parent, professional),
and (in helpers.py) an axe-core audit that fails on any serious or critical violation.

Mark such tests `@pytest.mark.browser`; `make test` runs them on PostgreSQL."""

from pathlib import Path

import pytest

from tests.browser.helpers import sign_in

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
TIMEOUT_MS = 10_000


@pytest.fixture(scope="session")
def playwright_driver():
    """One Playwright per test process: a second sync_playwright in the same process
    refuses to start (it finds the first one's event loop)."""
    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} is missing: run `make test`, which installs it.")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        yield playwright


@pytest.fixture(scope="session")
def browser(playwright_driver):
    browser = playwright_driver.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
    yield browser
    browser.close()


@pytest.fixture
def new_context(browser, live_server):
    """Opens a fresh browser context (its own cookies: one per person in the test).
    `new_context(user)` signs that user in; `new_context()` stays anonymous."""
    contexts = []

    def make(user=None, *, locale="fr-FR", reading=None):
        context = browser.new_context(base_url=live_server.url, locale=locale)
        context.set_default_timeout(TIMEOUT_MS)
        contexts.append(context)
        if user is not None:
            sign_in(context, user, live_server.url, reading=reading)
        return context

    yield make
    for context in contexts:
        context.close()


@pytest.fixture
def page(new_context):
    """One anonymous page, for the simple cases."""
    return new_context().new_page()
