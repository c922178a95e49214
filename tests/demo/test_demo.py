"""The demo loads through the use cases, once, with the shape the product shows."""

from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.http import Http404
from django.urls import reverse
from django.utils import formats, timezone, translation

from alliance.accounts.models import User
from alliance.alliances.access import get_alliance_for
from alliance.alliances.models import (
    Alliance,
    Ally,
    AsymmetryEntry,
    Charter,
    PerimeterStatus,
    PositionCheck,
    Role,
    Signature,
    Statement,
    Vote,
)
from alliance.alliances.needs import label_of
from alliance.alliances.selectors import alliance_overview
from alliance.audit.models import Action, AuditEntry
from alliance.demo import caseload as caseload_demo
from alliance.demo import reports as reports_demo
from alliance.demo.personas import demo_personas

pytestmark = pytest.mark.django_db


def run_demo() -> str:
    out = StringIO()
    call_command("demo", stdout=out)
    return out.getvalue()


@pytest.fixture
def demo():
    run_demo()


def persona(slug) -> User:
    return User.objects.get(demo_persona=slug)


def alliance_of(slug) -> Alliance:
    return Alliance.objects.get(allies__user__demo_persona=slug, allies__role=Role.PERSON)


def snapshot():
    return [
        m.objects.count()
        for m in (User, Alliance, Ally, Statement, Vote, Charter, Signature, AuditEntry)
    ]


def test_second_run_does_nothing_and_says_so():
    first = run_demo()
    before = snapshot()
    second = run_demo()
    assert "loaded" in first and "already" not in first
    assert "already loaded" in second
    assert snapshot() == before
    # Noé's, Samir's, Yvette's (waiting for her activation letter) and the small ones.
    assert Alliance.objects.count() == (
        3 + len(reports_demo.SCHOOL) + len(reports_demo.HOUSING) + caseload_demo.SMALL
    )
    for user in demo_personas():
        assert user.demo_persona in second and user.display_name in second


def test_refused_where_demo_mode_is_off(settings):
    settings.ALLIANCE_DEMO_MODE = False
    with pytest.raises(CommandError, match="ALLIANCE_DEMO_MODE"):
        run_demo()
    assert not User.objects.exists()


def test_personas_come_person_first_then_relatives_professionals_admin_decision_maker(demo):
    users = demo_personas()
    slugs = [u.demo_persona for u in users]
    # The people of the small alliances behind the territory report are not personas.
    assert (
        len(slugs)
        == len(set(slugs))
        == User.objects.exclude(demo_persona="", kind="individual").count()
    )
    assert slugs[:2] == ["personne-noe", "personne-samir"]
    # The département's decision maker, then the town hall's (the neighbourhood's proposal).
    assert slugs[-3:] == ["admin-sophie", "decideur-claire", "decideur-mairie"]
    kinds = [u.kind for u in users]
    first_pro = kinds.index(User.Kind.PROFESSIONAL)
    assert set(kinds[:first_pro]) == {User.Kind.INDIVIDUAL}
    assert set(kinds[first_pro:-2]) == {User.Kind.PROFESSIONAL}
    assert all(u.email for u in users if u.is_professional or u.is_decision_maker)


def test_the_child_alliance_has_common_ground_divergences_and_a_signed_charter(demo):
    alliance = alliance_of("personne-noe")
    assert alliance.person_is_protected
    assert alliance.organisation.name == "Plateforme médico-sociale Les Tilleuls"
    person = alliance.allies.get(role=Role.PERSON)
    overview = alliance_overview(alliance, person)
    active = overview["active_allies"]
    assert {a.role for a in active} == {Role.PERSON, Role.REPRESENTATIVE, Role.PROFESSIONAL}
    assert len(active) == 5 and not overview["awaiting"] and not overview["invited"]

    assert len(overview["common_ground"]) >= 3
    diverging = " ".join(v.statement.text for v in overview["divergences"])
    assert "école du quartier" in diverging and "internat" in diverging
    assert overview["open"]
    assert {s.statement.kind for s in overview["statements"]} == {
        "interest",
        "goal",
        "means",
        "concern",
        "capacity",
    }
    supported = [v.statement for v in overview["statements"] if v.statement.supported_by_id]
    assert any(s.author_id == person.pk for s in supported)
    assert any(v.statement.version > 1 for v in overview["statements"])

    (charter,) = alliance.charters.all()
    assert charter.status == Charter.Status.SIGNED and charter.signed_at
    common = {v.statement.pk for v in overview["common_ground"]}
    assert charter.interests.count() == 2
    assert all(i.statement_id in common for i in charter.interests.all())
    assert {c.ally_id for c in charter.commitments.all()} == {a.pk for a in active}
    assert {r.ally_id for r in charter.recognitions.all()} == {a.pk for a in active}
    assert {e.status for e in charter.perimeter.all()} == set(PerimeterStatus.values)
    assert all(label_of(e.domain_code) == e.label for e in charter.perimeter.all())
    assert charter.indicators.count() == 2
    assert all(i.raters.exists() for i in charter.indicators.all())
    assert charter.shared_understanding

    signatures = list(charter.signatures.select_related("signed_by"))
    assert {s.ally_id for s in signatures} == {a.pk for a in active}
    (on_behalf,) = [s for s in signatures if s.on_behalf]
    assert on_behalf.ally_id == person.pk
    assert on_behalf.signed_by.role == Role.REPRESENTATIVE

    assert alliance.asymmetries.count() >= 3
    assert {c.ally_id for c in alliance.position_checks.all()} == {a.pk for a in active}


