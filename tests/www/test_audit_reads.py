"""The audit trail seen through the pages: every read of an alliance page by an
ally is written down, the person sees who looked, and every write made through a
view leaves its entry."""

import datetime
import re
from html import unescape

import pytest
from django.urls import reverse
from django.utils import translation

from alliance.accounts.models import SignInSecret
from alliance.accounts.services import issue_sign_in_code, issue_sign_in_link
from alliance.alliances import services
from alliance.alliances.models import Alliance, PositionCheck, Role, VoteValue
from alliance.alliances.needs import life_domains
from alliance.audit.models import Action, AuditEntry
from alliance.www.templatetags.alliance_tags import page_label
from tests.factories import PASSWORD, UserFactory

from .scene import (
    ALLIANCE_AREAS,
    MEMBERS,
    URL_KWARGS,
    acting_objects,
    collective_objects,
    proposal_objects,
    review_of,
    trail_page,
    usual_pages,
)
from .test_permission_matrix import TABLE

pytestmark = pytest.mark.django_db

# Alliance pages an ally reads, from the permission table: a new page is covered here
# as soon as it has its row there.
READS = [
    pytest.param(name, role, id=f"{name}-{role}")
    for name, methods in TABLE.items()
    if name.startswith(ALLIANCE_AREAS) and name != "alliances:create" and "get" in methods
    for role in MEMBERS
    if methods["get"][role] == 200
]


def _viewed(alliance_id=None):
    entries = AuditEntry.objects.filter(action=Action.ALLIANCE_VIEWED)
    if alliance_id is not None:
        entries = entries.filter(alliance_id=alliance_id)
    return list(entries)


@pytest.mark.parametrize(("name", "role"), READS)
def test_every_page_read_by_an_ally_is_written_down(client, name, role, scene):
    user = scene.user(role)
    client.force_login(user)
    before = {e.pk for e in _viewed()}

    response = client.get(reverse(name, kwargs=URL_KWARGS[name](scene)))

    assert response.status_code == 200
    new = [e for e in _viewed() if e.pk not in before]
    assert len(new) == 1
    (entry,) = new
    assert entry.actor_id == user.pk
    assert entry.actor_label == user.display_name
    assert entry.alliance_id == scene.alliance.pk
    assert entry.organisation_id == scene.alliance.organisation_id
    expected = {"page": trail_page(name)}
    if "attachment_id" in URL_KWARGS[name](scene):  # the file opened, named (ADR 0026)
        expected |= {"attachment": scene.files["photo"].pk, "sha256": scene.files["photo"].sha256}
    assert entry.detail == expected


@pytest.mark.parametrize("role", ["waiting_ally", "same_org_professional", "org_admin"])
def test_a_refused_read_is_not_written_as_a_read(client, role, scene):
    client.force_login(scene.user(role))
    response = client.get(reverse("alliances:charter", args=[scene.alliance.pk]))
    assert response.status_code in (403, 404)
    assert not [e for e in _viewed(scene.alliance.pk) if e.actor_id == scene.user(role).pk]


def _trail_rows(html):
    rows = []
    for row in re.findall(r"<tr>(.*?)</tr>", html, flags=re.S):
        cells = [
            unescape(re.sub(r"<[^>]+>", "", c)).strip()
            for c in re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", row, flags=re.S)
        ]
        rows.append(cells)
    return rows[1:]  # without the header


def test_the_person_sees_who_looked_at_their_alliance(client, scene):
    pro, relative = scene.user("professional_ally"), scene.user("relative")
    client.force_login(pro)
    client.get(reverse("alliances:overview", args=[scene.alliance.pk]))
    client.get(reverse("alliances:charter", args=[scene.alliance.pk]))
    client.force_login(relative)
    client.get(reverse("alliances:statement", args=[scene.alliance.pk, scene.statement.pk]))

    client.force_login(scene.user("person"))
    usual_pages(client)
    response = client.get(reverse("alliances:trail", args=[scene.alliance.pk]))

    assert response.status_code == 200
    rows = _trail_rows(response.content.decode())
    with translation.override("fr"):
        looked = str(Action.ALLIANCE_VIEWED.label)
        seen = {(who, what) for _when, who, what in rows}
        assert (pro.display_name, f"{looked} ({page_label('overview')})") in seen
        assert (pro.display_name, f"{looked} ({page_label('charter')})") in seen
        assert (relative.display_name, f"{looked} ({page_label('statement')})") in seen
        # Newest first.
        assert rows[0][1:] == [relative.display_name, f"{looked} ({page_label('statement')})"]
    # Nobody outside the alliance appears in it.
    outsiders = {scene.user(r).display_name for r in ("same_org_professional", "org_admin")}
    assert not outsiders & {who for _when, who, _what in rows}


# ---------------------------------------------------------------- writes through the views


def _revision(scene):
    scene.charter.refresh_from_db()
    return scene.charter.revision


def _common_ground(scene):
    for role in ("representative", "relative", "professional_ally"):
        services.cast_vote(
            ally=scene.allies[role], statement=scene.statement, value=VoteValue.AGREE
        )
    return scene.statement


def _adopted(scene):
    return services.adopt_interest(
        ally=scene.allies["professional_ally"],
        charter=scene.charter,
        statement=_common_ground(scene),
        expected_revision=_revision(scene),
    )


def _signable(scene):
    _adopted(scene)
    for role in MEMBERS:
        services.add_commitment(
            ally=scene.allies[role],
            charter=scene.charter,
            text="Je m'engage.",
            expected_revision=_revision(scene),
        )
    return scene.charter


def _signed_by_the_person(scene):
    _signable(scene)
    services.sign_charter(
        ally=scene.allies["person"], charter=scene.charter, expected_revision=_revision(scene)
    )


