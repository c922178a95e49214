"""Issue 9, finding 4 and "Representatives and allies", through the pages: a legal
representative is approved by a second pair of eyes with their mandate recorded
(ADR 0009); the person or their representative removes an ally; any ally but the
person leaves; access ends at once and the history keeps everything."""

import datetime
from types import SimpleNamespace

import pytest
from django.urls import reverse
from django.utils import timezone

from alliance.acting.models import MeansDecision
from alliance.alliances import services
from alliance.alliances.models import Ally, MandateKind, Role, Signature, Statement, VoteValue
from alliance.audit.models import Action, AuditEntry
from alliance.notifications.models import Notification
from tests.factories import UserFactory, make_signable_charter

from .scene import ALLIANCE_AREAS, URL_KWARGS, WAITING, acting_objects, build_scene, usual_pages
from .test_permission_matrix import BLANK, TABLE

pytestmark = pytest.mark.django_db


def _url(name, scene, **kwargs):
    return reverse(name, kwargs={**URL_KWARGS[name](scene), **kwargs})


def _as(client, user):
    client.force_login(user)
    return client


def _decide(client, scene, ally, decision="approve"):
    return client.post(
        reverse("alliances:decide", args=[scene.alliance.pk, ally.pk]), {"decision": decision}
    )


def _status(ally):
    return Ally.objects.get(pk=ally.pk).status


def _invited_by_email(client, *, inviter, user, role, **kwargs):
    """The inviter names the account's address; its owner accepts from their session."""
    invitation = services.invite_ally(
        inviter=inviter, display_name=user.display_name, email=user.email, role=role, **kwargs
    )
    _as(client, user).post(
        reverse("invitations:answer_alliance", args=[invitation.pk]), {"answer": "accept"}
    )
    return Ally.objects.filter(alliance=inviter.alliance, user=user).latest("pk")


def _invite_representative(client, scene, inviter_role, **mandate):
    _as(client, scene.user(inviter_role))
    response = client.post(
        reverse("alliances:invite", args=[scene.alliance.pk]),
        {"display_name": "Fred Inventé", "role": Role.REPRESENTATIVE, **mandate},
    )
    assert response.status_code == 200, response.content.decode()[:2000]
    return scene.alliance.allies.get(user__display_name="Fred Inventé")


# ---------------------------------------------------------------- finding 4


def test_an_invented_representative_has_no_power_until_the_person_approves(client):
    """Finding 4: one ally invited a "legal representative", who joined and was active
    at once with the representative's powers."""
    scene = build_scene()
    option = acting_objects(scene).option
    fred = _invite_representative(
        client,
        scene,
        "relative",
        mandate_kind=MandateKind.TUTELLE,
        mandate_reference="RG 24/0042",
        mandate_date="2024-03-12",
    )
    _as(client, fred.user)
    client.post(reverse("alliances:join", args=[scene.alliance.pk]), {"answer": "accept"})
    assert _status(fred) == Ally.Status.AWAITING_APPROVAL

    waiting = scene.allies[WAITING]
    assert _decide(client, scene, waiting).status_code == 403
    consent = client.post(
        reverse("acting:decide", args=[scene.alliance.pk, option.pk]),
        {"consent": "on", "note": "", "version": option.version},
    )
    assert consent.status_code == 403
    sign = client.post(
        reverse("alliances:charter_edit", args=[scene.alliance.pk, "sign"]),
        {"revision": 1, "signee": scene.allies["person"].pk},
    )
    assert sign.status_code == 403
    overview = client.get(reverse("alliances:overview", args=[scene.alliance.pk]))
    assert reverse("alliances:decide", args=[scene.alliance.pk, waiting.pk]) not in (
        overview.content.decode()
    )
    assert _status(waiting) == Ally.Status.AWAITING_APPROVAL
    assert not MeansDecision.objects.filter(option=option).exists()

    # The inviter cannot approve their invitee; while the person is an active ally,
    # nobody but the person approves a representative.
    for role in ("relative", "professional_ally", "representative"):
        assert _decide(_as(client, scene.user(role)), scene, fred).status_code == 403
        assert _status(fred) == Ally.Status.AWAITING_APPROVAL
    page = _as(client, scene.user("person")).get(
        reverse("alliances:overview", args=[scene.alliance.pk])
    )
    assert "Tutelle" in page.content.decode() and "RG 24/0042" in page.content.decode()
    assert _decide(client, scene, fred).status_code == 302
    assert _status(fred) == Ally.Status.ACTIVE
    assert AuditEntry.objects.filter(
        action=Action.ALLY_APPROVED, target_id=fred.pk, actor=scene.user("person")
    ).exists()


