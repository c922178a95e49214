"""Inviting from a file in the demo (issue 14, ADR 0040): Karima, who runs the
Bellevue neighbourhood, invited three more neighbours from the list the tenants'
association keeps in a spreadsheet; their invitations wait for an answer on the
members page. Built with the same use cases as the page."""

from alliance.collectives import invitation_batches
from alliance.collectives.models import Collective, MemberRole

from .clock import as_of, days_ago

# As a French spreadsheet saves it: `;` and Windows-1252. The last line repeats an
# address, and is invited once.
NEIGHBOURS = (
    "Nom;Courriel;Qualité\r\n"
    "Claire Martin;claire.martin@example.org;Habitante\r\n"
    "Yacine Benali;yacine.benali@example.org;Habitant\r\n"
    "Élodie Perrin;elodie.perrin@example.org;Proche\r\n"
    "Claire M.;Claire.Martin@example.org;\r\n"
).encode("cp1252")


def load_member_invitations(neighbourhood: Collective) -> None:
    facilitator = neighbourhood.members.select_related("collective", "user").get(
        role=MemberRole.FACILITATOR, user=neighbourhood.created_by
    )
    with as_of(days_ago(2, hour=10)):
        batch = invitation_batches.prepare_batch(
            by=facilitator,
            data=NEIGHBOURS,
            file_name="voisins-acacias.csv",
            default_standing="resident",
        )
        invitation_batches.send_batch(by=facilitator, batch=batch)
