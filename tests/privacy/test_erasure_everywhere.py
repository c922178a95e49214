"""Done when (issue 13): a person with a full alliance history (the demo's Noé: every
movement of his alliance, a collective, a consultation statement, a proposal he
co-signed), whose erasure his mother asked; the alliance closes and its retention
ends; the job erases it and pseudonymises him. Then no page of what remains (the
other alliances, the collective, its consultations and proposals, reports), no
export and no API answer shows his name, while the trail still has every entry of
his."""

import datetime
import json
import re

import pytest
from django.core.management import call_command
from django.core.serializers.json import DjangoJSONEncoder
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone

from alliance.accounts.api_clients import grant_client_token, make_api_client
from alliance.accounts.api_tokens import make_personal_token
from alliance.accounts.models import User
from alliance.alliances.models import Alliance, Role
from alliance.audit.models import AuditEntry
from alliance.collectives import services as collectives
from alliance.collectives.models import CollectiveMember, Consultation
from alliance.privacy import archive, erasure
from alliance.privacy.retention import apply_retention
from alliance.reports.models import Proposal, ProposalStatus, Report
from alliance.reports.proposals import services as proposals
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

NAME = "Noé Martin"


def _patterns(resolver=None, prefix="", namespace=""):
    """(route name, parameter names) of every page."""
    resolver = resolver or get_resolver()
    for pattern in resolver.url_patterns:
        if isinstance(pattern, URLResolver):
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            yield from _patterns(pattern, prefix + str(pattern.pattern), inner)
        elif isinstance(pattern, URLPattern) and pattern.name:
            params = set(re.findall(r"<(?:\w+:)?(\w+)>", prefix + str(pattern.pattern)))
            yield f"{namespace}{pattern.name}", params


def _kwargs(alliance_ids=()):
    """The pages' parameters, filled from what remains (at most three of each, and
    `alliance_ids` while they exist: which three come first depends on the demo's dates)."""
    first = list(Alliance.objects.values_list("pk", flat=True)[:3])
    present = Alliance.objects.filter(pk__in=alliance_ids).values_list("pk", flat=True)
    found = [{"alliance_id": pk} for pk in dict.fromkeys([*first, *present])]
    for pk in Report.objects.values_list("pk", flat=True)[:3]:
        # The report's page and its exports (the ODS is a zip: its CSV twin says the same).
        found += [{"report_id": pk}, {"report_id": pk, "fmt": "csv"}]
    found += [{"proposal_id": pk} for pk in Proposal.objects.values_list("pk", flat=True)[:3]]
    for collective_id in CollectiveMember.objects.values_list(
        "collective_id", flat=True
    ).distinct():
        found.append({"collective_id": collective_id})
    for pk, collective_id in Consultation.objects.values_list("pk", "collective_id")[:3]:
        found.append({"collective_id": collective_id, "consultation_id": pk})
    return found


def _urls(alliance_ids=()):
    kwargs = _kwargs(alliance_ids)
    for name, params in _patterns():
        if not params or name.startswith("api"):
            continue
        for filled in kwargs:
            if set(filled) == params:
                yield reverse(name, kwargs=filled)


def _api_urls(alliance_ids=()):
    """Every API route answering GET, its parameters filled the same way."""
    kwargs = _kwargs(alliance_ids)
    for name, params in _patterns():
        if not name.startswith("api:"):
            continue
        if not params:
            yield reverse(name)
        for filled in kwargs:
            if set(filled) == params:
                yield reverse(name, kwargs=filled)


def _walk(viewer, urls, headers=None) -> tuple[int, list[str]]:
    """GETs every page as `viewer` (or every API route with `headers`): how many
    answered, and those naming him."""
    client = Client()
    if headers is None:
        client.force_login(viewer)
    read, naming = 0, []
    for url in urls:
        response = client.get(url, **(headers or {}))
        if response.status_code != 200 or response.get("Content-Type", "").startswith(
            ("application/pdf", "image/", "audio/", "application/vnd.oasis")
        ):
            continue
        read += 1
        body = b"".join(response) if response.streaming else response.content
        text = body.decode("utf-8", "replace")
        if "json" in response.get("Content-Type", ""):
            # JSON may write "é" as "\u00e9": read it as a program would.
            text = json.dumps(json.loads(text), ensure_ascii=False)
        if NAME in text:
            naming.append(url)
    return read, naming