def test_the_esat_alliance_has_a_signed_charter_and_ten_months_of_life(demo):
    from alliance.acting import selectors
    from alliance.acting.models import ActionStatus, JournalRevision, MeansDecision
    from alliance.home.selectors import what_needs_me
    from alliance.notifications.models import Notification

    alliance = alliance_of("personne-samir")
    assert not alliance.person_is_protected
    assert alliance.organisation.name.startswith("ESAT")
    person = alliance.allies.get(role=Role.PERSON)
    overview = alliance_overview(alliance, person)
    assert {a.role for a in overview["active_allies"]} == {
        Role.PERSON,
        Role.RELATIVE,
        Role.PROFESSIONAL,
        Role.PEER,
    }
    assert overview["common_ground"] and overview["divergences"]
    assert any("duos inversés" in v.statement.text for v in overview["common_ground"])

    # Signed by all ten months ago; a new indicator since opened a second version,
    # which only Samir has signed so far.
    current, first = alliance.charters.order_by("-number")
    assert first.signed_at is not None and first.signatures.count() == 4
    assert (timezone.localdate() - timezone.localdate(first.signed_at)).days == 300
    assert current.status == Charter.Status.SIGNING
    assert current.interests.exists() and current.commitments.exists()
    assert current.indicators.count() == first.indicators.count() + 1
    assert [s.ally_id for s in current.signatures.all()] == [person.pk]

    (decision,) = MeansDecision.objects.filter(option__alliance=alliance)
    assert [d["role"] for d in decision.dissent] == [Role.RELATIVE]  # a reservation kept
    statuses = sorted(alliance.actions.values_list("status", flat=True))
    assert statuses.count(ActionStatus.DONE) == 3
    assert JournalRevision.objects.filter(entry__alliance=alliance).count() == 1

    (review,) = alliance.reviews.all()
    assert (timezone.localdate() - review.held_on).days == 60
    assert review.conclusions.count() == 4
    summary = selectors.review_summary(review)
    assert len(summary["actions_done"]) == 3 and summary["decisions"] and summary["weather"]
    assert summary["readings"]

    needs = {n.source for n in what_needs_me(person.user).needs}
    assert {"action", "stance"} <= needs
    thierry = alliance.allies.get(role=Role.PROFESSIONAL).user
    assert what_needs_me(thierry).needs[0].late  # the late first
    assert set(
        Notification.objects.filter(user=person.user, read_at__isnull=True).values_list(
            "kind", flat=True
        )
    ) >= {"stance_awaited", "action_due", "action_late"}


