"""One alliance with every role around it, built through the use cases, and the
way to fill in the arguments of every URL of the product against it."""

import re
from contextlib import contextmanager
from dataclasses import dataclass, field

from django.core import mail
from django.test import TestCase
from django.urls import URLPattern, URLResolver, get_resolver
from django.views.static import serve

from alliance.accounts.models import User
from alliance.alliances import services
from alliance.alliances.models import Ally, Role, StatementKind
from tests.factories import UserFactory, make_alliance_trio

MEMBERS = ("person", "representative", "relative", "professional_ally")
# Invited, accepted, but not yet approved by the person or their representative.
WAITING = "waiting_ally"
OUTSIDERS = ("same_org_professional", "org_admin", "other_org_professional", "decision_maker")
ANONYMOUS = "anonymous"
ROLES = (*MEMBERS, WAITING, *OUTSIDERS, ANONYMOUS)

DEMO_PERSONA = "matrix-persona"


@dataclass
class Scene:
    alliance: object
    allies: dict  # role -> Ally
    users: dict = field(default_factory=dict)  # role -> User (None for anonymous)
    statement: object = None  # written by the person
    charter: object = None
    acting: object = None  # built on demand by acting_objects()
    proposals: object = None  # built on demand by proposal_objects()
    review: object = None  # built on demand by review_of()
    document: object = None  # built on demand by document_of()
    meeting: object = None  # built on demand by meeting_of()
    circle: object = None  # built on demand by collective_objects()
    report: object = None  # built on demand by report_of()
    archive: object = None  # built on demand by archive_of()
    report_request: object = None  # built on demand by report_request_of()
    invitation_batch: object = None  # built on demand by invitation_batch_of()
    voice: dict = field(default_factory=dict)  # voice notes made on demand, by subject
    files: dict = field(default_factory=dict)  # attached files made on demand
    # Invitations by email: one to an address without an account, one to the
    # other organisation's professional, who answers from their own session.
    invitation_unknown: object = None
    invitation_known: object = None
    # Secrets that were emailed to their owners: no response may carry them.
    secrets: list = field(default_factory=list)

    def user(self, role):
        return self.users[role]


def build_scene(professional=None) -> Scene:
    """The trio (professional, person, parent as legal representative), plus a
    relative invited without email who joined and was approved, a relative still
    waiting for approval, and people around the alliance who are not in it."""
    professional = professional or UserFactory(professional=True, display_name="Inès Morel")
    trio = make_alliance_trio(professional=professional)
    relative = services.invite_ally(
        inviter=trio.professional, display_name="Sami Martin", role=Role.RELATIVE
    )
    services.accept_invitation(ally=relative)
    services.decide_on_ally(approver=trio.parent, ally=relative, approve=True)
    waiting = services.invite_ally(
        inviter=trio.parent, display_name="Lou Martin", role=Role.RELATIVE
    )
    services.accept_invitation(ally=waiting)
    statement = services.write_statement(
        ally=trio.person, kind=StatementKind.INTEREST, text="Aller à l'école du quartier."
    )
    charter = services.current_charter(trio.alliance)
    organisation = professional.organisation
    allies = {
        "person": trio.person,
        "representative": trio.parent,
        "relative": Ally.objects.get(pk=relative.pk),
        "professional_ally": trio.professional,
        WAITING: Ally.objects.get(pk=waiting.pk),
    }
    users = {role: ally.user for role, ally in allies.items()}
    users.update(
        same_org_professional=UserFactory(
            professional=True, organisation=organisation, display_name="Paul Collègue"
        ),
        org_admin=UserFactory(
            org_admin=True, organisation=organisation, display_name="Anne Directrice"
        ),
        other_org_professional=UserFactory(professional=True, display_name="Omar Ailleurs"),
        decision_maker=UserFactory(decision_maker=True, display_name="Denise Décideuse"),
        anonymous=None,
    )
    UserFactory(
        professional=True,
        organisation=organisation,
        demo_persona=DEMO_PERSONA,
        display_name="Persona de démo",
    )
    scene = Scene(
        alliance=trio.alliance, allies=allies, users=users, statement=statement, charter=charter
    )
    with emailed_secrets(scene):
        scene.invitation_unknown = services.invite_ally(
            inviter=trio.professional,
            display_name="Chloé Inconnue",
            email="chloe.inconnue@example.org",
            role=Role.TRUSTED_PERSON,
        )
    scene.invitation_known = services.invite_ally(
        inviter=trio.professional,
        display_name="Omar",
        email=users["other_org_professional"].email,
        role=Role.PROFESSIONAL,
    )
    return scene