def test_an_erased_person_is_nowhere_while_the_trail_keeps_their_entries():
    call_command("demo", stdout=None)
    noe = User.objects.get(demo_persona="personne-noe")
    lea = User.objects.get(demo_persona="parent-lea")
    alliance = Alliance.objects.get(allies__user=noe, allies__role=Role.PERSON)
    # Noé also takes part in the neighbourhood's collective: a statement, a signature.
    proposal = Proposal.objects.exclude(
        status__in=[ProposalStatus.DONE, ProposalStatus.REFUSED]
    ).first()
    facilitator = CollectiveMember.objects.filter(
        role="facilitator", collective_id=proposal.collective_id
    ).first()
    member = collectives.add_member(by=facilitator, user=noe, standing="person")
    consultation = Consultation.objects.filter(
        collective=member.collective, status=Consultation.Status.OPEN
    ).first()
    collectives.write_statement(
        member=member, consultation=consultation, text="Des trottoirs plus larges."
    )
    proposals.co_sign(member=member, proposal=proposal)
    # Before: the same walk finds his name (so the walk below can fail).
    assert _walk(facilitator.user, sorted(set(_urls([alliance.pk]))))[1]
    # And the API's walk, as his mother, who sees his alliance.
    _row, raw = make_personal_token(user=lea, name="t", scope="read", days=1)
    api_urls = sorted(set(_api_urls([alliance.pk])))
    assert _walk(lea, api_urls, {"HTTP_AUTHORIZATION": f"Bearer {raw}"})[1]
    his_entries = AuditEntry.objects.filter(actor=noe).count()
    entries = AuditEntry.objects.count()
    assert his_entries > 10

    kept = erasure.request_erasure(noe, by=lea)
    assert kept.open_alliances == 1
    Alliance.objects.filter(pk=alliance.pk).update(
        closed_at=timezone.now() - datetime.timedelta(days=6 * 366),
        keep_until=timezone.localdate() - datetime.timedelta(days=1),
    )
    counts = apply_retention()

    assert counts["alliances_erased"] == 1 and counts["accounts_pseudonymised"] >= 1
    noe.refresh_from_db()
    assert noe.display_name.startswith("Personne ")
    assert AuditEntry.objects.filter(actor=noe).count() == his_entries
    assert AuditEntry.objects.count() >= entries
    assert not any(NAME in e.actor_label or NAME in str(e.detail) for e in AuditEntry.objects.all())

    viewers = [
        User.objects.get(demo_persona=slug)
        for slug in (
            "pro-thierry",
            "personne-samir",
            "habitante-fatou",
            "animatrice-karima",
            "admin-sophie",
            "decideur-claire",
            "decideur-mairie",
        )
    ]
    urls = sorted(set(_urls([alliance.pk])))
    api_urls = sorted(set(_api_urls([alliance.pk])))
    seen = answered = 0
    for viewer in viewers:
        read, naming = _walk(viewer, urls)
        seen += read
        assert naming == [], viewer
        _row, raw = make_personal_token(user=viewer, name="t", scope="read", days=1)
        read, naming = _walk(viewer, api_urls, {"HTTP_AUTHORIZATION": f"Bearer {raw}"})
        answered += read
        assert naming == [], viewer
        # What Alliance would give the viewer in their own archive does not name him.
        assert NAME not in json.dumps(archive.collect(viewer), cls=DjangoJSONEncoder)
    assert seen > 20
    assert answered > 20
    # Nor what leaves for the DUI: the bulk FHIR export of the remaining consented
    # alliances, read by the organisation's software.
    samir = Alliance.objects.get(allies__user__demo_persona="personne-samir")
    admin = UserFactory(professional=True, organisation=samir.organisation, is_org_admin=True)
    software, _secret = make_api_client(admin=admin, name="DUI")
    token, _lifetime = grant_client_token(client=software)
    export = Client().get(
        reverse("api:fhir_organisation_export"), HTTP_AUTHORIZATION=f"Bearer {token}"
    )
    assert export.status_code == 200
    assert NAME not in b"".join(export.streaming_content).decode()