def test_every_write_left_an_audit_entry(demo):
    def audited(action, target, actor=None):
        entries = AuditEntry.objects.filter(
            action=action, target_type=type(target).__name__.lower(), target_id=target.pk
        )
        if actor is not None:
            entries = entries.filter(actor=actor)
        return entries.exists()

    for alliance in Alliance.objects.all():
        assert audited(Action.ALLIANCE_CREATED, alliance, alliance.created_by)
    for ally in Ally.objects.exclude(invited_by=None):
        # Invited by email, the invitation is audited; without, the ally.
        invitation = getattr(ally, "invitation", None)
        if invitation is None:
            assert audited(Action.ALLY_INVITED, ally)
        else:
            assert audited(Action.ALLY_INVITATION_SENT, invitation)
            assert audited(Action.ALLY_INVITATION_ACCEPTED, invitation, ally.user)
        handover = ally.handovers_in.first()
        if handover is not None:
            # A colleague proposed to take over joins by their organisation's choice,
            # not their own answer (ADR 0023): the proposal is in the trail.
            assert audited(Action.HANDOVER_PROPOSED, handover, handover.proposed_by_id)
        elif ally.status != Ally.Status.INVITED:  # Yvette waits for her letter
            assert audited(Action.ALLY_JOINED, ally, ally.user)
    for ally in Ally.objects.exclude(approved_by=None).select_related("approved_by"):
        assert audited(Action.ALLY_APPROVED, ally, ally.approved_by.user_id)
    for statement in Statement.objects.select_related("author"):
        assert audited(Action.STATEMENT_WRITTEN, statement, statement.author.user_id)
    for statement in Statement.objects.filter(version__gt=1).select_related("author"):
        assert audited(Action.STATEMENT_CHANGED, statement, statement.author.user_id)
    for vote in Vote.objects.select_related("ally", "statement"):
        assert audited(Action.VOTE_GIVEN, vote.statement, vote.ally.user_id)
    for entry in AsymmetryEntry.objects.select_related("author"):
        assert audited(Action.ASYMMETRY_ADDED, entry, entry.author.user_id)
    for check in PositionCheck.objects.select_related("ally"):
        assert audited(Action.POSITION_CHECKED, check, check.ally.user_id)
    for signature in Signature.objects.select_related("signed_by"):
        assert AuditEntry.objects.filter(
            action=Action.CHARTER_SIGNED,
            target_id=signature.charter_id,
            actor=signature.signed_by.user_id,
            detail__for_ally=signature.ally_id,
        ).exists()
    for charter in Charter.objects.filter(number__gt=1):
        assert AuditEntry.objects.filter(
            action=Action.CHARTER_VERSION_OPENED, target_id=charter.pk
        ).exists()
    # A later version starts as a copy of the earlier one: its sections were audited there.
    for charter in Charter.objects.filter(number=1):
        changes = AuditEntry.objects.filter(action=Action.CHARTER_CHANGED, target_id=charter.pk)
        assert changes.filter(detail__section="interests").count() == charter.interests.count()
        assert changes.filter(detail__section="commitments").count() == charter.commitments.count()
        assert changes.filter(detail__section="perimeter").count() == charter.perimeter.count()
    # Hélène, Marc and Julien; Camille, who takes over one of Hélène's alliances (issue 12).
    assert AuditEntry.objects.filter(action=Action.PROFESSIONAL_ADDED).count() == 4
    from alliance.acting.models import Action as Step
    from alliance.acting.models import Capacity, JournalEntry, MeansOption

    for option in MeansOption.objects.select_related("proposed_by"):
        assert audited(Action.MEANS_PROPOSED, option, option.proposed_by.user_id)
        for stance in option.stances.select_related("ally"):
            assert audited(Action.STANCE_TAKEN, option, stance.ally.user_id)
    for step in Step.objects.select_related("created_by"):
        assert audited(Action.ACTION_PLANNED, step, step.created_by.user_id)
    for capacity in Capacity.objects.select_related("author"):
        assert audited(Action.CAPACITY_WRITTEN, capacity, capacity.author.user_id)
    for entry in JournalEntry.objects.select_related("author"):
        assert audited(Action.JOURNAL_WRITTEN, entry, entry.author.user_id)
    # Samir says one of his statements aloud too, through the same use case (ADR 0019).
    from alliance.alliances.models import StatementVoiceNote

    notes = list(StatementVoiceNote.objects.select_related("author__user", "statement"))
    assert [(n.author.user.demo_persona, n.content_type, n.seconds) for n in notes] == [
        ("personne-samir", "audio/wav", 3)
    ]
    for note in notes:
        assert audited(Action.VOICE_NOTE_RECORDED, note.statement, note.author.user_id)


def test_need_to_know_same_organisation_gives_no_access(demo):
    alliance = alliance_of("personne-noe")
    colleague = persona("pro-julien")
    admin = persona("admin-sophie")
    assert colleague.organisation_id == admin.organisation_id == alliance.organisation_id
    assert admin.is_org_admin
    for outsider in (colleague, admin, persona("decideur-claire")):
        assert not outsider.allies.exists()
        with pytest.raises(Http404):
            get_alliance_for(outsider, alliance.pk)


ALLIANCE_PAGES = ("overview", "charter", "asymmetries", "positions", "trail")


def test_sign_in_page_offers_every_persona(demo, client):
    page = client.get(reverse("accounts:sign_in")).content.decode()
    for user in demo_personas():
        assert reverse("accounts:sign_in_demo", args=[user.demo_persona]) in page


