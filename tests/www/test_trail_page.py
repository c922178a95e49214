"""The trail page: paged so that no entry is ever out of reach, filtered by who, by
reads or changes and by period, others' reads and every change by default."""

import datetime
import re
from html import unescape

import pytest
from django.urls import reverse
from django.utils import timezone, translation

from alliance.audit.journal import record, record_account_event
from alliance.audit.models import Action, AuditEntry

from .scene import build_scene

pytestmark = pytest.mark.django_db


def _rows(response):
    html = response.content.decode()
    body = html.split("<tbody>", 1)[1].split("</tbody>", 1)[0]
    return [
        [
            unescape(re.sub(r"<[^>]+>", "", c)).strip()
            for c in re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", row, flags=re.S)
        ]
        for row in re.findall(r"<tr>(.*?)</tr>", body, flags=re.S)
    ]


def _reads(scene, role, n, page="overview"):
    user = scene.user(role)
    for _ in range(n):
        record(
            user,
            Action.ALLIANCE_VIEWED,
            alliance_id=scene.alliance.pk,
            organisation_id=scene.alliance.organisation_id,
            detail={"page": page},
        )


def _trail(client, scene, role="person", **params):
    """The full trail, as the standard page shows it (the person reads easily by
    default; the easy page summarises it: tests/www/test_easy_alliances.py)."""
    client.force_login(scene.user(role))
    session = client.session
    session["reading_mode"] = "standard"
    session.save()
    return client.get(reverse("alliances:trail", args=[scene.alliance.pk]), params)


def _label(action):
    with translation.override("fr"):
        return str(action.label)


def test_reads_never_push_a_change_out_of_reach(client):
    """The trail used to show its last 300 entries only: 320 reads hid the statement
    written before them."""
    scene = build_scene()
    _reads(scene, "professional_ally", 320)
    written = _label(Action.STATEMENT_WRITTEN)

    first = _trail(client, scene)
    assert first.status_code == 200
    assert len(_rows(first)) == 50
    assert "page 1 sur" in first.content.decode() or "page 1 of" in first.content.decode()

    pages = first.context["entries"].paginator.num_pages
    last = _trail(client, scene, page=pages)
    assert written in [what for _when, _who, what in _rows(last)]
    # Or at once, with the changes only.
    changes = _trail(client, scene, shows="changes")
    assert written in [what for _when, _who, what in _rows(changes)]


def test_the_pages_link_to_each_other_and_keep_the_filters(client):
    scene = build_scene()
    _reads(scene, "relative", 120)
    who = scene.allies["relative"].pk
    response = _trail(client, scene, shows="reads", who=who, page=2)
    html = response.content.decode()
    assert response.context["entries"].paginator.count == 120
    assert len(_rows(response)) == 50
    assert f'href="?shows=reads&amp;who={who}&amp;page=1"' in html
    assert f'href="?shows=reads&amp;who={who}&amp;page=3"' in html
    assert len(_rows(_trail(client, scene, shows="reads", who=who, page=3))) == 20


@pytest.mark.parametrize("page", ["abc", "0", "-1", "99999", "1" * 30])
def test_a_page_that_does_not_exist_shows_a_page_that_does(client, page):
    scene = build_scene()
    _reads(scene, "relative", 60)
    response = _trail(client, scene, page=page)
    assert response.status_code == 200
    assert _rows(response)


def test_by_default_my_own_reads_are_left_out(client):
    scene = build_scene()
    _reads(scene, "person", 3, page="charter")
    _reads(scene, "relative", 1, page="journal")
    looked = _label(Action.ALLIANCE_VIEWED)
    person, relative = scene.user("person").display_name, scene.user("relative").display_name

    rows = _rows(_trail(client, scene))

    who_looked = {who for _when, who, what in rows if what.startswith(looked)}
    assert who_looked == {relative}
    # The person's own changes stay: they wrote the scene's statement.
    assert (person, _label(Action.STATEMENT_WRITTEN)) in {(who, what) for _w, who, what in rows}
    everything = _rows(_trail(client, scene, shows="everything"))
    assert person in {who for _when, who, what in everything if what.startswith(looked)}


def test_the_filters_by_kind_and_by_ally(client):
    scene = build_scene()
    _reads(scene, "relative", 2)
    _reads(scene, "professional_ally", 3)
    looked = _label(Action.ALLIANCE_VIEWED)

    reads = _rows(_trail(client, scene, shows="reads"))
    assert reads and all(what.startswith(looked) for _when, _who, what in reads)
    changes = _rows(_trail(client, scene, shows="changes"))
    assert changes and not any(what.startswith(looked) for _when, _who, what in changes)

    relative = scene.allies["relative"]
    response = _trail(client, scene, who=relative.pk, shows="reads")
    assert {who for _when, who, _what in _rows(response)} == {relative.user.display_name}
    assert response.context["entries"].paginator.count == 2


def test_the_filter_by_period_counts_whole_days_in_paris(client):
    scene = build_scene()
    before = set(AuditEntry.objects.values_list("pk", flat=True))
    _reads(scene, "relative", 1)
    today = timezone.localdate()
    tomorrow = today + datetime.timedelta(days=1)

    same_day = _trail(client, scene, shows="reads", start=today, end=today)
    assert same_day.context["entries"].paginator.count == 1
    later = _trail(client, scene, shows="reads", start=tomorrow)
    assert later.context["entries"].paginator.count == 0
    earlier = _trail(client, scene, end=today - datetime.timedelta(days=1))
    assert earlier.context["entries"].paginator.count == 0
    assert AuditEntry.objects.exclude(pk__in=before).filter(action=Action.ALLIANCE_VIEWED)


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"start": "31/02/2026"}, "Saisissez une date valide."),
        ({"end": "demain"}, "Saisissez une date valide."),
        (
            {"start": "2026-05-02", "end": "2026-05-01"},
            "Le premier jour doit venir avant le dernier.",
        ),
        ({"who": "abc"}, "Sélectionnez un choix valide."),
        ({"who": "99999999999999999999999"}, "Sélectionnez un choix valide."),
        ({"shows": "mine"}, "Sélectionnez un choix valide."),
    ],
)
def test_bad_filters_get_a_clear_message_never_a_500(client, params, message):
    scene = build_scene()
    response = _trail(client, scene, **params)
    assert response.status_code == 400
    assert message in unescape(response.content.decode()).replace("\u202f", " ").replace(
        "\xa0", " "
    )
    assert _rows(response)  # the default listing stays under the message


def test_an_ally_of_another_alliance_is_not_a_choice(client):
    scene = build_scene()
    other = build_scene()
    response = _trail(client, scene, who=other.allies["relative"].pk)
    assert response.status_code == 400


def test_a_credential_event_names_whose_account_it_was(client):
    scene = build_scene()
    relative = scene.user("relative")
    record_account_event(
        scene.user("professional_ally"), Action.SIGN_IN_CODE_ISSUED, account=relative
    )

    rows = _rows(_trail(client, scene, shows="changes"))

    with translation.override("fr"):
        expected = f"{Action.SIGN_IN_CODE_ISSUED.label} pour {relative.display_name}"
    assert [scene.user("professional_ally").display_name, expected] in [r[1:] for r in rows]