INVITATION_TOKEN = re.compile(r"/invitations/([A-Za-z0-9_-]{20,})/")


@contextmanager
def emailed_secrets(scene):
    """Runs the emails sent on commit, and keeps the invitation tokens they carry."""
    sent = len(mail.outbox)
    with TestCase.captureOnCommitCallbacks(execute=True):
        yield
    for message in mail.outbox[sent:]:
        scene.secrets += INVITATION_TOKEN.findall(message.body)


def _alliance(scene):
    return {"alliance_id": scene.alliance.pk}


@dataclass
class Acting:
    option: object  # proposed by the representative
    action: object  # planned by the professional, the person has no role: flagged
    entry: object  # journal entry written by the person
    indicator: object  # of the signed charter, rated by all members but the representative


def acting_objects(scene) -> Acting:
    """Signs the scene's charter (the person's statement adopted, everyone committed,
    school in the perimeter, one indicator), then a means option, an action and a
    journal entry."""
    if scene.acting is not None:
        return scene.acting
    from alliance.acting import services as acting
    from alliance.alliances.models import VoteValue

    members = [scene.allies[role] for role in MEMBERS]
    for ally in members[1:]:
        services.cast_vote(ally=ally, statement=scene.statement, value=VoteValue.AGREE)
    charter = scene.charter

    def revision():
        charter.refresh_from_db()
        return charter.revision

    services.adopt_interest(
        ally=members[1], charter=charter, statement=scene.statement, expected_revision=revision()
    )
    services.set_perimeter(
        ally=members[1],
        charter=charter,
        label="Scolarité",
        status="in_alliance",
        expected_revision=revision(),
    )
    indicator = services.add_indicator(
        ally=members[1],
        charter=charter,
        name="Léo dort bien",
        scale_min=0,
        scale_max=10,
        raters=[scene.allies[role] for role in ("person", "relative", "professional_ally")],
        expected_revision=revision(),
    )
    for ally in members:
        services.add_commitment(
            ally=ally, charter=charter, text="Je m'engage.", expected_revision=revision()
        )
    for ally in members:
        services.sign_charter(ally=ally, charter=charter, expected_revision=revision())
    option = acting.propose_means(
        ally=scene.allies["representative"],
        interest_statement_id=scene.statement.pk,
        description="École ordinaire avec une AESH",
    )
    action = acting.plan_action(
        ally=scene.allies["professional_ally"],
        title="Appeler l'école",
        domain_label="Scolarité",
        my_role="J'appelle l'école",
    )
    entry = acting.write_journal_entry(ally=scene.allies["person"], happened="On a parlé.")
    scene.acting = Acting(option=option, action=action, entry=entry, indicator=indicator)
    return scene.acting


def _option(scene):
    return {**_alliance(scene), "option_id": acting_objects(scene).option.pk}


def _action(scene):
    return {**_alliance(scene), "action_id": acting_objects(scene).action.pk}


def _entry(scene):
    return {**_alliance(scene), "entry_id": acting_objects(scene).entry.pk}


def _statement_voice(scene):
    """The person's statement, with the person's voice note on it."""
    if "statement" not in scene.voice:
        from alliance.alliances.voice_notes import record_statement_voice_note
        from alliance.demo.voice import tone_wav

        scene.voice["statement"] = record_statement_voice_note(
            ally=scene.allies["person"],
            statement=scene.statement,
            audio=tone_wav(1.0),
            expected_version=0,
        )
    return {**_alliance(scene), "statement_id": scene.statement.pk}


def _journal_voice(scene):
    """The person's journal entry, with the person's voice note on it."""
    entry = acting_objects(scene).entry
    if "journal" not in scene.voice:
        from alliance.acting.voice_notes import record_journal_voice_note
        from alliance.demo.voice import tone_wav

        scene.voice["journal"] = record_journal_voice_note(
            ally=scene.allies["person"], entry=entry, audio=tone_wav(1.0), expected_version=0
        )
    return {**_alliance(scene), "entry_id": entry.pk}


def _attachment(scene):
    """A photo the person attached to their journal entry (ADR 0026)."""
    entry = acting_objects(scene).entry
    if "photo" not in scene.files:
        from alliance.attachments.services import attach_file
        from tests.attachments.images import picture

        scene.files["photo"] = attach_file(
            ally=scene.allies["person"],
            entry=entry,
            data=picture("PNG"),
            name="photo.png",
            alt_text="Un carré rouge.",
        )
    return {**_alliance(scene), "attachment_id": scene.files["photo"].pk}