def _an_invited_stranger(scene):
    ally = services.invite_ally(
        inviter=scene.allies["representative"], display_name="Tante Zoé", role=Role.RELATIVE
    )
    return ally


def _section(section):
    return lambda s: {"alliance_id": s.alliance.pk, "section": section}


def _alliance(s):
    return {"alliance_id": s.alliance.pk}


def _statement(s):
    return {"alliance_id": s.alliance.pk, "statement_id": s.statement.pk}


def _option(s):
    return {"alliance_id": s.alliance.pk, "option_id": acting_objects(s).option.pk}


def _action(s):
    return {"alliance_id": s.alliance.pk, "action_id": acting_objects(s).action.pk}


def _entry(s):
    return {"alliance_id": s.alliance.pk, "entry_id": acting_objects(s).entry.pk}


def _wav():
    from django.core.files.uploadedfile import SimpleUploadedFile

    from alliance.demo.voice import tone_wav

    return SimpleUploadedFile("voix.wav", tone_wav(1.0), content_type="audio/wav")


def _signed(data):
    """POST data built once the scene has a signed charter and its acting objects."""
    return lambda s: acting_objects(s) and data(s)


def _days_ago(days):
    return (datetime.date.today() - datetime.timedelta(days=days)).isoformat()


# id -> (acting role, url name, url kwargs, POST data (from the scene), expected action)
# The acting role "stranger" is someone invited just before the request.
WRITES = {
    "join": (
        "stranger",
        "alliances:join",
        _alliance,
        lambda s: {"answer": "accept"},
        Action.ALLY_JOINED,
    ),
    "invite": (
        "representative",
        "alliances:invite",
        _alliance,
        lambda s: {"display_name": "Tante Zoé", "role": Role.RELATIVE},
        Action.ALLY_INVITED,
    ),
    "approve": (
        "representative",
        "alliances:decide",
        lambda s: {**_alliance(s), "ally_id": s.allies["waiting_ally"].pk},
        lambda s: {"decision": "approve"},
        Action.ALLY_APPROVED,
    ),
    "refuse": (
        "person",
        "alliances:decide",
        lambda s: {**_alliance(s), "ally_id": s.allies["waiting_ally"].pk},
        lambda s: {"decision": "refuse"},
        Action.ALLY_REFUSED,
    ),
    # Representatives and allies (issue 9).
    "invite a representative with their mandate": (
        "professional_ally",
        "alliances:invite",
        _alliance,
        lambda s: {
            "display_name": "Tante Zoé",
            "role": Role.REPRESENTATIVE,
            "mandate_kind": "parent",
        },
        Action.MANDATE_RECORDED,
    ),
    "change the mandate": (
        "representative",
        "alliances:mandate",
        _alliance,
        lambda s: {"mandate_kind": "parent", "mandate_reference": "Livret de famille"},
        Action.MANDATE_CHANGED,
    ),
    "remove an ally": (
        "person",
        "alliances:remove_ally",
        lambda s: {**_alliance(s), "ally_id": s.allies["relative"].pk},
        lambda s: {"reason": "Il a déménagé."},
        Action.ALLY_REMOVED,
    ),
    "leave": ("relative", "alliances:leave", _alliance, lambda s: {}, Action.ALLY_LEFT),
    "recognition": (
        "relative",
        "alliances:recognition",
        _alliance,
        lambda s: {"brings": "Du temps le mercredi.", "expects": ""},
        Action.RECOGNITION_WRITTEN,
    ),
    "statement": (
        "relative",
        "alliances:statement_new",
        _alliance,
        lambda s: {"kind": "goal", "text": "Qu'il dorme mieux."},
        Action.STATEMENT_WRITTEN,
    ),
    "statement-change": (
        "person",
        "alliances:statement_edit",
        _statement,
        lambda s: {"kind": "goal", "text": "Autrement dit.", "version": 1},
        Action.STATEMENT_CHANGED,
    ),
    "statement-withdraw": (
        "person",
        "alliances:statement_withdraw",
        _statement,
        lambda s: {},
        Action.STATEMENT_WITHDRAWN,
    ),
    # Voice notes (ADR 0019): a recording sent as a file; a deletion of the note heard.
    "statement-voice": (
        "person",
        "alliances:statement_voice_record",
        _statement,
        lambda s: {"audio": _wav(), "version": 0},
        Action.VOICE_NOTE_RECORDED,
    ),
    "statement-voice-replace": (
        "person",
        "alliances:statement_voice_record",
        URL_KWARGS["alliances:statement_voice_record"],
        lambda s: {"audio": _wav(), "version": 1},
        Action.VOICE_NOTE_REPLACED,
    ),
    "statement-voice-delete": (
        "person",
        "alliances:statement_voice_delete",
        URL_KWARGS["alliances:statement_voice_delete"],
        lambda s: {"version": 1},
        Action.VOICE_NOTE_DELETED,
    ),
    "journal-voice": (
        "person",
        "acting:journal_voice_record",
        _entry,
        lambda s: {"audio": _wav(), "version": 0},
        Action.VOICE_NOTE_RECORDED,
    ),
    "journal-voice-delete": (
        "person",
        "acting:journal_voice_delete",
        URL_KWARGS["acting:journal_voice_delete"],
        lambda s: {"version": 1},
        Action.VOICE_NOTE_DELETED,
    ),
    "vote": (
        "relative",
        "alliances:vote",
        _statement,
        lambda s: {"value": "disagree"},
        Action.VOTE_GIVEN,
    ),
    "asymmetry": (
        "professional_ally",
        "alliances:asymmetries",
        _alliance,
        lambda s: {
            "dimension": "information",
            "what_is_held": "Le dossier.",
            "holders": [s.allies["professional_ally"].pk],
        },
        Action.ASYMMETRY_ADDED,
    ),
    "adopt-interest": (
        "representative",
        "alliances:charter_edit",
        _section("interests"),
        lambda s: {"revision": _revision(s), "statement": _common_ground(s).pk},
        Action.CHARTER_CHANGED,
    ),
    "remove-interest": (
        "representative",
        "alliances:charter_edit",
        _section("remove-interest"),
        lambda s: {"interest": _adopted(s).pk, "revision": _revision(s)},
        Action.CHARTER_CHANGED,
    ),
    "commitment": (
        "relative",
        "alliances:charter_edit",
        _section("commitments"),
        lambda s: {"revision": _revision(s), "text": "Venir le mercredi."},
        Action.CHARTER_CHANGED,
    ),
    "remove-commitment": (
        "relative",
        "alliances:charter_edit",
        _section("remove-commitment"),
        lambda s: {
            "commitment": services.add_commitment(
                ally=s.allies["relative"],
                charter=s.charter,
                text="Venir.",
                expected_revision=_revision(s),
            ).pk,
            "revision": _revision(s),
        },
        Action.CHARTER_CHANGED,
    ),
    "perimeter": (
        "person",
        "alliances:charter_edit",
        _section("perimeter"),
        lambda s: {
            "revision": _revision(s),
            "domain": life_domains()[0][0],
            "status": "in_alliance",
        },
        Action.CHARTER_CHANGED,
    ),
    "indicator": (
        "professional_ally",
        "alliances:charter_edit",
        _section("indicators"),
        lambda s: {
            "revision": _revision(s),
            "name": "Sommeil",
            "scale_min": 0,
            "scale_max": 10,
            "raters": [s.allies["person"].pk],
        },
        Action.CHARTER_CHANGED,
    ),
    "understanding": (
        "representative",
        "alliances:charter_edit",
        _section("understanding"),
        lambda s: {"revision": _revision(s), "text": "Léo veut apprendre."},
        Action.CHARTER_CHANGED,
    ),
    "sign": (
        "person",
        "alliances:charter_edit",
        _section("sign"),
        lambda s: {"revision": _revision(_signable(s) and s)},
        Action.CHARTER_SIGNED,
    ),
    "new-version": (
        "relative",
        "alliances:charter_edit",
        _section("understanding"),
        lambda s: {
            "revision": _signed_by_the_person(s) or _revision(s),
            "text": "Après la signature.",
        },
        Action.CHARTER_VERSION_OPENED,
    ),
    "position": (
        "relative",
        "alliances:positions",
        _alliance,
        lambda s: {
            "chooses_path": PositionCheck.Answer.TOGETHER,
            "sets_pace": PositionCheck.Answer.TOGETHER,
            "walks_ahead": PositionCheck.Answer.ME,
        },
        Action.POSITION_CHECKED,
    ),
    "invite-by-email": (
        "representative",
        "alliances:invite",
        _alliance,
        lambda s: {"display_name": "Zoé", "email": "zoe@example.org", "role": Role.RELATIVE},
        Action.ALLY_INVITATION_SENT,
    ),
    "withdraw-invitation": (
        "representative",
        "alliances:withdraw_invitation",
        lambda s: URL_KWARGS["alliances:withdraw_invitation"](s),
        lambda s: {},
        Action.ALLY_INVITATION_WITHDRAWN,
    ),
    "accept-invitation": (
        "other_org_professional",
        "invitations:answer_alliance",
        lambda s: URL_KWARGS["invitations:answer_alliance"](s),
        lambda s: {"answer": "accept"},
        Action.ALLY_INVITATION_ACCEPTED,
    ),
    "decline-invitation": (
        "other_org_professional",
        "invitations:answer_alliance",
        lambda s: URL_KWARGS["invitations:answer_alliance"](s),
        lambda s: {"answer": "decline"},
        Action.ALLY_INVITATION_DECLINED,
    ),
    "means": (
        "representative",
        "acting:means",
        _alliance,
        _signed(lambda s: {"interest": s.statement.pk, "description": "Une classe ULIS"}),
        Action.MEANS_PROPOSED,
    ),
    "stance": (
        "relative",
        "acting:stance",
        _option,
        _signed(lambda s: {"value": "oppose", "reason": "Trop de monde."}),
        Action.STANCE_TAKEN,
    ),
    "decide": (
        "representative",
        "acting:decide",
        _option,
        _signed(lambda s: {"consent": "on", "version": 1}),
        Action.MEANS_DECIDED,
    ),
    "availability": (
        "professional_ally",
        "acting:availability",
        _option,
        _signed(lambda s: {"status": "waiting", "since": _days_ago(10), "version": 1}),
        Action.AVAILABILITY_CHANGED,
    ),
    "action": (
        "professional_ally",
        "acting:actions",
        _alliance,
        _signed(
            lambda s: {"title": "Visiter", "domain_label": "Scolarité", "my_role": "Je conduis"}
        ),
        Action.ACTION_PLANNED,
    ),
    "join-action": (
        "person",
        "acting:join_action",
        _action,
        _signed(lambda s: {"role": "Je prépare mes questions"}),
        Action.ACTION_JOINED,
    ),
    "agree-action": (
        "representative",
        "acting:agree_action",
        _action,
        _signed(lambda s: {}),
        Action.ACTION_AGREED,
    ),
    "move-action": (
        "professional_ally",
        "acting:move_action",
        _action,
        _signed(lambda s: {"to": "abandon", "version": 1}),
        Action.ACTION_MOVED,
    ),
    "capacity": (
        "relative",
        "acting:capacities",
        _alliance,
        lambda s: {"kind": "constraint", "text": "Je travaille le samedi."},
        Action.CAPACITY_WRITTEN,
    ),
    "journal": (
        "relative",
        "acting:journal",
        _alliance,
        lambda s: {"happened": "Une bonne réunion."},
        Action.JOURNAL_WRITTEN,
    ),
    "journal-revise": (
        "person",
        "acting:journal_edit",
        _entry,
        _signed(lambda s: {"happened": "Une réunion, autrement dit.", "version": 1}),
        Action.JOURNAL_REVISED,
    ),
    "next-review": (
        "relative",
        "acting:reviews",
        _alliance,
        _signed(lambda s: {"on": _days_ago(-60), "version": 0}),
        Action.NEXT_REVIEW_SET,
    ),
    "open-review": (
        "person",
        "acting:review_open",
        _alliance,
        _signed(lambda s: {}),
        Action.REVIEW_OPENED,
    ),
    "conclusion": (
        "relative",
        "acting:review_conclusion",
        lambda s: {
            "alliance_id": s.alliance.pk,
            "review_id": review_of(s).pk,
            "ally_id": s.allies["relative"].pk,
        },
        lambda s: {"text": "On avance.", "version": 0},
        Action.REVIEW_CONCLUDED,
    ),
    "review-charter": (
        "representative",
        "acting:review_charter",
        lambda s: {"alliance_id": s.alliance.pk, "review_id": review_of(s).pk},
        _signed(lambda s: {"version": _revision(s)}),
        Action.CHARTER_VERSION_OPENED,
    ),
    "indicator-reading": (
        "relative",
        "acting:indicators",
        _alliance,
        _signed(lambda s: {"indicator": s.acting.indicator.pk, "value": 7, "note": "Mieux."}),
        Action.INDICATOR_RATED,
    ),
    "weather": (
        "person",
        "acting:weather",
        _alliance,
        _signed(
            lambda s: {
                "easy_read": "True",
                "aim": 4,
                "way": 3,
                "heard": 5,
                "decide": 2,
                "word": "Fatigué",
            }
        ),
        Action.WEATHER_GIVEN,
    ),
    "need": (
        "relative",
        "reports:code_need",
        _statement,
        _signed(lambda s: {"domain": "1.3.3.1"}),
        Action.NEED_CODED,
    ),
}


