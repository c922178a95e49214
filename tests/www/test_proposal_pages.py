"""Proposal pages: what each audience sees (members see who signed; the decision
maker and the public see counts, never a name nor an alliance), bad input through
the views, and a fixed number of queries per page whatever the data size."""

from html import unescape

import pytest
from django.urls import reverse
from django.utils import translation

from alliance.alliances.models import Role
from alliance.alliances.services import invite_ally
from alliance.collectives.models import CollectiveInterest, CollectiveMember, MemberStanding
from alliance.reports.models import ProposalEvent, ProposalStatus
from alliance.reports.proposals import services
from alliance.www.reading import SESSION_KEY, STANDARD
from tests.factories import UserFactory, make_alliance_trio
from tests.reports.proposal_world import make_world, member_of

from .scene import ALLIANCE_AREAS
from .test_permission_matrix import TABLE

pytestmark = pytest.mark.django_db
S = ProposalStatus


@pytest.fixture(autouse=True)
def english(client, settings):
    """Pages and messages are read in the source language (the language switch's cookie)."""
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    with translation.override("en"):
        yield


def _page(response):
    return unescape(response.content.decode())


@pytest.fixture
def trio():
    return make_alliance_trio()


@pytest.fixture
def world(trio):
    """A sent proposal, co-signed by the person (through their representative) and the
    professional, joined by the trio's alliance, with the common interest it rests on."""
    world = make_world(trio, with_report=True)
    parent = member_of(world.collective, trio.parent.user)
    services.co_sign(member=parent, proposal=world.proposal, signatory=trio.person.user)
    services.co_sign(member=world.facilitator, proposal=world.proposal)
    services.join_with_alliance(ally=trio.parent, member=parent, proposal=world.proposal)
    interest = CollectiveInterest.objects.create(
        collective=world.collective, text="Des trajets sûrs", adopted_by=trio.professional.user
    )
    world.proposal.interests.add(interest)
    return world


def _names(trio):
    return [ally.user.display_name for ally in trio.allies]


# ---------------------------------------------------------------- who sees what


def usual_pages(client):
    """The person reads the easy-read pages by default (issue 11): these tests read
    the usual ones (the easy-read ones: tests/www/test_easy_collectives.py)."""
    session = client.session
    session[SESSION_KEY] = STANDARD
    session.save()


def test_members_see_who_signed_and_on_whose_behalf(client, trio, world):
    client.force_login(trio.person.user)
    usual_pages(client)
    page = _page(client.get(reverse("proposals:detail", args=[world.proposal.pk])))
    assert trio.person.user.display_name in page
    assert f"signed by {trio.parent.user.display_name}, legal representative" in page
    assert "2 co-signatures" in page and "1 alliance stands behind it." in page
    assert "Des trajets sûrs" in page
    # The professional may open the attached report; the person sees only what it covers.
    report_url = reverse("reports:detail", args=[world.proposal.report_id])
    assert f'href="{report_url}"' not in page
    assert world.proposal.report.scope_label in page
    client.force_login(trio.professional.user)
    page = _page(client.get(reverse("proposals:detail", args=[world.proposal.pk])))
    assert f'href="{report_url}"' in page


def test_the_decision_maker_sees_counts_never_a_name_nor_an_alliance(client, trio, world):
    client.force_login(world.decision_maker)
    for url in (
        reverse("proposals:inbox"),
        reverse("proposals:received", args=[world.proposal.pk]),
    ):
        page = _page(client.get(url))
        assert world.proposal.title in page
        for name in _names(trio):
            assert name not in page
        assert trio.alliance.title not in page
    assert "2 co-signatures (1 professional)" in page
    assert "1 alliance stands behind it" in page
    assert "Des trajets sûrs" in page  # the evidence, as words
    report_url = reverse("reports:detail", args=[world.proposal.report_id])
    assert f'href="{report_url}"' in page
    assert client.get(report_url).status_code == 200


