"""Reviews (points d'étape): when they are due, who writes what, what they show."""

import datetime
import importlib
from html import unescape

import pytest
from django.apps import apps as django_apps
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from alliance.acting import reviews, selectors, services
from alliance.acting.models import Review, ReviewConclusion, ReviewPlan
from alliance.acting.reviews import ReviewState
from alliance.alliances import services as alliance_services
from alliance.alliances.models import Charter
from alliance.conflicts import ConflictError
from alliance.demo.clock import as_of, days_ago
from tests.factories import make_alliance_trio, make_signed_charter

D = datetime.date


# ---------------------------------------------------------------- pure rules


@pytest.mark.parametrize(
    ("day", "months", "expected"),
    [
        (D(2025, 1, 31), 1, D(2025, 2, 28)),
        (D(2024, 2, 29), 12, D(2025, 2, 28)),
        (D(2025, 11, 15), 12, D(2026, 11, 15)),
        (D(2025, 12, 1), 1, D(2026, 1, 1)),
    ],
)
def test_add_months_keeps_the_day_or_takes_the_months_last(day, months, expected):
    assert reviews.add_months(day, months) == expected


def test_the_next_review_is_the_planned_date_else_a_year_after_the_last_review_or_charter():
    signed, held, planned = D(2025, 3, 10), D(2026, 2, 1), D(2026, 6, 1)
    assert reviews.next_review_on(planned=None, last_review=None, first_signed=None) is None
    assert reviews.next_review_on(planned=None, last_review=None, first_signed=signed) == D(
        2026, 3, 10
    )
    assert reviews.next_review_on(planned=None, last_review=held, first_signed=signed) == D(
        2027, 2, 1
    )
    assert reviews.next_review_on(planned=planned, last_review=held, first_signed=signed) == planned


def test_states():
    today = D(2026, 5, 1)
    assert reviews.state(None, today) == ReviewState.NONE
    assert reviews.state(D(2026, 4, 30), today) == ReviewState.OVERDUE
    assert reviews.state(D(2026, 5, 31), today) == ReviewState.DUE
    assert reviews.state(D(2026, 6, 1), today) == ReviewState.LATER


# ---------------------------------------------------------------- use cases


@pytest.fixture
def signed_trio(db):
    trio = make_alliance_trio()
    with as_of(days_ago(400)):
        make_signed_charter(trio)
    return trio


@pytest.mark.django_db
def test_a_year_after_the_signature_the_review_is_overdue_and_shown_on_the_overview(
    client, signed_trio
):
    status = selectors.review_status(signed_trio.alliance)
    assert status["state"] == ReviewState.OVERDUE
    assert status["on"] == reviews.add_months(days_ago(400).date(), 12)
    client.force_login(signed_trio.parent.user)
    page = client.get(reverse("alliances:overview", args=[signed_trio.alliance.pk]))
    assert "Le point d'étape est en retard" in unescape(page.content.decode())


@pytest.mark.django_db
def test_the_next_review_date_is_never_past_nor_beyond_a_year(signed_trio):
    today = timezone.localdate()
    for bad in (today - datetime.timedelta(days=1), reviews.add_months(today, 13)):
        with pytest.raises(ValidationError):
            services.set_next_review(ally=signed_trio.person, on=bad, expected_version=0)
    assert not ReviewPlan.objects.exists()
    soon = today + datetime.timedelta(days=20)
    plan = services.set_next_review(ally=signed_trio.person, on=soon, expected_version=0)
    assert selectors.review_status(signed_trio.alliance) == {"on": soon, "state": ReviewState.DUE}
    with pytest.raises(ConflictError):  # built on the plan before it was set
        services.set_next_review(ally=signed_trio.parent, on=today, expected_version=0)
    with pytest.raises(ConflictError):
        services.set_next_review(ally=signed_trio.parent, on=today, expected_version=7)
    plan.refresh_from_db()
    assert plan.next_review_on == soon


@pytest.mark.django_db
def test_no_review_before_the_charter_is_signed():
    trio = make_alliance_trio()
    with pytest.raises(ValidationError):
        services.open_review(ally=trio.person)
    assert selectors.review_status(trio.alliance)["state"] == ReviewState.NONE