@pytest.mark.parametrize("case", WRITES)
def test_every_write_through_a_view_leaves_its_entry_in_the_alliance_trail(client, case, scene):
    role, name, url_kwargs, data, action = WRITES[case]
    user = _an_invited_stranger(scene).user if role == "stranger" else scene.user(role)
    payload = data(scene)
    before = set(AuditEntry.objects.values_list("pk", flat=True))
    client.force_login(user)

    response = client.post(reverse(name, kwargs=url_kwargs(scene)), payload)

    assert response.status_code in (200, 302), response.content.decode()[:2000]
    new = AuditEntry.objects.exclude(pk__in=before).filter(action=action)
    assert [(e.actor_id, e.alliance_id) for e in new] == [(user.pk, scene.alliance.pk)]


# ---------------------------------------------------------------- proposals


def _proposal(s):
    return {"proposal_id": proposal_objects(s).proposal.pk}


def _a_draft(s):
    from alliance.reports.proposals import services as proposals
    from tests.reports.proposal_world import member_of

    objects = proposal_objects(s)
    member = member_of(objects.collective, s.user("professional_ally"))
    objects.proposal = proposals.write_proposal(
        member=member,
        title="Des bancs",
        text="Des bancs au parc.",
        addressee=s.user("decision_maker"),
    )
    return {"proposal_id": objects.proposal.pk}


