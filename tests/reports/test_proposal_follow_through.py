"""Proposals that follow through (ADR 0038): requests written with the proposal, each
answered on its own, dated progress, members' reactions, and a proposal that closes
only when every request is settled. The timeline's rule is tested pure first."""

import datetime
from decimal import Decimal

import pytest
from django.apps import apps
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.utils import translation

from alliance.audit.models import Action, AuditEntry
from alliance.collectives.models import Consultation, ConsultationStatement, OpinionSnapshot
from alliance.conflicts import ConflictError
from alliance.notifications.models import Notification
from alliance.reports import timeline
from alliance.reports.models import (
    AnswerReaction,
    ProgressUpdate,
    ProposalRequest,
    ProposalStatus,
    RequestAnswer,
)
from alliance.reports.proposals import access, selectors, services
from tests.factories import UserFactory, make_alliance_trio

from .proposal_world import make_world, member_of

S = ProposalStatus
A, P, R = timeline.ACCEPTED, timeline.PARTLY, timeline.DECLINED


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


# ---------------------------------------------------------------- the rule, pure


@pytest.mark.parametrize(
    ("decision", "percentage", "settled"),
    [
        ("", 0, False),
        ("", 100, False),  # progress without an answer settles nothing
        (R, 0, True),
        (A, 0, False),  # accepted, the work is still to come
        (A, 99, False),
        (A, 100, True),
        (P, 100, True),
        (P, 40, False),
    ],
)
def test_a_request_is_settled_when_refused_or_carried_out(decision, percentage, settled):
    assert timeline.is_settled(decision, percentage) is settled


@pytest.mark.parametrize(
    ("current", "requests", "posted", "expected"),
    [
        (S.SENT, [("", 0), ("", 0)], False, S.SENT),
        (S.SENT, [(A, 0), ("", 0)], False, S.ANSWERED),
        (S.ACKNOWLEDGED, [(A, 0), (R, 0)], False, S.ANSWERED),
        (S.ANSWERED, [(A, 0), (R, 0)], True, S.IN_PROGRESS),
        (S.ANSWERED, [(A, 30), (R, 0)], False, S.IN_PROGRESS),
        # The case: "done" while the trial is still to come stays open.
        (S.IN_PROGRESS, [(A, 100), (P, 0)], True, S.IN_PROGRESS),
        (S.IN_PROGRESS, [(A, 100), (P, 100)], True, S.DONE),
        (S.IN_PROGRESS, [(A, 100), (R, 0)], True, S.DONE),
        (S.ANSWERED, [(R, 0), (R, 0)], False, S.REFUSED),
        # Never backwards, never out of a closed or unsent proposal.
        (S.IN_PROGRESS, [(A, 0), ("", 0)], False, S.IN_PROGRESS),
        (S.DONE, [("", 0)], False, S.DONE),
        (S.DRAFT, [(R, 0)], False, S.DRAFT),
        (S.SENT, [], True, S.IN_PROGRESS),
        (S.SENT, [], False, S.SENT),
    ],
)
def test_the_proposal_follows_its_requests(current, requests, posted, expected):
    assert timeline.status_from_requests(current, requests, progress_posted=posted) == expected


def test_progress_is_followed_on_the_whole_or_on_an_accepted_request():
    assert timeline.can_post_progress(S.SENT, None)
    assert timeline.can_post_progress(S.ANSWERED, P)
    assert not timeline.can_post_progress(S.ANSWERED, R)
    assert not timeline.can_post_progress(S.ANSWERED, "")
    assert not timeline.can_post_progress(S.DRAFT, None)
    assert not timeline.can_post_progress(S.DONE, A)


# ---------------------------------------------------------------- writing requests


@pytest.fixture
def trio(db):
    return make_alliance_trio()


REQUESTS = [
    "Une zone de rencontre à 20 km/h rue des Écoles.",
    "Un passage piéton éclairé devant Les Acacias.",
]


@pytest.fixture
def world(trio):
    return make_world(trio, requests=REQUESTS)


def _requests(world):
    return list(world.proposal.requests.order_by("position"))


