"""What the API says of an alliance and of acting together: the same facts the
pages show, in the same words (labels in the caller's language beside the stable
codes). Allies are named as the pages name them, never with an address or phone."""

import datetime
import uuid
from typing import Annotated

from ninja import Field, Path, Schema

# An id within the range of a database id (a BigAutoField), in a path or a body, so
# that one too large is refused as bad input, never a 500 from the database.
DATABASE_ID_MAX = 2**63 - 1
Id = Annotated[int, Field(gt=0, le=DATABASE_ID_MAX)]
PathId = Annotated[int, Path(gt=0, le=DATABASE_ID_MAX)]
Version = Annotated[int, Field(ge=0, le=DATABASE_ID_MAX)]
# Words as the pages' forms take them: no NUL character (PostgreSQL stores none).
Words = Annotated[str, Field(pattern=r"^[^\x00]*$")]

# ---------------------------------------------------------------- movement 1


class Person(Schema):
    """An ally as every other ally sees them on the pages."""

    ally_id: int
    name: str
    role: str


class AllianceItem(Schema):
    id: int
    title: str
    closed: bool
    my_role: str | None = Field(None, description="None for a DUI client")
    my_status: str | None = None


class Standings(Schema):
    common_ground: int
    divergences: int
    open: int
    to_vote: int


class CharterState(Schema):
    number: int
    status: str
    status_label: str
    revision: int


class ReviewState(Schema):
    next_on: datetime.date | None
    state: str


class AllianceOut(Schema):
    id: int
    title: str
    situation: str
    organisation: str | None
    person_is_protected: bool
    created_at: datetime.datetime
    closed_at: datetime.datetime | None
    keep_until: datetime.date | None
    me: Person | None = Field(None, description="None for a DUI client")
    standings: Standings
    charter: CharterState | None
    review: ReviewState


class Mandate(Schema):
    kind: str
    label: str
    reference: str
    date: datetime.date | None


class AllyOut(Schema):
    id: int
    name: str
    role: str
    role_label: str
    status: str
    status_label: str
    joined_at: datetime.datetime | None
    mandate: Mandate | None = Field(None, description="a legal representative's measure")


class Voters(Schema):
    agree: list[Person]
    disagree: list[Person]
    unsure: list[Person]
    passed: list[Person]
    not_voted: list[Person]


class ImportedFrom(Schema):
    """Where imported words come from (ADR 0031): written in Alliance by the ally who
    imported them, never the person's own words until the person writes them."""

    label: str = Field(description="The record they come from, e.g. the DUI's name")
    author: str = Field(description="Who wrote them there, as that record says")
    from_person: bool = Field(description="That record says the person expressed them")


class StatementOut(Schema):
    id: int
    kind: str
    kind_label: str
    text: str
    author: Person
    supported_by: Person | None
    version: int
    created_at: datetime.datetime
    updated_at: datetime.datetime
    standing: str = Field(description="common_ground, divergence or open, as the pages show it")
    my_vote: str | None
    changed_since_my_vote: bool
    voters: Voters
    imported: ImportedFrom | None = Field(description="Set when the words came from a DUI")


class StatementIn(Schema):
    kind: Words = Field(description="interest, goal, means, concern or capacity")
    text: Words = Field(max_length=1000)
    supported_by: Id | None = Field(None, description="the ally who helped write it")


class StatementChange(StatementIn):
    version: Version = Field(description="the version read; a stale one answers 409")


class WithdrawnOut(Schema):
    id: int
    withdrawn_at: datetime.datetime


class VoteIn(Schema):
    value: Words = Field(description="agree, disagree, unsure or pass")


class VoteOut(Schema):
    statement_id: int
    value: str
    standing: str


class SignatureOut(Schema):
    ally: Person
    signed_by: Person
    on_behalf: bool = Field(description="signed by a legal representative for the person")
    signed_at: datetime.datetime


class CharterItem(Schema):
    number: int
    status: str
    status_label: str
    revision: int
    created_at: datetime.datetime
    signed_at: datetime.datetime | None
    signatures: list[SignatureOut]


class InterestOut(Schema):
    statement_id: int
    text: str
    adopted_by: Person


class RecognitionOut(Schema):
    ally: Person
    brings: str
    expects: str


class CommitmentOut(Schema):
    ally: Person
    text: str
    written_by: Person | None


