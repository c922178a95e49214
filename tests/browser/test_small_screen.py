"""On a small phone (360 CSS pixels wide) the pages fit the screen: no sideways
scrolling, even with long words, and axe-core finds nothing serious there either."""

import pytest

from alliance.alliances import services
from alliance.alliances.models import PerimeterStatus, StatementKind
from tests.browser.helpers import assert_accessible, assert_unique_ids
from tests.factories import make_alliance_trio, make_signable_charter

pytestmark = pytest.mark.browser

WIDTH = 360
LONG_WORDS = (
    "Voir https://www.monparcourshandicap.gouv.fr/scolarite/accompagnement-des-eleves-"
    "en-situation-de-handicap et l'interlocuteur-de-la-maison-départementale-des-personnes-"
    "handicapées."
)


def assert_fits(page):
    scroll_width = page.evaluate("() => document.documentElement.scrollWidth")
    assert scroll_width <= WIDTH, f"{page.url} scrolls sideways: {scroll_width} px wide"
    assert_accessible(page)
    assert_unique_ids(page)


@pytest.fixture
def small_page(new_context):
    def make(user=None):
        page = new_context(user).new_page()
        page.set_viewport_size({"width": WIDTH, "height": 780})
        return page

    return make


def test_sign_in_fits_a_small_screen(small_page):
    page = small_page()
    page.goto("/sign-in/")
    assert_fits(page)
    # With its error summary too.
    page.locator('form[action="/sign-in/"] button[type="submit"]').click()
    page.locator(".error-summary").wait_for()
    assert_fits(page)


def test_overview_and_charter_fit_a_small_screen(small_page):
    trio = make_alliance_trio(person_is_protected=True, title="L'accompagnement-scolaire-de-Léo")
    charter = make_signable_charter(trio)
    services.write_statement(ally=trio.parent, kind=StatementKind.CONCERN, text=LONG_WORDS)
    services.set_perimeter(
        ally=trio.professional,
        charter=charter,
        label="Scolarité et apprentissages",
        domain_code="",
        status=PerimeterStatus.IN_ALLIANCE,
        expected_revision=charter.revision,
    )
    charter.refresh_from_db()
    services.add_indicator(
        ally=trio.professional,
        charter=charter,
        name=LONG_WORDS[:120],
        scale_min=0,
        scale_max=10,
        raters=[trio.person, trio.parent],
        expected_revision=charter.revision,
    )
    charter.refresh_from_db()
    services.sign_charter(
        ally=trio.parent, charter=charter, signee=trio.person, expected_revision=charter.revision
    )

    page = small_page(trio.parent.user)
    home = f"/alliances/{trio.alliance.pk}/"
    page.goto(home)
    page.locator("#standings").wait_for()
    assert_fits(page)
    page.goto(f"{home}charter/")
    assert page.locator("#perimeter table").count() == 1
    assert_fits(page)


def test_the_acting_pages_fit_a_small_screen(small_page):
    from alliance.acting import services as acting
    from tests.factories import make_common_ground, make_signed_charter

    trio = make_alliance_trio(title="L'accompagnement-scolaire-de-Léo")
    make_signed_charter(trio)
    statement = make_common_ground(trio, text=LONG_WORDS)
    charter = services.current_charter(trio.alliance)
    services.adopt_interest(
        ally=trio.parent, charter=charter, statement=statement, expected_revision=charter.revision
    )
    option = acting.propose_means(
        ally=trio.parent, interest_statement_id=statement.pk, description=LONG_WORDS[:300]
    )
    acting.take_stance(ally=trio.professional, option=option, value="oppose", reason=LONG_WORDS)
    acting.decide_means(ally=trio.parent, option=option, consent=True, expected_version=1)
    action = acting.plan_action(
        ally=trio.professional,
        title=LONG_WORDS[:200],
        domain_label="Scolarité",
        my_role=LONG_WORDS[:200],
        means=option,
    )
    acting.write_capacity(ally=trio.person, kind="capacity", text=LONG_WORDS)
    acting.write_journal_entry(ally=trio.parent, happened=LONG_WORDS, action=action)

    page = small_page(trio.parent.user)
    for path in ("means", "actions", "journal"):
        page.goto(f"/alliances/{trio.alliance.pk}/{path}/")
        for summary in page.locator("main details summary").all():
            summary.click()
        assert_fits(page)
