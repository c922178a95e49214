"""Indicators and the alliance weather in three browsers (the person, a relative, the
professional): each rates the indicator and gives the weather; the professional's
weather is 5 points away from the person's on "we decide together", and the alert
appears in the page for the person and the professional. axe-core on every page;
the person answers with the five faces using the keyboard only."""

import re

import pytest
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext
from playwright.sync_api import expect

from alliance.acting.models import IndicatorReading, WeatherRating
from alliance.alliances import services
from alliance.alliances.models import Ally, Role
from tests.browser.helpers import assert_accessible, assert_unique_ids
from tests.browser.test_keyboard import focused, press_and_land, tab_to
from tests.factories import make_alliance_trio, make_common_ground

pytestmark = pytest.mark.browser


def fr(message):
    with translation.override("fr"):
        return gettext(message)


def audit(page):
    assert_accessible(page)
    assert_unique_ids(page)


def submit(page, button, path):
    button.click()
    page.wait_for_url(re.compile(rf"^https?://[^/]+{re.escape(path)}(#.*)?$"))
    page.wait_for_load_state()
    audit(page)


def _alliance_with_a_relative():
    """The trio and a relative, a charter with one indicator rated by the person, the
    relative and the professional, signed by all four."""
    trio = make_alliance_trio()
    relative = services.invite_ally(
        inviter=trio.parent, display_name="Sami Martin", role=Role.RELATIVE
    )
    services.accept_invitation(ally=relative)
    services.decide_on_ally(approver=trio.parent, ally=relative, approve=True)
    relative = Ally.objects.select_related("user").get(pk=relative.pk)
    statement = make_common_ground(trio)
    charter = services.current_charter(trio.alliance)

    def edit(use_case, ally, **fields):
        charter.refresh_from_db()
        return use_case(ally=ally, charter=charter, expected_revision=charter.revision, **fields)

    edit(services.adopt_interest, trio.parent, statement=statement)
    indicator = edit(
        services.add_indicator,
        trio.professional,
        name="Léo dort bien",
        scale_min=0,
        scale_max=10,
        raters=[trio.person, relative, trio.professional],
    )
    for ally in (*trio.allies, relative):
        edit(services.add_commitment, ally, text="Je m'engage.")
    for ally in (*trio.allies, relative):
        edit(services.sign_charter, ally)
    return trio, relative, indicator


def _rate(page, url, indicator, value):
    page.goto(url)
    audit(page)
    page.fill(f"#id_ind{indicator.pk}_value", str(value))
    submit(page, page.locator(f"#ind{indicator.pk} button[type=submit]"), url)


def _scale(page, url, answers, word):
    page.goto(url + "?mode=scale")
    audit(page)
    for item, value in answers.items():
        page.locator(f'input[name="{item}"][value="{value}"]').check()
    page.fill("#id_word", word)
    submit(page, page.locator('main form[method="post"] button[type=submit]'), url)