# id -> (acting role, url name, url kwargs, POST data, expected action, filed under the
# alliance?) Proposals belong to a collective; only an alliance joining is in its trail.
PROPOSAL_WRITES = {
    "write": (
        "person",
        "proposals:collective",
        lambda s: {"collective_id": proposal_objects(s).collective.pk},
        lambda s: {
            "title": "Des bancs",
            "text": "Des bancs au parc.",
            "requests": "Deux bancs près des jeux.\nUn banc à l'ombre.",
            "addressee": s.user("decision_maker").pk,
        },
        Action.PROPOSAL_WRITTEN,
        False,
    ),
    "send": (
        "professional_ally",
        "proposals:send",
        _a_draft,
        lambda s: {},
        Action.PROPOSAL_SENT,
        False,
    ),
    "co-sign": (
        "relative",
        "proposals:co_sign",
        _proposal,
        lambda s: {},
        Action.PROPOSAL_CO_SIGNED,
        False,
    ),
    "join": (
        "representative",
        "proposals:join",
        _proposal,
        lambda s: {"alliance": s.allies["representative"].pk},
        Action.PROPOSAL_JOINED,
        True,
    ),
    "answer": (
        "decision_maker",
        "proposals:received",
        _proposal,
        lambda s: {"status": "answered", "words": "Oui, au printemps.", "version": 2},
        Action.PROPOSAL_MOVED,
        False,
    ),
}


def test_opening_and_closing_the_public_page_is_written_down(client, scene):
    collective = proposal_objects(scene).collective
    user = scene.user("professional_ally")
    before = set(AuditEntry.objects.values_list("pk", flat=True))
    client.force_login(user)
    url = reverse("proposals:public_page", args=[collective.pk])
    assert client.post(url, {"public": "0"}).status_code == 302
    assert client.post(url, {"public": "1"}).status_code == 302
    entries = _new_entries(before, Action.PUBLIC_PAGE_CHANGED)
    assert sorted((e.actor_id, e.target_type, e.detail["public"]) for e in entries) == [
        (user.pk, "collective", False),
        (user.pk, "collective", True),
    ]


@pytest.mark.parametrize("case", PROPOSAL_WRITES)
def test_every_write_on_a_proposal_leaves_its_entry(client, case, scene):
    role, name, url_kwargs, data, action, in_alliance = PROPOSAL_WRITES[case]
    user = scene.user(role)
    kwargs = url_kwargs(scene)
    before = set(AuditEntry.objects.values_list("pk", flat=True))
    client.force_login(user)

    response = client.post(reverse(name, kwargs=kwargs), data(scene))

    assert response.status_code == 302, response.content.decode()[:2000]
    new = AuditEntry.objects.exclude(pk__in=before).filter(action=action)
    alliance_id = scene.alliance.pk if in_alliance else None
    assert [(e.actor_id, e.alliance_id, e.target_type) for e in new] == [
        (user.pk, alliance_id, "proposal")
    ]


