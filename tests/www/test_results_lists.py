"""A consultation's results page stays small however many statements there are: it
shows the first of the common ground and of the divisive statements and links to a
paged page of each list, which costs the same queries whatever the page or the
list's length; the poster and the printed report stop too."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from alliance.collectives.results import SHOWN_PER_LIST
from alliance.www.reading import EASY, SESSION_KEY
from alliance.www.results.lists import PER_PAGE
from alliance.www.results.views import POSTER_PER_LIST
from tests.collectives.factories import long_results, make_circle
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

COMMON, DIVISIVE = 30, 60


def _circle(common=COMMON, divisive=DIVISIVE):
    circle = make_circle(members=1, seeds=common + divisive)
    long_results(circle, common=common, divisive=divisive)
    return circle


@pytest.fixture
def circle():
    return _circle()


def url(circle, name, page=None):
    address = reverse(name, args=[circle.collective.pk, circle.consultation.pk])
    return address if page is None else f"{address}?page={page}"


def text(n):
    return f"Proposition de départ {n}."


def shown(html, numbers):
    return [n for n in numbers if text(n) in html]


def worded(html, numbers):
    """The easy-read pages quote a statement without its full stop."""
    return [n for n in numbers if f"Proposition de départ {n}<" in html]


def _easy(client):
    session = client.session
    session[SESSION_KEY] = EASY
    session.save()


def test_the_results_page_shows_the_first_of_each_list_and_links_to_all(client, circle):
    client.force_login(circle.members[0].user)
    html = client.get(url(circle, "results:results")).content.decode()
    assert shown(html, range(COMMON)) == list(range(SHOWN_PER_LIST))
    divisive = range(COMMON, COMMON + DIVISIVE)
    assert shown(html, divisive) == list(range(COMMON, COMMON + SHOWN_PER_LIST))
    assert html.count(f'href="{url(circle, "results:common_ground")}"') == 1
    assert html.count(f'href="{url(circle, "results:divisive")}"') == 1
    assert f"Voir les {COMMON} avis qui rassemblent tous les groupes" in html
    assert f"Voir les {DIVISIVE} avis qui divisent" in html


def test_short_lists_are_shown_whole_without_a_link(client):
    circle = _circle(common=3, divisive=SHOWN_PER_LIST)
    client.force_login(circle.members[0].user)
    html = client.get(url(circle, "results:results")).content.decode()
    assert shown(html, range(3 + SHOWN_PER_LIST)) == list(range(3 + SHOWN_PER_LIST))
    assert url(circle, "results:common_ground") not in html
    assert url(circle, "results:divisive") not in html


def test_a_list_is_paged_with_an_accessible_navigation(client, circle):
    client.force_login(circle.members[0].user)
    first = client.get(url(circle, "results:divisive")).content.decode()
    assert shown(first, range(COMMON, COMMON + DIVISIVE)) == list(range(COMMON, COMMON + PER_PAGE))
    assert 'aria-label="Pages des avis"' in first
    assert '<li aria-current="page">Page 1 sur 3</li>' in first
    assert 'href="?page=2" rel="next"' in first and 'rel="prev"' not in first
    second = client.get(url(circle, "results:divisive", 2)).content.decode()
    start = COMMON + PER_PAGE
    assert shown(second, range(COMMON, COMMON + DIVISIVE)) == list(range(start, start + PER_PAGE))
    assert 'href="?page=1" rel="prev"' in second and 'href="?page=3" rel="next"' in second
    # Each statement has its bars and their table.
    assert second.count('class="chart chart-votes"') == PER_PAGE
    assert second.count("<caption>") == PER_PAGE


@pytest.mark.parametrize(("asked", "given"), [("99", 3), ("0", 3), ("-1", 3), ("abc", 1)])
def test_a_page_out_of_range_gives_the_last_and_a_bad_number_the_first(
    client, circle, asked, given
):
    """As every paged page of the product (Paginator.get_page): never an error page."""
    client.force_login(circle.members[0].user)
    response = client.get(url(circle, "results:divisive", asked))
    assert response.status_code == 200
    assert response.context["page"].number == given


def test_the_common_ground_list_offers_adoption_to_a_facilitator(client, circle):
    client.force_login(circle.facilitator.user)
    html = client.get(url(circle, "results:common_ground", 2)).content.decode()
    statement = circle.statements[PER_PAGE]
    adopt = reverse(
        "results:adopt", args=[circle.collective.pk, circle.consultation.pk, statement.pk]
    )
    assert f'href="{adopt}"' in html
    divisive = client.get(url(circle, "results:divisive")).content.decode()
    assert "/adopt/" not in divisive


def _queries(client, address):
    with CaptureQueriesContext(connection) as queries:
        assert client.get(address).status_code == 200
    return len(queries)


def test_a_list_page_costs_the_same_whatever_the_page_and_the_length(client, circle):
    long = _circle(common=COMMON, divisive=4 * DIVISIVE)
    counts = {}
    for name, who in (("short", circle), ("long", long)):
        client.force_login(who.members[0].user)
        for page in (1, 2, 99):
            for which in ("results:common_ground", "results:divisive"):
                counts[(name, which, page)] = _queries(client, url(who, which, page))
    assert len(set(counts.values())) == 1, counts


def test_the_results_page_costs_the_same_whatever_the_lists_length(client, circle):
    short = _circle(common=2, divisive=2)
    counts = []
    for who in (short, circle):
        client.force_login(who.members[0].user)
        counts.append(_queries(client, url(who, "results:results")))
    assert counts[0] == counts[1]


def test_the_list_pages_go_through_the_results_gatekeeper(client, circle):
    for name in ("results:common_ground", "results:divisive"):
        address = url(circle, name)
        assert client.get(address).status_code == 302  # to sign in
        client.force_login(UserFactory())
        assert client.get(address).status_code == 404
        client.logout()


def test_a_list_of_a_consultation_without_results_is_not_found(client):
    circle = make_circle(members=1, seeds=3)
    client.force_login(circle.members[0].user)
    assert client.get(url(circle, "results:divisive")).status_code == 404


def test_the_easy_read_twins(client, circle):
    client.force_login(circle.members[0].user)
    _easy(client)
    results = client.get(url(circle, "results:results")).content.decode()
    assert worded(results, range(COMMON)) == list(range(SHOWN_PER_LIST))
    assert f"Voir les {COMMON} messages sur lesquels on est tous d'accord." in results
    assert f"Voir les {DIVISIVE} messages sur lesquels on n'est pas d'accord." in results
    response = client.get(url(circle, "results:common_ground", 2))
    assert "easy/results/list.html" in [t.name for t in response.templates]
    html = response.content.decode()
    assert shown(html, range(COMMON)) == list(range(PER_PAGE, COMMON))
    assert '<li aria-current="page">Page 2 sur 2</li>' in html
    assert 'aria-label="Pages des messages"' in html


def test_the_poster_names_how_many_more_there_are(client, circle):
    client.force_login(circle.members[0].user)
    html = client.get(url(circle, "results:poster")).content.decode()
    assert worded(html, range(COMMON)) == list(range(POSTER_PER_LIST))
    assert f"Et encore {COMMON - POSTER_PER_LIST} autres" in html


def test_the_printed_report_stops_each_list_and_says_how_many_more(client):
    from alliance.www.results.report import REPORT_PER_LIST
    from tests.documents.pdf import text_of

    common, divisive = REPORT_PER_LIST + 3, REPORT_PER_LIST + 40
    circle = _circle(common=common, divisive=divisive)
    client.force_login(circle.members[0].user)
    printed = " ".join(text_of(client.get(url(circle, "results:report_pdf")).content).split())
    assert text(REPORT_PER_LIST - 1) in printed
    assert text(REPORT_PER_LIST) not in printed and text(common + divisive - 1) not in printed
    assert "Et 3 autres avis qui rassemblent tous les groupes" in printed
    assert "Et 40 autres avis qui divisent" in printed
