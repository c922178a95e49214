"""The results side: recomputation in the background, export, adopted interests."""

import importlib
import json
from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone, translation

from alliance.alliances.needs import suggest_need
from alliance.audit.models import Action, AuditEntry
from alliance.collectives import results, services
from alliance.collectives.models import (
    CollectiveInterest,
    ConsultationStatement,
    ConsultationVote,
    OpinionPlace,
    OpinionSnapshot,
)
from alliance.consensus.opinion_groups import compute
from alliance.consensus.polis import read_export
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def english():
    """Messages are checked in English, the source language."""
    with translation.override("en"):
        yield


SEEDS = [
    "Moins de voitures devant l'école",
    "Des trottoirs larges et sûrs",
    "Garder des places de stationnement",
    "Le bus doit passer plus souvent",
    "Une zone à 30 km/h dans tout le quartier",
    "Les livraisons des commerces passent avant tout",
    "Un parking pour les riverains",
    "Des pistes cyclables séparées",
]
# Tenants agree with 0, 1, 3, 4, 7 and reject 2, 5, 6; owners the opposite on
# 2, 5, 6 and 4, 7; everyone agrees with 0 and 1 (the common ground).
TENANT = {0: 1, 1: 1, 2: -1, 3: 1, 4: 1, 5: -1, 6: -1, 7: 1}
OWNER = {0: 1, 1: 1, 2: 1, 3: 0, 4: -1, 5: 1, 6: 1, 7: -1}


class Place:
    def __init__(self, tenants=6, owners=6):
        creator = UserFactory(professional=True, display_name="Farida Animatrice")
        self.collective = services.create_collective(
            creator=creator, name="Quartier des Tilleuls", kind="neighbourhood"
        )
        self.facilitator = self.collective.members.get()
        self.tenants = [self.add(f"Locataire {i}") for i in range(tenants)]
        self.owners = [self.add(f"Propriétaire {i}") for i in range(owners)]
        consultation = services.create_consultation(
            by=self.facilitator, question="Le nouveau plan de circulation ?", seed_statements=SEEDS
        )
        self.consultation = services.open_consultation(
            by=self.facilitator, consultation=consultation, expected_version=consultation.version
        )
        self.statements = list(
            self.consultation.statements.filter(status=ConsultationStatement.Status.ACCEPTED)
        )

    def add(self, name):
        member = services.add_member(by=self.facilitator, display_name=name)
        return member

    def vote(self, member, pattern):
        services.cast_votes(
            member=member,
            consultation=self.consultation,
            values={self.statements[i].pk: v for i, v in pattern.items()},
        )

    def vote_all(self):
        for m in self.tenants:
            self.vote(m, TENANT)
        for m in self.owners:
            self.vote(m, OWNER)


def groups_of(snapshot) -> dict:
    """{pseudonym: group} of a snapshot's places."""
    return dict(snapshot.places.values_list("participant", "group"))


def done(consultation):
    """The finished full computations (the live row of each is another row)."""
    return OpinionSnapshot.objects.filter(
        consultation=consultation,
        status=OpinionSnapshot.Status.DONE,
        kind=OpinionSnapshot.Kind.FULL,
    )


def test_recompute_now_computes_groups_common_ground_and_pseudonyms():
    place = Place()
    place.vote_all()
    snapshot = results.recompute_now(member=place.facilitator, consultation=place.consultation)
    snapshot.refresh_from_db()
    assert snapshot.status == OpinionSnapshot.Status.DONE and snapshot.progress == 100
    assert snapshot.votes_counted == 12 * 8 and snapshot.finished_at >= snapshot.started_at
    data = snapshot.result
    assert sorted(g["size"] for g in data["groups"]) == [6, 6]
    cg = {place.statements[0].pk, place.statements[1].pk}
    assert set(data["common_ground"]) == cg
    tenants = {results.pseudonym(place.consultation.pk, m.user_id) for m in place.tenants}
    groups = groups_of(snapshot)
    assert len({groups[p] for p in tenants}) == 1
    everyone = place.tenants + place.owners
    assert set(groups) == {results.pseudonym(place.consultation.pk, m.user_id) for m in everyone}
    # Each participant's place is a row of its own: the stored result, which the
    # page reads, has no participant in it and no size that grows with them.
    assert "participants" not in data and not any("participants" in g for g in data["groups"])
    text = json.dumps(data)
    assert not any(m.user.display_name in text for m in everyone)
    assert AuditEntry.objects.filter(action=Action.RESULTS_RECOMPUTE_REQUESTED).count() == 1


