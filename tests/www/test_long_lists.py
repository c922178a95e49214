"""Long lists of movement 3 on a phone (issue 12): a neighbourhood's hundreds of
members are found by name, role or how they take part, fifty a page, each with its
actions one tap away; a request's hundreds of co-signers are counted by kind first,
then listed fifty a page. Each page costs the same number of queries with a handful
or with more than three hundred."""

import re

import pytest
from django.urls import reverse
from django.utils import translation

from alliance.accounts.models import User
from alliance.collectives.models import CollectiveMember, MemberRole, MemberStanding
from alliance.reports.models import CoSignature
from alliance.reports.proposals import services as proposals
from tests.collectives.factories import make_circle
from tests.factories import make_alliance_trio
from tests.reports.proposal_world import make_world, member_of

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def english(client, settings):
    """Pages are read in the source language (the language switch's cookie)."""
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    with translation.override("en"):
        yield


ROW = re.compile(r'<li class="member-row">')


def _add_members(collective, n, *, standing=MemberStanding.RESIDENT, prefix="Voisin"):
    """`n` more active members, written straight to the tables: the use cases that
    add members have their own tests, and three hundred of them would take minutes."""
    users = User.objects.bulk_create(
        User(email=f"{prefix.lower()}{i}@example.org", display_name=f"{prefix} {i:03d}")
        for i in range(n)
    )
    CollectiveMember.objects.bulk_create(
        CollectiveMember(collective=collective, user=user, standing=standing) for user in users
    )


def _usual(client, user):
    client.force_login(user)
    session = client.session
    session["reading_mode"] = "standard"
    session.save()
    return client


def _easy(client, user):
    client.force_login(user)
    session = client.session
    session["reading_mode"] = "easy"
    session.save()
    return client


def _queries(client, url, django_assert_max_num_queries):
    assert client.get(url).status_code == 200
    with django_assert_max_num_queries(40) as captured:
        assert client.get(url).status_code == 200
    return len(captured.captured_queries)


@pytest.fixture
def crowd():
    """A neighbourhood: its facilitator and 3 members (each test adds its crowd)."""
    return make_circle(members=3, seeds=0)


def test_the_members_page_shows_fifty_compact_rows_and_pages_the_rest(client, crowd):
    _add_members(crowd.collective, 310)
    url = reverse("collectives:detail", args=[crowd.collective.pk])
    html = _usual(client, crowd.facilitator.user).get(url).content.decode()
    assert len(ROW.findall(html)) == 50
    assert 'Members <span class="count">(314)</span>' in html
    assert "Resident: 313" in html and "Professional: 1" in html
    assert "page 1 of 7" in html
    # Each member's action is one tap away, inside a disclosure named after them (the
    # facilitator, on the first page by name, has none).
    assert html.count('<details class="member-actions">') == 49
    assert 'rel="next" href="?page=2#members"' in html
    last = _usual(client, crowd.facilitator.user).get(url, {"page": 7}).content.decode()
    assert len(ROW.findall(last)) == 314 - 6 * 50
    assert 'rel="prev" href="?page=6#members"' in last


def test_members_are_found_by_name_role_and_standing(client, crowd):
    _add_members(crowd.collective, 60)
    _add_members(crowd.collective, 4, standing=MemberStanding.RELATIVE, prefix="Proche")
    url = reverse("collectives:detail", args=[crowd.collective.pk])
    client = _usual(client, crowd.members[0].user)

    html = client.get(url, {"name": "voisin 01"}).content.decode()
    assert "10 members found" in html  # Voisin 010 … Voisin 019
    assert len(ROW.findall(html)) == 10

    html = client.get(url, {"standing": "relative"}).content.decode()
    assert "4 members found" in html and "Proche 003" in html and "Voisin 001" not in html

    html = client.get(url, {"role": MemberRole.FACILITATOR}).content.decode()
    assert "1 member found" in html and crowd.facilitator.user.display_name in html

    html = client.get(url, {"name": "personne ici"}).content.decode()
    assert "No member matches this search." in html

    # An address that is not a search is not an error: the whole list, first page.
    response = client.get(url, {"role": "boss", "standing": "x" * 500, "page": "zzz"})
    assert response.status_code == 200
    assert len(ROW.findall(response.content.decode())) == 50


def test_the_easy_members_list_is_paged_and_found_by_name(client, crowd):
    _add_members(crowd.collective, 120)
    url = reverse("collectives:detail", args=[crowd.collective.pk])
    client = _easy(client, crowd.facilitator.user)
    html = client.get(url).content.decode()
    assert "The 124 members of the group" in html
    assert len(ROW.findall(html)) == 50
    # A facilitator lets someone lead the group from their line, not from a second list
    # of every member.
    assert html.count("leads the group too") == 49  # all but the facilitator
    found = client.get(url, {"name": "Voisin 007"}).content.decode()
    assert '<details class="more" id="members" open>' in found
    assert len(ROW.findall(found)) == 1


def test_the_members_page_costs_the_same_for_3_or_313_members(
    client, django_assert_max_num_queries
):
    small, large = make_circle(members=3, seeds=0), make_circle(members=3, seeds=0)
    _add_members(large.collective, 310)
    for reading in (_usual, _easy):
        for who in ("facilitator", "member"):
            counts = []
            for circle in (small, large):
                user = circle.facilitator.user if who == "facilitator" else circle.members[0].user
                url = reverse("collectives:detail", args=[circle.collective.pk])
                counts.append(_queries(reading(client, user), url, django_assert_max_num_queries))
                counts.append(
                    _queries(
                        reading(client, user), url + "?name=a&page=2", django_assert_max_num_queries
                    )
                )
            assert counts[0] == counts[2] and counts[1] == counts[3], (reading, who, counts)