# ---------------------------------------------------------------- consultation results


def _results_place():
    from alliance.collectives import results
    from tests.collectives.test_results import Place

    place = Place(tenants=6, owners=6)
    place.vote_all()
    results.recompute_now(member=place.facilitator, consultation=place.consultation)
    return place


RESULTS_WRITES = {
    "recompute": ("post", "results:recompute", lambda p: (), Action.RESULTS_RECOMPUTE_REQUESTED),
    "export": ("get", "results:export", lambda p: (), Action.RESULTS_EXPORTED),
    "adopt": (
        "post",
        "results:adopt",
        lambda p: (p.statements[0].pk,),
        Action.COLLECTIVE_INTEREST_ADOPTED,
    ),
}


@pytest.mark.parametrize("case", RESULTS_WRITES)
def test_every_facilitator_act_on_results_leaves_its_entry(client, case):
    method, name, extra, action = RESULTS_WRITES[case]
    place = _results_place()
    before = set(AuditEntry.objects.values_list("pk", flat=True))
    client.force_login(place.facilitator.user)
    url = reverse(name, args=[place.collective.pk, place.consultation.pk, *extra(place)])
    payload = {"text": "Des abords d'école sûrs", "need_code": ""}
    response = client.get(url) if method == "get" else client.post(url, payload)
    assert response.status_code in (200, 302)
    new = AuditEntry.objects.exclude(pk__in=before).filter(action=action)
    assert [(e.actor_id, e.detail["collective"]) for e in new] == [
        (place.facilitator.user_id, place.collective.pk)
    ]


# ---------------------------------------------------------------- linking alliances


def _other_consenting_alliance(scene):
    """A second alliance of the same organisation, signed charter, consent given."""
    from alliance.linking import services as linking
    from tests.factories import make_alliance_trio, make_signed_charter

    other = make_alliance_trio(professional=scene.user("professional_ally"), title="Voisins")
    make_signed_charter(other)
    linking.give_link_consent(ally=other.parent)
    return other


def _consented(scene):
    """The scene's charter signed by its four allies, consent given, and another
    consenting alliance sharing its school interest."""
    from alliance.linking import services as linking
    from tests.factories import Trio, make_signable_charter

    allies = scene.allies
    trio = Trio(
        alliance=scene.alliance,
        professional=allies["professional_ally"],
        parent=allies["representative"],
        person=allies["person"],
    )
    charter = make_signable_charter(trio)
    services.add_commitment(
        ally=allies["relative"],
        charter=charter,
        text="Je viens aux réunions.",
        expected_revision=charter.revision,
    )
    for role in ("professional_ally", "representative", "person", "relative"):
        charter.refresh_from_db()
        services.sign_charter(
            ally=allies[role], charter=charter, expected_revision=charter.revision
        )
    linking.give_link_consent(ally=allies["representative"])
    _other_consenting_alliance(scene)


LINKING_WRITES = {
    "consent": ("linking:consent", lambda s: {"consent": "yes"}, Action.LINK_CONSENT_GIVEN),
    "withdraw": (
        "linking:consent",
        lambda s: _consented(s) or {"consent": "no"},
        Action.LINK_CONSENT_WITHDRAWN,
    ),
    "join": (
        "linking:join",
        lambda s: _consented(s) or {"need_code": "1.3.3.1"},
        Action.LINKED_COLLECTIVE_JOINED,
    ),
}


@pytest.mark.parametrize("case", LINKING_WRITES)
def test_every_linking_decision_is_in_the_alliance_trail(client, case, scene):
    name, data, action = LINKING_WRITES[case]
    payload = data(scene)
    user = scene.user("representative")
    before = set(AuditEntry.objects.values_list("pk", flat=True))
    client.force_login(user)
    response = client.post(reverse(name, kwargs=_alliance(scene)), payload)
    assert response.status_code == 302
    new = AuditEntry.objects.exclude(pk__in=before).filter(action=action)
    assert [(e.actor_id, e.alliance_id) for e in new] == [(user.pk, scene.alliance.pk)]


def test_creating_an_alliance_through_the_page_is_written_down(client):
    pro = UserFactory(professional=True)
    client.force_login(pro)
    response = client.post(
        reverse("alliances:create"), {"title": "Trouver un logement", "person_name": "Marc"}
    )
    assert response.status_code == 302
    alliance = Alliance.objects.get(title="Trouver un logement")
    actions = set(
        AuditEntry.objects.filter(alliance_id=alliance.pk, actor=pro).values_list(
            "action", flat=True
        )
    )
    assert {Action.ALLIANCE_CREATED, Action.ALLY_INVITED} <= actions


# ---------------------------------------------------------------- collectives


def _draft(scene):
    from alliance.collectives import services as collectives

    circle = collective_objects(scene)
    draft = collectives.create_consultation(
        by=circle.members["professional_ally"], question="Un brouillon ?", seed_statements=["Un."]
    )
    return {**URL_KWARGS["collectives:detail"](scene), "consultation_id": draft.pk}


def _in(name):
    return lambda s: URL_KWARGS[name](s)