def test_the_public_page_has_no_personal_data_and_needs_no_sign_in(client, trio, world):
    services.move_proposal(
        user=world.decision_maker,
        proposal=world.proposal,
        status=S.ANSWERED,
        words="Un passage piéton sera tracé.",
        expected_version=world.proposal.version,
    )
    draft = services.write_proposal(
        member=world.facilitator,
        title="Un brouillon pas encore envoyé",
        text="Rien.",
        addressee=world.decision_maker,
    )
    response = client.get(reverse("proposals:public", args=[world.collective.public_key]))
    assert response.status_code == 200
    page = _page(response)
    assert world.proposal.title in page and "Un passage piéton sera tracé." in page
    assert "2 co-signatures" in page
    assert draft.title not in page
    for name in [*_names(trio), world.decision_maker.display_name]:
        assert name not in page
    assert trio.alliance.title not in page
    assert world.decision_maker.job_title in page  # the office, not the person


def test_a_collective_without_a_public_page_has_none(client, trio):
    world = make_world(trio, public=False)
    response = client.get(reverse("proposals:public", args=[world.collective.public_key]))
    assert response.status_code == 404


def test_the_decision_maker_never_reaches_an_alliance_or_a_consultation():
    """Every alliance page, and every page of a consultation, refuses the decision
    maker in the permission matrix, whatever page is added later."""
    areas = (*ALLIANCE_AREAS, "collectives:")
    guarded = {n: m for n, m in TABLE.items() if n.startswith(areas) and n != "alliances:create"}
    assert guarded
    for name, methods in guarded.items():
        for rule in methods.values():
            assert rule["decision_maker"] in (403, 404), name
    for name in ("proposals:collective", "proposals:detail"):
        assert TABLE[name]["get"]["decision_maker"] == 404


def test_a_decision_maker_does_not_see_a_proposal_sent_to_another(client, world):
    other = UserFactory(decision_maker=True)
    client.force_login(other)
    assert client.get(reverse("proposals:received", args=[world.proposal.pk])).status_code == 404
    assert world.proposal.title not in _page(client.get(reverse("proposals:inbox")))


# ---------------------------------------------------------------- bad input through the views


def test_signing_twice_through_the_page_is_refused_with_a_clear_message(client, trio, world):
    client.force_login(trio.professional.user)
    response = client.post(reverse("proposals:co_sign", args=[world.proposal.pk]), {})
    assert response.status_code == 400
    assert "You have already signed this proposal." in _page(response)
    assert world.proposal.signatures.count() == 2


def test_signing_for_someone_one_does_not_represent_is_refused(client, trio, world):
    relative = invite_ally(inviter=trio.parent, display_name="Sami", role=Role.RELATIVE)
    CollectiveMember.objects.create(
        collective=world.collective, user=relative.user, standing=MemberStanding.RELATIVE
    )
    client.force_login(relative.user)
    response = client.post(
        reverse("proposals:co_sign", args=[world.proposal.pk]),
        {"signatory": trio.parent.user_id},
    )
    assert response.status_code == 400
    assert "You sign for yourself" in _page(response)
    assert world.proposal.signatures.count() == 2


def test_an_empty_proposal_is_refused_through_the_page(client, trio, world):
    client.force_login(trio.person.user)
    count = world.collective.proposals.count()
    response = client.post(
        reverse("proposals:collective", args=[world.collective.pk]),
        {"title": "  ", "text": "", "addressee": world.decision_maker.pk},
    )
    assert response.status_code == 400
    assert "Something needs fixing" in _page(response)
    assert world.collective.proposals.count() == count


def test_a_step_out_of_order_is_refused_through_the_page(client, world):
    services.move_proposal(
        user=world.decision_maker,
        proposal=world.proposal,
        status=S.ANSWERED,
        words="Oui, au printemps.",
        expected_version=world.proposal.version,
    )
    client.force_login(world.decision_maker)
    world.proposal.refresh_from_db()
    response = client.post(
        reverse("proposals:received", args=[world.proposal.pk]),
        {"status": S.ACKNOWLEDGED, "words": "", "version": world.proposal.version},
    )
    assert response.status_code == 400
    assert "the timeline only goes forward" in _page(response)
    world.proposal.refresh_from_db()
    assert world.proposal.status == S.ANSWERED