def test_a_proposal_is_written_with_its_requests_in_order(world):
    assert [(r.position, r.text, r.decision, r.percentage) for r in _requests(world)] == [
        (1, REQUESTS[0], "", 0),
        (2, REQUESTS[1], "", 0),
    ]
    assert world.proposal.text == "Les enfants traversent sans feu ni passage."


def test_without_a_list_the_text_is_its_one_request(trio):
    world = make_world(trio)
    assert [r.text for r in world.proposal.requests.all()] == [world.proposal.text]


@pytest.mark.parametrize(
    ("requests", "message"),
    [
        ([], "at least one request"),
        (["  ", ""], "at least one request"),
        (["Un banc."] * 11, "Ten requests at most"),
        (["x" * 1001], "under 1,000 characters"),
    ],
)
def test_requests_that_say_nothing_or_too_much_are_refused(trio, requests, message):
    world = make_world(trio)
    count = world.collective.proposals.count()
    with pytest.raises(ValidationError, match=message) as refused:
        services.write_proposal(
            member=world.facilitator,
            title="Des bancs",
            text="Pour s'asseoir.",
            addressee=world.decision_maker,
            requests=requests,
        )
    assert "requests" in refused.value.message_dict
    assert world.collective.proposals.count() == count


def test_the_data_migration_gives_an_old_proposal_its_text_as_one_request(world):
    from importlib import import_module

    migration = import_module(
        "alliance.reports.migrations.0008_each_proposal_text_becomes_its_first_request"
    )
    world.proposal.requests.all().delete()
    migration.one_request_per_proposal(apps, None)
    migration.one_request_per_proposal(apps, None)  # twice: no second copy
    assert [(r.position, r.text) for r in world.proposal.requests.all()] == [
        (1, world.proposal.text)
    ]


# ---------------------------------------------------------------- answers


def _answer(world, request, decision, words="Réponse.", version=None):
    return services.answer_request(
        user=world.decision_maker,
        request=request,
        decision=decision,
        words=words,
        expected_version=request.version if version is None else version,
    )


def test_the_addressee_answers_each_request_differently(world):
    first, second = _requests(world)
    _answer(world, first, A, "Accepté : essai de trois mois à la rentrée.")
    world.proposal.refresh_from_db()
    assert world.proposal.status == S.ANSWERED
    _answer(world, second, P, "Un passage piéton, l'éclairage l'an prochain.")
    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.decision, second.decision) == (A, P)
    assert world.proposal.events.filter(status=S.ANSWERED).count() == 1
    entries = AuditEntry.objects.filter(action=Action.REQUEST_ANSWERED).order_by("pk")
    assert [(e.actor_id, e.detail["request"], e.detail["decision"]) for e in entries] == [
        (world.decision_maker.pk, first.pk, A),
        (world.decision_maker.pk, second.pk, P),
    ]
    told = Notification.objects.filter(kind="proposal_request_answered")
    assert told.count() == 2 * 3  # each answer, to each member
    assert not told.filter(user=world.decision_maker).exists()


def test_a_new_answer_supersedes_and_the_history_stays(world):
    first, _second = _requests(world)
    _answer(world, first, R, "Non.")
    first.refresh_from_db()
    _answer(world, first, P, "Finalement, en partie.")
    shown = selectors.follow_through([world.proposal.pk])[world.proposal.pk].requests[0]
    assert shown.answer.words == "Finalement, en partie."
    assert [a.words for a in shown.history] == ["Non."]
    assert RequestAnswer.objects.filter(request=first).count() == 2


@pytest.mark.parametrize(
    ("decision", "words", "field"),
    [("maybe", "Peut-être.", "decision"), (A, "   ", "words"), (A, "x" * 5001, "words")],
)
def test_an_answer_without_a_decision_or_words_is_refused(world, decision, words, field):
    first, _second = _requests(world)
    with pytest.raises(ValidationError) as refused:
        _answer(world, first, decision, words)
    assert field in refused.value.message_dict
    first.refresh_from_db()
    assert (first.decision, first.version) == ("", 1)
    assert not RequestAnswer.objects.exists()


