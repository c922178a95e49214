"""The alliance weather (météo de l'alliance), as plain Python (no Django).

After a meeting each ally rates four items on a 0–10 scale, plus an optional word:

- `aim`: we agree on what we aim for;
- `way`: we agree on how we get there;
- `heard`: I feel recognised and heard;
- `decide`: we decide together.

Easy-read input: five faces, from the saddest (1) to the happiest (5), map to
0, 3, 5, 8, 10 — the points 0, 2.5, 5, 7.5, 10 that split the scale evenly,
rounded half up. A rating shown back as a face takes the nearest face, a tie going
to the happier one: 0–1 → 1, 2–3 → 2, 4–6 → 3, 7–8 → 4, 9–10 → 5.

Alerts, each with the ratings that raised it:

- drop: an ally's rating on an item is at least `DROP` (3) points below that
  ally's previous rating on the same item;
- divergence: on an item, two allies' ratings *of the same round* are at least
  `DIVERGENCE` (4) points apart. One alert per item and round, naming every ally
  involved: those whose rating is at least 4 points from another one's.

The same round: each ally's latest rating of the item is compared with the others'
latest ratings. When the newest of them carries a round id (e.g. the meeting's),
the round is the ratings with that id; otherwise it is the ratings dated within
`window` (14 days by default) before the newest one. An ally whose latest rating
is older is left out: their view is not current.

Invalid input raises `WeatherError` (a ValueError) with a `code` and `params` the
page translates into a message in the user's language.
"""

from collections.abc import Hashable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from enum import StrEnum

SCALE_MIN, SCALE_MAX = 0, 10
DROP = 3  # points lost from one's previous rating that raise an alert
DIVERGENCE = 4  # points between two allies that raise an alert
DEFAULT_WINDOW = timedelta(days=14)
WORD_MAX_LENGTH = 40
FACES = {1: 0, 2: 3, 3: 5, 4: 8, 5: 10}


class Item(StrEnum):
    AIM = "aim"  # we agree on what we aim for
    WAY = "way"  # we agree on how we get there
    HEARD = "heard"  # I feel recognised and heard
    DECIDE = "decide"  # we decide together


ITEMS = tuple(Item)


class AlertKind(StrEnum):
    DROP = "drop"
    DIVERGENCE = "divergence"


class WeatherError(ValueError):
    """Bad input. `code` names the problem and `params` its details, for a translated
    message; `str(error)` is a precise English message for logs and tests."""

    def __init__(self, code: str, message: str, **params):
        super().__init__(message)
        self.code = code
        self.params = params


# ---------------------------------------------------------------------------
# Validation and the faces


def validate_item(item) -> Item:
    try:
        return Item(item)
    except ValueError:
        known = ", ".join(ITEMS)
        raise WeatherError(
            "unknown_item", f"unknown weather item {item!r} (known: {known})", item=item
        ) from None


def validate_value(value, *, item=None) -> int:
    """A rating: an integer from 0 to 10 (a bool or a float is refused)."""
    where = f" for item {str(item)!r}" if item is not None else ""
    if isinstance(value, bool) or not isinstance(value, int):
        raise WeatherError(
            "not_an_integer",
            f"rating {value!r}{where} is not a whole number from {SCALE_MIN} to {SCALE_MAX}",
            value=value,
            item=item,
        )
    if not SCALE_MIN <= value <= SCALE_MAX:
        raise WeatherError(
            "out_of_scale",
            f"rating {value}{where} is outside the scale {SCALE_MIN}–{SCALE_MAX}",
            value=value,
            item=item,
            min=SCALE_MIN,
            max=SCALE_MAX,
        )
    return value


def validate_word(word: str | None) -> str:
    """The optional word, trimmed ("" when absent), at most `WORD_MAX_LENGTH` characters."""
    if word is None:
        return ""
    if not isinstance(word, str):
        raise WeatherError("word_not_text", f"the word {word!r} is not text", word=word)
    word = " ".join(word.split())
    if len(word) > WORD_MAX_LENGTH:
        raise WeatherError(
            "word_too_long",
            f"the word has {len(word)} characters, more than {WORD_MAX_LENGTH}",
            length=len(word),
            max=WORD_MAX_LENGTH,
        )
    return word


