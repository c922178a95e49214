"""The results pages: what members see, what they never see, and how many queries."""

import json
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation

from alliance.collectives import results
from alliance.collectives.models import CollectiveInterest, OpinionSnapshot
from tests.collectives.test_results import OWNER, TENANT, Place
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def english(client, settings):
    """Pages and messages are checked in English, the source language."""
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    with translation.override("en"):
        yield


def url(place, name="results:results", *extra):
    return reverse(name, args=[place.collective.pk, place.consultation.pk, *extra])


@pytest.fixture
def computed():
    place = Place()
    place.vote_all()
    results.recompute_now(member=place.facilitator, consultation=place.consultation)
    return place


def test_a_member_sees_the_map_groups_common_ground_and_divisive(client, computed):
    place = computed
    client.force_login(place.tenants[0].user)
    response = client.get(url(place))
    assert response.status_code == 200
    html = response.content.decode()
    assert 'class="chart chart-opinion-map"' in html
    assert "map-you" in html  # the viewer's own point
    # The table alternatives: the map's, participation's, and one for each statement's bars.
    assert html.count("<caption>") == 2 + html.count('class="chart chart-votes"')
    assert "The opinion groups, as a table" in html
    for statement in place.statements[:2]:  # the common ground
        assert statement.text.replace("'", "&#x27;") in html
    assert place.statements[2].text in html  # divisive
    for member in place.tenants[1:] + place.owners:
        assert member.user.display_name not in html
        assert results.pseudonym(place.consultation.pk, member.user_id) not in html
    assert url(place, "results:recompute") not in html
    assert "adopt/" not in html


def test_a_facilitator_sees_recompute_export_and_adopt(client, computed):
    place = computed
    client.force_login(place.facilitator.user)
    html = client.get(url(place)).content.decode()
    assert url(place, "results:recompute") in html
    assert url(place, "results:export") in html
    assert url(place, "results:adopt", place.statements[0].pk) in html
    assert "map-you" not in html  # the facilitator did not vote


def test_small_groups_are_not_shown(client):
    place = Place(tenants=4, owners=4)
    place.vote_all()
    results.recompute_now(member=place.facilitator, consultation=place.consultation)
    client.force_login(place.tenants[0].user)
    html = client.get(url(place)).content.decode()
    assert "No opinion group large enough yet" in html
    assert "Group A" not in html


def test_progress_polls_and_reloads_when_done(client, computed):
    place = computed
    client.force_login(place.tenants[0].user)
    shown = OpinionSnapshot.objects.get(consultation=place.consultation)
    pending = OpinionSnapshot.objects.create(
        consultation=place.consultation, status=OpinionSnapshot.Status.RUNNING, progress=40
    )
    html = client.get(url(place)).content.decode()
    assert 'hx-trigger="every 3s"' in html and 'value="40"' in html
    assert "Refresh the page" in html  # without JavaScript
    fragment = client.get(url(place) + f"?shown={shown.pk}", headers={"HX-Request": "true"})
    assert fragment.status_code == 200 and 'value="40"' in fragment.content.decode()
    assert "<h1>" not in fragment.content.decode()
    OpinionSnapshot.objects.filter(pk=pending.pk).update(
        status=OpinionSnapshot.Status.DONE, finished_at=timezone.now(), result=shown.result
    )
    done = client.get(url(place) + f"?shown={shown.pk}", headers={"HX-Request": "true"})
    assert done.status_code == 204 and done["HX-Refresh"] == "true"


def test_recompute_button(client):
    place = Place(tenants=3, owners=3)
    client.force_login(place.facilitator.user)
    response = client.post(url(place, "results:recompute"), follow=True)
    assert "Nobody has voted yet" in response.content.decode()
    place.vote_all()
    response = client.post(url(place, "results:recompute"))
    assert response.status_code == 302
    assert OpinionSnapshot.objects.get().status == OpinionSnapshot.Status.DONE


def test_export_is_a_json_download_for_facilitators(client, computed):
    place = computed
    client.force_login(place.facilitator.user)
    response = client.get(url(place, "results:export"))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert "attachment" in response["Content-Disposition"]
    data = json.loads(response.content)
    assert {"groups", "common_ground", "consensus"} <= set(data)
    assert "summary" not in data
    client.force_login(place.tenants[0].user)
    assert client.get(url(place, "results:export")).status_code == 403


def test_export_before_any_result_is_404(client):
    place = Place(tenants=1, owners=0)
    client.force_login(place.facilitator.user)
    assert client.get(url(place, "results:export")).status_code == 404


def test_adopt_form_suggests_a_need_without_choosing_it_and_adopts(client, computed):
    place = computed
    statement = place.statements[0]
    client.force_login(place.facilitator.user)
    page = client.get(url(place, "results:adopt", statement.pk)).content.decode()
    # The guess is said in words, and the choice stays the user's: nothing selected.
    assert "make us think of: “Besoins en lien avec la vie scolaire et étudiante”" in page
    select = page.split('name="need_code"')[1].split("</select>")[0]
    assert re.findall(r'<option value="([^"]*)" selected>', select) == [""]
    bad = client.post(url(place, "results:adopt", statement.pk), {"text": " ", "need_code": ""})
    assert bad.status_code == 400
    response = client.post(
        url(place, "results:adopt", statement.pk), {"text": statement.text, "need_code": ""}
    )
    assert response.status_code == 302
    assert CollectiveInterest.objects.get().need_code == ""
    listing = client.get(reverse("results:interests", args=[place.collective.pk]))
    assert statement.text.replace("'", "&#x27;") in listing.content.decode()
    again = client.get(url(place)).content.decode()
    assert "Adopted as a common interest" in again


def test_outsiders_get_404(client, computed):
    place = computed
    client.force_login(UserFactory())
    for name, args in (
        ("results:results", ()),
        ("results:export", ()),
        ("results:adopt", (place.statements[0].pk,)),
    ):
        assert client.get(url(place, name, *args)).status_code == 404
    assert client.get(reverse("results:interests", args=[place.collective.pk])).status_code == 404


def _count(client, address):
    with CaptureQueriesContext(connection) as queries:
        assert client.get(address).status_code == 200
    return len(queries)


def test_results_page_queries_do_not_grow_with_participants_or_votes(client):
    small = Place(tenants=5, owners=5)
    small.vote_all()
    results.recompute_now(member=small.facilitator, consultation=small.consultation)
    big = Place(tenants=30, owners=25)
    big.vote_all()
    for m in big.tenants[:5]:
        big.vote(m, OWNER | {0: -1})
    results.recompute_now(member=big.facilitator, consultation=big.consultation)
    client.force_login(small.tenants[0].user)
    a = _count(client, url(small))
    client.force_login(big.tenants[0].user)
    b = _count(client, url(big))
    # Issue 14: three more, the groups' descriptions and participation over time.
    assert a == b <= 14
    client.force_login(big.tenants[6].user)
    assert _count(client, reverse("results:interests", args=[big.collective.pk])) <= 9
    client.force_login(big.facilitator.user)
    assert _count(client, url(big, "results:adopt", big.statements[0].pk)) <= 9
    assert TENANT  # both patterns are used by the places above