def test_two_answers_to_one_request_at_once_the_second_is_refused(world):
    first, _second = _requests(world)
    version = first.version
    _answer(world, first, A, "Premier mot.", version=version)
    stale = ProposalRequest.objects.select_related("proposal").get(pk=first.pk)
    with pytest.raises(ConflictError, match="answered while you were writing"):
        _answer(world, stale, R, "Second mot.", version=version)
    assert [a.words for a in RequestAnswer.objects.all()] == ["Premier mot."]


@pytest.mark.parametrize("who", ["other_decision_maker", "facilitator", "person"])
def test_only_the_addressee_answers_a_request(trio, world, who):
    user = {
        "other_decision_maker": UserFactory(decision_maker=True),
        "facilitator": trio.professional.user,
        "person": trio.person.user,
    }[who]
    first, _second = _requests(world)
    with pytest.raises(PermissionDenied):
        services.answer_request(
            user=user, request=first, decision=A, words="Oui.", expected_version=1
        )
    with pytest.raises(Http404):
        access.get_request_for_addressee(user, first.pk)
    assert not RequestAnswer.objects.exists()


def test_a_draft_s_requests_are_not_answered(trio):
    world = make_world(trio, sent=False, requests=REQUESTS)
    with pytest.raises(Http404):
        access.get_request_for_addressee(world.decision_maker, _requests(world)[0].pk)
    with pytest.raises(PermissionDenied):
        _answer(world, _requests(world)[0], A)


# ---------------------------------------------------------------- progress and closing


def _progress(world, request=None, percentage=50, **more):
    return services.post_progress(
        user=world.decision_maker,
        proposal=world.proposal,
        request=request,
        status_label=more.pop("status_label", "Travaux"),
        percentage=percentage,
        **more,
    )


def test_the_proposal_closes_only_when_every_request_is_carried_out(world):
    first, second = _requests(world)
    _answer(world, first, A, "Oui.")
    _answer(world, second, P, "En partie.")
    first.refresh_from_db()
    # The first request done does not close the proposal: the second's trial is to come.
    _progress(world, first, 100, status_label="Zone posée")
    world.proposal.refresh_from_db()
    assert world.proposal.status == S.IN_PROGRESS
    second.refresh_from_db()
    _progress(world, second, 60, status_label="Essai en cours")
    world.proposal.refresh_from_db()
    assert world.proposal.status == S.IN_PROGRESS
    _progress(world, second, 100, status_label="Essai conclu")
    world.proposal.refresh_from_db()
    assert world.proposal.status == S.DONE
    assert list(world.proposal.events.values_list("status", flat=True))[-3:] == [
        S.ANSWERED,
        S.IN_PROGRESS,
        S.DONE,
    ]
    assert Notification.objects.filter(kind="proposal_done").count() == 3
    assert AuditEntry.objects.filter(action=Action.PROGRESS_POSTED).count() == 3
    # Closed: no more answers nor progress.
    second.refresh_from_db()
    with pytest.raises(ValidationError, match="closed"):
        _answer(world, second, R, "Non.")
    with pytest.raises(ValidationError, match="closed"):
        _progress(world, None, 100)


def test_refusing_every_request_declines_the_proposal(world):
    for request in _requests(world):
        _answer(world, request, R, "Pas de budget.")
    world.proposal.refresh_from_db()
    assert world.proposal.status == S.REFUSED
    assert Notification.objects.filter(kind="proposal_refused").count() == 3


def test_progress_on_a_request_not_accepted_is_refused(world):
    first, second = _requests(world)
    _answer(world, second, R, "Non.")
    second.refresh_from_db()
    for request in (first, second):
        with pytest.raises(ValidationError, match="answer it first"):
            _progress(world, request, 100)
    assert not ProgressUpdate.objects.exists()


@pytest.mark.parametrize(
    ("more", "field"),
    [
        ({"status_label": " "}, "status_label"),
        ({"percentage": 101}, "percentage"),
        ({"percentage": -1}, "percentage"),
        ({"next_step_on": datetime.date(2027, 1, 5)}, "next_step"),
        ({"cost": Decimal("-3")}, "cost"),
        ({"cost_public": True}, "cost_public"),
    ],
)
def test_bad_progress_is_refused_with_its_field(world, more, field):
    more = {"percentage": 10, **more}
    with pytest.raises(ValidationError) as refused:
        _progress(world, None, **more)
    assert field in refused.value.message_dict
    assert not ProgressUpdate.objects.exists()


