"""Results as a report: the facilitator's description of a group (checked, versioned,
audited, kept across recomputations), easy-read versions written when accepting or
seeding, and participation over time."""

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone, translation

from alliance.audit.models import Action, AuditEntry
from alliance.collectives import report, results, services
from alliance.collectives.models import ConsultationVote, GroupDescription
from alliance.conflicts import ConflictError
from tests.collectives.test_results import Place
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


@pytest.fixture
def place():
    place = Place()
    place.vote_all()
    results.recompute_now(member=place.facilitator, consultation=place.consultation)
    return place


def groups_of(place):
    return sorted(report._known_groups(place.consultation))


def test_a_facilitator_describes_a_group_and_members_cannot(place):
    group = groups_of(place)[0]
    written = report.describe_group(
        member=place.facilitator,
        consultation=place.consultation,
        group=group,
        text="  Ceux qui   veulent des trottoirs ",
        expected_version=0,
    )
    assert (written.text, written.version) == ("Ceux qui veulent des trottoirs", 1)
    entry = AuditEntry.objects.filter(action=Action.GROUP_DESCRIBED).get()
    assert entry.actor == place.facilitator.user
    assert entry.detail["group"] == group and entry.detail["generated"] is False
    assert report.edited_descriptions(place.consultation) == {group: written}
    with pytest.raises(PermissionDenied):
        report.describe_group(
            member=place.tenants[0],
            consultation=place.consultation,
            group=group,
            text="Autre chose",
            expected_version=1,
        )
    assert GroupDescription.objects.get().text == "Ceux qui veulent des trottoirs"


def test_a_stale_version_is_refused_and_nothing_is_lost(place):
    group = groups_of(place)[0]
    report.describe_group(
        member=place.facilitator,
        consultation=place.consultation,
        group=group,
        text="Premier",
        expected_version=0,
    )
    with pytest.raises(ConflictError):
        report.describe_group(
            member=place.facilitator,
            consultation=place.consultation,
            group=group,
            text="Écrit en même temps",
            expected_version=0,
        )
    assert GroupDescription.objects.get().text == "Premier"


def test_bad_input_changes_nothing(place):
    with pytest.raises(ValidationError, match="not in the last results"):
        report.describe_group(
            member=place.facilitator,
            consultation=place.consultation,
            group=17,
            text="Un groupe inconnu",
            expected_version=0,
        )
    with pytest.raises(ValidationError, match="under 200 characters"):
        report.describe_group(
            member=place.facilitator,
            consultation=place.consultation,
            group=groups_of(place)[0],
            text="x" * 201,
            expected_version=0,
        )
    assert not GroupDescription.objects.exists()


def test_an_empty_text_gives_the_generated_description_back(place):
    group = groups_of(place)[0]
    report.describe_group(
        member=place.facilitator,
        consultation=place.consultation,
        group=group,
        text="Mots de l'animatrice",
        expected_version=0,
    )
    again = report.describe_group(
        member=place.facilitator,
        consultation=place.consultation,
        group=group,
        text="",
        expected_version=1,
    )
    assert again.version == 2
    assert report.edited_descriptions(place.consultation) == {}


def test_a_description_stays_across_a_recomputation(place):
    group = groups_of(place)[0]
    report.describe_group(
        member=place.facilitator,
        consultation=place.consultation,
        group=group,
        text="Les locataires pressés",
        expected_version=0,
    )
    newcomer = place.add("Locataire nouveau")
    place.vote(newcomer, {0: 1, 1: 1, 2: -1, 3: 1})
    results.recompute_now(member=place.facilitator, consultation=place.consultation)
    page = report.group_page(place.consultation, group)
    assert page is not None and page.description.text == "Les locataires pressés"


def test_group_page_reads_every_accepted_statement_and_hides_unknown_groups(place):
    group = groups_of(place)[0]
    page = report.group_page(place.consultation, group)
    assert [line.statement for line in page.lines] == [s.pk for s in place.statements]
    assert sum(line.group.votes for line in page.lines) == page.group.size * len(place.statements)
    assert report.group_page(place.consultation, 17) is None


def test_the_facilitator_writes_the_easy_read_version_when_accepting(place):
    statement = services.write_statement(
        member=place.tenants[0], consultation=place.consultation, text="Plus de bancs au parc."
    )
    accepted = services.moderate_statement(
        by=place.facilitator, statement=statement, accept=True, easy_read=" Des bancs au parc. "
    )
    assert accepted.easy_read == "Des bancs au parc."
    entry = AuditEntry.objects.filter(action=Action.CONSULTATION_STATEMENT_ACCEPTED).latest("pk")
    assert entry.detail["easy_read_written"] is True


def test_the_authors_easy_read_stays_when_the_facilitator_writes_none(place):
    statement = services.write_statement(
        member=place.tenants[0],
        consultation=place.consultation,
        text="Un marché le samedi.",
        easy_read="Un marché.",
    )
    accepted = services.moderate_statement(by=place.facilitator, statement=statement, accept=True)
    assert accepted.easy_read == "Un marché."


def test_a_too_long_easy_read_is_refused_and_the_statement_still_waits(place):
    statement = services.write_statement(
        member=place.tenants[0], consultation=place.consultation, text="Des arbres."
    )
    with pytest.raises(ValidationError):
        services.moderate_statement(
            by=place.facilitator, statement=statement, accept=True, easy_read="x" * 281
        )
    statement.refresh_from_db()
    assert statement.status == "pending" and statement.easy_read == ""


def test_seeds_carry_their_easy_read_version():
    creator = UserFactory(professional=True)
    collective = services.create_collective(creator=creator, name="Atelier")
    facilitator = collective.members.get()
    consultation = services.create_consultation(
        by=facilitator,
        question="Comment organiser les duos ?",
        seed_statements=[("Les visiteurs restent la journée.", "Toute la journée."), "Un repas."],
    )
    seeds = {s.text: s.easy_read for s in consultation.statements.all()}
    assert seeds == {"Les visiteurs restent la journée.": "Toute la journée.", "Un repas.": ""}
    with pytest.raises(ValidationError):
        services.create_consultation(
            by=facilitator, question="Encore ?", seed_statements=[("Texte", "x" * 281)]
        )


def test_participation_counts_votes_and_distinct_participants_per_day(place):
    now = timezone.now()
    votes = ConsultationVote.objects.filter(consultation=place.consultation)
    first = list(votes.filter(participant=place.tenants[0].user).values_list("pk", flat=True))
    votes.filter(pk__in=first).update(updated_at=now - timedelta(days=3))
    unit, periods = report.participation_over_time(place.consultation)
    assert unit == "day"
    assert [(p.votes, p.participants) for p in periods] == [
        (len(first), 1),
        (0, 0),
        (0, 0),
        (votes.count() - len(first), 11),
    ]
