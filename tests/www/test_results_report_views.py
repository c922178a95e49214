"""The results as a report, through the pages: descriptions on the results, a page
per group with its bars, the facilitator's description form, the poster and the PDF,
and easy-read versions written in moderation and seeding."""

import pytest
from django.urls import reverse
from django.utils import translation

from alliance.collectives import report, results
from alliance.collectives.models import ConsultationStatement, GroupDescription
from tests.collectives.test_results import Place

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def english(client, settings):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    with translation.override("en"):
        yield


@pytest.fixture
def place():
    place = Place()
    place.vote_all()
    results.recompute_now(member=place.facilitator, consultation=place.consultation)
    return place


def url(place, name, *extra):
    return reverse(name, args=[place.collective.pk, place.consultation.pk, *extra])


def first_group(place):
    return min(report._known_groups(place.consultation))


def test_the_results_describe_each_group_and_draw_bars(client, place):
    client.force_login(place.tenants[0].user)
    html = client.get(url(place, "results:results")).content.decode()
    assert html.count('class="group-description"') == 2
    assert "Rather agree with" in html
    assert 'class="chart chart-votes"' in html
    assert "Participation over time" in html
    assert url(place, "results:group", first_group(place)) in html
    assert url(place, "results:report_pdf") in html
    for member in place.tenants[1:] + place.owners:
        assert member.user.display_name not in html


def test_a_member_reads_how_a_group_voted_on_everything(client, place):
    client.force_login(place.owners[0].user)
    group = first_group(place)
    response = client.get(url(place, "results:group", group))
    assert response.status_code == 200
    html = response.content.decode()
    assert html.count('class="chart chart-votes"') == len(place.statements)
    for statement in place.statements:
        assert statement.text.replace("'", "&#x27;") in html
    assert url(place, "results:describe_group", group) not in html  # a member
    assert client.get(url(place, "results:group", 17)).status_code == 404


def test_the_facilitator_describes_a_group_and_members_read_it(client, place):
    group = first_group(place)
    client.force_login(place.facilitator.user)
    address = url(place, "results:describe_group", group)
    page = client.get(address)
    assert page.status_code == 200 and "Rather" in page.content.decode()
    response = client.post(address, {"text": "Les piétons d'abord", "version": 0})
    assert response.status_code == 302
    assert GroupDescription.objects.get(group=group).text == "Les piétons d'abord"
    # Another facilitator's form, read before: refused, the first words kept.
    stale = client.post(address, {"text": "Autre chose", "version": 0})
    assert stale.status_code == 409
    assert "changed this description a moment ago" in stale.content.decode()
    assert GroupDescription.objects.get(group=group).text == "Les piétons d'abord"
    too_long = client.post(address, {"text": "x" * 201, "version": 1})
    assert too_long.status_code == 400
    client.force_login(place.tenants[0].user)
    assert client.get(address).status_code == 403
    for name in ("results:results", "results:poster"):
        html = client.get(url(place, name)).content.decode()
        assert "Les piétons d&#x27;abord" in html, name
    assert (
        "Les piétons d&#x27;abord"
        in client.get(url(place, "results:group", group)).content.decode()
    )


def test_the_report_is_a_pdf_for_members_only(client, place):
    client.force_login(place.tenants[0].user)
    response = client.get(url(place, "results:report_pdf"))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    client.force_login(Place(tenants=0, owners=0).facilitator.user)
    assert client.get(url(place, "results:report_pdf")).status_code == 404


def test_the_report_html_has_the_groups_common_ground_and_participation(client, place, rf):
    """What goes into the PDF, read before WeasyPrint lays it out."""
    from django.template.loader import render_to_string

    from alliance.www.results.parts import report_parts
    from alliance.www.results.views import _easy_context

    view = results.results_view(place.consultation, place.tenants[0])
    parts = report_parts(place.consultation, view, results.first_of_lists(view.publication))
    html = render_to_string(
        "results/report_print.html",
        {
            "collective": place.collective,
            "consultation": place.consultation,
            "view": view,
            "groups": [],
            "common": [
                (view.statements[i.statement], parts["bars"][i.statement])
                for i in view.publication.common_ground
            ],
            "divisive": [],
            **parts,
            **_easy_context(view),
        },
    )
    assert "Common ground" in html and 'class="chart chart-votes"' in html
    assert "Participation over time" in html


def test_the_easy_read_group_page(client, place):
    user = place.tenants[0].user
    client.force_login(user)
    session = client.session
    session["reading_mode"] = "easy"
    session.save()
    html = client.get(url(place, "results:group", first_group(place))).content.decode()
    assert "This group agrees" in html and "This group disagrees" in html


def test_moderation_takes_the_easy_read_version(client, place):
    from alliance.collectives import services

    statement = services.write_statement(
        member=place.tenants[0], consultation=place.consultation, text="Plus de bancs."
    )
    client.force_login(place.facilitator.user)
    page = client.get(url(place, "collectives:moderation")).content.decode()
    assert f'id="easy-read-{statement.pk}"' in page
    response = client.post(
        url(place, "collectives:moderate", statement.pk),
        {"decision": "accept", "reason": "", "easy_read": "Des bancs."},
    )
    assert response.status_code == 302
    statement.refresh_from_db()
    assert (statement.status, statement.easy_read) == ("accepted", "Des bancs.")


def test_seeds_are_written_with_their_easy_read_after_a_bar(client, place):
    client.force_login(place.facilitator.user)
    response = client.post(
        reverse("collectives:consultation_create", args=[place.collective.pk]),
        {
            "question": "Le marché ?",
            "seed_statements": "Un marché le samedi | Un marché.\nDes arbres\n | seul",
        },
    )
    assert response.status_code == 400
    assert "Write the statement before its easy-read version." in response.content.decode()
    response = client.post(
        reverse("collectives:consultation_create", args=[place.collective.pk]),
        {
            "question": "Le marché ?",
            "seed_statements": "Un marché le samedi | Un marché.\nDes arbres",
        },
    )
    assert response.status_code == 302
    seeds = ConsultationStatement.objects.filter(consultation__question="Le marché ?")
    assert dict(seeds.values_list("text", "easy_read")) == {
        "Un marché le samedi": "Un marché.",
        "Des arbres": "",
    }


def _count(client, address):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        assert client.get(address).status_code == 200
    return len(queries)


def test_the_group_pages_cost_the_same_whatever_the_participants():
    """The group page reads counts from the snapshot's summary: the same queries for
    12 or 60 participants, under a ceiling; so do the description form and the
    results page with its bars and participation."""
    from django.test import Client

    places = [Place(tenants=6, owners=6), Place(tenants=30, owners=30)]
    counts = {}
    for place in places:
        place.vote_all()
        results.recompute_now(member=place.facilitator, consultation=place.consultation)
    client = Client()
    for place in places:
        group = first_group(place)
        client.force_login(place.owners[0].user)
        counts.setdefault("group", []).append(_count(client, url(place, "results:group", group)))
        client.force_login(place.facilitator.user)
        counts.setdefault("describe", []).append(
            _count(client, url(place, "results:describe_group", group))
        )
    assert counts["group"][0] == counts["group"][1] <= 12, counts
    assert counts["describe"][0] == counts["describe"][1] <= 15, counts