def test_at_the_start_a_second_ally_approves_the_representative_and_nobody_alone(client):
    """A professional creates an alliance for a protected child who has no account,
    and invites the parent: neither can give the parent the representative's powers;
    a colleague who joined does, then the parent approves the professionals."""
    professional = UserFactory(professional=True)
    _as(client, professional)
    client.post(
        reverse("alliances:create"),
        {"title": "Pour Jade", "person_name": "Jade", "person_is_protected": "on"},
    )
    alliance = professional.allies.get().alliance
    scene = type("S", (), {"alliance": alliance})
    creator = alliance.allies.get(user=professional)
    parent_user = UserFactory(display_name="Maman de Jade")
    colleague_user = UserFactory(professional=True, organisation=professional.organisation)
    parent = _invited_by_email(
        client,
        inviter=creator,
        user=parent_user,
        role=Role.REPRESENTATIVE,
        mandate={"kind": MandateKind.PARENT},
    )
    assert _status(parent) == Ally.Status.AWAITING_APPROVAL
    for user in (professional, parent_user):
        assert _decide(_as(client, user), scene, parent).status_code == 403
    assert _status(parent) == Ally.Status.AWAITING_APPROVAL

    colleague = _invited_by_email(
        client, inviter=creator, user=colleague_user, role=Role.PROFESSIONAL
    )
    page = client.get(reverse("alliances:overview", args=[alliance.pk])).content.decode()
    assert reverse("alliances:decide", args=[alliance.pk, parent.pk]) in page
    assert _decide(client, scene, parent).status_code == 302
    assert _status(parent) == Ally.Status.ACTIVE

    _as(client, parent_user)
    for ally in (creator, colleague):
        assert _decide(client, scene, ally).status_code == 302
        assert _status(ally) == Ally.Status.ACTIVE


