"""The pages of collectives and consultations: bad input refused with a clear
message and nothing saved, htmx and no-JS voting, the gate around drafts."""

from html import escape

import pytest
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext

from alliance.collectives import services
from alliance.collectives.models import (
    Collective,
    CollectiveMember,
    Consultation,
    ConsultationStatement,
    ConsultationVote,
)
from tests.collectives.factories import make_circle
from tests.factories import UserFactory

from .scene import COLLECTIVE_AREA, build_scene, collective_objects
from .test_permission_matrix import TABLE, _request
from .test_views import element, fr

pytestmark = pytest.mark.django_db

S = ConsultationStatement.Status


def _urls(circle):
    c, k = circle.collective.pk, circle.consultation.pk
    return {
        "consultation": reverse("collectives:consultation", args=[c, k]),
        "vote": reverse("collectives:vote", args=[c, k]),
        "status": reverse("collectives:consultation_status", args=[c, k]),
        "new": reverse("collectives:statement_new", args=[c, k]),
        "moderation": reverse("collectives:moderation", args=[c, k]),
    }


@pytest.mark.parametrize(
    "name",
    [
        n
        for n in TABLE
        if n.startswith(COLLECTIVE_AREA) and n not in ("collectives:list", "collectives:create")
    ],
)
def test_an_outsider_cannot_tell_a_collective_from_one_that_does_not_exist(client, name):
    scene = build_scene()
    collective_objects(scene)
    client.force_login(scene.user("same_org_professional"))
    method = next(iter(TABLE[name]))
    existing = _request(client, name, method, scene)
    missing_id = scene.circle.collective.pk + 1000
    missing = _request(client, name, method, scene, collective_id=missing_id)
    assert existing.status_code == missing.status_code == 404
    assert existing.content == missing.content


def test_a_draft_is_hidden_from_members_who_do_not_facilitate(client):
    circle = make_circle(members=1, seeds=1, open_it=False)
    urls = _urls(circle)
    client.force_login(circle.members[0].user)
    assert client.get(urls["consultation"]).status_code == 404
    assert (
        circle.consultation.question
        not in client.get(
            reverse("collectives:detail", args=[circle.collective.pk])
        ).content.decode()
    )
    client.force_login(circle.facilitator.user)
    assert client.get(urls["consultation"]).status_code == 200


def test_a_member_who_left_is_outside(client):
    circle = make_circle(members=1, seeds=1)
    member = circle.members[0]
    client.force_login(member.user)
    response = client.post(reverse("collectives:leave", args=[circle.collective.pk]))
    assert response.status_code == 302
    assert client.get(_urls(circle)["vote"]).status_code == 404
    assert client.post(_urls(circle)["vote"], {"statement": 1, "value": 1}).status_code == 404


def test_creating_a_collective_and_adding_a_member_through_the_pages(client):
    user = UserFactory(individual=True)
    client.force_login(user)
    response = client.post(
        reverse("collectives:create"),
        {"name": "Conseil de la vie sociale", "kind": "residents_council", "standing": "person"},
    )
    collective = Collective.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("collectives:detail", args=[collective.pk])
    response = client.post(
        reverse("collectives:add_member", args=[collective.pk]),
        {"display_name": "Samir", "standing": "person"},
    )
    assert response.status_code == 200
    assert "/sign-in/link/" not in response.content.decode()
    page = client.get(reverse("collectives:list")).content.decode()
    assert "Conseil de la vie sociale" in page and "2 membres" in page


def test_a_collective_without_a_name_is_refused_with_a_message(client):
    client.force_login(UserFactory())
    response = client.post(reverse("collectives:create"), {"name": "", "kind": "other"})
    assert response.status_code == 400
    assert not Collective.objects.exists()


def test_the_author_sees_their_statement_waiting_then_refused_with_the_reason(client):
    circle = make_circle(members=1, seeds=1)
    urls = _urls(circle)
    author = circle.members[0]
    client.force_login(author.user)
    response = client.post(urls["new"], {"text": "Des pistes cyclables sûres."})
    assert response.status_code == 302
    statement = ConsultationStatement.objects.get(text="Des pistes cyclables sûres.")
    page = client.get(urls["consultation"]).content.decode()
    assert fr(S.PENDING.label) in page

    client.force_login(circle.facilitator.user)
    moderate = reverse(
        "collectives:moderate", args=[circle.collective.pk, circle.consultation.pk, statement.pk]
    )
    assert "Des pistes cyclables sûres." in client.get(urls["moderation"]).content.decode()
    refused = client.post(moderate, {"decision": "reject", "reason": ""})
    assert refused.status_code == 400
    assert fr("Say why the statement is not accepted: its author will read it.") in (
        refused.content.decode()
    )
    statement.refresh_from_db()
    assert statement.status == S.PENDING
    assert (
        client.post(moderate, {"decision": "reject", "reason": "Déjà dit plus haut."}).status_code
        == 302
    )

    client.force_login(author.user)
    page = client.get(urls["consultation"]).content.decode()
    assert fr(S.REJECTED.label) in page and escape("Déjà dit plus haut.") in page