class PerimeterOut(Schema):
    label: str
    domain_code: str
    status: str
    status_label: str


class IndicatorOut(Schema):
    key: uuid.UUID
    name: str
    scale_min: int
    scale_max: int
    raters: list[Person]


class CharterOut(CharterItem):
    current: bool
    shared_understanding: str
    interests: list[InterestOut]
    recognitions: list[RecognitionOut]
    commitments: list[CommitmentOut]
    perimeter: list[PerimeterOut]
    indicators: list[IndicatorOut]
    blockers: list[str] = Field(description="what still prevents signing (current version)")


class SignIn(Schema):
    revision: Version = Field(description="the revision read; a stale one answers 409")
    signee: Id | None = Field(None, description="the person, when their representative signs")


# ---------------------------------------------------------------- movement 2


class StanceOut(Schema):
    ally: Person
    value: str
    value_label: str
    reason: str
    taken_at: datetime.datetime


class DecisionOut(Schema):
    decided_by: Person
    note: str
    decided_at: datetime.datetime
    dissent: list[dict] = Field(description="every stance other than support at the decision")


class MeansOut(Schema):
    id: int
    interest: str
    description: str
    proposed_by: Person
    need_code: str
    need_label: str
    prestation_code: str = Field(description="SERAFIN-PH direct service, or blank")
    availability: str
    version: int
    created_at: datetime.datetime
    stances: list[StanceOut]
    earlier_stances: list[StanceOut]
    decision: DecisionOut | None


class StanceIn(Schema):
    value: Words = Field(description="support, reservations or oppose")
    reason: Words = Field("", max_length=1000)


class CoActorOut(Schema):
    ally: Person
    role: str


class ActionOut(Schema):
    id: int
    title: str
    description: str
    due_date: datetime.date | None
    status: str
    status_label: str
    domain_label: str
    means_id: int | None
    created_by: Person
    agreed_by: Person | None
    agreed_at: datetime.datetime | None
    needs_person_agreement: bool
    version: int
    co_actors: list[CoActorOut]


class RoleIn(Schema):
    role: Words = Field(max_length=200, description="my role in it, in my own words")


class RevisionOut(Schema):
    version: int
    happened: str
    emerged: str
    written_at: datetime.datetime


class JournalOut(Schema):
    id: int
    author: Person
    action_id: int | None
    happened: str
    emerged: str
    version: int
    created_at: datetime.datetime
    updated_at: datetime.datetime
    revisions: list[RevisionOut]


class JournalIn(Schema):
    happened: Words = Field(max_length=2000)
    emerged: Words = Field("", max_length=2000)
    action_id: Id | None = None


class JournalChange(Schema):
    happened: Words = Field(max_length=2000)
    emerged: Words = Field("", max_length=2000)
    version: Version = Field(description="the version read; a stale one answers 409")


class ReadingOut(Schema):
    id: int
    indicator_key: uuid.UUID
    ally: Person
    value: int
    note: str
    created_at: datetime.datetime


class BoardOut(IndicatorOut):
    readings: list[ReadingOut]


class ReadingIn(Schema):
    value: int
    note: Words = Field("", max_length=300)


class WeatherOut(Schema):
    id: int
    ally: Person
    aim: int
    way: int
    heard: int
    decide: int
    word: str
    meeting_on: datetime.date | None
    created_at: datetime.datetime


class WeatherIn(Schema):
    aim: int = Field(ge=0, le=10)
    way: int = Field(ge=0, le=10)
    heard: int = Field(ge=0, le=10)
    decide: int = Field(ge=0, le=10)
    word: Words = Field("", max_length=40)
    meeting_on: datetime.date | None = None


class ConclusionOut(Schema):
    ally: Person
    text: str | None
    written_at: datetime.datetime | None
    absent: str | None = Field(None, description="the reason recorded when the ally was absent")


class ReviewOut(Schema):
    id: int
    held_on: datetime.date
    due_on: datetime.date | None
    period_start: datetime.date
    opened_by: Person
    charter_number: int | None
    closed_at: datetime.datetime | None
    conclusions: list[ConclusionOut]


class ReviewsOut(Schema):
    next_on: datetime.date | None
    state: str
    reviews: list[ReviewOut]


class ReviewDetailOut(ReviewOut):
    version: int
    missing: list[Person] = Field(
        description="active allies who neither concluded nor were recorded absent"
    )