@dataclass
class Proposals:
    collective: object  # public page on; the professional ally facilitates it
    proposal: object  # sent to the scene's decision maker


def proposal_objects(scene) -> Proposals:
    """A collective where the scene's members (not the waiting ally) take part, the
    professional ally as facilitator, and its proposal sent to the decision maker."""
    if scene.proposals is not None:
        return scene.proposals
    from alliance.collectives.models import MemberStanding
    from alliance.reports.proposals import services as proposals
    from tests.reports.proposal_world import make_collective, member_of

    collective = make_collective(
        facilitator=scene.user("professional_ally"),
        members=[
            (scene.user("person"), MemberStanding.PERSON),
            (scene.user("representative"), MemberStanding.RELATIVE),
            (scene.user("relative"), MemberStanding.RELATIVE),
        ],
        public=True,
    )
    facilitator = member_of(collective, scene.user("professional_ally"))
    proposal = proposals.write_proposal(
        member=facilitator,
        title="Un passage piéton devant l'école",
        text="Les enfants traversent sans passage.",
        addressee=scene.user("decision_maker"),
    )
    proposals.send_proposal(member=facilitator, proposal=proposal)
    scene.proposals = Proposals(collective=collective, proposal=proposal)
    return scene.proposals


def _proposal(scene):
    return {"proposal_id": proposal_objects(scene).proposal.pk}


def _proposal_request(scene):
    return {"request_id": proposal_objects(scene).proposal.requests.get().pk}


def _proposal_answer(scene):
    """The decision maker's answer to the scene's proposal's one request, made on
    demand through the use case (members react to it)."""
    from alliance.reports.proposals import services as proposals

    request = proposal_objects(scene).proposal.requests.select_related("proposal").get()
    answer = request.answers.first() or proposals.answer_request(
        user=scene.user("decision_maker"),
        request=request,
        decision="accepted",
        words="Oui, au printemps.",
        expected_version=request.version,
    )
    return {"answer_id": answer.pk}


def review_of(scene):
    """A review opened by the professional once the charter is signed."""
    if scene.review is None:
        from alliance.acting import services as acting

        acting_objects(scene)
        scene.review = acting.open_review(ally=scene.allies["professional_ally"])
    return scene.review


def _review(scene):
    return {**_alliance(scene), "review_id": review_of(scene).pk}


def document_of(scene):
    """The personalised project, produced by the professional once the charter is signed."""
    if getattr(scene, "document", None) is None:
        from alliance.documents import services as documents

        acting_objects(scene)
        scene.document = documents.produce_document(
            ally=scene.allies["professional_ally"], kind="project"
        )
    return scene.document


def _document(scene):
    return {**_alliance(scene), "document_id": document_of(scene).pk}


def meeting_of(scene):
    """A meeting next week, scheduled by the professional ally, every member invited."""
    if scene.meeting is None:
        import datetime

        from django.utils import timezone

        from alliance.acting import meetings

        scene.meeting = meetings.schedule_meeting(
            ally=scene.allies["professional_ally"],
            starts_at=timezone.now() + datetime.timedelta(days=7),
            duration_minutes=60,
            place="Au centre",
            purpose="Préparer la rentrée",
            invited=[scene.allies[role] for role in MEMBERS],
        )
    return scene.meeting


def _meeting(scene):
    return {**_alliance(scene), "meeting_id": meeting_of(scene).pk}


@dataclass
class CollectiveObjects:
    collective: object
    members: dict  # role -> CollectiveMember
    invitation: object  # to the other organisation's professional, pending
    consultation: object  # open, with one accepted seed statement
    seed: object
    pending: object  # written by the person, waiting for moderation


