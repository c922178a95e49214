"""Live results in the product: each vote is folded into the last full computation
by a fast task after its commit; concurrent votes share one fold; the drift rule
queues the full computation; the page says which result it shows."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation

from alliance.collectives import results
from alliance.collectives.models import ConsultationStatement, OpinionSnapshot
from alliance.consensus import live
from tests.collectives.test_results import OWNER, TENANT, Place, groups_of
from tests.consensus.test_live import save_base_v1

pytestmark = pytest.mark.django_db

FULL, INCREMENTAL = OpinionSnapshot.Kind.FULL, OpinionSnapshot.Kind.INCREMENTAL


def fulls(place):
    return OpinionSnapshot.objects.filter(
        consultation=place.consultation, kind=FULL, status=OpinionSnapshot.Status.DONE
    )


def live_row(place):
    return OpinionSnapshot.objects.filter(consultation=place.consultation, kind=INCREMENTAL).get()


@pytest.fixture
def computed():
    """Twelve neighbours voted and the results were fully computed."""
    place = Place()
    place.vote_all()
    results.recompute_now(member=place.facilitator, consultation=place.consultation)
    return place


@pytest.fixture
def queued(monkeypatch):
    """Folds are queued but not run (a worker that has not picked them up yet)."""
    enqueued = []
    monkeypatch.setattr(
        type(results.fold_new_votes),
        "enqueue",
        lambda task, *args: enqueued.append((task.priority, args)),
    )
    return enqueued


def test_a_vote_is_folded_in_after_its_commit(computed, django_capture_on_commit_callbacks):
    place = computed
    newcomer = place.add("Nouvelle voisine")
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        place.vote(newcomer, OWNER)
        # nothing runs before the vote is committed
        assert not OpinionSnapshot.objects.filter(kind=INCREMENTAL).exists()
    assert len(callbacks) == 1
    row = live_row(place)
    base = fulls(place).get()
    assert (row.status, row.base_id, row.fold_requested_at) == ("done", base.pk, None)
    assert (row.new_votes, row.votes_counted) == (8, 13 * 8)
    summary = row.result["summary"]
    assert summary["participants"] == 13 and summary["votes"] == 13 * 8
    pid = results.pseudonym(place.consultation.pk, newcomer.user_id)
    owners = {results.pseudonym(place.consultation.pk, m.user_id) for m in place.owners}
    owner_group = {groups_of(base)[p] for p in owners}
    assert groups_of(row) == {pid: owner_group.pop()}  # only who voted since
    assert "participants" not in row.result
    assert sum(g["size"] for g in summary["groups"]) == 13
    assert row.result["common_ground"] == base.result["common_ground"]
    assert fulls(place).count() == 1  # 8 votes: no full computation
    # what the page reads: the live result, and the newcomer's own place in it
    view = results.results_view(place.consultation, newcomer)
    assert view.incremental and view.new_votes == 8 and view.votes_shown == 13 * 8
    assert view.publication.participants == 13 and view.you is not None
    assert view.snapshot.pk == base.pk and view.shown_at == row.finished_at
    # someone who did not vote since keeps their place from the full computation
    assert results.results_view(place.consultation, place.tenants[0]).you is not None


def test_concurrent_votes_share_one_fold(computed, queued):
    place = computed
    place.vote(place.owners[0], {3: 1})
    results._schedule(place.consultation.pk)
    place.vote(place.owners[1], {3: 1})
    results._schedule(place.consultation.pk)
    row = live_row(place)
    assert queued == [(results.FOLD_PRIORITY, (row.pk,))]  # the second waits for the first
    results.fold_votes(row.pk)  # the worker runs it: both votes are in
    row.refresh_from_db()
    assert row.new_votes == 2 and row.status == OpinionSnapshot.Status.DONE
    results.fold_votes(row.pk)  # run twice (two workers): the second finds it claimed
    # once claimed, the next vote queues the next fold
    place.vote(place.owners[2], {3: 1})
    results._schedule(place.consultation.pk)
    assert len(queued) == 2


def test_a_fold_nobody_claimed_no_longer_blocks(computed, queued):
    place = computed
    place.vote(place.owners[0], {3: 1})
    results._schedule(place.consultation.pk)
    row = live_row(place)
    OpinionSnapshot.objects.filter(pk=row.pk).update(
        fold_requested_at=timezone.now() - results.FOLD_STALE
    )
    results._schedule(place.consultation.pk)
    assert len(queued) == 2


def test_no_fold_without_new_votes(computed, queued):
    results._schedule(computed.consultation.pk)
    assert queued == [] and not OpinionSnapshot.objects.filter(kind=INCREMENTAL).exists()


def test_a_withdrawn_statement_calls_for_a_full_computation(computed):
    place = computed
    ConsultationStatement.objects.filter(pk=place.statements[7].pk).update(
        status=ConsultationStatement.Status.WITHDRAWN
    )
    place.vote(place.owners[0], {3: 1})
    results._schedule(place.consultation.pk)
    assert fulls(place).count() == 2
    assert fulls(place).order_by("-finished_at").first().votes_counted == 12 * 7


def test_without_the_model_file_the_fold_runs_a_full_computation(computed):
    place = computed
    base = fulls(place).get()
    path = results.model_path(place.consultation.pk, base.pk)
    assert path.exists()
    path.unlink()
    results._LIVE.clear()  # a worker process that did not run the full computation
    place.vote(place.owners[0], {3: 1})
    results._schedule(place.consultation.pk)
    assert fulls(place).count() == 2
    # the new full computation left its own model, and the old one's row is gone
    last = fulls(place).order_by("-finished_at").first()
    assert results.model_path(place.consultation.pk, last.pk).exists()


def test_an_unreadable_model_file_runs_a_full_computation(computed):
    place = computed
    path = results.model_path(place.consultation.pk, fulls(place).get().pk)
    path.write_bytes(path.read_bytes()[:-64])  # cut short, as by a crash
    results._LIVE.clear()
    place.vote(place.owners[0], {3: 1})
    results._schedule(place.consultation.pk)
    assert fulls(place).count() == 2


def test_the_worker_that_ran_the_full_computation_keeps_its_model(computed):
    place = computed
    path = results.model_path(place.consultation.pk, fulls(place).get().pk)
    path.unlink()  # not read again: the model is still in this process
    place.vote(place.owners[0], {3: 1})
    results._schedule(place.consultation.pk)
    assert fulls(place).count() == 1 and live_row(place).new_votes == 1


def test_a_full_computation_replaces_the_older_model_files(computed):
    place = computed
    first = fulls(place).get()
    results.recompute_now(member=place.facilitator, consultation=place.consultation)
    second = fulls(place).exclude(pk=first.pk).get()
    assert not results.model_path(place.consultation.pk, first.pk).exists()
    assert results.model_path(place.consultation.pk, second.pk).exists()


def test_labels_stay_stable_through_folds_and_the_next_full_computation(computed):
    place = computed
    base = fulls(place).get()
    tenant = results.pseudonym(place.consultation.pk, place.tenants[0].user_id)
    label = groups_of(base)[tenant]
    newcomers = [place.add(f"Voisin {i}") for i in range(4)]
    for member in newcomers:  # 4 × 8 = 32 votes: folded, then the drift rule
        place.vote(member, TENANT)
        results._schedule(place.consultation.pk)
    assert fulls(place).count() == 2
    last = fulls(place).order_by("-finished_at").first()
    assert groups_of(last)[tenant] == label
    joined = results.pseudonym(place.consultation.pk, newcomers[0].user_id)
    assert groups_of(last)[joined] == label


def test_the_vote_path_stays_a_few_queries(computed, queued, django_capture_on_commit_callbacks):
    place = computed
    member = place.owners[0]
    with (
        CaptureQueriesContext(connection) as first,
        django_capture_on_commit_callbacks(execute=True),
    ):
        place.vote(member, {3: 1})
    with (
        CaptureQueriesContext(connection) as coalesced,
        django_capture_on_commit_callbacks(execute=True),
    ):
        place.vote(member, {4: 1})
    assert len(queued) == 1
    # the vote itself, then the lock, the last full computation, new votes?, the
    # live row and its mark (the task row is mocked here: one insert more)
    assert len(first) <= 17
    assert len(coalesced) <= len(first) - 1


def url(place):
    return reverse("results:results", args=[place.collective.pk, place.consultation.pk])


@pytest.mark.parametrize(
    ("language", "full_words", "live_words"),
    [
        ("en", "Fully recomputed on", "Updated incrementally on"),
        ("fr", "Entièrement recalculé le", "Mis à jour au fil des votes le"),
    ],
)
def test_the_page_says_which_result_it_shows(client, computed, language, full_words, live_words):
    place = computed
    client.force_login(place.tenants[0].user)
    client.cookies["django_language"] = language
    html = client.get(url(place)).content.decode()
    assert full_words in html and live_words not in html
    place.vote(place.add("Nouvelle voisine"), OWNER)
    results._schedule(place.consultation.pk)
    html = client.get(url(place)).content.decode()
    assert live_words in html and full_words not in html
    with translation.override(language):
        expected = {"en": "with 8 new votes, on 104 votes in all", "fr": "avec 8 nouveaux"}
    assert expected[language] in html


def test_another_worker_reads_the_model_file_once(computed):
    place = computed
    results._LIVE.clear()  # a worker process that did not run the full computation
    place.vote(place.owners[0], {3: 1})
    results._schedule(place.consultation.pk)
    assert live_row(place).new_votes == 1
    assert results._LIVE[place.consultation.pk].base_id == fulls(place).get().pk


def test_a_fresh_worker_folds_from_the_file_to_what_the_warm_one_folded(computed):
    """A worker after a restart maps the full computation's file and, refolding the
    votes cast since, writes the live result the worker that kept it in memory wrote."""
    place = computed
    place.vote(place.owners[0], {3: 1, 4: -1})
    place.vote(place.add("Nouvelle voisine"), OWNER)
    results._schedule(place.consultation.pk)  # folded by this worker, from memory
    row = live_row(place)
    warm = row.result, set(row.places.values_list("participant", "group", "x", "y"))
    results._LIVE.clear()  # a fresh worker process
    OpinionSnapshot.objects.filter(pk=row.pk).update(fold_requested_at=timezone.now())
    results.fold_votes(row.pk)
    row = live_row(place)
    assert (row.result, set(row.places.values_list("participant", "group", "x", "y"))) == warm
    codes = results._LIVE[place.consultation.pk].state.result.model.matrix.codes
    assert not codes.indices.flags.writeable  # mapped from the file


def test_a_model_file_of_format_1_is_still_folded_into(computed):
    """After the deployment of format 2, the last full computation's ``.npz`` is read
    (once per worker, slowly): no full computation just for the new format."""
    place = computed
    base = fulls(place).get()
    path = results.model_path(place.consultation.pk, base.pk)
    state = live.load_base(path)
    save_base_v1(state.result, state.participants, state.statements, path.with_suffix(".npz"))
    path.unlink()
    results._LIVE.clear()
    place.vote(place.owners[0], {3: 1})
    results._schedule(place.consultation.pk)
    assert fulls(place).count() == 1 and live_row(place).new_votes == 1
    assert results._LIVE[place.consultation.pk].base_id == base.pk
    results.recompute_now(member=place.facilitator, consultation=place.consultation)
    assert not path.with_suffix(".npz").exists()  # the next full computation's file replaces it
