"""The professional's caseload: only my alliances, search (case and accents aside),
filters, sorting, paging, and the same number of queries for 3 or 300 alliances."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from alliance.acting.models import Action, ReviewPlan
from alliance.alliances.models import Alliance, Ally, Role
from alliance.folding import fold
from alliance.home.caseload import Filters, Sort, caseload
from tests.factories import UserFactory, make_alliance_trio

pytestmark = pytest.mark.django_db


def build_caseload(professional, n, *, today=None):
    """`n` small alliances of `professional`, in a few bulk queries: a person in each,
    a review date and a late action in every third, a closed one in every tenth."""
    today = today or timezone.localdate()
    alliances = Alliance.objects.bulk_create(
        Alliance(
            title=f"Accompagnement {i:04d}",
            created_by=professional,
            organisation=professional.organisation,
            closed_at=timezone.now() if i % 10 == 9 else None,
        )
        for i in range(n)
    )
    people = [
        UserFactory.build(email=None, password=None, display_name=f"Personne {i:04d}")
        for i in range(n)
    ]
    for user in people:
        user.set_unusable_password()
    people = type(professional).objects.bulk_create(people)
    Ally.objects.bulk_create(
        [
            Ally(alliance=a, user=professional, role=Role.PROFESSIONAL, status=Ally.Status.ACTIVE)
            for a in alliances
        ]
        + [
            Ally(alliance=a, user=u, role=Role.PERSON, status=Ally.Status.ACTIVE)
            for a, u in zip(alliances, people, strict=True)
        ]
    )
    me = dict(Ally.objects.filter(user=professional).values_list("alliance_id", "pk"))
    ReviewPlan.objects.bulk_create(
        ReviewPlan(alliance=a, next_review_on=today + datetime.timedelta(days=(i % 7) * 20 - 40))
        for i, a in enumerate(alliances)
        if i % 3 == 0
    )
    Action.objects.bulk_create(
        Action(
            alliance=a,
            title="Appeler la MDPH",
            due_date=today - datetime.timedelta(days=3),
            domain_label="Vie sociale",
            created_by_id=me[a.pk],
        )
        for i, a in enumerate(alliances)
        if i % 3 == 1
    )
    return alliances


def test_fold_drops_case_and_accents():
    assert fold("  ÉLODIE Hélène Çà ") == "elodie helene ca"


def test_only_my_alliances_and_the_search_ignores_case_and_accents():
    trio = make_alliance_trio(title="Aller à l'école du quartier")
    mine = trio.professional.user
    make_alliance_trio(title="Une alliance d'une autre")  # another professional's
    rows = list(caseload(mine, Filters()))
    assert [r.alliance_id for r in rows] == [trio.alliance.pk]
    assert rows[0].person_name == "Léo Martin"
    for words in ("ECOLE", "école", "leo mar", "NADIA", "nadïa"):
        found = caseload(mine, Filters(q=words))
        assert [r.alliance_id for r in found] == [trio.alliance.pk]
    assert not caseload(mine, Filters(q="collège")).exists()


def test_filters_and_sorting():
    professional = UserFactory(professional=True)
    today = timezone.localdate()
    alliances = build_caseload(professional, 30, today=today)
    closed = {a.pk for i, a in enumerate(alliances) if i % 10 == 9}
    late = {a.pk for i, a in enumerate(alliances) if i % 3 == 1}

    def ids(**filters):
        return {r.alliance_id for r in caseload(professional, Filters(**filters), today)}

    assert ids(status="closed") == closed
    assert ids(status="open") == {a.pk for a in alliances} - closed
    assert ids(late=True) == late
    plans = dict(ReviewPlan.objects.values_list("alliance_id", "next_review_on"))
    assert ids(review="overdue") == {pk for pk, on in plans.items() if on < today}
    assert ids(review="soon") == {
        pk for pk, on in plans.items() if today <= on <= today + datetime.timedelta(days=30)
    }
    assert ids(quiet_days=30) == set()  # everything was created just now
    assert ids(role="relative") == set()
    by_late = list(caseload(professional, Filters(sort=Sort.LATE_ACTIONS), today))
    assert by_late[0].late_actions == 1 and by_late[-1].late_actions == 0
    by_review = [r.next_review for r in caseload(professional, Filters(sort=Sort.NEXT_REVIEW))]
    dated = [d for d in by_review if d is not None]
    assert dated == sorted(dated) and by_review[-1] is None


def test_the_page_pages_by_25_and_keeps_the_filters(client):
    professional = UserFactory(professional=True)
    build_caseload(professional, 60)
    client.force_login(professional)
    response = client.get(reverse("caseload:list"), {"q": "accompagnement", "page": 2})
    assert response.status_code == 200
    content = response.content.decode()
    assert content.count("<tr>") == 26  # the header and 25 rows
    assert "q=accompagnement&amp;page=3" in content
    assert 'aria-current="page"' in content


def test_bad_input_is_a_400_with_the_form(client):
    professional = UserFactory(professional=True)
    client.force_login(professional)
    response = client.get(reverse("caseload:list"), {"status": "archived", "quiet": "7"})
    assert response.status_code == 400
    assert 'class="error-summary"' in response.content.decode()


def test_persons_and_relatives_keep_their_home(client):
    trio = make_alliance_trio()
    client.force_login(trio.person.user)
    assert client.get(reverse("caseload:list")).status_code == 403


def _queries(client, professional):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(
            reverse("caseload:list"), {"q": "a", "late": "on", "sort": "activity", "page": "1"}
        )
    assert response.status_code == 200
    return len(queries)


def test_the_same_queries_for_3_or_300_alliances(client):
    few, many = UserFactory(professional=True), UserFactory(professional=True)
    build_caseload(few, 3)
    build_caseload(many, 300)
    client.force_login(few)
    small = _queries(client, few)
    client.force_login(many)
    assert _queries(client, many) == small
    # The session, its user, its check (sign-outs elsewhere), the second factor's
    # device, the unread notifications of the header; then the count and the page.
    assert small <= 7