# ------------------------------------------------------------------ co-signers


def _signed_by(world, n, *, professionals=0):
    """`n` co-signatures (the first `professionals` by professionals), written straight
    to the table for the same reason as above."""
    users = User.objects.bulk_create(
        User(
            email=f"signe{i}-{world.proposal.pk}@example.org",
            display_name=f"Signataire {i:03d}",
            kind=User.Kind.PROFESSIONAL if i < professionals else User.Kind.INDIVIDUAL,
        )
        for i in range(n)
    )
    CollectiveMember.objects.bulk_create(
        CollectiveMember(collective=world.collective, user=user) for user in users
    )
    CoSignature.objects.bulk_create(
        CoSignature(proposal=world.proposal, signatory=user, signed_by=user) for user in users
    )


def test_co_signers_are_counted_by_kind_then_listed_fifty_a_page(client):
    trio = make_alliance_trio()
    world = make_world(trio)
    _signed_by(world, 240, professionals=3)
    me = member_of(world.collective, trio.person.user)
    proposals.co_sign(member=me, proposal=world.proposal)
    # The representative signs for the person they represent: counted apart.
    url = reverse("proposals:detail", args=[world.proposal.pk])
    html = _usual(client, trio.parent.user).get(url).content.decode()
    assert "241 co-signatures" in html
    assert "238 persons, relatives or residents · 3 professionals" in html
    assert html.count('<li class="signer-row">') == 50
    assert "page 1 of 5" in html
    assert 'href="?signers=2#signers"' in html
    last = _usual(client, trio.parent.user).get(url, {"signers": 5}).content.decode()
    assert last.count('<li class="signer-row">') == 41
    assert '<details class="signers" id="signers" open>' in last

    easy = _easy(client, trio.person.user).get(url).content.decode()
    assert "241 people signed it." in easy
    assert easy.count('<li class="signer-row">') == 50
    assert "I signed this request." in easy


def test_a_legal_representative_signing_for_someone_is_counted_as_such(client):
    trio = make_alliance_trio(person_is_protected=True)
    world = make_world(trio)
    parent = member_of(world.collective, trio.parent.user)
    proposals.co_sign(member=parent, proposal=world.proposal, signatory=trio.person.user)
    url = reverse("proposals:detail", args=[world.proposal.pk])
    html = _usual(client, trio.parent.user).get(url).content.decode()
    assert "1 signed by a legal representative" in html


def test_the_proposal_page_costs_the_same_for_3_or_300_co_signers(
    client, django_assert_max_num_queries
):
    worlds = []
    for n in (3, 300):
        trio = make_alliance_trio()
        world = make_world(trio)
        _signed_by(world, n, professionals=2)
        worlds.append((trio, world))
    for reading in (_usual, _easy):
        counts = [
            _queries(
                reading(client, trio.parent.user),
                reverse("proposals:detail", args=[world.proposal.pk]) + "?signers=2",
                django_assert_max_num_queries,
            )
            for trio, world in worlds
        ]
        assert counts[0] == counts[1], (reading, counts)


# ------------------------------------------------------------------ a form's words


def test_the_proposal_form_shows_each_interest_in_its_words(client):
    from alliance.collectives.models import CollectiveInterest

    trio = make_alliance_trio()
    world = make_world(trio)
    CollectiveInterest.objects.create(
        collective=world.collective,
        text="Des rues sûres pour aller à pied à l'école",
        adopted_by=trio.professional.user,
    )
    url = reverse("proposals:collective", args=[world.collective.pk])
    html = _usual(client, trio.professional.user).get(url).content.decode()
    assert "Des rues sûres pour aller à pied à l&#x27;école" in html
    assert "CollectiveInterest object" not in html
    assert not re.search(r">\s*None\s*<", html)


# ------------------------------------------------------------------ statements


def test_a_consultation_lists_its_statements_fifty_a_page(client, django_assert_max_num_queries):
    small, large = make_circle(members=2, seeds=3), make_circle(members=2, seeds=70)
    url = reverse("collectives:consultation", args=[large.collective.pk, large.consultation.pk])
    html = _usual(client, large.members[0].user).get(url).content.decode()
    assert 'Statements open to votes <span class="count">(70)</span>' in html
    assert html.count("Not voted yet") == 50
    assert 'href="?page=2#statements"' in html
    second = client.get(url, {"page": 2}).content.decode()
    assert second.count("Not voted yet") == 20
    easy = _easy(client, large.members[0].user).get(url, {"page": 2}).content.decode()
    assert easy.count("I have not voted yet.") == 20
    assert '<details class="more" id="statements" open>' in easy
    for reading in (_usual, _easy):
        counts = [
            _queries(
                reading(client, circle.members[0].user),
                reverse(
                    "collectives:consultation", args=[circle.collective.pk, circle.consultation.pk]
                ),
                django_assert_max_num_queries,
            )
            for circle in (small, large)
        ]
        assert counts[0] == counts[1], (reading, counts)
