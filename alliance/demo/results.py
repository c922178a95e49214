"""The results of the demo consultations, computed at once.

A facilitator asks for the results as they would in the product; the demo then
does the worker's job itself, so that a newcomer sees the opinion map, the groups
and the common ground without starting a worker first."""

from alliance.collectives import report, results
from alliance.collectives.models import (
    CollectiveMember,
    Consultation,
    MemberRole,
    OpinionSnapshot,
)


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


# Karima's own words for the group that holds on to its parking places; the other
# group keeps the description made from its votes.
BELLEVUE_QUESTION = "Le nouveau plan de circulation du quartier"
PARKING = "Chaque foyer doit garder une place de stationnement près de chez lui."
PARKING_GROUP = (
    "Tiennent à garder leurs places de stationnement et préfèrent des ralentisseurs "
    "à des rues fermées."
)


def describe_demo_groups():
    """The Bellevue animator describes one opinion group in her own words, with the
    same use case as the page."""
    consultation = Consultation.objects.select_related("collective").get(
        question__startswith=BELLEVUE_QUESTION
    )
    karima = CollectiveMember.objects.select_related("user", "collective").get(
        collective=consultation.collective, user__demo_persona="animatrice-karima"
    )
    parking = str(consultation.statements.get(text=PARKING).pk)
    summary = (
        OpinionSnapshot.objects.filter(
            consultation=consultation, status=OpinionSnapshot.Status.DONE
        )
        .latest("finished_at", "pk")
        .result["summary"]
    )

    def agree_share(group) -> float:
        agree, _disagree, votes = summary["group_votes"][str(group["id"])].get(parking, (0, 0, 0))
        return agree / votes if votes else 0.0

    group = max(summary["groups"], key=agree_share)
    return report.describe_group(
        member=karima,
        consultation=consultation,
        group=group["id"],
        text=PARKING_GROUP,
        expected_version=0,
    )