def test_a_representative_records_the_mandate_before_approval_and_bad_input_changes_nothing(
    client,
):
    scene = build_scene()
    fred = _invite_representative(client, scene, "professional_ally")
    _as(client, fred.user)
    joined = client.post(reverse("alliances:join", args=[scene.alliance.pk]), {"answer": "ok"})
    assert joined["Location"] == reverse("alliances:mandate", args=[scene.alliance.pk])

    refused = _decide(_as(client, scene.user("person")), scene, fred)
    assert refused.status_code == 302
    assert _status(fred) == Ally.Status.AWAITING_APPROVAL

    _as(client, fred.user)
    url = reverse("alliances:mandate", args=[scene.alliance.pk])
    too_long = "x" * 101
    future = (timezone.localdate() + datetime.timedelta(days=3)).isoformat()
    for data, field in [
        ({"mandate_kind": "roi"}, "mandate_kind"),
        ({"mandate_kind": MandateKind.TUTELLE, "mandate_date": "2024-01-02"}, "mandate_reference"),
        (
            {"mandate_kind": MandateKind.CURATELLE, "mandate_reference": too_long},
            "mandate_reference",
        ),
        ({"mandate_kind": MandateKind.PARENT, "mandate_date": "31/02/2024"}, "mandate_date"),
        ({"mandate_kind": MandateKind.PARENT, "mandate_date": future}, "mandate_date"),
    ]:
        response = client.post(url, data)
        assert response.status_code == 400, data
        assert field in response.context["form"].errors, data
        assert Ally.objects.get(pk=fred.pk).mandate_kind == ""
    saved = client.post(
        url,
        {
            "mandate_kind": MandateKind.CURATELLE,
            "mandate_reference": "Jugement 23/118",
            "mandate_date": "2023-05-04",
        },
    )
    assert saved.status_code == 302
    assert AuditEntry.objects.filter(action=Action.MANDATE_RECORDED, target_id=fred.pk).exists()
    assert _decide(_as(client, scene.user("person")), scene, fred).status_code == 302
    assert _status(fred) == Ally.Status.ACTIVE

    # A curateur assists: they sign in their own name, never for the person.
    charter = scene.charter
    charter.refresh_from_db()
    _as(client, fred.user)
    for_person = client.post(
        reverse("alliances:charter_edit", args=[scene.alliance.pk, "sign"]),
        {"revision": charter.revision, "signee": scene.allies["person"].pk},
    )
    assert for_person.status_code == 403
    assert not Signature.objects.filter(signed_by=fred).exists()
    services.write_recognition(
        ally=Ally.objects.get(pk=fred.pk), brings="Mon aide.", expects="Être tenu au courant."
    )
    page = client.get(reverse("alliances:charter", args=[scene.alliance.pk])).content.decode()
    assert "Jugement 23/118" in page

    # Another measure gives other powers: the change is approved again.
    changed = client.post(
        url,
        {
            "mandate_kind": MandateKind.TUTELLE,
            "mandate_reference": "Jugement 25/007",
            "mandate_date": "2025-01-06",
        },
    )
    assert changed.status_code == 302
    assert _status(fred) == Ally.Status.AWAITING_APPROVAL
    assert AuditEntry.objects.filter(action=Action.MANDATE_CHANGED, target_id=fred.pk).exists()


def test_only_an_approved_representative_of_the_person_removes_an_ally(client):
    scene = build_scene()
    fred = _invite_representative(client, scene, "relative", mandate_kind=MandateKind.PARENT)
    services.accept_invitation(ally=fred)
    relative = scene.allies["relative"]
    response = _as(client, fred.user).post(_url("alliances:remove_ally", scene), {"reason": ""})
    assert response.status_code == 403
    assert _status(relative) == Ally.Status.ACTIVE


# ---------------------------------------------------------------- removing, leaving


def test_a_removed_ally_gets_the_same_404_as_a_stranger_on_every_page(client):
    scene = build_scene()
    requests = [
        (name, method, _url(name, scene))
        for name, methods in TABLE.items()
        if name.startswith(ALLIANCE_AREAS) and name != "alliances:create"
        for method in methods
    ]
    relative = scene.allies["relative"]
    _as(client, scene.user("person"))
    confirm = client.get(_url("alliances:remove_ally", scene))
    assert confirm.status_code == 200
    assert _status(relative) == Ally.Status.ACTIVE
    removed = client.post(_url("alliances:remove_ally", scene), {"reason": "Il a déménagé."})
    assert removed.status_code == 302
    assert _status(relative) == Ally.Status.REMOVED

    _as(client, relative.user)
    for name, method, url in requests:
        response = client.get(url) if method == "get" else client.post(url, BLANK)
        assert response.status_code == 404, (name, method)
    assert Ally.objects.get(pk=relative.pk).status == Ally.Status.REMOVED
    assert client.get(reverse("home")).status_code == 200
    assert scene.alliance.title not in client.get(reverse("home")).content.decode()