# Each write in a collective is filed under the host organisation, with the collective
# named in the detail. case -> (role, url name, url kwargs, POST data, action)
COLLECTIVE_WRITES = {
    "add-member": (
        "professional_ally",
        "collectives:add_member",
        _in("collectives:add_member"),
        lambda s: {"display_name": "Tante Zoé", "standing": "relative"},
        Action.COLLECTIVE_MEMBER_ADDED,
    ),
    "invite-member": (
        "professional_ally",
        "collectives:add_member",
        _in("collectives:add_member"),
        lambda s: {"display_name": "Zoé", "email": "zoe@example.org", "standing": "relative"},
        Action.MEMBER_INVITATION_SENT,
    ),
    "withdraw-member-invitation": (
        "professional_ally",
        "collectives:withdraw_invitation",
        _in("collectives:withdraw_invitation"),
        lambda s: {},
        Action.MEMBER_INVITATION_WITHDRAWN,
    ),
    "accept-member-invitation": (
        "other_org_professional",
        "invitations:answer_collective",
        _in("invitations:answer_collective"),
        lambda s: {"answer": "accept"},
        Action.MEMBER_INVITATION_ACCEPTED,
    ),
    "decline-member-invitation": (
        "other_org_professional",
        "invitations:answer_collective",
        _in("invitations:answer_collective"),
        lambda s: {"answer": "decline"},
        Action.MEMBER_INVITATION_DECLINED,
    ),
    "name-facilitator": (
        "professional_ally",
        "collectives:make_facilitator",
        _in("collectives:make_facilitator"),
        lambda s: {},
        Action.FACILITATOR_NAMED,
    ),
    "leave": (
        "relative",
        "collectives:leave",
        _in("collectives:leave"),
        lambda s: {},
        Action.COLLECTIVE_LEFT,
    ),
    "prepare": (
        "professional_ally",
        "collectives:consultation_create",
        _in("collectives:consultation_create"),
        lambda s: {"question": "Et les parkings ?", "seed_statements": "Un.\nDeux."},
        Action.CONSULTATION_CREATED,
    ),
    "open": (
        "professional_ally",
        "collectives:consultation_status",
        _draft,
        lambda s: {"move": "open", "version": 1},
        Action.CONSULTATION_OPENED,
    ),
    "close": (
        "professional_ally",
        "collectives:consultation_status",
        _in("collectives:consultation_status"),
        lambda s: {"move": "close", "version": 2},
        Action.CONSULTATION_CLOSED,
    ),
    "write": (
        "relative",
        "collectives:statement_new",
        _in("collectives:statement_new"),
        lambda s: {"text": "Des bancs sur la place."},
        Action.CONSULTATION_STATEMENT_WRITTEN,
    ),
    "accept": (
        "professional_ally",
        "collectives:moderate",
        _in("collectives:moderate"),
        lambda s: {"decision": "accept"},
        Action.CONSULTATION_STATEMENT_ACCEPTED,
    ),
    "reject": (
        "professional_ally",
        "collectives:moderate",
        _in("collectives:moderate"),
        lambda s: {"decision": "reject", "reason": "Deux idées à la fois."},
        Action.CONSULTATION_STATEMENT_REJECTED,
    ),
    "withdraw": (
        "person",
        "collectives:statement_withdraw",
        _in("collectives:statement_withdraw"),
        lambda s: {},
        Action.CONSULTATION_STATEMENT_WITHDRAWN,
    ),
    "vote": (
        "representative",
        "collectives:vote",
        _in("collectives:vote"),
        lambda s: {"statement": s.circle.seed.pk, "value": "-1"},
        Action.CONSULTATION_VOTED,
    ),
}


@pytest.mark.parametrize("case", COLLECTIVE_WRITES)
def test_every_write_in_a_collective_leaves_its_entry(client, case, scene):
    role, name, url_kwargs, data, action = COLLECTIVE_WRITES[case]
    kwargs = url_kwargs(scene)
    payload = data(scene)
    user = scene.user(role)
    before = set(AuditEntry.objects.values_list("pk", flat=True))
    client.force_login(user)

    response = client.post(reverse(name, kwargs=kwargs), payload)

    assert response.status_code in (200, 302), response.content.decode()[:2000]
    new = AuditEntry.objects.exclude(pk__in=before).filter(action=action)
    collective = scene.circle.collective
    assert [(e.actor_id, e.organisation_id, e.detail["collective"]) for e in new] == [
        (user.pk, collective.organisation_id, collective.pk)
    ]
    assert all("value" not in e.detail for e in new)  # nobody learns how someone voted


def test_starting_a_collective_through_the_page_is_written_down(client):
    user = UserFactory(individual=True)
    client.force_login(user)
    response = client.post(
        reverse("collectives:create"), {"name": "Atelier bois", "kind": "workshop"}
    )
    assert response.status_code == 400  # standing missing
    response = client.post(
        reverse("collectives:create"),
        {"name": "Atelier bois", "kind": "workshop", "standing": "person"},
    )
    assert response.status_code == 302
    (entry,) = AuditEntry.objects.filter(action=Action.COLLECTIVE_CREATED)
    assert entry.actor_id == user.pk


# ---------------------------------------------------------------- accounts


def _new_entries(before, action):
    return list(AuditEntry.objects.exclude(pk__in=before).filter(action=action))


def test_sign_ins_and_failures_are_written_down(client, settings):
    user = UserFactory(professional=True, email="ines@example.org")
    before = set(AuditEntry.objects.values_list("pk", flat=True))
    url = reverse("accounts:sign_in")
    failures = settings.ALLIANCE_SIGN_IN_FREE_FAILURES + 1
    for _attempt in range(failures):
        client.post(url, {"email": "ines@example.org", "password": "wrong password!"})
    assert len(_new_entries(before, Action.SIGN_IN_FAILED)) == failures
    assert [e.actor_id for e in _new_entries(before, Action.SIGN_IN_DELAYED)] == [user.pk]

    other = UserFactory(email="nadia@example.org")
    client.post(url, {"email": "nadia@example.org", "password": PASSWORD})
    code = issue_sign_in_code(user=other)
    client.post(reverse("accounts:sign_in_code"), {"code": code})
    link = issue_sign_in_link(user=other)
    client.post(link)
    assert [e.actor_id for e in _new_entries(before, Action.SIGN_IN)] == [other.pk] * 3


