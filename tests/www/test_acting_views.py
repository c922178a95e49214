"""Pages of movement 2: the means, the plan, the journal. Bad input gives 400 with
a clear message in the user's language and saves nothing; a stale write gives 409."""

import datetime

import pytest
from django.urls import reverse
from django.utils import translation
from django.utils.html import escape
from django.utils.translation import gettext

from alliance.accounts.services import set_easy_read
from alliance.acting import services
from alliance.acting.models import Action, JournalEntry, MeansDecision, Stance
from tests.factories import (
    a_stance_sent_at_the_same_moment,
    make_alliance_trio,
    make_signed_charter,
)

pytestmark = pytest.mark.django_db


def fr(message):
    with translation.override("fr"):
        return escape(gettext(message))


def fr_template(message):
    """A sentence written in a template: the translate tag does not escape it."""
    with translation.override("fr"):
        return gettext(message)


def en(message):
    with translation.override("en"):
        return escape(gettext(message))


@pytest.fixture
def trio():
    trio = make_alliance_trio()
    trio.charter = make_signed_charter(trio)
    trio.statement_id = trio.charter.interests.get().statement_id
    # These tests read the standard pages; the easy-read ones: test_easy_acting.py.
    set_easy_read(user=trio.person.user, easy=False)
    return trio


def _option(trio):
    return services.propose_means(
        ally=trio.parent,
        interest_statement_id=trio.statement_id,
        description="École ordinaire avec une AESH",
    )


def _url(name, trio, **kwargs):
    return reverse(f"acting:{name}", kwargs={"alliance_id": trio.alliance.pk, **kwargs})


def test_stances_side_by_side_and_the_dissent_stays_beside_the_decision(client, trio):
    option = _option(trio)
    client.force_login(trio.professional.user)
    response = client.post(
        _url("stance", trio, option_id=option.pk),
        {"value": "oppose", "reason": "Une unité d'enseignement d'abord."},
    )
    assert response.status_code == 302
    client.force_login(trio.parent.user)
    client.post(_url("stance", trio, option_id=option.pk), {"value": "support"})
    response = client.post(
        _url("decide", trio, option_id=option.pk), {"consent": "on", "version": option.version}
    )
    assert response.status_code == 302
    page = client.get(_url("means", trio)).content.decode()
    assert escape("Une unité d'enseignement d'abord.") in page
    assert 'class="dissent"' in page
    assert MeansDecision.objects.get().dissent[0]["ally"] == trio.professional.pk


def test_a_stance_outside_the_scale_is_refused_in_french_and_in_english(client, trio):
    option = _option(trio)
    client.force_login(trio.professional.user)
    url = _url("stance", trio, option_id=option.pk)
    response = client.post(url, {"value": "oppose", "reason": ""})
    assert response.status_code == 400
    assert (
        fr("Say why, in your own words: the others need to hear it.") in response.content.decode()
    )
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    response = client.post(url, {"value": "maybe"})
    assert response.status_code == 400
    assert (
        en("Select a valid choice. maybe is not one of the available choices.")
        in response.content.decode()
    )
    assert not Stance.objects.exists()


def test_a_decision_without_consent_is_refused_and_a_professional_cannot_decide(client, trio):
    option = _option(trio)
    client.force_login(trio.parent.user)
    response = client.post(_url("decide", trio, option_id=option.pk), {"version": 1})
    assert response.status_code == 400
    assert (
        fr(
            "Confirm that the person, or you as their legal representative, consent to "
            "this decision."
        )
        in response.content.decode()
    )
    client.force_login(trio.professional.user)
    response = client.post(
        _url("decide", trio, option_id=option.pk), {"consent": "on", "version": 1}
    )
    assert response.status_code == 400
    assert not MeansDecision.objects.exists()


def test_two_decisions_at_once_the_second_is_told(client, trio):
    option = _option(trio)
    client.force_login(trio.parent.user)
    assert (
        client.post(
            _url("decide", trio, option_id=option.pk), {"consent": "on", "version": 1}
        ).status_code
        == 302
    )
    client.force_login(trio.person.user)
    response = client.post(
        _url("decide", trio, option_id=option.pk),
        {"consent": "on", "version": 1, "note": "Mes mots."},
    )
    assert response.status_code == 409
    assert MeansDecision.objects.get().decided_by == trio.parent


def test_two_stances_of_one_ally_at_once_the_second_is_told_and_keeps_its_words(client, trio):
    option = _option(trio)
    client.force_login(trio.professional.user)
    with a_stance_sent_at_the_same_moment(trio.professional, option) as raced:
        response = client.post(
            _url("stance", trio, option_id=option.pk),
            {"value": "oppose", "reason": "Mes propres mots."},
        )
    assert response.status_code == 409
    page = response.content.decode()
    assert "Mes propres mots." in page
    assert (
        fr(
            "Another stance of yours on this means was recorded at the same moment: "
            "look at it, then take your stance again if it still needs changing."
        )
        in page
    )
    assert list(Stance.objects.all()) == [raced]