def test_a_moderation_decision_is_required(client):
    circle = make_circle(members=1, seeds=1)
    statement = services.write_statement(
        member=circle.members[0], consultation=circle.consultation, text="Une idée."
    )
    client.force_login(circle.facilitator.user)
    url = reverse(
        "collectives:moderate", args=[circle.collective.pk, circle.consultation.pk, statement.pk]
    )
    assert client.post(url, {"decision": "maybe"}).status_code == 400
    statement.refresh_from_db()
    assert statement.status == S.PENDING


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "This field is required."),
        ("x" * 281, "Keep the statement under %(limit)d characters (it has %(length)d)."),
    ],
)
def test_a_statement_empty_or_too_long_is_refused_with_a_message(client, text, message):
    circle = make_circle(members=1, seeds=1)
    client.force_login(circle.members[0].user)
    response = client.post(_urls(circle)["new"], {"text": text})
    assert response.status_code == 400
    if text:
        with translation.override("fr"):
            expected = gettext(message) % {"limit": 280, "length": 281}
        assert escape(expected) in response.content.decode()
    assert circle.consultation.statements.count() == 1


def test_the_author_withdraws_their_statement(client):
    circle = make_circle(members=1, seeds=1)
    statement = services.write_statement(
        member=circle.members[0], consultation=circle.consultation, text="Une idée."
    )
    client.force_login(circle.members[0].user)
    url = reverse(
        "collectives:statement_withdraw",
        args=[circle.collective.pk, circle.consultation.pk, statement.pk],
    )
    assert client.post(url).status_code == 302
    statement.refresh_from_db()
    assert statement.status == S.WITHDRAWN


# ---------------------------------------------------------------- open and close


def test_opening_and_closing_with_a_stale_version_is_refused_with_409(client):
    circle = make_circle(members=1, seeds=1, open_it=False)
    urls = _urls(circle)
    client.force_login(circle.facilitator.user)
    assert client.post(urls["status"], {"move": "open", "version": 1}).status_code == 302
    # A second tab still shows version 1.
    stale = client.post(urls["status"], {"move": "close", "version": 1})
    assert stale.status_code == 409
    assert fr(services.CONSULTATION_CHANGED) in stale.content.decode()
    circle.consultation.refresh_from_db()
    assert circle.consultation.status == Consultation.Status.OPEN
    assert client.post(urls["status"], {"move": "close", "version": 2}).status_code == 302
    circle.consultation.refresh_from_db()
    assert circle.consultation.status == Consultation.Status.CLOSED


def test_opening_a_consultation_without_statements_says_why(client):
    circle = make_circle(members=0, seeds=0)
    consultation = services.create_consultation(by=circle.facilitator, question="Q ?")
    client.force_login(circle.facilitator.user)
    url = reverse("collectives:consultation_status", args=[circle.collective.pk, consultation.pk])
    response = client.post(url, {"move": "open", "version": 1})
    assert response.status_code == 400
    assert 'role="alert"' in response.content.decode()
    consultation.refresh_from_db()
    assert consultation.status == Consultation.Status.DRAFT


# ---------------------------------------------------------------- voting


def test_voting_without_javascript_goes_from_statement_to_statement(client):
    circle = make_circle(members=1, seeds=2)
    first, second = circle.statements
    client.force_login(circle.members[0].user)
    url = _urls(circle)["vote"]
    page = client.get(url).content.decode()
    assert f'name="statement" value="{first.pk}"' in page
    response = client.post(url, {"statement": first.pk, "value": "1"})
    assert response.status_code == 302 and response["Location"] == url
    page = client.get(url).content.decode()
    assert f'name="statement" value="{second.pk}"' in page
    client.post(url, {"statement": second.pk, "value": "-1"})
    page = client.get(url).content.decode()
    assert (
        fr("You voted on every statement. Thank you! Come back later: members may add new ones.")
        in page
    )
    # Changing a vote: ask for the statement again.
    page = client.get(url + f"?statement={first.pk}").content.decode()
    assert 'aria-pressed="true"' in page
    client.post(url, {"statement": first.pk, "value": "0"})
    assert ConsultationVote.objects.get(statement=first).value == 0
    assert ConsultationVote.objects.count() == 2


