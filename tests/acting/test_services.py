"""Use cases of movement 2: means negotiation, co-action plan, capacities and
constraints, journal of the way. Bad input is refused and saves nothing."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from alliance.acting import services
from alliance.acting.models import (
    ActionStatus,
    Availability,
    AvailabilityChange,
    Capacity,
    JournalEntry,
    MeansDecision,
    MeansOption,
    Stance,
    StanceValue,
)
from alliance.alliances import services as alliance_services
from alliance.audit.models import Action as Audit
from alliance.audit.models import AuditEntry
from alliance.conflicts import ConflictError
from tests.factories import (
    a_stance_sent_at_the_same_moment,
    make_alliance_trio,
    make_signable_charter,
    make_signed_charter,
)

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate


@pytest.fixture
def trio():
    trio = make_alliance_trio()
    trio.charter = make_signed_charter(trio)
    trio.interest = trio.charter.interests.get()
    return trio


def _option(trio, description="École ordinaire avec une AESH", by=None):
    return services.propose_means(
        ally=by or trio.parent,
        interest_statement_id=trio.interest.statement_id,
        description=description,
    )


def _actions(trio):
    return AuditEntry.objects.filter(alliance_id=trio.alliance.pk).values_list("action", flat=True)


# ---------------------------------------------------------------- signed charter


def test_nothing_is_negotiated_before_the_charter_is_signed():
    trio = make_alliance_trio()
    charter = make_signable_charter(trio)
    assert not services.alliance_has_signed_charter(trio.alliance)
    with pytest.raises(ValidationError):
        services.propose_means(
            ally=trio.parent,
            interest_statement_id=charter.interests.get().statement_id,
            description="Une AESH",
        )
    assert not MeansOption.objects.exists()


def test_a_superseded_signed_version_still_counts_and_keeps_its_interests(trio):
    alliance_services.write_shared_understanding(
        ally=trio.person,
        charter=trio.charter,
        text="Après la signature.",
        expected_revision=trio.charter.revision,
    )
    trio.charter.refresh_from_db()
    assert trio.charter.status == trio.charter.Status.SUPERSEDED
    assert services.alliance_has_signed_charter(trio.alliance)
    assert services.signed_charter(trio.alliance) == trio.charter
    assert [i.statement_id for i in services.adopted_interests(trio.alliance)] == [
        trio.interest.statement_id
    ]
    assert _option(trio).interest_text == trio.interest.text


# ---------------------------------------------------------------- means and stances


def test_an_ally_proposes_a_means_for_an_adopted_interest(trio):
    option = _option(trio)
    assert option.interest_statement_id == trio.interest.statement_id
    assert Audit.MEANS_PROPOSED in _actions(trio)


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"interest_statement_id": 0, "description": "Une AESH"}, "interest"),
        ({"description": "  "}, "description"),
        ({"description": "Une AESH", "need_code": "not-a-code"}, "need_code"),
    ],
)
def test_a_bad_means_is_refused(trio, fields, field):
    fields = {"interest_statement_id": trio.interest.statement_id, **fields}
    with pytest.raises(ValidationError) as error:
        services.propose_means(ally=trio.parent, **fields)
    assert field in error.value.message_dict
    assert not MeansOption.objects.exists()


def test_stances_change_and_history_is_kept(trio):
    option = _option(trio)
    services.take_stance(
        ally=trio.professional,
        option=option,
        value=StanceValue.OPPOSE,
        reason="Le rythme d'une classe entière.",
    )
    services.take_stance(
        ally=trio.professional,
        option=option,
        value=StanceValue.RESERVATIONS,
        reason="Si l'AESH est là tout le temps.",
    )
    services.take_stance(ally=trio.person, option=option, value=StanceValue.SUPPORT)
    current = services.current_stances(option)
    assert [(s.ally_id, s.value) for s in current] == [
        (trio.professional.pk, StanceValue.RESERVATIONS),
        (trio.person.pk, StanceValue.SUPPORT),
    ]
    assert option.stances.count() == 3


def test_each_ally_has_exactly_one_current_stance_per_option_through_changes_of_mind(trio):
    option, other = _option(trio), _option(trio)
    for value in (StanceValue.OPPOSE, StanceValue.SUPPORT, StanceValue.OPPOSE):
        services.take_stance(ally=trio.professional, option=option, value=value, reason="Pourquoi")
    services.take_stance(ally=trio.person, option=option, value=StanceValue.SUPPORT)
    services.take_stance(ally=trio.professional, option=other, value=StanceValue.SUPPORT)
    current = Stance.objects.filter(superseded_at__isnull=True)
    assert sorted((s.option_id, s.ally_id, s.value) for s in current) == sorted(
        [
            (option.pk, trio.professional.pk, StanceValue.OPPOSE),
            (option.pk, trio.person.pk, StanceValue.SUPPORT),
            (other.pk, trio.professional.pk, StanceValue.SUPPORT),
        ]
    )
    # Each earlier stance ends exactly when the next one is taken: no gap, no overlap.
    history = list(option.stances.filter(ally=trio.professional).order_by("taken_at", "pk"))
    assert [s.superseded_at for s in history] == [
        *(s.taken_at for s in history[1:]),
        None,
    ]


def test_the_database_refuses_a_second_current_stance(trio):
    option = _option(trio)
    services.take_stance(ally=trio.person, option=option, value=StanceValue.SUPPORT)
    with pytest.raises(IntegrityError), transaction.atomic():
        Stance.objects.create(option=option, ally=trio.person, value=StanceValue.SUPPORT)


@pytest.mark.parametrize("earlier", [False, True])
def test_two_stances_of_one_ally_at_once_the_second_is_refused(trio, earlier):
    option = _option(trio)
    if earlier:
        services.take_stance(ally=trio.person, option=option, value=StanceValue.SUPPORT)
    before = Stance.objects.count()
    with (
        a_stance_sent_at_the_same_moment(trio.person, option) as raced,
        pytest.raises(ConflictError),
    ):
        services.take_stance(
            ally=trio.person, option=option, value=StanceValue.OPPOSE, reason="Non."
        )
    assert Stance.objects.count() == before + 1
    current = Stance.objects.get(option=option, ally=trio.person, superseded_at__isnull=True)
    assert current == raced
    assert not Stance.objects.filter(value=StanceValue.OPPOSE).exists()
    assert AuditEntry.objects.filter(action=Audit.STANCE_TAKEN).count() == int(earlier) + 1


@pytest.mark.parametrize(
    ("value", "reason", "field"),
    [
        ("maybe", "", "value"),
        (StanceValue.OPPOSE, "  ", "reason"),
        (StanceValue.RESERVATIONS, "", "reason"),
    ],
)
def test_a_stance_outside_the_scale_or_without_a_reason_is_refused(trio, value, reason, field):
    option = _option(trio)
    with pytest.raises(ValidationError) as error:
        services.take_stance(ally=trio.professional, option=option, value=value, reason=reason)
    assert field in error.value.message_dict
    assert not Stance.objects.exists()


def test_the_decision_keeps_every_dissent_visible(trio):
    option = _option(trio)
    services.take_stance(
        ally=trio.professional,
        option=option,
        value=StanceValue.OPPOSE,
        reason="Trop de bruit pour lui.",
    )
    services.take_stance(ally=trio.parent, option=option, value=StanceValue.SUPPORT)
    decision = services.decide_means(
        ally=trio.parent, option=option, consent=True, expected_version=option.version
    )
    assert decision.dissent == [
        {
            "ally": trio.professional.pk,
            "name": trio.professional.user.display_name,
            "role": "professional",
            "value": "oppose",
            "reason": "Trop de bruit pour lui.",
        }
    ]
    # A later change of stance does not rewrite the dissent at decision time.
    services.take_stance(ally=trio.professional, option=option, value=StanceValue.SUPPORT)
    decision.refresh_from_db()
    assert len(decision.dissent) == 1
    assert Audit.MEANS_DECIDED in _actions(trio)


def test_a_decision_without_the_persons_consent_is_refused(trio):
    option = _option(trio)
    with pytest.raises(ValidationError):
        services.decide_means(
            ally=trio.professional, option=option, consent=True, expected_version=option.version
        )
    with pytest.raises(ValidationError) as error:
        services.decide_means(
            ally=trio.parent, option=option, consent=False, expected_version=option.version
        )
    assert "consent" in error.value.message_dict
    assert not MeansDecision.objects.exists()
    option.refresh_from_db()
    assert option.version == 1


def test_two_allies_deciding_at_once_one_wins_the_other_is_told(trio):
    option = _option(trio)
    seen_by_person = MeansOption.objects.get(pk=option.pk)
    services.decide_means(
        ally=trio.parent, option=option, consent=True, expected_version=option.version
    )
    with pytest.raises(ConflictError):
        services.decide_means(
            ally=trio.person,
            option=seen_by_person,
            consent=True,
            expected_version=seen_by_person.version,
        )
    assert MeansDecision.objects.get().decided_by == trio.parent


def test_availability_changes_are_kept(trio):
    option = _option(trio)
    since = TODAY() - datetime.timedelta(days=40)
    services.set_availability(
        ally=trio.professional,
        option=option,
        status=Availability.WAITING,
        since=since,
        note="Dossier MDPH déposé",
        expected_version=option.version,
    )
    services.set_availability(
        ally=trio.parent,
        option=option,
        status=Availability.AVAILABLE,
        expected_version=option.version,
    )
    option.refresh_from_db()
    assert option.availability == Availability.AVAILABLE
    assert option.availability_since == TODAY()
    assert [c.status for c in option.availability_changes.all()] == ["available", "waiting"]


@pytest.mark.parametrize(
    ("status", "since", "field"),
    [
        ("unknown", None, "status"),
        (Availability.WAITING, None, "since"),
        (Availability.REFUSED, datetime.date(2999, 1, 1), "since"),
    ],
)
def test_bad_availability_is_refused(trio, status, since, field):
    option = _option(trio)
    with pytest.raises(ValidationError) as error:
        services.set_availability(
            ally=trio.parent,
            option=option,
            status=status,
            since=since,
            expected_version=option.version,
        )
    assert field in error.value.message_dict
    assert not AvailabilityChange.objects.exists()


# ---------------------------------------------------------------- actions


def _action(trio, by=None, **fields):
    fields = {
        "title": "Appeler l'école",
        "domain_label": "Scolarité",
        "my_role": "J'appelle l'école",
        **fields,
    }
    return services.plan_action(ally=by or trio.professional, **fields)


def test_an_action_without_the_person_waits_for_their_agreement(trio):
    action = _action(trio)
    assert services.needs_person_agreement(action)
    with pytest.raises(ValidationError):
        services.start_action(
            ally=trio.professional, action=action, expected_version=action.version
        )
    with pytest.raises(PermissionDenied):
        services.agree_to_action(ally=trio.professional, action=action)
    services.agree_to_action(ally=trio.parent, action=action)
    assert not services.needs_person_agreement(action)
    services.start_action(ally=trio.professional, action=action, expected_version=action.version)
    assert action.status == ActionStatus.IN_PROGRESS


def test_the_person_as_co_actor_needs_no_extra_agreement(trio):
    action = _action(trio)
    services.join_action(ally=trio.person, action=action, role="Je prépare mes questions")
    assert not services.needs_person_agreement(action)
    services.start_action(ally=trio.person, action=action, expected_version=1)
    services.finish_action(ally=trio.parent, action=action, expected_version=2)
    action.refresh_from_db()
    assert action.status == ActionStatus.DONE
    moves = AuditEntry.objects.filter(action=Audit.ACTION_MOVED).order_by("pk")
    assert [(e.actor_id, e.detail["to"]) for e in moves] == [
        (trio.person.user_id, "in_progress"),
        (trio.parent.user_id, "done"),
    ]


def test_illegal_moves_are_refused(trio):
    action = _action(trio, by=trio.person, my_role="Je demande un rendez-vous")
    with pytest.raises(ValidationError):
        services.finish_action(ally=trio.person, action=action, expected_version=1)
    services.abandon_action(ally=trio.person, action=action, expected_version=1)
    with pytest.raises(ValidationError):
        services.start_action(ally=trio.person, action=action, expected_version=2)
    with pytest.raises(ValidationError):
        services.join_action(ally=trio.parent, action=action, role="J'aide")


def test_a_stale_move_is_refused(trio):
    action = _action(trio, by=trio.person, my_role="Je demande")
    services.start_action(ally=trio.person, action=action, expected_version=1)
    with pytest.raises(ConflictError):
        services.abandon_action(ally=trio.parent, action=action, expected_version=1)


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"due_date": datetime.date(2000, 1, 1)}, "due_date"),
        ({"domain_label": "Loisirs"}, "domain_label"),  # the person's own
        ({"domain_label": "Santé"}, "domain_label"),  # with others
        ({"domain_label": "Logement"}, "domain_label"),  # not in the perimeter
        ({"title": ""}, "title"),
        ({"my_role": ""}, "role"),
    ],
)
def test_a_bad_action_is_refused(trio, fields, field):
    from alliance.acting.models import Action

    with pytest.raises(ValidationError) as error:
        _action(trio, **fields)
    assert field in error.value.message_dict
    assert not Action.objects.exists()


def test_an_action_is_linked_only_to_a_decided_means(trio):
    option = _option(trio)
    with pytest.raises(ValidationError) as error:
        _action(trio, means=option)
    assert "means" in error.value.message_dict
    services.decide_means(ally=trio.parent, option=option, consent=True, expected_version=1)
    assert _action(trio, means=option, due_date=TODAY()).means == option


# ---------------------------------------------------------------- capacities, journal


def test_each_ally_writes_their_own_capacities_and_constraints(trio):
    services.write_capacity(ally=trio.person, kind="capacity", text="Je lis les mots courts.")
    services.write_capacity(
        ally=trio.professional, kind="constraint", text="Je ne suis là que le mardi."
    )
    with pytest.raises(ValidationError):
        services.write_capacity(ally=trio.parent, kind="wish", text="")
    assert [(c.author_id, c.kind) for c in Capacity.objects.all()] == [
        (trio.person.pk, "capacity"),
        (trio.professional.pk, "constraint"),
    ]


def test_a_journal_revision_keeps_the_old_words(trio):
    action = _action(trio)
    entry = services.write_journal_entry(
        ally=trio.parent,
        happened="Rendez-vous à l'école.",
        emerged="Noé veut la cantine.",
        action=action,
    )
    services.revise_journal_entry(
        ally=trio.parent,
        entry=entry,
        happened="Rendez-vous.",
        emerged="Noé veut la cantine, deux jours.",
        expected_version=1,
    )
    entry.refresh_from_db()
    assert entry.version == 2 and entry.emerged == "Noé veut la cantine, deux jours."
    (old,) = entry.revisions.all()
    assert (old.version, old.happened) == (1, "Rendez-vous à l'école.")
    with pytest.raises(ConflictError):
        services.revise_journal_entry(
            ally=trio.parent, entry=entry, happened="Encore", expected_version=1
        )


def test_someone_elses_journal_entry_cannot_be_edited(trio):
    entry = services.write_journal_entry(ally=trio.parent, happened="Réunion.")
    with pytest.raises(PermissionDenied):
        services.revise_journal_entry(
            ally=trio.professional, entry=entry, happened="Autre chose.", expected_version=1
        )
    entry.refresh_from_db()
    assert entry.happened == "Réunion." and not entry.revisions.exists()


def test_empty_journal_entry_is_refused(trio):
    with pytest.raises(ValidationError) as error:
        services.write_journal_entry(ally=trio.parent, happened=" ")
    assert "happened" in error.value.message_dict
    assert not JournalEntry.objects.exists()


def test_an_ally_of_another_alliance_cannot_touch_these(trio):
    other = make_alliance_trio(title="Autre")
    option = _option(trio)
    with pytest.raises(PermissionDenied):
        services.take_stance(ally=other.parent, option=option, value=StanceValue.SUPPORT)
