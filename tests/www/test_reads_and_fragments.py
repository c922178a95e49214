"""A page read never writes a row of the product (only its audit entry), and an htmx
vote answers with what it changed, not the whole standings."""

import pytest
from django.urls import reverse

from alliance.alliances import services
from alliance.alliances.models import Charter, StatementKind, Vote, VoteValue
from tests.factories import make_common_ground

from .test_views import element

pytestmark = pytest.mark.django_db


def test_a_new_alliance_has_the_first_draft_of_its_charter(professional):
    alliance = services.create_alliance(
        creator=professional, title="Habiter seul", person_name="Léo Martin"
    )
    assert list(alliance.charters.values_list("number", "status")) == [(1, Charter.Status.DRAFT)]


def test_reading_the_charter_page_writes_no_charter_row(client, alliance_trio):
    client.force_login(alliance_trio.professional.user)
    before = list(Charter.objects.values_list("pk", "revision", "status"))
    assert len(before) == 1

    for _ in range(2):
        response = client.get(reverse("alliances:charter", args=[alliance_trio.alliance.pk]))
        assert response.status_code == 200

    assert list(Charter.objects.values_list("pk", "revision", "status")) == before


def test_the_charter_page_of_an_alliance_without_charter_is_not_found_and_creates_none(
    client, alliance_trio
):
    alliance_trio.alliance.charters.all().delete()
    client.force_login(alliance_trio.professional.user)

    response = client.get(reverse("alliances:charter", args=[alliance_trio.alliance.pk]))

    assert response.status_code == 404
    assert not Charter.objects.exists()


def _overview(client, alliance):
    return client.get(reverse("alliances:overview", args=[alliance.pk])).content.decode()


def test_a_vote_that_keeps_its_column_returns_only_the_statement_card(client, alliance_trio):
    trio = alliance_trio
    for n in range(6):
        make_common_ground(trio, text=f"Ce qui compte n° {n}.")
    open_one = services.write_statement(
        ally=trio.person, kind=StatementKind.GOAL, text="Prendre le bus seul."
    )
    client.force_login(trio.parent.user)
    page = _overview(client, trio.alliance)
    url = reverse("alliances:vote", args=[trio.alliance.pk, open_one.pk])

    fragment = client.post(url, {"value": VoteValue.UNSURE}, headers={"HX-Request": "true"})

    assert fragment.status_code == 200
    assert "HX-Retarget" not in fragment.headers
    html = fragment.content.decode()
    assert html.lstrip().startswith(f'<li class="statement" id="s{open_one.pk}"')
    assert 'id="standings"' not in html
    assert element(html, f"s{open_one.pk}") == element(
        _overview(client, trio.alliance), f"s{open_one.pk}"
    )
    assert 'value="unsure" class="vote-button vote-unsure" aria-pressed="true"' in html
    assert len(html) * 5 < len(page)
    assert Vote.objects.get(statement=open_one, ally=trio.parent).value == VoteValue.UNSURE


def test_a_vote_that_moves_its_statement_returns_the_standings_in_their_place(
    client, alliance_trio
):
    trio = alliance_trio
    statement = make_common_ground(trio)
    client.force_login(trio.parent.user)
    url = reverse("alliances:vote", args=[trio.alliance.pk, statement.pk])

    fragment = client.post(url, {"value": VoteValue.DISAGREE}, headers={"HX-Request": "true"})

    assert fragment.status_code == 200
    assert fragment.headers["HX-Retarget"] == "#standings"
    assert fragment.headers["HX-Reswap"] == "outerHTML"
    html = fragment.content.decode()
    assert element(html, "standings") == element(_overview(client, trio.alliance), "standings")


def test_a_refused_htmx_vote_shows_its_message_on_the_card_and_changes_nothing(
    client, alliance_trio
):
    trio = alliance_trio
    statement = make_common_ground(trio)
    client.force_login(trio.parent.user)
    url = reverse("alliances:vote", args=[trio.alliance.pk, statement.pk])

    fragment = client.post(url, {"value": "maybe"}, headers={"HX-Request": "true"})

    assert fragment.status_code == 400
    assert (
        fragment.content.decode().lstrip().startswith(f'<li class="statement" id="s{statement.pk}"')
    )
    assert Vote.objects.get(statement=statement, ally=trio.parent).value == VoteValue.AGREE
