"""Finding a member (issue 14): by a part of the name whatever its case and accents,
on SQLite as on PostgreSQL, and by how they take part; with htmx the search and the
pages replace the results only, which are the same as the reloaded page's."""

import re

import pytest
from django.urls import reverse
from django.utils import translation

from alliance.accounts.models import User
from alliance.collectives.models import CollectiveMember, MemberStanding
from tests.collectives.factories import make_circle

pytestmark = pytest.mark.django_db

ROW = re.compile(r'<li class="member-row">')
# Each response masks the CSRF token afresh.
CSRF = re.compile(r'name="csrfmiddlewaretoken" value="[^"]+"')


@pytest.fixture(autouse=True)
def english(client, settings):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    with translation.override("en"):
        yield


@pytest.fixture
def crowd():
    circle = make_circle(members=3, seeds=0)
    names = ["Hélène Éluard", "HELENE Martin", "Helene Roux", "Zoë Ndiaye", "Jérôme Ça"]
    names += [f"Voisin {i:03d}" for i in range(70)]
    users = User.objects.bulk_create(
        User(email=f"m{i}@example.org", display_name=name) for i, name in enumerate(names)
    )
    CollectiveMember.objects.bulk_create(
        CollectiveMember(
            collective=circle.collective,
            user=user,
            standing=MemberStanding.RELATIVE if "Helene" in user.display_name else "resident",
        )
        for user in users
    )
    return circle


def _html(client, url, **params):
    response = client.get(url, params)
    assert response.status_code == 200
    return response.content.decode()


def test_a_name_is_found_whatever_its_case_and_accents(client, crowd):
    client.force_login(crowd.members[0].user)
    url = reverse("collectives:detail", args=[crowd.collective.pk])
    for typed in ("helene", "HÉLÈNE", "hélene", " Helène "):
        html = _html(client, url, name=typed)
        assert "3 members found" in html, typed
        assert len(ROW.findall(html)) == 3
    assert "Zoë Ndiaye" in _html(client, url, name="zoe")
    assert "Jérôme Ça" in _html(client, url, name="JEROME CA")
    # Name and standing together: the one Helene who takes part as a relative.
    html = _html(client, url, name="helene", standing=MemberStanding.RELATIVE)
    assert "1 member found" in html and "Helene Roux" in html
    # The characters of SQL patterns are letters like the others.
    assert "No member matches this search." in _html(client, url, name="%_")


def test_with_htmx_the_results_alone_are_the_reloaded_pages(client, crowd):
    client.force_login(crowd.facilitator.user)
    url = reverse("collectives:detail", args=[crowd.collective.pk])
    for params in ({"name": "hélène"}, {"page": "2"}, {"standing": "resident", "page": "2"}):
        page = _html(client, url, **params)
        fragment = client.get(url, params, headers={"HX-Request": "true"})
        assert fragment.status_code == 200
        fragment = fragment.content.decode().strip()
        assert fragment.startswith('<div id="member-results">')
        assert "<h1>" not in fragment and "<form" not in fragment.split("member-actions")[0]
        assert CSRF.sub("", fragment) in CSRF.sub("", page), params


def test_the_search_form_and_pager_work_without_javascript_and_with_htmx(client, crowd):
    client.force_login(crowd.facilitator.user)
    url = reverse("collectives:detail", args=[crowd.collective.pk])
    html = _html(client, url)
    # An ordinary GET form and ordinary links (the page works without JavaScript),
    # which htmx turns into swaps of the results.
    assert 'method="get" action="#members"' in html
    assert 'hx-target="#member-results"' in html
    assert 'rel="next" href="?page=2#members"' in html