def collective_objects(scene) -> CollectiveObjects:
    """A collective around the same people: the professional ally facilitates, the
    person, the representative and the relative (who has no email) are members. The
    waiting ally and the people outside the alliance are not in it."""
    if scene.circle is not None:
        return scene.circle
    from alliance.collectives import services as collectives

    facilitator_user = scene.user("professional_ally")
    collective = collectives.create_collective(creator=facilitator_user, name="Quartier Bellevue")
    facilitator = collective.members.get(user=facilitator_user)
    members = {"professional_ally": facilitator}
    for role in ("person", "representative", "relative"):
        members[role] = collectives.add_member(
            by=facilitator, user=scene.user(role), standing="resident"
        )
    with emailed_secrets(scene):
        collectives.add_member(
            by=facilitator, display_name="Chloé Inconnue", email="chloe.inconnue@example.org"
        )
    invitation = collectives.add_member(
        by=facilitator, display_name="Omar", email=scene.user("other_org_professional").email
    )
    consultation = collectives.create_consultation(
        by=facilitator,
        question="Que pensez-vous du nouveau plan de circulation ?",
        seed_statements=["Il faut ralentir les voitures devant l'école."],
    )
    consultation = collectives.open_consultation(
        by=facilitator, consultation=consultation, expected_version=consultation.version
    )
    pending = collectives.write_statement(
        member=members["person"], consultation=consultation, text="Plus de bancs."
    )
    scene.circle = CollectiveObjects(
        collective=collective,
        members=members,
        invitation=invitation,
        consultation=consultation,
        seed=consultation.statements.get(is_seed=True),
        pending=pending,
    )
    return scene.circle


@dataclass
class OtherCollective:
    collective: object
    member: object  # the relative
    consultation: object  # open
    seed: object
    pending: object
    proposal: object  # written by the facilitator, sent to the scene's decision maker
    invitation: object  # pending, to an address nobody uses
    batch: object = None  # a list read from a file by the facilitator, not sent


def other_collective_objects(scene) -> OtherCollective:
    """A second collective that the professional ally also facilitates, with the
    relative as member (not the person, nor the representative), its own open
    consultation, statements and a sent proposal: the ids nested in the first
    collective's URLs are swapped for these."""
    from alliance.collectives import invitation_batches
    from alliance.collectives import services as collectives
    from alliance.collectives.models import MemberStanding
    from alliance.reports.proposals import services as proposals
    from tests.reports.proposal_world import make_collective, member_of

    collective_objects(scene)
    collective = make_collective(
        facilitator=scene.user("professional_ally"),
        members=[(scene.user("relative"), MemberStanding.RELATIVE)],
        name="Autre collectif",
    )
    facilitator = member_of(collective, scene.user("professional_ally"))
    consultation = collectives.create_consultation(
        by=facilitator, question="Et ailleurs ?", seed_statements=["Un autre avis."]
    )
    consultation = collectives.open_consultation(
        by=facilitator, consultation=consultation, expected_version=consultation.version
    )
    pending = collectives.write_statement(
        member=facilitator, consultation=consultation, text="Encore un avis."
    )
    proposal = proposals.write_proposal(
        member=facilitator,
        title="Ailleurs aussi",
        text="Une autre proposition.",
        addressee=scene.user("decision_maker"),
    )
    proposals.send_proposal(member=facilitator, proposal=proposal)
    invitation = collectives.add_member(
        by=facilitator, display_name="Invitée ailleurs", email="ailleurs@example.org"
    )
    return OtherCollective(
        collective=collective,
        member=member_of(collective, scene.user("relative")),
        consultation=consultation,
        seed=consultation.statements.get(is_seed=True),
        pending=pending,
        proposal=proposal,
        invitation=invitation,
        batch=invitation_batches.prepare_batch(
            by=facilitator, data=b"loin@example.org\n", default_standing="other"
        ),
    )


def _collective(scene):
    return {"collective_id": collective_objects(scene).collective.pk}


def invitation_batch_of(scene):
    """A list read from a file by the facilitator (the professional ally), not sent."""
    if scene.invitation_batch is None:
        from alliance.collectives import invitation_batches

        circle = collective_objects(scene)
        scene.invitation_batch = invitation_batches.prepare_batch(
            by=circle.collective.members.get(user=scene.user("professional_ally")),
            data=b"Nom;Courriel\nNouvelle Voisine;voisine@example.org\n",
            file_name="voisins.csv",
            default_standing="resident",
        )
    return scene.invitation_batch


def _batch(scene):
    return {**_collective(scene), "batch_id": invitation_batch_of(scene).pk}


def _consultation(scene):
    circle = collective_objects(scene)
    return {"collective_id": circle.collective.pk, "consultation_id": circle.consultation.pk}


def _pending(scene):
    return {**_consultation(scene), "statement_id": collective_objects(scene).pending.pk}


def _computed(scene):
    """The consultation with votes and its results computed."""
    from alliance.collectives import results
    from alliance.collectives import services as collectives

    circle = collective_objects(scene)
    if not circle.consultation.snapshots.exists():
        for role in ("person", "representative", "relative"):
            collectives.cast_vote(member=circle.members[role], statement=circle.seed, value=1)
        results.recompute_now(
            member=circle.members["professional_ally"], consultation=circle.consultation
        )
    return _consultation(scene)


