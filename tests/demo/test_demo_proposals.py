"""The demo's proposal to the town hall, built through the use cases on the days
it happened."""

import pytest
from django.utils import timezone

from alliance.audit.models import Action, AuditEntry
from alliance.collectives.models import MemberStanding
from alliance.demo.proposals import load_proposal
from alliance.reports.models import ProposalStatus
from alliance.reports.proposals import selectors
from tests.factories import UserFactory
from tests.reports.proposal_world import make_collective

pytestmark = pytest.mark.django_db


def test_the_town_hall_answers_the_neighbourhood_and_the_page_is_public():
    facilitator = UserFactory(professional=True)
    residents = [UserFactory(display_name=f"Habitant {n}") for n in range(6)]
    collective = make_collective(
        facilitator=facilitator, members=[(u, MemberStanding.RESIDENT) for u in residents]
    )

    proposal = load_proposal(collective)

    assert proposal.status == ProposalStatus.IN_PROGRESS
    assert proposal.addressee.organisation.name == "Mairie de Villeurbanne"
    assert proposal.signatures.count() == 6  # one member in five has not signed
    steps = list(proposal.events.all())
    assert [e.status for e in steps] == [
        ProposalStatus.DRAFT,
        ProposalStatus.SENT,
        ProposalStatus.ACKNOWLEDGED,
        ProposalStatus.ANSWERED,
        ProposalStatus.IN_PROGRESS,
    ]
    # Replayed on the days they happened, in order, weeks apart.
    assert [e.at for e in steps] == sorted(e.at for e in steps)
    assert (timezone.now() - steps[0].at).days >= 50
    collective.refresh_from_db()
    assert collective.public_page
    public = selectors.public_proposals(collective)
    assert [p.pk for p in public] == [proposal.pk]
    assert AuditEntry.objects.filter(action=Action.PROPOSAL_MOVED).count() == 3
    # Two requests answered differently, the third still waits; two reactions; progress
    # with its next step, its date and a public cost (ADR 0038).
    (followed,) = public
    assert [r.decision for r in followed.followed.requests] == ["partly", "accepted", ""]
    counts = [
        (r.answer.satisfied_count, r.answer.unsatisfied_count)
        for r in followed.followed.requests[:2]
    ]
    assert counts == [(0, 1), (1, 0)]
    (update,) = followed.followed.requests[1].updates
    assert (update.percentage, update.cost_shown, update.cost) == (40, True, 18500)
    assert update.next_step and update.next_step_on > timezone.localdate()


def test_in_the_demo_the_town_hall_reads_and_answers_the_neighbourhood(client):
    from django.core.management import call_command
    from django.urls import reverse

    from alliance.accounts.models import User

    call_command("demo", stdout=None)
    town_hall = User.objects.get(demo_persona="decideur-mairie")
    (proposal,) = selectors.inbox(town_hall)
    assert proposal.collective.kind == "neighbourhood"
    assert proposal.status == ProposalStatus.IN_PROGRESS
    assert proposal.signature_count > 100
    client.force_login(town_hall)
    assert client.get(reverse("proposals:received", args=[proposal.pk])).status_code == 200
    client.logout()
    public = client.get(reverse("proposals:public", args=[proposal.collective.public_key]))
    assert public.status_code == 200
    assert "Le passage piéton éclairé" in public.content.decode()