def test_what_a_departed_ally_said_voted_and_signed_stays_in_their_name(client):
    scene = build_scene()
    charter = make_signable_charter(
        _trio_of(scene, "professional_ally", "representative", "person", "relative")
    )
    for role in ("person", "representative", "professional_ally"):
        services.sign_charter(
            ally=scene.allies[role], charter=charter, expected_revision=charter.revision
        )
    relative = scene.allies["relative"]
    statement = services.write_statement(
        ally=relative, kind="concern", text="Que Léo ait le temps de jouer."
    )
    services.cast_vote(ally=relative, statement=scene.statement, value=VoteValue.AGREE)
    charter.refresh_from_db()
    assert charter.status == charter.Status.SIGNING

    _as(client, scene.user("professional_ally"))
    assert client.get(_url("alliances:leave", scene)).status_code == 200
    left = client.post(_url("alliances:leave", scene))
    assert left.status_code == 302 and left["Location"] == reverse("home")
    _as(client, scene.user("person"))
    client.post(_url("alliances:remove_ally", scene), {"reason": ""})

    charter.refresh_from_db()
    # Only the removed relative had not signed: the charter is signed by all who remain.
    assert charter.status == charter.Status.SIGNED
    usual_pages(client)
    page = client.get(reverse("alliances:overview", args=[scene.alliance.pk])).content.decode()
    assert "Que Léo ait le temps de jouer." in page
    assert relative.user.display_name in page
    assert Statement.objects.get(pk=statement.pk).author_id == relative.pk
    assert Signature.objects.filter(ally=scene.allies["professional_ally"]).exists()
    actions = set(
        AuditEntry.objects.filter(alliance_id=scene.alliance.pk).values_list("action", flat=True)
    )
    assert {Action.ALLY_LEFT, Action.ALLY_REMOVED, Action.STATEMENT_WRITTEN} <= actions
    told = Notification.objects.filter(user=scene.user("representative"))
    assert {"ally_left", "ally_removed"} <= set(told.values_list("kind", flat=True))
    assert Notification.objects.filter(user=relative.user, kind="removed_from_alliance").exists()
    # What the relative was asked to do there is no longer theirs to do.
    assert not Notification.objects.filter(
        user=relative.user, alliance_id=scene.alliance.pk, read_at__isnull=True
    ).exists()


def _trio_of(scene, *roles):
    """The scene as `make_signable_charter` wants it, with the allies who commit."""
    return SimpleNamespace(
        alliance=scene.alliance,
        professional=scene.allies["professional_ally"],
        parent=scene.allies["representative"],
        person=scene.allies["person"],
        allies=[scene.allies[role] for role in roles],
    )


def test_the_person_cannot_leave_and_is_told_what_they_can_do(client):
    scene = build_scene()
    _as(client, scene.user("person"))
    page = client.get(_url("alliances:leave", scene))
    assert page.status_code == 200
    assert page.context["can_leave"] is False
    assert client.post(_url("alliances:leave", scene)).status_code == 403
    assert _status(scene.allies["person"]) == Ally.Status.ACTIVE


def test_a_removed_ally_vanishes_from_what_waits_for_the_allies_and_can_come_back(client):
    scene = build_scene()
    relative = scene.allies["relative"]
    charter = make_signable_charter(
        _trio_of(scene, "professional_ally", "representative", "person")
    )
    _as(client, scene.user("person"))
    before = client.get(reverse("alliances:charter", args=[scene.alliance.pk])).content
    assert relative.user.display_name.encode() in before  # no commitment yet: a blocker
    client.post(_url("alliances:remove_ally", scene), {"reason": ""})
    after = client.get(reverse("alliances:charter", args=[scene.alliance.pk]))
    assert after.context["blockers"] == []
    for role in ("person", "representative", "professional_ally"):
        services.sign_charter(
            ally=scene.allies[role], charter=charter, expected_revision=charter.revision
        )
    charter.refresh_from_db()
    assert charter.status == charter.Status.SIGNED


def test_an_ally_who_left_can_be_invited_again(client):
    scene = build_scene()
    professional = scene.allies["professional_ally"]
    _as(client, professional.user).post(_url("alliances:leave", scene))
    assert client.get(reverse("alliances:overview", args=[scene.alliance.pk])).status_code == 404
    again = _invited_by_email(
        client, inviter=scene.allies["person"], user=professional.user, role=Role.PROFESSIONAL
    )
    _as(client, professional.user)
    assert again.pk != professional.pk and again.user_id == professional.user_id
    assert client.get(reverse("alliances:overview", args=[scene.alliance.pk])).status_code == 200
    assert _status(professional) == Ally.Status.LEFT