def _group(scene):
    """A group of the consultation's results, large enough to be shown. The scene's
    three voters form none: a snapshot as the worker writes it, with one group of
    five, is added once (tests/www/test_results_report_views.py reads real groups)."""
    from alliance.collectives.models import OpinionSnapshot

    kwargs = _computed(scene)
    consultation = collective_objects(scene).consultation
    if not consultation.snapshots.filter(result__summary__groups__0__size=5).exists():
        last = consultation.snapshots.filter(status=OpinionSnapshot.Status.DONE).latest("pk")
        summary = dict(last.result["summary"])
        seed = str(collective_objects(scene).seed.pk)
        summary["groups"] = [{"id": 0, "size": 5, "centroid": [0.0, 0.0], "representative": []}]
        summary["group_votes"] = {"0": {seed: [5, 0, 5]}}
        summary["participants"] = max(summary["participants"], 5)
        OpinionSnapshot.objects.create(
            consultation=consultation,
            status=OpinionSnapshot.Status.DONE,
            started_at=last.started_at,
            finished_at=last.finished_at,
            votes_counted=last.votes_counted,
            result={**last.result, "summary": summary},
        )
    return {**kwargs, "group_id": 0}


def _seed(scene):
    return {**_computed(scene), "statement_id": collective_objects(scene).seed.pk}


def _relative_member(scene):
    return {**_collective(scene), "member_id": collective_objects(scene).members["relative"].pk}


def report_of(scene):
    """A report on the scene's organisation, asked for by its administrator and
    published to the scene's decision maker."""
    if scene.report is not None:
        return scene.report
    import datetime

    from alliance.reports import services as reports

    admin = scene.user("org_admin")
    today = datetime.date.today()
    report = reports.request_report(
        user=admin,
        scope_kind="organisation",
        organisation_ids=[admin.organisation_id],
        period_start=today - datetime.timedelta(days=365),
        period_end=today,
    )
    report.refresh_from_db()
    reports.publish_report(user=admin, report=report, recipients=[scene.user("decision_maker")])
    scene.report = report
    return report


def _report(scene):
    return {"report_id": report_of(scene).pk}


def report_request_of(scene):
    """The scene's decision maker asks the scene's organisation for a report: its
    administrator has not answered yet."""
    if scene.report_request is None:
        import datetime

        from alliance.reports import requests

        today = datetime.date.today()
        scene.report_request = requests.ask_for_report(
            user=scene.user("decision_maker"),
            organisation_ids=[scene.user("org_admin").organisation_id],
            period_start=today - datetime.timedelta(days=365),
            period_end=today,
            purpose="Préparer le schéma de l'autonomie.",
        )
    return scene.report_request


def _report_request(scene):
    return {"request_id": report_request_of(scene).pk}


def archive_of(scene):
    """An archive of the person's data, asked for by the person, ready: its bytes are
    stored as the worker would, without making the PDF."""
    if scene.archive is None:
        import datetime

        from django.utils import timezone

        from alliance.privacy.models import DataArchive, DataArchiveFile

        person = scene.users["person"]
        now = timezone.now()
        scene.archive = DataArchive.objects.create(
            subject=person,
            requested_by=person,
            status=DataArchive.Status.READY,
            ready_at=now,
            expires_at=now + datetime.timedelta(days=7),
            sha256="0" * 64,
            size=2,
        )
        DataArchiveFile.objects.create(archive=scene.archive, data=b"PK")
    return scene.archive


def _archive(scene):
    return {"archive_id": archive_of(scene).pk}


def _other_session(scene):
    """A session of the professional ally in another browser."""
    from django.utils import timezone

    from alliance.accounts.models import UserSession

    return UserSession.objects.create(
        user=scene.user("professional_ally"), last_seen_at=timezone.now(), device="Firefox"
    )


def _kept_device(scene):
    """A device the professional ally keeps signed in (ADR 0013)."""
    from datetime import timedelta

    from django.utils import timezone

    from alliance.accounts.models import DeviceCredential

    return DeviceCredential.objects.create(
        user=scene.user("professional_ally"),
        token_hash="0" * 64,
        device="Firefox",
        expires_at=timezone.now() + timedelta(days=1),
    )