@pytest.mark.django_db
def test_a_review_looks_back_to_the_signature_and_sets_the_next_a_year_later(signed_trio):
    review = services.open_review(ally=signed_trio.professional)
    assert review.period_start == days_ago(400).date()
    assert review.due_on == reviews.add_months(days_ago(400).date(), 12)
    today = timezone.localdate()
    assert selectors.review_status(signed_trio.alliance)["on"] == reviews.add_months(today, 12)
    with pytest.raises(ValidationError):
        services.open_review(ally=signed_trio.person)  # one a day


@pytest.mark.django_db
def test_each_ally_writes_only_their_own_conclusion_and_a_stale_one_is_refused(signed_trio):
    review = services.open_review(ally=signed_trio.professional)
    person, parent = signed_trio.person, signed_trio.parent
    with pytest.raises(PermissionDenied):
        services.write_conclusion(
            ally=parent, review=review, author=person, text="À sa place.", expected_version=0
        )
    with pytest.raises(ValidationError):
        services.write_conclusion(
            ally=person, review=review, author=person, text="  ", expected_version=0
        )
    mine = services.write_conclusion(
        ally=person, review=review, author=person, text="J'aime l'école.", expected_version=0
    )
    with pytest.raises(ConflictError):
        services.write_conclusion(
            ally=person, review=review, author=person, text="Deux fois.", expected_version=0
        )
    services.write_conclusion(
        ally=person, review=review, author=person, text="Autrement.", expected_version=1
    )
    with pytest.raises(ConflictError):
        services.write_conclusion(
            ally=person, review=review, author=person, text="Vieux.", expected_version=1
        )
    mine.refresh_from_db()
    assert (mine.text, mine.version) == ("Autrement.", 2)


@pytest.mark.django_db
def test_a_review_may_open_a_new_charter_version(signed_trio):
    review = services.open_review(ally=signed_trio.professional)
    charter = alliance_services.current_charter(signed_trio.alliance)
    new = services.open_charter_version_from_review(
        ally=signed_trio.parent, review=review, expected_revision=charter.revision
    )
    assert new.number == 2 and new.status == Charter.Status.DRAFT
    review.refresh_from_db()
    assert review.charter_number == 2
    with pytest.raises(ValidationError):  # already open
        services.open_charter_version_from_review(
            ally=signed_trio.parent, review=review, expected_revision=new.revision
        )


@pytest.mark.django_db
def test_the_summary_covers_the_period_since_the_last_review(signed_trio):
    from alliance.alliances.models import StatementKind

    person, pro = signed_trio.person, signed_trio.professional
    interest = signed_trio.alliance.charters.get().interests.get().statement_id
    due = days_ago(290).date()  # computed before the clock is set back
    with as_of(days_ago(300)):
        option = services.propose_means(
            ally=pro, interest_statement_id=interest, description="Une AESH"
        )
        services.take_stance(ally=pro, option=option, value="oppose", reason="Pas de poste.")
        services.decide_means(
            ally=signed_trio.parent, option=option, consent=True, expected_version=1
        )
        done = services.plan_action(
            ally=pro, title="Appeler l'école", domain_label="Scolarité", my_role="J'appelle"
        )
        late = services.plan_action(
            ally=pro,
            title="Visiter",
            domain_label="Scolarité",
            my_role="Je conduis",
            due_date=due,
        )
        services.join_action(ally=person, action=done, role="Je viens")
        services.start_action(ally=pro, action=done, expected_version=1)
        services.finish_action(ally=pro, action=done, expected_version=2)
        alliance_services.record_position_check(
            ally=person, chooses_path="other", sets_pace="other", walks_ahead="other"
        )
        services.write_journal_entry(ally=person, happened="On a visité.")
        services.give_weather(ally=person, aim=4, way=4, heard=4, decide=4)
    with as_of(days_ago(100)):
        alliance_services.write_statement(ally=person, kind=StatementKind.GOAL, text="Lire.")
        alliance_services.record_position_check(
            ally=person, chooses_path="together", sets_pace="together", walks_ahead="together"
        )
        services.give_weather(ally=person, aim=8, way=8, heard=9, decide=7)
    review = services.open_review(ally=pro)
    summary = selectors.review_summary(review)
    # The period starts on the day of the signature, whose statements it includes.
    assert [s.text for s in summary["new_statements"]][-1] == "Lire."
    assert [d.option.description for d in summary["decisions"]] == ["Une AESH"]
    assert summary["decisions"][0].dissent[0]["reason"] == "Pas de poste."
    assert [a.title for a in summary["actions_done"]] == ["Appeler l'école"]
    assert [a.pk for a in summary["actions_late"]] == [late.pk]
    assert [e.happened for e in summary["journal"]] == ["On a visité."]
    (trend,) = summary["weather"]
    assert (trend["first"], trend["last"], trend["count"]) == (4, 8, 2)
    (row,) = summary["positions"]
    assert row["now"] == "hikers" and row["first"] != "hikers"