def validate_answer(values: Mapping, *, word: str | None = None) -> tuple[dict[Item, int], str]:
    """One ally's answer: all four items, each rated; returns them keyed by `Item`,
    and the cleaned word."""
    checked: dict[Item, int] = {}
    for key, value in values.items():
        item = validate_item(key)
        checked[item] = validate_value(value, item=item)
    missing = [item for item in ITEMS if item not in checked]
    if missing:
        raise WeatherError(
            "missing_items",
            "the answer has no rating for " + ", ".join(missing),
            items=tuple(missing),
        )
    return {item: checked[item] for item in ITEMS}, validate_word(word)


def face_to_value(face) -> int:
    """The rating of an easy-read face, 1 (saddest) to 5 (happiest)."""
    if isinstance(face, bool) or face not in FACES:
        raise WeatherError("unknown_face", f"face {face!r} is not one of 1 to 5", face=face)
    return FACES[face]


def value_to_face(value) -> int:
    """The face nearest to a rating (a tie goes to the happier face): 0–1 → 1,
    2–3 → 2, 4–6 → 3, 7–8 → 4, 9–10 → 5."""
    value = validate_value(value)
    return min(FACES, key=lambda face: (abs(FACES[face] - value), -face))


# ---------------------------------------------------------------------------
# Ratings, trends and alerts


@dataclass(frozen=True)
class Rating:
    """One ally's rating of one item. `ally` is any hashable id (ally ids of one
    alliance must sort among themselves: ints or strings); `round` optionally names
    the meeting the rating was given after."""

    ally: Hashable
    item: Item
    value: int
    at: date | datetime
    round: Hashable | None = None

    def __post_init__(self):
        object.__setattr__(self, "item", validate_item(self.item))
        validate_value(self.value, item=self.item)
        if not isinstance(self.at, date):
            raise WeatherError("bad_date", f"{self.at!r} is not a date or a datetime", at=self.at)

    @property
    def instant(self) -> datetime:
        return _instant(self.at)


def ratings_of_answer(
    ally: Hashable, at: date | datetime, values: Mapping, *, round: Hashable | None = None
) -> list[Rating]:
    """The four ratings of one validated answer."""
    checked, _ = validate_answer(values)
    return [Rating(ally, item, value, at, round) for item, value in checked.items()]


def _instant(at: date | datetime) -> datetime:
    if isinstance(at, datetime):
        # An aware datetime is compared in UTC, so the order never depends on the server.
        return at if at.tzinfo is None else at.astimezone(UTC).replace(tzinfo=None)
    return datetime(at.year, at.month, at.day)


def _history(ratings: Iterable[Rating]) -> dict[tuple[Hashable, Item], list[Rating]]:
    """Each ally's ratings of each item in time order; of two at the same instant the
    one given last counts."""
    by_key: dict[tuple[Hashable, Item], dict[datetime, Rating]] = {}
    for rating in ratings:
        by_key.setdefault((rating.ally, rating.item), {})[rating.instant] = rating
    return {key: [r for _, r in sorted(found.items())] for key, found in by_key.items()}


def trends(ratings: Iterable[Rating]) -> dict[Item, dict[Hashable, tuple[tuple, ...]]]:
    """For each item (all four, in order), each ally's (date, value) in time order —
    ready for `alliance.charts.Series`."""
    out: dict[Item, dict[Hashable, tuple[tuple, ...]]] = {item: {} for item in ITEMS}
    history = _history(ratings)
    for ally, item in sorted(history, key=lambda key: (ITEMS.index(key[1]), key[0])):
        out[item][ally] = tuple((r.at, r.value) for r in history[(ally, item)])
    return out


def latest(ratings: Iterable[Rating]) -> dict[Item, dict[Hashable, Rating]]:
    """Each ally's latest rating of each item."""
    history = _history(ratings)
    out: dict[Item, dict[Hashable, Rating]] = {item: {} for item in ITEMS}
    for (ally, item), found in sorted(history.items(), key=lambda kv: kv[0][0]):
        out[item][ally] = found[-1]
    return out


