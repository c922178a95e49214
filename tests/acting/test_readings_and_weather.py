"""Use cases of indicator readings and the alliance weather, and the selector that
tells who has the weather to give. Bad input is refused and saves nothing."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone
from django.utils.translation import override

from alliance.acting import selectors, services
from alliance.acting.models import IndicatorReading, WeatherRating
from alliance.acting.weather import AlertKind, Item
from alliance.alliances import services as alliance_services
from alliance.alliances.models import Ally
from alliance.audit.models import Action as Audit
from alliance.audit.models import AuditEntry
from alliance.demo.clock import as_of, days_ago
from tests.factories import make_alliance_trio, make_signable_charter

pytestmark = pytest.mark.django_db


def sign_with_indicator(trio, *, raters=None, low=1, high=5):
    """The trio's charter, with one indicator rated by the person and the
    professional (not the parent), signed by all three."""
    charter = make_signable_charter(trio)
    indicator = alliance_services.add_indicator(
        ally=trio.professional,
        charter=charter,
        name="Léo est content d'aller en classe",
        scale_min=low,
        scale_max=high,
        raters=raters or [trio.person, trio.professional],
        expected_revision=charter.revision,
    )
    for ally in trio.allies:
        charter.refresh_from_db()
        alliance_services.sign_charter(
            ally=ally, charter=charter, expected_revision=charter.revision
        )
    return indicator


@pytest.fixture
def english():
    with override("en"):
        yield


@pytest.fixture
def trio():
    trio = make_alliance_trio()
    trio.indicator = sign_with_indicator(trio)
    return trio


def test_a_rater_rates_on_the_scale_and_it_is_audited(trio):
    reading = services.rate_indicator(
        ally=trio.person, indicator=trio.indicator, value=4, note="  Ça va mieux. "
    )
    assert (reading.value, reading.note, reading.indicator_key) == (
        4,
        "Ça va mieux.",
        trio.indicator.key,
    )
    entry = AuditEntry.objects.get(action=Audit.INDICATOR_RATED)
    assert (entry.actor_id, entry.alliance_id) == (trio.person.user_id, trio.alliance.pk)


@pytest.mark.parametrize("value", [0, 6, -1, None, 2.5, True, "3"])
def test_a_reading_outside_the_scale_is_refused_in_plain_words(trio, value):
    with pytest.raises(ValidationError) as refused, override("fr"):
        services.rate_indicator(ally=trio.person, indicator=trio.indicator, value=value)
    with override("fr"):
        assert refused.value.message_dict["value"] == ["Choisissez un nombre entier de 1 à 5."]
    assert not IndicatorReading.objects.exists()


def test_someone_the_charter_does_not_name_cannot_rate(trio, english):
    with pytest.raises(ValidationError, match="Only the allies the charter names"):
        services.rate_indicator(ally=trio.parent, indicator=trio.indicator, value=3)
    with pytest.raises(ValidationError, match="under 300"):
        services.rate_indicator(ally=trio.person, indicator=trio.indicator, value=3, note="x" * 301)
    other = make_alliance_trio(title="Ailleurs")
    sign_with_indicator(other)
    with pytest.raises(ValidationError, match="not in the signed charter"):
        services.rate_indicator(ally=other.person, indicator=trio.indicator, value=3)
    Ally.objects.filter(pk=trio.person.pk).update(status=Ally.Status.REFUSED)
    trio.person.refresh_from_db()
    with pytest.raises(PermissionDenied):
        services.rate_indicator(ally=trio.person, indicator=trio.indicator, value=3)
    assert not IndicatorReading.objects.exists()


def test_nothing_is_rated_before_the_charter_is_signed(english):
    trio = make_alliance_trio()
    charter = make_signable_charter(trio)
    indicator = alliance_services.add_indicator(
        ally=trio.professional,
        charter=charter,
        name="Sommeil",
        scale_min=0,
        scale_max=10,
        raters=[trio.person],
        expected_revision=charter.revision,
    )
    with pytest.raises(ValidationError, match="not in the signed charter"):
        services.rate_indicator(ally=trio.person, indicator=indicator, value=3)
    with pytest.raises(ValidationError, match="once the charter is signed"):
        services.give_weather(ally=trio.person, aim=1, way=1, heard=1, decide=1)
    assert not IndicatorReading.objects.exists() and not WeatherRating.objects.exists()


def test_readings_follow_an_indicator_into_a_new_charter_version(trio, english):
    services.rate_indicator(ally=trio.person, indicator=trio.indicator, value=2)
    charter = trio.indicator.charter
    charter.refresh_from_db()
    alliance_services.write_shared_understanding(
        ally=trio.parent, charter=charter, text="Autrement dit.", expected_revision=charter.revision
    )
    new = alliance_services.current_charter(trio.alliance)
    assert new.number == 2
    # Until the new version is signed, the signed one is still in force.
    (board,) = selectors.indicator_boards(trio.alliance)
    assert board["indicator"] == trio.indicator
    for ally in trio.allies:
        new.refresh_from_db()
        alliance_services.sign_charter(ally=ally, charter=new, expected_revision=new.revision)
    (board,) = selectors.indicator_boards(trio.alliance)
    copy = board["indicator"]
    assert copy.charter_id == new.pk and copy.key == trio.indicator.key
    services.rate_indicator(ally=trio.professional, indicator=copy, value=5)
    assert [r.value for r in board["readings"]] == [2]
    (board,) = selectors.indicator_boards(trio.alliance)
    assert [(r.ally_id, r.value) for r in board["readings"]] == [
        (trio.person.pk, 2),
        (trio.professional.pk, 5),
    ]
    with pytest.raises(ValidationError, match="not in the signed charter"):
        services.rate_indicator(ally=trio.person, indicator=trio.indicator, value=3)


# ---------------------------------------------------------------- weather


def test_the_weather_on_the_scale_and_with_the_faces(trio):
    rating = services.give_weather(
        ally=trio.parent, aim=7, way=6, heard=9, decide=8, word="  Une bonne   réunion "
    )
    assert (rating.aim, rating.way, rating.heard, rating.decide) == (7, 6, 9, 8)
    assert rating.word == "Une bonne réunion" and not rating.easy_read
    faces = services.give_weather(ally=trio.person, aim=1, way=2, heard=4, decide=5, easy_read=True)
    assert (faces.aim, faces.way, faces.heard, faces.decide) == (0, 3, 8, 10)
    assert faces.easy_read
    assert AuditEntry.objects.filter(action=Audit.WEATHER_GIVEN).count() == 2


@pytest.mark.parametrize(
    ("fields", "field", "message"),
    [
        ({"aim": 11}, "aim", "Choisissez un nombre de 0 à 10 pour «\u00a0Nous sommes d'accord"),
        ({"way": -1}, "way", "Choisissez un nombre de 0 à 10 pour «\u00a0Nous sommes d'accord"),
        ({"heard": None}, "heard", "Choisissez un nombre de 0 à 10 pour «\u00a0Je me sens"),
        ({"decide": 4.5}, "decide", "Choisissez un nombre de 0 à 10 pour «\u00a0Nous décidons"),
        ({"easy_read": True, "aim": 6}, "aim", "Choisissez un des cinq visages pour «\u00a0Nous"),
        ({"easy_read": True, "aim": 0}, "aim", "Choisissez un des cinq visages"),
        (
            {"word": "x" * 41},
            "word",
            "Votre mot doit faire au plus 40 caractères\u00a0: il en a 41.",
        ),
        (
            {"meeting_on": timezone.localdate() + datetime.timedelta(days=1)},
            "meeting_on",
            "Cette date est dans le futur.",
        ),
    ],
)
def test_bad_weather_is_refused_in_plain_words(trio, fields, field, message):
    answer = {"aim": 5, "way": 5, "heard": 5, "decide": 5, **fields}
    if answer.get("easy_read"):
        answer.update(dict.fromkeys(("way", "heard", "decide"), 3))
    with pytest.raises(ValidationError) as refused, override("fr"):
        services.give_weather(ally=trio.person, **answer)
    with override("fr"):
        assert refused.value.message_dict[field][0].startswith(message)
    assert not WeatherRating.objects.exists()
    assert not AuditEntry.objects.filter(action=Audit.WEATHER_GIVEN).exists()


def _answer(ally, aim=7, way=7, heard=7, decide=7, days=0):
    with as_of(days_ago(days)):
        return services.give_weather(ally=ally, aim=aim, way=way, heard=heard, decide=decide)


def test_a_drop_and_a_divergence_raise_alerts(trio):
    _answer(trio.parent, decide=8, days=40)
    _answer(trio.parent, decide=4, days=2)
    _answer(trio.professional, way=9, days=1)
    _answer(trio.person, way=3, days=1)
    alerts = selectors.weather_alerts(selectors.weather_ratings(trio.alliance))
    assert [(a.kind, a.item, a.allies, a.values) for a in alerts] == [
        (
            AlertKind.DIVERGENCE,
            Item.WAY,
            (trio.person.pk, trio.parent.pk, trio.professional.pk),
            (3, 7, 9),
        ),
        (AlertKind.DROP, Item.DECIDE, (trio.parent.pk,), (8, 4)),
    ]


def test_who_has_the_weather_to_give_in_one_query(trio, django_assert_num_queries):
    _answer(trio.parent, days=31)
    _answer(trio.professional, days=29)
    unsigned = make_alliance_trio(title="Pas encore signée")
    ids = [a.pk for a in trio.allies + unsigned.allies]
    with django_assert_num_queries(1):
        due = selectors.weather_to_give(ids)
    # The parent's last weather is 31 days old, the person never gave it; the
    # professional gave it 29 days ago; nothing is due where the charter is unsigned.
    assert due == {trio.parent.pk, trio.person.pk}
    with django_assert_num_queries(0):
        assert selectors.weather_to_give([]) == set()