# ---------------------------------------------------------------- through the pages


@pytest.mark.django_db
def test_a_stale_conclusion_is_refused_with_409_and_the_words_are_kept(client, signed_trio):
    review = services.open_review(ally=signed_trio.professional)
    person = signed_trio.person
    url = reverse("acting:review_conclusion", args=[signed_trio.alliance.pk, review.pk, person.pk])
    client.force_login(person.user)
    assert client.post(url, {"text": "Premier mot.", "version": 0}).status_code == 302
    response = client.post(url, {"text": "Écrit dans un autre onglet.", "version": 0})
    assert response.status_code == 409
    page = unescape(response.content.decode())
    assert "Écrit dans un autre onglet." in page and "Premier mot." in page
    assert ReviewConclusion.objects.get(ally=person).text == "Premier mot."


@pytest.mark.django_db
def test_writing_in_someone_elses_conclusion_is_refused(client, signed_trio):
    review = services.open_review(ally=signed_trio.professional)
    url = reverse(
        "acting:review_conclusion",
        args=[signed_trio.alliance.pk, review.pk, signed_trio.person.pk],
    )
    client.force_login(signed_trio.parent.user)
    response = client.post(url, {"text": "À sa place.", "version": 0})
    assert response.status_code == 403
    assert not ReviewConclusion.objects.exists()


@pytest.mark.django_db
def test_a_review_date_in_the_past_is_refused_in_the_page(client, signed_trio):
    client.force_login(signed_trio.person.user)
    yesterday = (timezone.localdate() - datetime.timedelta(days=1)).isoformat()
    url = reverse("acting:reviews", args=[signed_trio.alliance.pk])
    response = client.post(url, {"on": yesterday, "version": 0})
    assert response.status_code == 400
    assert "Cette date est déjà passée" in unescape(response.content.decode())
    assert not ReviewPlan.objects.exists()


def test_the_days_counted_from_are_those_the_rule_maps_into_the_period():
    day = datetime.date(2023, 1, 1)
    starts = [day + datetime.timedelta(days=n) for n in range(0, 800, 3)]
    for start in [*starts, datetime.date(2024, 2, 29), datetime.date(2025, 3, 1)]:
        for length in (0, 1, 27, 90, 365):
            end = start + datetime.timedelta(days=length)
            first, last = reviews.counted_from_between(start, end)
            for n in range(-400, -300):
                signed = start + datetime.timedelta(days=n)
                due = reviews.next_review_on(planned=None, last_review=None, first_signed=signed)
                assert (first <= signed <= last) == (start <= due <= end), (start, end, signed)


def test_an_empty_period_counts_from_no_day():
    first, last = reviews.counted_from_between(datetime.date(2025, 3, 2), datetime.date(2025, 3, 1))
    assert last < first


@pytest.mark.django_db
def test_reviews_held_before_the_due_date_was_kept_are_dated_by_the_rule(signed_trio):
    migration = importlib.import_module("alliance.acting.migrations.0005_review_due_on")
    with as_of(days_ago(30)):
        first = services.open_review(ally=signed_trio.professional)
    second = services.open_review(ally=signed_trio.professional)
    Review.objects.update(due_on=None)
    migration.date_past_reviews(django_apps, None)
    first.refresh_from_db()
    second.refresh_from_db()
    assert first.due_on == reviews.add_months(days_ago(400).date(), 12)
    assert second.due_on == reviews.add_months(first.held_on, 12)