@dataclass(frozen=True)
class Alert:
    kind: AlertKind
    item: Item
    # drop: (ally,); divergence: every ally involved, lowest rating first.
    allies: tuple
    # drop: (previous, current); divergence: each involved ally's rating.
    values: tuple[int, ...]
    # drop: (previous date, current date); divergence: each involved rating's date.
    dates: tuple
    ratings: tuple[Rating, ...] = field(repr=False, compare=False, default=())

    @property
    def points(self) -> int:
        """How far: the drop (positive) or the spread between the extremes."""
        if self.kind is AlertKind.DROP:
            return self.values[0] - self.values[1]
        return max(self.values) - min(self.values)

    @property
    def at(self) -> date | datetime:
        """When the alert arose: the latest of its ratings."""
        return max(self.ratings, key=lambda r: r.instant).at

    @property
    def sort_key(self) -> tuple:
        return (ITEMS.index(self.item), list(AlertKind).index(self.kind), self.allies)


def _drop(previous: Rating, current: Rating) -> Alert | None:
    if previous.value - current.value < DROP:
        return None
    return Alert(
        kind=AlertKind.DROP,
        item=current.item,
        allies=(current.ally,),
        values=(previous.value, current.value),
        dates=(previous.at, current.at),
        ratings=(previous, current),
    )


def _same_round(latest_ones: list[Rating], window: timedelta) -> list[Rating]:
    # Ratings of the same instant may name different rounds: the greatest round id
    # wins (with meeting dates as ids, the latest meeting), whatever the input order.
    newest = max(
        latest_ones,
        key=lambda r: (r.instant, r.round is not None, "" if r.round is None else str(r.round)),
    )
    if newest.round is not None:
        return [r for r in latest_ones if r.round == newest.round]
    return [r for r in latest_ones if newest.instant - r.instant <= window]


def _divergence(round_ratings: list[Rating]) -> Alert | None:
    if len(round_ratings) < 2:
        return None
    low = min(r.value for r in round_ratings)
    high = max(r.value for r in round_ratings)
    if high - low < DIVERGENCE:
        return None
    involved = sorted(
        (r for r in round_ratings if r.value - low >= DIVERGENCE or high - r.value >= DIVERGENCE),
        key=lambda r: (r.value, r.ally),
    )
    return Alert(
        kind=AlertKind.DIVERGENCE,
        item=involved[0].item,
        allies=tuple(r.ally for r in involved),
        values=tuple(r.value for r in involved),
        dates=tuple(r.at for r in involved),
        ratings=tuple(involved),
    )


def current_alerts(ratings: Iterable[Rating], *, window: timedelta = DEFAULT_WINDOW) -> list[Alert]:
    """The alerts standing now: drops on each ally's latest rating of an item, and
    divergences among the allies' latest ratings of the same round. Sorted by item,
    then drops before divergences, then ally."""
    history = _history(ratings)
    alerts = []
    for found in history.values():
        if len(found) >= 2 and (alert := _drop(found[-2], found[-1])):
            alerts.append(alert)
    for item in ITEMS:
        latest_ones = [found[-1] for (_, it), found in history.items() if it is item]
        if latest_ones and (alert := _divergence(_same_round(latest_ones, window))):
            alerts.append(alert)
    return sorted(alerts, key=lambda a: a.sort_key)


def alert_history(ratings: Iterable[Rating], *, window: timedelta = DEFAULT_WINDOW) -> list[Alert]:
    """Every alert that stood at some point, in the order they arose (then as
    `current_alerts`): what `current_alerts` gave after each new rating, without
    repeats. A divergence that grew as more allies rated the same round is kept
    once, in its largest form."""
    ratings = sorted(ratings, key=lambda r: r.instant)
    seen: dict[tuple, Alert] = {}
    for end in range(1, len(ratings) + 1):
        if end < len(ratings) and ratings[end].instant == ratings[end - 1].instant:
            continue  # take every rating of an instant at once
        for alert in current_alerts(ratings[:end], window=window):
            seen.setdefault(_identity(alert), alert)
    alerts = list(seen.values())
    # Drop a divergence whose ratings are all part of a larger one on the same item.
    kept = [
        a
        for a in alerts
        if a.kind is AlertKind.DROP
        or not any(
            b is not a
            and b.kind is AlertKind.DIVERGENCE
            and b.item is a.item
            and set(_identity(a)[2]) < set(_identity(b)[2])
            for b in alerts
        )
    ]
    return sorted(kept, key=lambda a: (_instant(a.at), a.sort_key))


def _identity(alert: Alert) -> tuple:
    return (
        alert.kind,
        alert.item,
        tuple((r.ally, r.instant, r.value) for r in alert.ratings),
    )
