"""The results of the demo consultations, computed at once.

A facilitator asks for the results as they would in the product; the demo then
does the worker's job itself, so that a newcomer sees the opinion map, the groups
and the common ground without starting a worker first."""

from alliance.collectives import results
from alliance.collectives.models import CollectiveMember, Consultation, MemberRole


def compute_demo_results() -> list:
    """Every consultation with votes whose latest votes are not counted yet."""
    snapshots = []
    for consultation in Consultation.objects.exclude(status=Consultation.Status.DRAFT).order_by(
        "pk"
    ):
        facilitator = (
            CollectiveMember.objects.filter(
                collective_id=consultation.collective_id,
                role=MemberRole.FACILITATOR,
                status=CollectiveMember.Status.ACTIVE,
            )
            .select_related("user", "collective")
            .order_by("pk")
            .first()
        )
        if facilitator is None or not results.results_due(consultation):
            continue
        snapshot = results.recompute_now(member=facilitator, consultation=consultation)
        if snapshot is not None:
            results.run_snapshot(snapshot.pk)  # does nothing if a backend already ran it
            snapshots.append(snapshot)
    return snapshots