def _personal_token(scene):
    """An API token of the professional ally (ADR 0029)."""
    from alliance.accounts.api_tokens import make_personal_token

    token, _raw = make_personal_token(
        user=scene.user("professional_ally"), name="DUI", scope="read", days=30
    )
    return token


def _api_client(scene):
    """The organisation's DUI software, registered by its administrator (ADR 0029)."""
    from alliance.accounts.api_clients import make_api_client

    client, _secret = make_api_client(admin=scene.user("org_admin"), name="Logiciel DUI")
    return client


# How to fill in the arguments of each URL against a scene.
def _test_device(scene):
    """The professional ally's authenticator app, the one its signed-in sessions used
    (tests/conftest.py)."""
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from tests.conftest import TEST_DEVICE

    device, _created = TOTPDevice.objects.get_or_create(
        user=scene.users["professional_ally"], name=TEST_DEVICE, defaults={"confirmed": True}
    )
    return device


URL_KWARGS = {
    "home": lambda s: {},
    "about:about": lambda s: {},
    "about:words": lambda s: {},
    "metrics": lambda s: {},
    "accounts:sign_in": lambda s: {},
    "accounts:sign_in_code": lambda s: {},
    "accounts:request_code": lambda s: {},
    "accounts:sign_in_link": lambda s: {"token": "not-a-real-token"},
    "accounts:sign_in_demo": lambda s: {"persona": DEMO_PERSONA},
    "accounts:sign_out": lambda s: {},
    "accounts:password": lambda s: {},
    "accounts:sessions": lambda s: {},
    "accounts:settings": lambda s: {},
    "rights:page": lambda s: {},
    "rights:remove_professional": lambda s: {"user_id": s.users["same_org_professional"].pk},
    "accounts:calendar_make": lambda s: {},
    "accounts:calendar_revoke": lambda s: {},
    "accounts:calendar_feed": lambda s: {"token": "not-a-real-token"},
    "accounts:reading_switch": lambda s: {},
    "accounts:end_session": lambda s: {"session_id": _other_session(s).pk},
    "accounts:end_other_sessions": lambda s: {},
    "accounts:activate": lambda s: {},
    "accounts:activate_choose": lambda s: {},
    "accounts:activate_device": lambda s: {},
    "accounts:activate_password": lambda s: {},
    "accounts:revoke_device": lambda s: {"device_id": _kept_device(s).pk},
    "accounts:professionals": lambda s: {},
    "privacy:mine": lambda s: {},
    "privacy:request": lambda s: {},
    "privacy:download": _archive,
    "accounts:professional_active": lambda s: {"user_id": s.users["same_org_professional"].pk},
    "accounts:api_token_make": lambda s: {},
    "accounts:api_token_revoke": lambda s: {"token_id": _personal_token(s).pk},
    "accounts:api_clients": lambda s: {},
    "accounts:api_client_revoke": lambda s: {"api_client_id": _api_client(s).pk},
    "alliances:create": lambda s: {},
    "interop_import:upload": lambda s: {},
    "interop_import:review": lambda s: {},
    "alliances:overview": _alliance,
    "alliances:words": _alliance,
    "alliances:agree": _alliance,
    "alliances:join": _alliance,
    "alliances:invite": _alliance,
    "alliances:decide": lambda s: {**_alliance(s), "ally_id": s.allies["professional_ally"].pk},
    "alliances:withdraw_invitation": lambda s: {
        **_alliance(s),
        "invitation_id": s.invitation_unknown.pk,
    },
    "alliances:remove_ally": lambda s: {**_alliance(s), "ally_id": s.allies["relative"].pk},
    # The relative has no email and never got in: the professional ally invited them.
    "alliances:letter": lambda s: {**_alliance(s), "ally_id": s.allies["relative"].pk},
    "alliances:letter_sms": lambda s: {**_alliance(s), "ally_id": s.allies["relative"].pk},
    "alliances:letter_pdf": lambda s: {**_alliance(s), "ally_id": s.allies["relative"].pk},
    "alliances:reissue": lambda s: {**_alliance(s), "ally_id": s.allies["relative"].pk},
    "alliances:leave": _alliance,
    "closing:page": _alliance,
    "closing:answer": _alliance,
    "caseload:list": lambda s: {},
    "caseload:handover": lambda s: {},
    "alliances:mandate": _alliance,
    "alliances:recognition": _alliance,
    "alliances:statement_new": _alliance,
    "alliances:statement": lambda s: {**_alliance(s), "statement_id": s.statement.pk},
    "alliances:statement_edit": lambda s: {**_alliance(s), "statement_id": s.statement.pk},
    "alliances:statement_withdraw": lambda s: {**_alliance(s), "statement_id": s.statement.pk},
    "alliances:vote": lambda s: {**_alliance(s), "statement_id": s.statement.pk},
    "alliances:statement_voice": _statement_voice,
    "alliances:statement_voice_record": _statement_voice,
    "alliances:statement_voice_delete": _statement_voice,
    "alliances:asymmetries": _alliance,
    "alliances:charter": _alliance,
    "alliances:charter_edit": lambda s: {**_alliance(s), "section": "commitments"},
    "alliances:charter_version": lambda s: {**_alliance(s), "number": s.charter.number},
    "alliances:charter_diff": _alliance,
    "alliances:positions": _alliance,
    "alliances:trail": _alliance,
    "acting:means": _alliance,
    "acting:stance": _option,
    "acting:decide": _option,
    "acting:availability": _option,
    "acting:actions": _alliance,
    "acting:join_action": _action,
    "acting:agree_action": _action,
    "acting:move_action": _action,
    "acting:capacities": _alliance,
    "acting:journal": _alliance,
    "acting:journal_edit": _entry,
    "acting:journal_voice": _journal_voice,
    "acting:journal_voice_record": _journal_voice,
    "acting:journal_voice_delete": _journal_voice,
    "attachments:files": _alliance,
    "attachments:attachment": _attachment,
    "attachments:attachment_preview": _attachment,
    "attachments:delete": _attachment,
    "acting:reviews": _alliance,
    "acting:review_open": _alliance,
    "acting:review": _review,
    "acting:review_conclusion": lambda s: {**_review(s), "ally_id": s.allies["person"].pk},
    "acting:review_charter": _review,
    "acting:review_absence": _review,
    "acting:review_close": _review,
    "acting:review_export": _review,
    "documents:list": _alliance,
    # With the charter signed: the project is made from it.
    "documents:produce_project": lambda s: (acting_objects(s), _alliance(s))[1],
    "documents:download": _document,
    "meetings:list": _alliance,
    "meetings:new": _alliance,
    "meetings:detail": _meeting,
    "meetings:edit": _meeting,
    "meetings:cancel": _meeting,
    "meetings:weather_dismiss": _meeting,
    "notifications:list": lambda s: {},
    "notifications:read": lambda s: {},
    "notifications:preferences": lambda s: {},
    "notifications:failed_deliveries": lambda s: {},
    "proposals:collective": lambda s: {"collective_id": proposal_objects(s).collective.pk},
    "proposals:public_page": lambda s: {"collective_id": proposal_objects(s).collective.pk},
    "proposals:detail": _proposal,
    "proposals:send": _proposal,
    "proposals:co_sign": _proposal,
    "proposals:join": _proposal,
    "proposals:inbox": lambda s: {},
    "proposals:received": _proposal,
    "proposals:public": lambda s: {"public_key": proposal_objects(s).collective.public_key},
    "proposals:answer_request": _proposal_request,
    "proposals:progress": _proposal,
    "proposals:react": _proposal_answer,
    "collectives:list": lambda s: {},
    "collectives:create": lambda s: {},
    "collectives:detail": _collective,
    "collectives:add_member": _collective,
    "collectives:invite_file": _collective,
    "collectives:invitation_batch": _batch,
    "collectives:send_invitation_batch": _batch,
    "collectives:discard_invitation_batch": _batch,
    "collectives:withdraw_invitation": lambda s: {
        **_collective(s),
        "invitation_id": collective_objects(s).invitation.pk,
    },
    "invitations:open": lambda s: {"token": "not-a-real-token"},
    "invitations:answer_alliance": lambda s: {"invitation_id": s.invitation_known.pk},
    "invitations:answer_collective": lambda s: {
        "invitation_id": collective_objects(s).invitation.pk
    },
    "collectives:make_facilitator": _relative_member,
    "collectives:leave": _collective,
    "collectives:consultation_create": _collective,
    "collectives:consultation": _consultation,
    "collectives:consultation_status": _consultation,
    "collectives:statement_new": _consultation,
    "collectives:statement_withdraw": _pending,
    "collectives:moderation": _consultation,
    "collectives:moderate": _pending,
    "collectives:vote": _consultation,
    "acting:indicators": _alliance,
    "acting:weather": _alliance,
    "reports:list": lambda s: {},
    "reports:create": lambda s: {},
    "reports:detail": _report,
    "reports:export": lambda s: {**_report(s), "fmt": "csv"},
    "reports:publish": _report,
    "reports:code_need": lambda s: {**_alliance(s), "statement_id": s.statement.pk},
    "report_requests:list": lambda s: {},
    "report_requests:new": lambda s: {},
    "report_requests:detail": _report_request,
    "report_requests:close": _report_request,
    "report_requests:answer": _report_request,
    "accounts:organisation_address": lambda s: {},
    "alliances:planning": _alliance,
    "results:results": _computed,
    "results:poster": _computed,
    "results:recompute": _consultation,
    "results:export": _computed,
    "results:adopt": _seed,
    "results:interests": _collective,
    "results:group": _group,
    "results:describe_group": _group,
    "results:report_pdf": _computed,
    "results:common_ground": _computed,
    "results:divisive": _computed,
    # Second factor, passkeys, ProConnect (issue 9, ADR 0011).
    "accounts:proconnect_start": lambda s: {},
    "accounts:proconnect_callback": lambda s: {},
    "mfa:devices": lambda s: {},
    "mfa:setup": lambda s: {},
    "mfa:verify": lambda s: {},
    "mfa:reauthenticate": lambda s: {},
    "mfa:passkeys": lambda s: {},
    "mfa:recovery_codes": lambda s: {},
    "mfa:remove_device": lambda s: {"kind": "authenticator", "device_id": _test_device(s).pk},
    "otp_webauthn:credential-registration-begin": lambda s: {},
    "otp_webauthn:credential-registration-complete": lambda s: {},
    "otp_webauthn:credential-authentication-begin": lambda s: {},
    "otp_webauthn:credential-authentication-complete": lambda s: {},
    "otp_webauthn:js-i18n-catalog": lambda s: {},
    "linking:solidarity": _alliance,
    "linking:consent": _alliance,
    "linking:join": _alliance,
    "interop:dui": _alliance,
    "interop:give": _alliance,
    "interop:withdraw": _alliance,
    "interop:export": _alliance,
    "operations:healthz": lambda s: {},
    "operations:readyz": lambda s: {},
}

