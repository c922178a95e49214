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