def test_every_persona_opens_home_and_the_pages_of_their_alliances(demo, client):
    for user in demo_personas():
        client.force_login(user)
        assert client.get(reverse("home")).status_code == 200, user.demo_persona
        # Yvette's alliance waits for her letter: its creator is not approved yet.
        for ally in user.allies.filter(status=Ally.Status.ACTIVE):
            for name in ALLIANCE_PAGES:
                response = client.get(reverse(f"alliances:{name}", args=[ally.alliance_id]))
                assert response.status_code == 200, (user.demo_persona, name)
            for name in ("means", "actions", "journal", "indicators", "weather"):
                response = client.get(reverse(f"acting:{name}", args=[ally.alliance_id]))
                assert response.status_code == 200, (user.demo_persona, name)
    client.force_login(persona("pro-julien"))
    response = client.get(reverse("alliances:overview", args=[alliance_of("personne-noe").pk]))
    assert response.status_code == 404


def test_the_child_alliance_negotiated_its_means_and_acts_together(demo):
    from alliance.acting import services as acting
    from alliance.acting.models import Availability, JournalEntry, MeansDecision

    alliance = alliance_of("personne-noe")
    school, unit = alliance.means_options.order_by("pk")
    decision = MeansDecision.objects.get(option__alliance=alliance)
    assert decision.option == school
    assert decision.decided_by.role == Role.REPRESENTATIVE
    # The dissent of the two professionals is kept beside the decision.
    assert sorted(d["value"] for d in decision.dissent) == ["oppose", "reservations"]
    assert {d["role"] for d in decision.dissent} == {Role.PROFESSIONAL}
    assert school.stances.count() > len(acting.current_stances(school))  # a stance changed
    assert school.availability == Availability.WAITING and school.availability_since
    assert unit.availability == Availability.AVAILABLE and not hasattr(unit, "decision")

    actions = list(alliance.actions.prefetch_related("co_actors__ally"))
    assert len(actions) == 3
    with_noe = [a for a in actions if acting.person_takes_part(a)]
    assert len(with_noe) == 2
    (flagged,) = [a for a in actions if not acting.person_takes_part(a)]
    assert flagged.agreed_by.role == Role.REPRESENTATIVE
    assert {a.status for a in actions} == {"done", "in_progress", "planned"}
    assert alliance.capacities.filter(author__role=Role.PERSON).exists()
    assert alliance.capacities.values("kind").distinct().count() == 2
    entries = JournalEntry.objects.filter(alliance=alliance)
    assert entries.count() == 3
    assert entries.filter(version=2, revisions__isnull=False).count() == 1


def test_the_territory_report_is_published_to_the_decision_maker(demo, client):
    from alliance.reports.models import Report

    claire = User.objects.get(demo_persona="decideur-claire")
    # The other report is the town hall's, made from its request for a report.
    report = Report.objects.get(request__isnull=True)
    assert report.status == Report.Status.READY
    assert list(report.published_to.all()) == [claire]
    assert report.organisations.count() == 2
    tables = report.snapshot["tables"]
    # The report was computed before Hélène's caseload was added (alliance.demo.caseload).
    assert tables["alliances"]["total"] == Alliance.objects.count() - caseload_demo.SMALL
    unmet = tables["unmet"]
    # Enough alliances wait in the same domain and band for some cells to be shown,
    # and the small ones are hidden.
    shown = [v for row in unmet["cells"] for v in row if v]
    assert shown and all(v >= report.threshold for v in shown)
    assert any(v is None for row in unmet["cells"] for v in row)
    assert report.snapshot["quotes"]
    # The small alliances give the weather after their meetings: its averages are
    # shown over the whole period, the year before and every full quarter.
    weather = report.snapshot["weather"]
    assert weather["current"] and weather["previous"]
    assert all(n >= report.threshold for n in weather["alliances"])
    full = weather["periods"][1:-1]
    assert full and all(p["averages"] and p["alliances"] >= report.threshold for p in full)
    client.force_login(claire)
    response = client.get(f"/reports/{report.pk}/")
    assert response.status_code == 200
    page = response.content.decode()
    assert 'id="chart-weather-title"' in page
    with translation.override("fr"):
        shown = formats.number_format(weather["current"][0], 1)
    assert f'<td class="number">{shown}</td>' in page


def test_the_coordinator_can_print_yvettes_activation_letter(demo, client):
    """Yvette has no email: the coordinator who created her alliance hands her the
    letter (ADR 0013)."""
    from django.urls import reverse

    yvette = Ally.objects.select_related("user").get(user__display_name="Yvette Morel")
    assert yvette.user.email is None and yvette.user.activated_at is None
    helene = User.objects.get(demo_persona="pro-helene")
    client.force_login(helene)
    overview = client.get(reverse("alliances:overview", args=[yvette.alliance_id]))
    letter_url = reverse("alliances:letter", args=[yvette.alliance_id, yvette.pk])
    assert letter_url in overview.content.decode()
    assert client.post(letter_url, {"hand_over": "on"}).status_code == 200