def test_codes_links_and_professionals_are_written_down(client, org_admin):
    colleague = UserFactory(professional=True, organisation=org_admin.organisation)
    before = set(AuditEntry.objects.values_list("pk", flat=True))
    client.post(reverse("accounts:request_code"), {"email": colleague.email})
    client.force_login(org_admin)
    client.post(
        reverse("accounts:professionals"),
        {"display_name": "Nouvelle Collègue", "email": "nouvelle@example.org"},
    )
    client.post(reverse("accounts:professional_active", args=[colleague.pk]), {"active": "0"})

    assert [e.actor_id for e in _new_entries(before, Action.SIGN_IN_CODE_ISSUED)] == [colleague.pk]
    assert [e.actor_id for e in _new_entries(before, Action.PROFESSIONAL_ADDED)] == [org_admin.pk]
    assert [e.actor_id for e in _new_entries(before, Action.SIGN_IN_LINK_ISSUED)] == [org_admin.pk]
    deactivated = _new_entries(before, Action.PROFESSIONAL_DEACTIVATED)
    assert [(e.actor_id, e.target_id) for e in deactivated] == [(org_admin.pk, colleague.pk)]
    client.post(reverse("accounts:professional_active", args=[colleague.pk]), {"active": "1"})
    reactivated = _new_entries(before, Action.PROFESSIONAL_REACTIVATED)
    assert [(e.actor_id, e.target_id) for e in reactivated] == [(org_admin.pk, colleague.pk)]
    assert SignInSecret.objects.filter(user=colleague, kind=SignInSecret.Kind.CODE).exists()


def test_reports_asked_for_published_and_read_are_written_down(client, scene):
    admin, reader = scene.user("org_admin"), scene.user("decision_maker")
    before = set(AuditEntry.objects.values_list("pk", flat=True))
    client.force_login(admin)
    today = datetime.date.today()
    response = client.post(
        reverse("reports:create"),
        {
            "scope_kind": "organisation",
            "organisation": admin.organisation_id,
            "period_start": (today - datetime.timedelta(days=90)).isoformat(),
            "period_end": today.isoformat(),
            "threshold": "5",
        },
    )
    assert response.status_code == 302
    report_id = int(response["Location"].rstrip("/").split("/")[-1])
    client.post(reverse("reports:publish", args=[report_id]), {"recipients": [reader.pk]})
    client.force_login(reader)
    client.get(reverse("reports:detail", args=[report_id]))
    client.get(reverse("reports:export", args=[report_id, "csv"]))

    requested = _new_entries(before, Action.REPORT_REQUESTED)
    assert [(e.actor_id, e.target_id, e.organisation_id) for e in requested] == [
        (admin.pk, report_id, admin.organisation_id)
    ]
    published = _new_entries(before, Action.REPORT_PUBLISHED)
    assert [(e.actor_id, e.detail) for e in published] == [(admin.pk, {"to": [reader.pk]})]
    read = _new_entries(before, Action.REPORT_VIEWED)
    assert [(e.actor_id, e.detail) for e in sorted(read, key=lambda e: e.pk)] == [
        (reader.pk, {"as": "page"}),
        (reader.pk, {"as": "csv"}),
    ]
    # Reports are not alliances: nothing lands in any alliance's trail.
    assert {e.alliance_id for e in requested + published + read} == {None}