def test_a_second_answer_at_once_gets_409_and_keeps_its_words(client, world):
    url = reverse("proposals:received", args=[world.proposal.pk])
    version = world.proposal.version
    client.force_login(world.decision_maker)
    first = client.post(url, {"status": S.ANSWERED, "words": "Oui.", "version": version})
    assert first.status_code == 302
    second = client.post(
        url, {"status": S.IN_PROGRESS, "words": "Mes mots à garder.", "version": version}
    )
    assert second.status_code == 409
    page = _page(second)
    assert "Mes mots à garder." in page and "someone answered first" in page
    assert list(
        ProposalEvent.objects.filter(proposal=world.proposal)
        .exclude(status__in=[S.DRAFT, S.SENT])
        .values_list("words", flat=True)
    ) == ["Oui."]


def test_an_answer_by_someone_else_through_the_page_finds_nothing(client, trio, world):
    for user in (UserFactory(decision_maker=True), trio.professional.user):
        client.force_login(user)
        response = client.post(
            reverse("proposals:received", args=[world.proposal.pk]),
            {"status": S.ANSWERED, "words": "Oui.", "version": world.proposal.version},
        )
        assert response.status_code == 404
    assert not world.proposal.events.filter(status=S.ANSWERED).exists()


# ---------------------------------------------------------------- query counts

# The follow-through (ADR 0038) adds its requests, answers with their reaction counts
# and progress: three queries, four on the members' page (the member's own reactions).
CEILING = {"collective": 10, "detail": 20, "inbox": 6, "received": 13, "public": 11}


def _grow(world, trio, n):
    """n more proposals and n more co-signing members, answered a few times each."""
    for i in range(n):
        user = UserFactory(professional=(i % 2 == 0), display_name=f"Membre {i}")
        member = CollectiveMember.objects.create(
            collective=world.collective, user=user, standing=MemberStanding.RESIDENT
        )
        member = member_of(world.collective, user)
        services.co_sign(member=member, proposal=world.proposal)
        extra = services.write_proposal(
            member=world.facilitator,
            title=f"Proposition {i}",
            text="Encore une idée.",
            addressee=world.decision_maker,
        )
        services.co_sign(member=member, proposal=extra)
        services.send_proposal(member=world.facilitator, proposal=extra)
        extra.refresh_from_db()
        services.move_proposal(
            user=world.decision_maker,
            proposal=extra,
            status=S.ANSWERED,
            words=f"Réponse {i}.",
            expected_version=extra.version,
        )
    world.proposal.refresh_from_db()


def _pages(world, trio):
    pk = world.proposal.pk
    return [
        (
            "collective",
            trio.person.user,
            reverse("proposals:collective", args=[world.collective.pk]),
        ),
        ("detail", trio.parent.user, reverse("proposals:detail", args=[pk])),
        ("inbox", world.decision_maker, reverse("proposals:inbox")),
        ("received", world.decision_maker, reverse("proposals:received", args=[pk])),
        ("public", None, reverse("proposals:public", args=[world.collective.public_key])),
    ]


def _count(client, user, url, django_assert_max_num_queries, ceiling):
    client.logout()
    if user is not None:
        client.force_login(user)
    assert client.get(url).status_code == 200
    with django_assert_max_num_queries(ceiling) as captured:
        assert client.get(url).status_code == 200
    return len(captured.captured_queries)


def test_each_proposal_page_costs_the_same_for_1_or_12_proposals(
    client, django_assert_max_num_queries
):
    counts = {}
    for n in (0, 11):
        trio = make_alliance_trio(title=f"Alliance {n}")
        world = make_world(trio, decision_maker=UserFactory(decision_maker=True), with_report=True)
        parent = member_of(world.collective, trio.parent.user)
        services.co_sign(member=parent, proposal=world.proposal, signatory=trio.person.user)
        _grow(world, trio, n)
        for page, user, url in _pages(world, trio):
            used = _count(client, user, url, django_assert_max_num_queries, CEILING[page])
            counts.setdefault(page, []).append(used)
    for page, (small, large) in counts.items():
        assert small == large, (page, counts)
    print(counts)