def test_a_waiting_means_shows_since_when(client, trio):
    option = _option(trio)
    client.force_login(trio.professional.user)
    since = datetime.date.today() - datetime.timedelta(days=30)
    response = client.post(
        _url("availability", trio, option_id=option.pk),
        {"status": "waiting", "since": since.isoformat(), "version": 1},
    )
    assert response.status_code == 302
    option.refresh_from_db()
    assert (option.availability, option.availability_since) == ("waiting", since)


def test_an_action_in_the_past_or_outside_the_perimeter_is_refused(client, trio):
    client.force_login(trio.professional.user)
    data = {
        "title": "Appeler",
        "domain_label": "Scolarité",
        "my_role": "J'appelle",
        "due_date": "2001-01-01",
    }
    response = client.post(_url("actions", trio), data)
    assert response.status_code == 400
    assert (
        fr("This date is already past: choose today or a later day.") in response.content.decode()
    )
    response = client.post(
        _url("actions", trio), {**data, "due_date": "", "domain_label": "Loisirs"}
    )
    assert response.status_code == 400  # not even offered: the form refuses it
    assert not Action.objects.exists()


def test_the_flagged_action_waits_for_the_representative(client, trio):
    client.force_login(trio.professional.user)
    client.post(
        _url("actions", trio),
        {"title": "Appeler l'école", "domain_label": "Scolarité", "my_role": "J'appelle l'école"},
    )
    action = Action.objects.get()
    page = client.get(_url("actions", trio)).content.decode()
    assert fr_template("The person has no role in this action.") in page
    response = client.post(
        _url("move_action", trio, action_id=action.pk), {"to": "start", "version": 1}
    )
    assert response.status_code == 400
    assert client.post(_url("agree_action", trio, action_id=action.pk)).status_code == 403
    client.force_login(trio.parent.user)
    assert client.post(_url("agree_action", trio, action_id=action.pk)).status_code == 302
    client.force_login(trio.professional.user)
    response = client.post(
        _url("move_action", trio, action_id=action.pk), {"to": "start", "version": 1}
    )
    assert response.status_code == 302
    action.refresh_from_db()
    assert action.status == "in_progress"


def test_the_person_takes_a_role_and_capacities_sit_beside_the_plan(client, trio):
    action = services.plan_action(
        ally=trio.parent, title="Visiter l'école", domain_label="Scolarité", my_role="Je conduis"
    )
    client.force_login(trio.person.user)
    response = client.post(
        _url("join_action", trio, action_id=action.pk), {"role": "Je prépare mes questions"}
    )
    assert response.status_code == 302
    client.post(_url("capacities", trio), {"kind": "capacity", "text": "Je sais demander."})
    page = client.get(_url("actions", trio)).content.decode()
    assert "Je prépare mes questions" in page and "Je sais demander." in page
    assert fr_template("The person has no role in this action.") not in page


def test_a_journal_revision_keeps_the_old_words_readable(client, trio):
    client.force_login(trio.parent.user)
    client.post(_url("journal", trio), {"happened": "Réunion à l'école."})
    entry = JournalEntry.objects.get()
    response = client.post(
        _url("journal_edit", trio, entry_id=entry.pk),
        {"happened": "Réunion avec la maîtresse.", "version": 1},
    )
    assert response.status_code == 302
    page = client.get(_url("journal", trio)).content.decode()
    assert escape("Réunion à l'école.") in page
    assert "Réunion avec la maîtresse." in page
    stale = client.post(
        _url("journal_edit", trio, entry_id=entry.pk), {"happened": "Encore.", "version": 1}
    )
    assert stale.status_code == 409
    assert "Encore." in stale.content.decode()  # the words typed are kept


def test_someone_elses_journal_entry_cannot_be_edited(client, trio):
    entry = services.write_journal_entry(ally=trio.parent, happened="Réunion.")
    client.force_login(trio.professional.user)
    url = _url("journal_edit", trio, entry_id=entry.pk)
    response = client.get(url)
    assert response.status_code == 403
    assert fr("Only its author can change a journal entry.") in response.content.decode()
    assert client.post(url, {"happened": "Autre.", "version": 1}).status_code == 403
    entry.refresh_from_db()
    assert entry.happened == "Réunion."


def test_before_the_charter_is_signed_the_pages_say_so(client):
    trio = make_alliance_trio()
    client.force_login(trio.parent.user)
    for name in ("means", "actions"):
        page = client.get(_url(name, trio)).content.decode()
        assert (
            fr("The means and the actions are negotiated once the charter is signed by every ally.")
            in page
        )


def test_a_changed_stance_keeps_the_earlier_one_readable(client, trio):
    option = _option(trio)
    services.take_stance(ally=trio.professional, option=option, value="oppose", reason="Non.")
    services.take_stance(
        ally=trio.professional, option=option, value="reservations", reason="Peut-être."
    )
    client.force_login(trio.person.user)
    page = client.get(_url("means", trio)).content.decode()
    assert fr_template("Earlier stances, since changed") in page
    assert "Non." in page and "Peut-être." in page
