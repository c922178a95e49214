"""The position check, as plain Python (no Django): three answers mapped to one of
the five images of accompaniment.

Each ally answers from where they stand: "me", "together" or "the other". For the
person, "the other" means the companions; for anyone else, "the other" means the
person. We first translate each answer into who leads: the person, both together,
or the companions. Then:

- nobody leads the person (every answer is "person" or "together"): hikers side by side;
- the companions lead all three: the backpack (the person is carried);
- the companions choose the way and walk ahead, but not the pace: the roped party;
- the companions walk ahead and set the pace, but not the way: the trailer;
- the companions only walk ahead: the roped party (they show the way and secure it);
- the companions choose the way or set the pace while the person walks ahead
  (or beside): the wheelbarrow (the person is pushed forward).
"""

from dataclasses import dataclass
from enum import StrEnum


class Image(StrEnum):
    WHEELBARROW = "wheelbarrow"
    BACKPACK = "backpack"
    TRAILER = "trailer"
    ROPED_PARTY = "roped_party"
    HIKERS = "hikers"


class Lead(StrEnum):
    PERSON = "person"
    TOGETHER = "together"
    COMPANIONS = "companions"


ANSWERS = ("me", "together", "other")


def lead_from_answer(answer: str, *, answered_by_person: bool) -> Lead:
    if answer not in ANSWERS:
        raise ValueError(f"unknown answer {answer!r}")
    if answer == "together":
        return Lead.TOGETHER
    person_leads = (answer == "me") == answered_by_person
    return Lead.PERSON if person_leads else Lead.COMPANIONS


@dataclass(frozen=True)
class Position:
    path: Lead
    pace: Lead
    ahead: Lead

    @property
    def image(self) -> Image:
        companions = {
            name for name in ("path", "pace", "ahead") if getattr(self, name) == Lead.COMPANIONS
        }
        if not companions:
            return Image.HIKERS
        if companions == {"path", "pace", "ahead"}:
            return Image.BACKPACK
        if "ahead" in companions:
            return (
                Image.TRAILER
                if "pace" in companions and "path" not in companions
                else Image.ROPED_PARTY
            )
        return Image.WHEELBARROW


def position_image(
    *, chooses_path: str, sets_pace: str, walks_ahead: str, answered_by_person: bool
) -> Image:
    return position_of(
        chooses_path=chooses_path,
        sets_pace=sets_pace,
        walks_ahead=walks_ahead,
        answered_by_person=answered_by_person,
    ).image


QUESTIONS = ("path", "pace", "ahead")


def position_of(
    *, chooses_path: str, sets_pace: str, walks_ahead: str, answered_by_person: bool
) -> Position:
    return Position(
        path=lead_from_answer(chooses_path, answered_by_person=answered_by_person),
        pace=lead_from_answer(sets_pace, answered_by_person=answered_by_person),
        ahead=lead_from_answer(walks_ahead, answered_by_person=answered_by_person),
    )


def questions_seen_differently(person: Position, others: list[Position]) -> list[str]:
    """The questions ("path", "pace", "ahead") on which the person and at least one
    of the others see a different leader, in the order of the check. Not a score:
    what to talk about."""
    return [q for q in QUESTIONS if any(getattr(o, q) != getattr(person, q) for o in others)]
