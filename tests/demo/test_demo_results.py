"""The demo computes the results of its consultations, once."""

import pytest

from alliance.collectives.models import OpinionSnapshot
from alliance.demo.results import compute_demo_results
from tests.collectives.test_results import Place

pytestmark = pytest.mark.django_db


def test_results_are_computed_once_for_consultations_with_votes():
    place = Place(tenants=6, owners=6)
    Place(tenants=2, owners=0)  # nobody voted there: nothing to compute
    place.vote_all()
    (snapshot,) = compute_demo_results()
    snapshot.refresh_from_db()
    assert snapshot.status == OpinionSnapshot.Status.DONE
    assert sorted(g["size"] for g in snapshot.result["groups"]) == [6, 6]
    assert compute_demo_results() == []


def test_the_neighbourhood_demo_shows_tenants_and_owners_apart_with_common_ground():
    from alliance.collectives.models import Collective
    from alliance.consensus.publication import publish
    from alliance.demo.loader import load_demo

    load_demo()
    collective = Collective.objects.get(kind=Collective.Kind.NEIGHBOURHOOD)
    consultation = collective.consultations.get()
    snapshot = consultation.snapshots.filter(status=OpinionSnapshot.Status.DONE).latest(
        "finished_at"
    )
    shown = publish(snapshot.result["summary"])
    assert len(shown.groups) >= 2 and all(g.size >= 50 for g in shown.groups[:2])
    assert shown.common_ground and shown.divisive


def test_bellevue_shows_a_description_by_karima_and_easy_read_versions():
    """Karima described the group that holds on to its parking places; the other
    group keeps the generated description. She wrote the easy-read versions of the
    seeds and of the statements she accepted."""
    from alliance.collectives.models import Collective, ConsultationStatement, GroupDescription
    from alliance.demo.collectives import NEIGHBOURHOOD_STATEMENTS
    from alliance.demo.loader import load_demo
    from alliance.demo.results import PARKING, PARKING_GROUP

    load_demo()
    consultation = Collective.objects.get(kind=Collective.Kind.NEIGHBOURHOOD).consultations.get()
    (described,) = GroupDescription.objects.filter(consultation=consultation)
    assert described.text == PARKING_GROUP
    assert described.written_by.demo_persona == "animatrice-karima"
    summary = (
        consultation.snapshots.filter(status=OpinionSnapshot.Status.DONE)
        .latest("finished_at")
        .result["summary"]
    )
    parking = str(consultation.statements.get(text=PARKING).pk)
    votes = summary["group_votes"][str(described.group)][parking]
    assert votes[0] > votes[2] / 2  # most of that group agrees to keep the places
    accepted = ConsultationStatement.objects.filter(
        consultation=consultation, status=ConsultationStatement.Status.ACCEPTED
    )
    seeds = {
        text: easy for text, easy, side, *_shares in NEIGHBOURHOOD_STATEMENTS if side == "seed"
    }
    assert dict(accepted.filter(is_seed=True).values_list("text", "easy_read")) == seeds
    assert any(seeds.values())
    assert accepted.filter(is_seed=False).exclude(easy_read="").exists()