def test_every_action_is_exercised_by_a_test_here():
    """A new kind of audit entry needs a test through the views."""
    covered = (
        {case[-1] for case in WRITES.values()}
        | {case[-1] for case in COLLECTIVE_WRITES.values()}
        | {case[4] for case in PROPOSAL_WRITES.values()}
        | {case[-1] for case in RESULTS_WRITES.values()}
        | {case[-1] for case in LINKING_WRITES.values()}
        | {
            Action.COLLECTIVE_CREATED,
            Action.ALLIANCE_VIEWED,
            # Issue 14, through their own pages' and use cases' tests, which assert
            # the entry: report requests and planning codes
            # (tests/reports/test_requests.py, test_request_pages.py), a group's
            # description (tests/collectives/test_results_report.py), invitations from a
            # file (tests/collectives/test_invitation_batches.py), the follow-through of
            # proposals (tests/reports/test_proposal_follow_through.py).
            Action.REPORT_REQUEST_MADE,
            Action.REPORT_REQUEST_ANSWERED,
            Action.REPORT_REQUEST_CLOSED,
            # The daily job, no page: tests/reports/test_request_answer_day.py.
            Action.REPORT_REQUEST_CLOSED_ON_ANSWER_DAY,
            Action.ORGANISATION_ADDRESS_SET,
            Action.ALLIANCE_PLANNING_SET,
            Action.GROUP_DESCRIBED,
            Action.MEMBER_INVITATION_BATCH_PREPARED,
            Action.MEMBER_INVITATION_BATCH_SENT,
            Action.MEMBER_INVITATION_BATCH_DISCARDED,
            Action.REQUEST_ANSWERED,
            Action.PROGRESS_POSTED,
            Action.ANSWER_REACTED,
            # Every collective page, through the pages in test_methods.py.
            Action.COLLECTIVE_VIEWED,
            Action.ALLIANCE_CREATED,
            Action.ALLY_INVITED,
            # Starting from a DUI (ADR 0031): through the pages and the use case in
            # tests/interop/test_import.py.
            Action.DUI_IMPORTED,
            Action.STATEMENT_IMPORTED,
            Action.SIGN_IN,
            Action.SIGN_IN_FAILED,
            Action.SIGN_IN_DELAYED,
            # Through the pages in test_sessions.py.
            Action.SESSION_ENDED,
            Action.OTHER_SESSIONS_ENDED,
            Action.SIGN_IN_LINK_ISSUED,
            Action.SIGN_IN_CODE_ISSUED,
            Action.PROFESSIONAL_ADDED,
            Action.PROFESSIONAL_DEACTIVATED,
            Action.PROFESSIONAL_REACTIVATED,
            Action.PASSWORD_CHANGED,
            Action.NOTIFICATION_SETTINGS_CHANGED,
            Action.PUBLIC_PAGE_CHANGED,
            Action.REPORT_REQUESTED,
            Action.REPORT_PUBLISHED,
            Action.REPORT_VIEWED,
            # A person's data (issue 13): through the pages in tests/privacy/test_pages.py.
            Action.DATA_ARCHIVE_REQUESTED,
            Action.DATA_ARCHIVE_DOWNLOADED,
            # Through the pages in tests/accounts/test_mfa_pages.py and test_proconnect.py.
            Action.SECOND_FACTOR_ADDED,
            Action.SECOND_FACTOR_REMOVED,
            Action.RECOVERY_CODES_REGENERATED,
            Action.PROCONNECT_LINKED,
            # Through the pages in test_activation.py and test_access_reissue.py.
            Action.ACTIVATION_LETTER_ISSUED,
            Action.ACTIVATION_CODE_TEXTED,
            Action.ACCOUNT_ACTIVATED,
            Action.DEVICE_KEPT_SIGNED_IN,
            Action.DEVICE_REVOKED,
            Action.ACCESS_REISSUE_REQUESTED,
            Action.ACCESS_REISSUED,
            # Not through a page: the installation commands, in
            # tests/accounts/test_installation.py.
            Action.ORGANISATION_CREATED,
            Action.DECISION_MAKER_ADDED,
            # Closing, reopening and handing over (issue 12), through the pages and the
            # use cases in tests/caseload/test_closing.py and test_handover.py.
            Action.ALLIANCE_CLOSE_PROPOSED,
            Action.ALLIANCE_CLOSED,
            Action.ALLIANCE_REOPEN_PROPOSED,
            Action.ALLIANCE_REOPENED,
            Action.LIFECYCLE_DECLINED,
            Action.HANDOVER_PROPOSED,
            Action.HANDOVER_DONE,
            Action.HANDOVER_REFUSED,
            # Meetings and the calendar address (issue 12): through the pages in
            # tests/www/test_meetings_views.py and test_calendar_feed.py, and the use
            # cases in tests/acting/test_meetings.py.
            Action.MEETING_SCHEDULED,
            Action.MEETING_CHANGED,
            Action.MEETING_CANCELLED,
            Action.MEETING_ANSWERED,
            Action.WEATHER_PROMPT_DISMISSED,
            Action.CALENDAR_FEED_CREATED,
            Action.CALENDAR_FEED_REVOKED,
            # The API's doors (ADR 0029): tests/api/test_basics.py, test_oauth.py and
            # test_tokens_pages.py.
            Action.API_TOKEN_CREATED,
            Action.API_TOKEN_REVOKED,
            Action.API_CLIENT_CREATED,
            Action.API_CLIENT_REVOKED,
            Action.API_CLIENT_TOKEN_GRANTED,
            # Documents and closing a review (issue 12, ADR 0024): tests/documents and
            # tests/www/test_documents_pages.py.
            Action.DOCUMENT_PRODUCED,
            Action.DOCUMENT_DOWNLOADED,
            Action.REVIEW_ABSENCE_RECORDED,
            Action.REVIEW_CLOSED,
            # Attached files (ADR 0026): tests/attachments, test_attachment_views.py.
            Action.ATTACHMENT_ADDED,
            Action.ATTACHMENT_DELETED,
            # Operations' jobs, not pages: tests/upkeep/test_retention.py and
            # tests/audit/test_partitions.py.
            Action.RETENTION_APPLIED,
            Action.AUDIT_ARCHIVED,
            # The DUI link (issue 13): through the pages in tests/interop/test_dui_pages.py.
            Action.DUI_CONSENT_GIVEN,
            Action.DUI_CONSENT_WITHDRAWN,
            # Data rights (issue 13, ADR 0033): the use cases and the retention job in
            # tests/privacy/test_erasure.py.
            Action.PROCESSING_RESTRICTED,
            Action.RESTRICTION_LIFTED,
            Action.ERASURE_REQUESTED,
            Action.ERASURE_CANCELLED,
            Action.USER_REMOVED,
            Action.USER_PSEUDONYMISED,
            Action.ALLIANCE_ERASED,
        }
    )
    assert covered == set(Action)


def test_a_password_change_is_written_down(client):
    user = UserFactory(individual=True)
    before = set(AuditEntry.objects.values_list("pk", flat=True))
    client.force_login(user)
    data = {"current_password": PASSWORD, "password": "une phrase assez longue 42"}
    response = client.post(reverse("accounts:password"), data)
    assert response.status_code == 302
    assert [e.actor_id for e in _new_entries(before, Action.PASSWORD_CHANGED)] == [user.pk]


def test_a_change_of_notification_settings_is_written_down(client):
    user = UserFactory(individual=True)
    before = set(AuditEntry.objects.values_list("pk", flat=True))
    client.force_login(user)
    data = {"version": 1, "language": "en", "group_actions": "daily", "group_reviews": "in_app"}
    data |= {"group_signatures": "immediate", "group_negotiation": "immediate"}
    data |= {
        "group_proposals": "immediate",
        "group_invitations": "immediate",
        "group_allies": "in_app",
        "group_meetings": "immediate",
    }
    response = client.post(reverse("notifications:preferences"), data)
    assert response.status_code == 302
    (entry,) = _new_entries(before, Action.NOTIFICATION_SETTINGS_CHANGED)
    assert entry.actor_id == user.pk and entry.alliance_id is None
