"""The DUI link on the alliance's pages: the person (or their legal representative)
agrees or stops, every ally sees where it stands, and the bundle downloads only while
the agreement holds, its fingerprint in the trail."""

import json
from html import unescape

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from alliance.alliances import services as alliance_services
from alliance.alliances.models import Role
from alliance.audit.models import Action, AuditEntry
from alliance.conflicts import ConflictError
from alliance.interop import services
from alliance.interop.fhir.export import alliance_bundle, bundle_bytes, sha256
from alliance.interop.models import DuiConsent
from tests.factories import make_alliance_trio, make_signed_charter

pytestmark = pytest.mark.django_db


@pytest.fixture
def trio():
    trio = make_alliance_trio()
    make_signed_charter(trio)
    return trio


def _text(response):
    return unescape(response.content.decode())


def _new(before, action):
    return list(AuditEntry.objects.exclude(pk__in=before).filter(action=action))


def test_the_person_agrees_then_stops_through_the_page_each_step_in_the_trail(client, trio):
    url = reverse("interop:dui", args=[trio.alliance.pk])
    client.force_login(trio.person.user)
    before = set(AuditEntry.objects.values_list("pk", flat=True))
    response = client.post(reverse("interop:give", args=[trio.alliance.pk]))
    assert response.status_code == 302 and response["Location"] == url
    consent = DuiConsent.objects.get()
    assert consent.is_active and consent.given_by == trio.person
    [given] = _new(before, Action.DUI_CONSENT_GIVEN)
    assert (given.actor_id, given.alliance_id) == (trio.person.user_id, trio.alliance.pk)

    response = client.post(reverse("interop:withdraw", args=[trio.alliance.pk]))
    assert response.status_code == 302
    consent.refresh_from_db()
    assert not consent.is_active and consent.withdrawn_by == trio.person
    [withdrawn] = _new(before, Action.DUI_CONSENT_WITHDRAWN)
    assert withdrawn.actor_id == trio.person.user_id
    # Stopped: the person may agree again, from the easy-read page they read.
    page = _text(client.get(url))
    assert reverse("interop:give", args=[trio.alliance.pk]) in page
    assert 'class="easy-back"' in page


def test_other_allies_see_whether_it_is_shared_but_cannot_decide(client, trio):
    services.give_dui_consent(ally=trio.parent)
    client.force_login(trio.professional.user)
    page = _text(client.get(reverse("interop:dui", args=[trio.alliance.pk])))
    assert "Nadia Martin" in page
    assert reverse("interop:withdraw", args=[trio.alliance.pk]) not in page
    assert client.post(reverse("interop:withdraw", args=[trio.alliance.pk])).status_code == 403
    with pytest.raises(PermissionDenied):
        services.withdraw_dui_consent(ally=trio.professional)
    assert DuiConsent.objects.get().is_active


def test_a_second_agreement_or_a_second_stop_is_a_conflict(client, trio):
    services.give_dui_consent(ally=trio.person)
    client.force_login(trio.parent.user)
    response = client.post(reverse("interop:give", args=[trio.alliance.pk]))
    assert response.status_code == 409
    assert DuiConsent.objects.count() == 1
    services.withdraw_dui_consent(ally=trio.parent)
    with pytest.raises(ConflictError):
        services.withdraw_dui_consent(ally=trio.person)


def test_a_curator_does_not_speak_for_the_person(trio):
    # Still approved, but a curateur assists: the person decides (ADR 0009).
    trio.parent.mandate_kind = "curatelle"
    trio.parent.save(update_fields=["mandate_kind"])
    assert trio.parent.is_active
    with pytest.raises(PermissionDenied):
        services.give_dui_consent(ally=trio.parent)


def test_the_export_waits_for_the_agreement_then_downloads_with_its_hash_in_the_trail(client, trio):
    url = reverse("interop:export", args=[trio.alliance.pk])
    client.force_login(trio.professional.user)
    refused = client.get(url)
    assert refused.status_code == 403
    assert "Content-Disposition" not in refused
    assert reverse("interop:dui", args=[trio.alliance.pk]) in _text(refused)

    services.give_dui_consent(ally=trio.person)
    before = set(AuditEntry.objects.values_list("pk", flat=True))
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/fhir+json")
    assert response["Content-Disposition"].startswith("attachment;")
    assert "no-store" in response["Cache-Control"]
    assert response.content == bundle_bytes(alliance_bundle(trio.alliance))
    assert json.loads(response.content)["type"] == "transaction"
    [read] = _new(before, Action.ALLIANCE_VIEWED)
    assert read.detail == {"page": "dui_export", "sha256": sha256(response.content)}

    services.withdraw_dui_consent(ally=trio.person)
    assert client.get(url).status_code == 403


def test_a_relative_sees_the_page_but_never_exports(client, trio):
    relative = alliance_services.invite_ally(
        inviter=trio.professional, display_name="Tante Zoé", role=Role.RELATIVE
    )
    alliance_services.accept_invitation(ally=relative)
    alliance_services.decide_on_ally(approver=trio.parent, ally=relative, approve=True)
    services.give_dui_consent(ally=trio.person)
    client.force_login(relative.user)
    assert client.get(reverse("interop:dui", args=[trio.alliance.pk])).status_code == 200
    assert client.get(reverse("interop:export", args=[trio.alliance.pk])).status_code == 403


def test_a_closed_alliance_may_stop_sharing_but_not_start(client, trio):
    services.give_dui_consent(ally=trio.person)
    trio.alliance.closed_at = trio.alliance.created_at
    trio.alliance.save(update_fields=["closed_at"])
    client.force_login(trio.person.user)
    assert client.post(reverse("interop:withdraw", args=[trio.alliance.pk])).status_code == 302
    assert client.post(reverse("interop:give", args=[trio.alliance.pk])).status_code == 403
    assert not DuiConsent.objects.filter(withdrawn_at__isnull=True).exists()


def test_the_easy_page_says_yes_or_stop_to_the_person(client, trio):
    client.force_login(trio.person.user)
    services.give_dui_consent(ally=trio.person)
    page = _text(client.get(reverse("interop:dui", args=[trio.alliance.pk])))
    assert reverse("interop:withdraw", args=[trio.alliance.pk]) in page
    assert 'class="easy-back"' in page
    # The professional reads the standard page, with the download.
    client.force_login(trio.professional.user)
    page = _text(client.get(reverse("interop:dui", args=[trio.alliance.pk])))
    assert reverse("interop:export", args=[trio.alliance.pk]) in page
    assert 'class="easy-back"' not in page