def test_an_htmx_vote_returns_the_ballot_as_the_reloaded_page_shows_it(client):
    circle = make_circle(members=1, seeds=3)
    client.force_login(circle.members[0].user)
    url = _urls(circle)["vote"]
    fragment = client.post(
        url, {"statement": circle.statements[0].pk, "value": "1"}, headers={"HX-Request": "true"}
    )
    assert fragment.status_code == 200
    html = fragment.content.decode()
    assert html.lstrip().startswith('<div id="ballot"') and "<html" not in html
    page = client.get(url).content.decode()
    assert element(html, "ballot") == element(page, "ballot")


def test_the_easy_read_toggle_shows_easy_read_wording_where_written(client):
    circle = make_circle(members=1, seeds=0)
    consultation = services.create_consultation(
        by=circle.facilitator, question="Le plan de circulation ?", easy_read_question="Les rues ?"
    )
    services.write_statement(
        member=circle.facilitator,
        consultation=consultation,
        text="La limitation à 30 km/h doit s'appliquer partout.",
        easy_read="Les voitures roulent moins vite.",
    )
    services.open_consultation(by=circle.facilitator, consultation=consultation, expected_version=1)
    client.force_login(circle.members[0].user)
    url = reverse("collectives:vote", args=[circle.collective.pk, consultation.pk])
    usual = client.get(url).content.decode()
    easy = client.get(url + "?easy=1").content.decode()
    assert escape("La limitation à 30 km/h") in usual and "Les voitures roulent" not in usual
    assert "Les voitures roulent moins vite." in easy and "Les rues ?" in easy
    assert 'name="easy" value="1"' in easy


@pytest.mark.parametrize("status", ["pending", "rejected", "withdrawn"])
def test_a_vote_on_a_statement_not_open_to_votes_is_refused_with_a_message(client, status):
    circle = make_circle(members=2, seeds=1)
    statement = services.write_statement(
        member=circle.members[0], consultation=circle.consultation, text="Une idée."
    )
    if status == "rejected":
        services.moderate_statement(
            by=circle.facilitator, statement=statement, accept=False, reason="Hors sujet."
        )
    elif status == "withdrawn":
        services.withdraw_statement(member=circle.members[0], statement=statement)
    client.force_login(circle.members[1].user)
    for headers in ({}, {"HX-Request": "true"}):
        response = client.post(
            _urls(circle)["vote"], {"statement": statement.pk, "value": "1"}, headers=headers
        )
        assert response.status_code == 400
        assert 'role="alert"' in response.content.decode()
    assert not ConsultationVote.objects.exists()


def test_a_vote_on_a_closed_consultation_is_refused_with_a_message(client):
    circle = make_circle(members=1, seeds=1)
    services.close_consultation(
        by=circle.facilitator, consultation=circle.consultation, expected_version=2
    )
    client.force_login(circle.members[0].user)
    response = client.post(
        _urls(circle)["vote"], {"statement": circle.statements[0].pk, "value": "1"}
    )
    assert response.status_code == 400
    assert (
        fr("This consultation is closed: votes are no longer taken.") in response.content.decode()
    )
    assert not ConsultationVote.objects.exists()


def test_a_vote_without_a_value_or_on_a_statement_elsewhere(client):
    here, there = make_circle(members=1, seeds=1), make_circle(members=1, seeds=1)
    client.force_login(here.members[0].user)
    url = _urls(here)["vote"]
    assert client.post(url, {"statement": here.statements[0].pk, "value": "7"}).status_code == 400
    assert client.post(url, {"statement": there.statements[0].pk, "value": "1"}).status_code == 404
    assert not ConsultationVote.objects.exists()


def test_a_facilitator_makes_another_member_facilitator(client):
    circle = make_circle(members=1, seeds=0)
    member = circle.members[0]
    client.force_login(circle.facilitator.user)
    url = reverse("collectives:make_facilitator", args=[circle.collective.pk, member.pk])
    assert client.post(url).status_code == 302
    member.refresh_from_db()
    assert member.role == "facilitator"
    assert CollectiveMember.objects.filter(role="facilitator").count() == 2