# The collective pages, where the gate is membership of the collective.
COLLECTIVE_AREA = "collectives:"

# The page an alliance page writes in the trail, where it is not its URL's own name.
TRAIL_PAGES = {
    "closing:page": "closing",
    "documents:list": "documents",
    "documents:download": "document",
    "meetings:list": "meetings",
    "meetings:new": "meeting_new",
    "meetings:detail": "meeting",
    "meetings:edit": "meeting_edit",
    "meetings:cancel": "meeting_cancel",
    "meetings:weather_dismiss": "meeting_weather_dismiss",
    "interop:give": "dui",
    "interop:withdraw": "dui",
    "interop:export": "dui_export",
}


def trail_page(name):
    return TRAIL_PAGES.get(name, name.split(":")[1])


ALLIANCE_AREAS = (
    "alliances:",
    "acting:",
    "linking:",
    "closing:",
    "attachments:",
    "documents:",
    "meetings:",
    "interop:",
)

# Not product pages: Django's own language switch (tested in test_views) and static files.
NOT_PRODUCT = {"set_language"}


def _walk(patterns=None, namespace=""):
    if patterns is None:
        patterns = get_resolver().url_patterns
    names = set()
    for entry in patterns:
        if isinstance(entry, URLResolver):
            inner = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            names |= _walk(entry.url_patterns, inner)
        elif isinstance(entry, URLPattern):
            if entry.callback is serve:
                continue
            names.add(namespace + entry.name if entry.name else f"<unnamed {entry.pattern}>")
    return names - NOT_PRODUCT


def walk_url_names(patterns=None, namespace=""):
    """Every URL name of the pages, found by walking the resolver, so that a new
    URL appears here without anyone listing it. The API's routes have their own
    matrix (tests/api/test_route_matrix.py), walked with tokens instead of sessions."""
    return {name for name in _walk(patterns, namespace) if not name.startswith("api:")}


def api_url_names():
    return {name for name in _walk() if name.startswith("api:")}


def sign_in(client, user: User | None):
    if user is not None:
        client.force_login(user)
    return client


def usual_pages(client):
    """A person's account reads easily by default (issue 11): a test of the usual page
    asks for it, as the header switch does."""
    from alliance.www.reading import SESSION_KEY, STANDARD

    session = client.session
    session[SESSION_KEY] = STANDARD
    session.save()
    return client
