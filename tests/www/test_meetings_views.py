"""Pages of meetings and of the charter's history: scheduling with bad input (400,
nothing saved), answering, a stale change (409, the user's words kept, the meeting as
it is now shown), cancelling, the weather prompt on the home and the weather page, the
comparison of charter versions (400 on bad input) and "what changed since you signed",
the shared understanding's authors and its stale save (409, nobody's words lost); each
page in a fixed number of queries."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.html import escape
from django.utils.translation import gettext

from alliance.accounts.services import set_easy_read
from alliance.acting import meetings
from alliance.acting.models import Meeting
from alliance.alliances import services
from alliance.alliances.lifecycle import close_alliance
from alliance.alliances.models import UnderstandingRevision
from tests.factories import make_alliance_trio, make_signed_charter

pytestmark = pytest.mark.django_db


def fr(message):
    with translation.override("fr"):
        return escape(gettext(message))


@pytest.fixture
def trio():
    trio = make_alliance_trio()
    set_easy_read(user=trio.person.user, easy=False)
    return trio


def _url(name, trio, *args):
    return reverse(f"meetings:{name}", args=[trio.alliance.pk, *args])


def _form(**extra):
    day = timezone.localdate() + datetime.timedelta(days=3)
    return {
        "day": day.isoformat(),
        "time": "14:30",
        "duration_minutes": "60",
        "place": "Au centre social",
        "purpose": "Préparer la rentrée",
        "prepare": "",
        **extra,
    }


def _schedule(trio, days=3):
    return meetings.schedule_meeting(
        ally=trio.professional,
        starts_at=timezone.now() + datetime.timedelta(days=days),
        duration_minutes=60,
        place="Au centre",
        purpose="Faire le point",
        invited=[trio.parent],
    )


def test_scheduling_in_paris_time_and_bad_input(client, trio):
    client.force_login(trio.professional.user)
    response = client.post(_url("new", trio), _form(place="  ", duration_minutes="0"))
    assert response.status_code == 400
    assert not Meeting.objects.exists()
    assert "Préparer la rentrée" in response.content.decode()  # the user's words kept
    response = client.post(_url("new", trio), _form(invited=[trio.parent.pk]))
    meeting = Meeting.objects.get()
    assert response.status_code == 302
    local = timezone.localtime(meeting.starts_at)
    assert (local.hour, local.minute) == (14, 30)
    assert str(local.tzinfo) == "Europe/Paris"
    assert {i.ally_id for i in meeting.invitations.all()} == {
        trio.professional.pk,
        trio.parent.pk,
        trio.person.pk,
    }


def test_the_hour_of_a_meeting_is_not_called_a_category_of_resources(client, trio):
    """The word 'Time' alone is the resources' category 'Temps'; a meeting's is 'Heure'."""
    client.force_login(trio.professional.user)
    page = client.get(_url("new", trio)).content.decode()
    assert '<label for="id_time">Heure <span class="required">' in page
    assert ">Temps<" not in page


def test_a_closed_alliance_offers_no_meeting_to_schedule(client, trio):
    new = _url("new", trio)
    client.force_login(trio.professional.user)
    assert f'href="{new}"' in client.get(_url("list", trio)).content.decode()
    close_alliance(ally=trio.person, reason="Fini.", expected_version=1)
    page = client.get(_url("list", trio)).content.decode()
    assert f'href="{new}"' not in page
    assert fr("This alliance is closed.") in page


def test_answering_and_the_easy_page_for_the_person(client, trio):
    meeting = _schedule(trio)
    client.force_login(trio.person.user)
    assert client.post(_url("detail", trio, meeting.pk), {"answer": "perhaps"}).status_code == 400
    response = client.post(
        _url("detail", trio, meeting.pk), {"answer": "coming", "brings": "Mon cahier"}
    )
    assert response.status_code == 302
    set_easy_read(user=trio.person.user, easy=True)
    page = client.get(_url("detail", trio, meeting.pk)).content.decode()
    assert fr("Who comes?") in page and "Mon cahier" in page and fr("What to bring?") in page


def test_a_stale_change_is_refused_with_both_versions_shown(client, trio):
    meeting = _schedule(trio)
    meetings.change_meeting(
        ally=trio.parent,
        meeting=meeting,
        expected_version=1,
        starts_at=meeting.starts_at,
        duration_minutes=60,
        place="Par téléphone",
        purpose="Faire le point",
        invited=[trio.parent, trio.person],
    )
    client.force_login(trio.professional.user)
    response = client.post(
        _url("edit", trio, meeting.pk), _form(version="1", place="À l'école, salle 2")
    )
    assert response.status_code == 409
    page = response.content.decode()
    assert "Par téléphone" in page and escape("À l'école, salle 2") in page
    meeting.refresh_from_db()
    assert meeting.place == "Par téléphone"


def test_cancelling_needs_a_reason(client, trio):
    meeting = _schedule(trio)
    client.force_login(trio.parent.user)
    assert client.post(_url("cancel", trio, meeting.pk), {"version": "1"}).status_code == 400
    assert (
        client.post(
            _url("cancel", trio, meeting.pk), {"version": "1", "reason": "Grève"}
        ).status_code
        == 302
    )
    meeting.refresh_from_db()
    assert meeting.is_cancelled


def test_the_weather_prompt_shows_until_dismissed(client, trio):
    make_signed_charter(trio)
    past = _schedule(trio, days=-2)
    client.force_login(trio.parent.user)
    home = reverse("alliances:overview", args=[trio.alliance.pk])
    dismiss = _url("weather_dismiss", trio, past.pk)
    assert dismiss in client.get(home).content.decode()
    weather = client.get(reverse("acting:weather", args=[trio.alliance.pk])).content.decode()
    assert dismiss in weather
    assert client.post(dismiss, {"next": "weather"}).status_code == 302
    assert dismiss not in client.get(home).content.decode()


def test_the_list_costs_the_same_with_more_meetings(client, trio, django_assert_num_queries):
    _schedule(trio)
    _schedule(trio, days=-2)
    client.force_login(trio.person.user)
    url = _url("list", trio)
    client.get(url)
    with django_assert_num_queries(10) as small:
        client.get(url)
    for days in (-5, -3, 1, 2, 4):
        _schedule(trio, days=days)
    with django_assert_num_queries(len(small.captured_queries)):
        assert client.get(url).status_code == 200
    meeting = Meeting.objects.first()
    detail = _url("detail", trio, meeting.pk)
    client.get(detail)
    with django_assert_num_queries(8):
        assert client.get(detail).status_code == 200


# ---------------------------------------------------------------- the charter's history


def _new_version_with_an_indicator(trio):
    charter = make_signed_charter(trio)
    services.add_indicator(
        ally=trio.professional,
        charter=charter,
        name="Léo dort bien",
        scale_min=0,
        scale_max=10,
        raters=[trio.person],
        expected_revision=charter.revision,
    )
    return services.current_charter(trio.alliance)


def test_compare_two_versions_and_bad_input(client, trio):
    _new_version_with_an_indicator(trio)
    client.force_login(trio.parent.user)
    url = reverse("alliances:charter_diff", args=[trio.alliance.pk])
    page = client.get(url).content.decode()  # the two latest by default
    assert fr("An indicator was added:") in page and "Léo dort bien" in page
    for bad in ({"from": "1", "to": "1"}, {"from": "1", "to": "9"}, {"from": "x"}):
        response = client.get(url, bad)
        assert response.status_code == 400, bad
    assert (
        fr("Choose two different versions.")
        in client.get(url, {"from": 1, "to": 1}).content.decode()
    )
    page = client.get(url, {"from": 2, "to": 1}).content.decode()
    assert fr("An indicator was removed:") in page


def test_what_changed_since_you_signed_on_the_signing_page(
    client, trio, django_assert_max_num_queries
):
    _new_version_with_an_indicator(trio)
    client.force_login(trio.parent.user)
    url = reverse("alliances:charter", args=[trio.alliance.pk])
    page = client.get(url).content.decode()
    assert 'id="since-signed"' in page
    assert fr("What changed since you signed") in page and "<ins>Léo dort bien (0–10)</ins>" in page
    with django_assert_max_num_queries(40):
        client.get(url)
    charter = services.current_charter(trio.alliance)
    services.sign_charter(ally=trio.parent, charter=charter, expected_revision=charter.revision)
    assert 'id="since-signed"' not in client.get(url).content.decode()


def test_the_understanding_keeps_its_authors_and_refuses_a_stale_save(client, trio):
    charter = services.current_charter(trio.alliance)
    services.write_shared_understanding(
        ally=trio.parent, charter=charter, text="Léo aime l'école.", expected_revision=1
    )
    stale = charter.revision  # the page the professional opened before
    charter.refresh_from_db()
    client.force_login(trio.professional.user)
    url = reverse("alliances:charter_edit", args=[trio.alliance.pk, "understanding"])
    response = client.post(url, {"revision": str(stale), "text": "Léo a besoin de calme."})
    assert response.status_code == 409
    page = response.content.decode()
    assert escape("Léo aime l'école.") in page and "Léo a besoin de calme." in page
    assert "Nadia Martin" in page  # who wrote the words now in place
    response = client.post(
        url, {"revision": str(charter.revision), "text": "Léo aime l'école et le calme."}
    )
    assert response.status_code == 302
    texts = list(UnderstandingRevision.objects.values_list("author__user__display_name", "text"))
    assert texts == [
        ("Inès Morel", "Léo aime l'école et le calme."),
        ("Nadia Martin", "Léo aime l'école."),
    ]
    page = client.get(reverse("alliances:charter", args=[trio.alliance.pk])).content.decode()
    assert "Inès Morel" in page and escape("Léo aime l'école.") in page