@pytest.mark.django_db(transaction=True)
def test_readings_and_weather_by_three_allies_and_the_alert_in_the_page(new_context):
    trio, relative, indicator = _alliance_with_a_relative()
    person = new_context(trio.person.user, reading="standard").new_page()
    kin = new_context(relative.user).new_page()
    pro = new_context(trio.professional.user).new_page()
    pk = trio.alliance.pk
    indicators_url = reverse("acting:indicators", args=[pk])
    weather_url = reverse("acting:weather", args=[pk])

    # Each rates the indicator; the chart has one line per ally and the gap.
    _rate(person, indicators_url, indicator, 4)
    _rate(kin, indicators_url, indicator, 6)
    _rate(pro, indicators_url, indicator, 8)
    assert IndicatorReading.objects.count() == 3
    pro.reload()
    chart = pro.locator(f"#ind{indicator.pk} svg.chart")
    expect(chart.locator(".legend-item")).to_have_count(4)  # three allies and the gap
    assert chart.get_attribute("role") == "img"
    pro.locator(f"#ind{indicator.pk} details.chart-table summary").click()
    expect(pro.locator(f"#ind{indicator.pk} table")).to_contain_text("Sami Martin")

    # The person answers with the five faces, with the keyboard only.
    person.goto(weather_url)
    audit(person)
    expect(person.locator("img[src$='face-1.svg']")).to_have_count(4)
    faces = {"aim": 4, "way": 4, "heard": 5, "decide": 4}
    for item, face in faces.items():
        tab_to(person, f'input[name="{item}"]')
        person.keyboard.press("Space")  # the first face
        for _ in range(face - 1):
            person.keyboard.press("ArrowRight")
        assert focused(person, f'input[name="{item}"][value="{face}"]:checked')
    tab_to(person, "#id_word")
    person.keyboard.type("Contente")
    tab_to(person, 'main form[method="post"] button[type="submit"]')
    press_and_land(person, "Enter", weather_url)
    audit(person)
    rating = WeatherRating.objects.get(ally=trio.person)
    assert (rating.aim, rating.way, rating.heard, rating.decide) == (8, 8, 10, 8)

    # The relative on the 0–10 scale; no alert yet.
    _scale(kin, weather_url, {"aim": 7, "way": 7, "heard": 8, "decide": 7}, "Ça avance")
    expect(pro.locator(".alert-card")).to_have_count(0)

    # The professional sees the decision otherwise: 3 against the person's 8.
    _scale(pro, weather_url, {"aim": 8, "way": 6, "heard": 8, "decide": 3}, "Pas simple")
    alert = pro.locator(".alert-card")
    expect(alert).to_contain_text(fr("We decide together"))
    expect(alert).to_contain_text("Léo Martin 8")
    expect(alert).to_contain_text("Inès Morel 3")
    person.reload()
    audit(person)
    # The person reads it in their own words (issue 11), without the scores.
    expect(person.locator(".alert-card")).to_contain_text("Inès Morel")
    expect(person.locator(".alert-card")).not_to_contain_text("Inès Morel 3")
    # The relative does not see it; the person sees it on the overview too.
    kin.reload()
    expect(kin.locator(".alert-card")).to_have_count(0)
    person.goto(reverse("alliances:overview", args=[pk]))
    audit(person)
    expect(person.locator(".alert-card")).to_contain_text("Inès Morel")
    # The trends: one chart per item, each with its table.
    expect(pro.locator(".chart-grid svg.chart")).to_have_count(4)

    # A review sums up the period's readings and weather.
    from alliance.acting import services as acting

    review = acting.open_review(ally=trio.professional)
    pro.goto(reverse("acting:review", args=[pk, review.pk]))
    audit(pro)
    readings = pro.locator('section[aria-labelledby="rv-readings"]')
    expect(readings).to_contain_text(indicator.name)
    expect(readings).to_contain_text("Sami Martin")
    expect(readings).to_contain_text("Inès Morel")


@pytest.mark.django_db(transaction=True)
def test_indicators_and_weather_fit_a_small_screen(new_context):
    from alliance.acting import services as acting
    from tests.browser.test_small_screen import LONG_WORDS, WIDTH, assert_fits

    trio, relative, indicator = _alliance_with_a_relative()
    for n, ally in enumerate((trio.person, relative, trio.professional)):
        acting.rate_indicator(ally=ally, indicator=indicator, value=2 + 3 * n, note=LONG_WORDS)
        acting.give_weather(
            ally=ally, aim=8, way=4 + n, heard=9 - 4 * n, decide=7, word="Anticonstitutionnellement"
        )
    page = new_context(trio.professional.user).new_page()
    page.set_viewport_size({"width": WIDTH, "height": 780})
    pk = trio.alliance.pk
    for url in (
        reverse("acting:indicators", args=[pk]),
        reverse("acting:weather", args=[pk]),
        reverse("acting:weather", args=[pk]) + "?mode=faces",
        reverse("alliances:overview", args=[pk]),
    ):
        page.goto(url)
        for summary in page.locator("main details summary").all():
            summary.click()
        assert_fits(page)
