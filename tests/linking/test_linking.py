"""Linking alliances that share a common interest, with each person's consent."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import translation

from alliance.audit.models import Action, AuditEntry
from alliance.collectives.models import Collective, CollectiveMember, MemberRole
from alliance.linking import services
from alliance.linking.matching import shared_needs
from tests.factories import UserFactory, make_alliance_trio, make_signed_charter

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def english(client, settings):
    """Pages and messages are checked in English, the source language."""
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    with translation.override("en"):
        yield


SCHOOL = "1.3.3.1"  # "… à l'école": the common interest of every trio here


def test_shared_needs_counts_other_alliances_only():
    needs = {1: {"a", "b"}, 2: {"a"}, 3: {"a", "c"}, 4: {"c"}}
    assert shared_needs(needs, 1) == {"a": 2}
    assert shared_needs(needs, 4) == {"c": 1}
    assert shared_needs(needs, 9) == {}


@pytest.fixture
def trios():
    """Three alliances of one organisation with signed charters on school life, and
    one of another organisation."""
    pro = UserFactory(professional=True, display_name="Inès Morel")
    same = [make_alliance_trio(professional=pro, title=f"Parcours-{i}-Tilleuls") for i in range(3)]
    other = make_alliance_trio(title="Ailleurs")
    for trio in [*same, other]:
        make_signed_charter(trio)
    return same, other


def test_nothing_is_shown_or_counted_before_consent(trios):
    (a, b, c), other = trios
    assert services.suggestions_for(a.parent) is None
    services.give_link_consent(ally=a.parent)
    assert services.suggestions_for(a.parent) == []  # b and c did not consent
    services.give_link_consent(ally=b.person)
    services.give_link_consent(ally=other.parent)  # another organisation: never matched
    (suggestion,) = services.suggestions_for(a.parent)
    assert (suggestion.need_code, suggestion.others, suggestion.collective) == (SCHOOL, 1, None)
    assert services.suggestions_for(c.parent) is None
    services.withdraw_link_consent(ally=b.person)
    assert services.suggestions_for(a.parent) == []
    actions = list(AuditEntry.objects.values_list("action", flat=True))
    assert Action.LINK_CONSENT_GIVEN in actions and Action.LINK_CONSENT_WITHDRAWN in actions


def test_only_the_person_or_representative_decides(trios):
    (a, _b, _c), _other = trios
    with pytest.raises(PermissionDenied):
        services.give_link_consent(ally=a.professional)
    with pytest.raises(PermissionDenied):
        services.join_linked_collective(ally=a.professional, need_code=SCHOOL)


def test_joining_starts_then_joins_one_collective_per_need(trios):
    (a, b, c), _other = trios
    with pytest.raises(ValidationError, match="First agree"):
        services.join_linked_collective(ally=a.parent, need_code=SCHOOL)
    for trio in (a, b):
        services.give_link_consent(ally=trio.parent)
    with pytest.raises(ValidationError, match="No other alliance"):
        services.join_linked_collective(ally=a.parent, need_code="1.3.2.1")
    first = services.join_linked_collective(ally=a.parent, need_code=SCHOOL)
    assert first.role == MemberRole.FACILITATOR
    assert first.collective.kind == Collective.Kind.LINKED_ALLIANCES
    second = services.join_linked_collective(ally=b.parent, need_code=SCHOOL)
    assert second.collective == first.collective and second.role == MemberRole.MEMBER
    with pytest.raises(ValidationError, match="already"):
        services.join_linked_collective(ally=b.parent, need_code=SCHOOL)
    assert CollectiveMember.objects.filter(collective=first.collective).count() == 2
    (suggestion,) = services.suggestions_for(a.parent)
    assert suggestion.joined and suggestion.collective == first.collective
    # c never consented: it is not a member and sees nothing.
    assert services.suggestions_for(c.parent) is None
    assert AuditEntry.objects.filter(action=Action.LINKED_COLLECTIVE_JOINED).count() == 2


def test_pages(client, trios):
    (a, b, _c), _other = trios
    client.force_login(a.parent.user)
    page = reverse("linking:solidarity", args=[a.alliance.pk])
    html = client.get(page).content.decode()
    assert "I agree that my alliance may be linked" in html
    assert (
        client.post(
            reverse("linking:consent", args=[a.alliance.pk]), {"consent": "yes"}
        ).status_code
        == 302
    )
    services.give_link_consent(ally=b.parent)
    html = client.get(page).content.decode()
    assert "1 other alliance shares this common interest." in html
    assert b.alliance.title not in html
    response = client.post(reverse("linking:join", args=[a.alliance.pk]), {"need_code": SCHOOL})
    assert response.status_code == 302
    client.force_login(a.professional.user)
    assert client.get(page).status_code == 403


def _queries(client, url):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_the_page_queries_do_not_grow_with_consenting_alliances(client, trios):
    (a, b, c), _other = trios
    services.give_link_consent(ally=a.parent)
    services.give_link_consent(ally=b.parent)
    client.force_login(a.parent.user)
    page = reverse("linking:solidarity", args=[a.alliance.pk])
    few = _queries(client, page)
    services.give_link_consent(ally=c.parent)
    for _ in range(3):
        more = make_alliance_trio(professional=a.professional.user, title="Encore")
        make_signed_charter(more)
        services.give_link_consent(ally=more.parent)
    assert _queries(client, page) == few <= 14