def test_votes_on_withdrawn_or_rejected_statements_are_left_out():
    place = Place(tenants=3, owners=3)
    place.vote_all()
    statement = place.statements[7]
    ConsultationStatement.objects.filter(pk=statement.pk).update(
        status=ConsultationStatement.Status.WITHDRAWN
    )
    snapshot = results.recompute_now(member=place.facilitator, consultation=place.consultation)
    snapshot.refresh_from_db()
    assert snapshot.votes_counted == 6 * 7
    assert str(statement.pk) not in snapshot.result["consensus"]
    assert snapshot.result["moderated_out"] == [statement.pk]


def test_votes_are_folded_in_then_computed_again_when_the_drift_rule_says(
    django_capture_on_commit_callbacks,
):
    place = Place(tenants=3, owners=3)
    with django_capture_on_commit_callbacks(execute=True):
        place.vote(place.tenants[0], TENANT)
    assert done(place.consultation).count() == 1  # the first votes are computed at once
    # A few more votes soon after: folded into the live result, no full computation.
    with django_capture_on_commit_callbacks(execute=True):
        place.vote(place.tenants[1], TENANT)
    assert done(place.consultation).count() == 1
    assert not OpinionSnapshot.objects.filter(status__in=results.PENDING).exists()
    live_row = OpinionSnapshot.objects.get(kind=OpinionSnapshot.Kind.INCREMENTAL)
    assert live_row.status == OpinionSnapshot.Status.DONE
    assert (live_row.new_votes, live_row.votes_counted) == (8, 16)
    # Enough new votes (25, a tenth of the counted votes being less): computed again,
    # and the older live row gives way to the new full computation.
    with django_capture_on_commit_callbacks(execute=True):
        for m in place.tenants[2:] + place.owners:
            place.vote(m, TENANT | {4: 0})
    assert done(place.consultation).count() == 2
    last = done(place.consultation).order_by("-finished_at").first()
    assert last.votes_counted == 48
    assert (
        not OpinionSnapshot.objects.filter(kind=OpinionSnapshot.Kind.INCREMENTAL)
        .exclude(base=last)
        .exists()
    )


def test_a_stale_snapshot_no_longer_blocks():
    place = Place(tenants=3, owners=3)
    place.vote_all()
    stale = OpinionSnapshot.objects.create(consultation=place.consultation)
    OpinionSnapshot.objects.filter(pk=stale.pk).update(
        requested_at=timezone.now() - results.STALE_AFTER - timedelta(seconds=1)
    )
    fresh = results.recompute_now(member=place.facilitator, consultation=place.consultation)
    stale.refresh_from_db()
    assert stale.status == OpinionSnapshot.Status.FAILED and "abandoned" in stale.error
    assert fresh.pk != stale.pk


def test_a_failed_computation_is_recorded(monkeypatch):
    place = Place(tenants=3, owners=3)
    place.vote_all()

    def broken(*args, **kwargs):
        raise RuntimeError("boom")

    monkeypatch.setattr(results, "compute", broken)
    snapshot = results.recompute_now(member=place.facilitator, consultation=place.consultation)
    snapshot.refresh_from_db()
    assert snapshot.status == OpinionSnapshot.Status.FAILED
    assert snapshot.error == "RuntimeError: boom"


def test_group_labels_stay_stable_when_someone_joins():
    place = Place()
    place.vote_all()
    first = results.recompute_now(member=place.facilitator, consultation=place.consultation)
    first.refresh_from_db()
    before = groups_of(first)
    newcomer = place.add("Nouvelle voisine")
    place.vote(newcomer, OWNER)
    place.vote(place.owners[0], {3: -1})
    second = results.recompute_now(member=place.facilitator, consultation=place.consultation)
    second.refresh_from_db()
    pid = results.pseudonym(place.consultation.pk, place.tenants[0].user_id)
    assert before[pid] == groups_of(second)[pid]
    # The older full computation's places go: one set per consultation.
    assert not first.places.exists()


def test_only_facilitators_recompute_export_and_adopt():
    place = Place(tenants=3, owners=3)
    place.vote_all()
    member = place.tenants[0]
    with pytest.raises(PermissionDenied):
        results.recompute_now(member=member, consultation=place.consultation)
    with pytest.raises(PermissionDenied):
        results.export_results(member=member, consultation=place.consultation)
    with pytest.raises(PermissionDenied):
        results.adopt_common_interest(member=member, statement=place.statements[0])