def test_a_cost_is_shown_beyond_the_addressee_only_when_public(world):
    _progress(
        world,
        None,
        20,
        next_step="Vote du budget",
        next_step_on=datetime.date(2027, 3, 1),
        cost=Decimal("18000"),
        budget_line="Voirie 2027",
        cost_public=True,
    )
    _progress(world, None, 30, cost=Decimal("500"), budget_line="Études")
    for addressee, shown in [(True, [True, True]), (False, [True, False])]:
        followed = selectors.follow_through([world.proposal.pk], addressee=addressee)
        assert [u.cost_shown for u in followed[world.proposal.pk].progress] == shown
    assert Notification.objects.filter(kind="proposal_progress").count() == 2 * 3


# ---------------------------------------------------------------- reactions


def test_members_react_once_per_answer_and_may_change_it(trio, world):
    first, _second = _requests(world)
    answer = _answer(world, first, A, "Oui.")
    person = member_of(world.collective, trio.person.user)
    parent = member_of(world.collective, trio.parent.user)
    services.react_to_answer(member=person, answer=answer, satisfied=False, words="Trop tard.")
    services.react_to_answer(member=person, answer=answer, satisfied=True, words="Bien.")
    services.react_to_answer(member=parent, answer=answer, satisfied=False)
    assert AnswerReaction.objects.filter(answer=answer).count() == 2
    shown = selectors.follow_through([world.proposal.pk], member_user=trio.person.user)
    (counted, _unanswered) = shown[world.proposal.pk].requests
    assert (counted.answer.satisfied_count, counted.answer.unsatisfied_count) == (1, 1)
    assert counted.answer.mine.words == "Bien."
    assert selectors.reaction_words(answer) == ["Bien."]
    entries = AuditEntry.objects.filter(action=Action.ANSWER_REACTED).order_by("pk")
    assert [e.detail["changed"] for e in entries] == [False, True, False]


def test_the_decision_maker_and_outsiders_do_not_react(trio, world):
    first, _second = _requests(world)
    answer = _answer(world, first, A, "Oui.")
    with pytest.raises(Http404):
        access.get_answer_for_member(world.decision_maker, answer.pk)
    with pytest.raises(Http404):
        access.get_answer_for_member(UserFactory(), answer.pk)
    with pytest.raises(PermissionDenied):
        services.react_to_answer(member=None, answer=answer, satisfied=True)
    person = member_of(world.collective, trio.person.user)
    with pytest.raises(ValidationError, match="under 1,000"):
        services.react_to_answer(member=person, answer=answer, satisfied=True, words="x" * 1001)
    assert not AnswerReaction.objects.exists()


def test_the_public_page_counts_reactions_and_shows_the_common_ground(trio, world):
    user = trio.professional.user
    consultation = Consultation.objects.create(
        collective=world.collective,
        question="Qu'est-ce qui rendrait le quartier plus sûr ?",
        status=Consultation.Status.CLOSED,
        created_by=user,
    )
    shared, divided = (
        ConsultationStatement.objects.create(
            consultation=consultation, text=text, author=trio.person.user, status="accepted"
        )
        for text in ("Un passage piéton", "Moins de voitures")
    )
    for common in ([divided.pk], [shared.pk]):  # the latest computation counts
        OpinionSnapshot.objects.create(
            consultation=consultation,
            status=OpinionSnapshot.Status.DONE,
            result={"common_ground": common, "groups": []},
        )
    world.proposal.consultation = consultation
    world.proposal.save(update_fields=["consultation"])
    first, _second = _requests(world)
    answer = _answer(world, first, A, "Oui.")
    services.react_to_answer(
        member=member_of(world.collective, trio.person.user), answer=answer, satisfied=True
    )
    (shown,) = selectors.public_proposals(world.collective)
    assert shown.followed.requests[0].answer.satisfied_count == 1
    assert shown.followed.requests[0].answer.mine is None
    assert shown.common_ground == ["Un passage piéton"]