def test_export_has_the_cli_format(tmp_path):
    place = Place()
    place.vote_all()
    assert results.export_results(member=place.facilitator, consultation=place.consultation) is None
    results.recompute_now(member=place.facilitator, consultation=place.consultation)
    data = results.export_results(member=place.facilitator, consultation=place.consultation)
    # The same keys as the command line, computed by the same engine.
    votes = ConsultationVote.objects.filter(consultation=place.consultation).order_by("updated_at")
    (tmp_path / "votes.csv").write_text(
        "timestamp,datetime,comment-id,voter-id,vote\n"
        + "".join(
            f"{i},x,{v.statement_id},{v.participant_id},{v.value}\n" for i, v in enumerate(votes)
        )
    )
    (tmp_path / "comments.csv").write_text(
        "comment-id,moderated,comment-body\n" + "".join(f"{s.pk},1,x\n" for s in place.statements)
    )
    export = read_export(tmp_path)
    cli = compute(export.matrix).to_json_dict(export.participant_ids, export.statement_ids)
    assert set(cli) <= set(data)
    assert data["common_ground"] == cli["common_ground"]
    assert data["consensus"] == cli["consensus"]
    pid = {u: results.pseudonym(place.consultation.pk, u) for u in export.participant_ids}
    assert sorted(sorted(g["participants"]) for g in data["groups"]) == sorted(
        sorted(pid[p] for p in g["participants"]) for g in cli["groups"]
    )
    for group in data["groups"]:
        assert set(group["representative"][0]) >= {"statement", "direction"}
    assert AuditEntry.objects.filter(action=Action.RESULTS_EXPORTED).count() == 1


def test_adopt_a_common_ground_statement_with_a_suggested_need():
    place = Place()
    place.vote_all()
    statement = place.statements[0]
    with pytest.raises(ValidationError, match="common ground"):
        results.adopt_common_interest(member=place.facilitator, statement=statement)
    results.recompute_now(member=place.facilitator, consultation=place.consultation)
    with pytest.raises(ValidationError, match="common ground"):
        results.adopt_common_interest(member=place.facilitator, statement=place.statements[2])
    with pytest.raises(ValidationError, match="list"):
        results.adopt_common_interest(
            member=place.facilitator, statement=statement, need_code="9.9"
        )
    need = suggest_need(statement.text)
    assert need == "1.3.3.1"  # "… devant l'école": school life
    interest = results.adopt_common_interest(
        member=place.facilitator,
        statement=statement,
        text="  Des abords d'école  sûrs ",
        need_code=need,
    )
    assert interest.text == "Des abords d'école sûrs" and interest.need_code == need
    assert interest.collective == place.collective
    with pytest.raises(ValidationError, match="already"):
        results.adopt_common_interest(member=place.facilitator, statement=statement)
    assert CollectiveInterest.objects.count() == 1
    entry = AuditEntry.objects.get(action=Action.COLLECTIVE_INTEREST_ADOPTED)
    assert entry.detail["statement"] == statement.pk


def test_results_view_reads_no_participant_and_places_only_the_viewer():
    place = Place()
    place.vote_all()
    results.recompute_now(member=place.facilitator, consultation=place.consultation)
    view = results.results_view(place.consultation, place.tenants[0])
    assert view.publication and len(view.publication.groups) == 2
    assert view.you is not None
    assert results.results_view(place.consultation, place.facilitator).you is None
    assert set(view.statements) >= {place.statements[0].pk, place.statements[1].pk}


def test_the_migration_moves_the_places_of_the_last_results_out_of_the_stored_json():
    from django.apps import apps as django_apps

    migration = importlib.import_module("alliance.collectives.migrations.0008_opinion_places")
    place = Place(tenants=3, owners=3)
    place.vote_all()
    older = results.recompute_now(member=place.facilitator, consultation=place.consultation)
    place.vote(place.owners[0], {3: -1})
    last = results.recompute_now(member=place.facilitator, consultation=place.consultation)
    last.refresh_from_db()
    before = {
        p: (g, x, y) for p, g, x, y in last.places.values_list("participant", "group", "x", "y")
    }
    # the results as stored before the places had a table of their own
    for snapshot in (older, last):
        stored = results.export_results(member=place.facilitator, consultation=place.consultation)
        old = {
            **snapshot.result,
            "participants": stored["participants"],
            "groups": stored["groups"],
        }
        OpinionSnapshot.objects.filter(pk=snapshot.pk).update(result=old)
    OpinionPlace.objects.all().delete()
    migration.move_places(django_apps, None)
    for snapshot in (older, last):
        snapshot.refresh_from_db()
        assert "participants" not in snapshot.result
        assert not any("participants" in g for g in snapshot.result["groups"])
    assert not older.places.exists()  # only the last full computation keeps its places
    after = {
        p: (g, x, y) for p, g, x, y in last.places.values_list("participant", "group", "x", "y")
    }
    assert after == before
