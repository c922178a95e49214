"""Where Alliance keeps personal data about a user, and how to find it (ADR 0032).

`PERSONAL_DATA` lists every model that holds data about a user, each as a `Holder`:
`rows_about(user)` finds the rows about that user, `fields` names the columns that
carry their identity or their own words (what erasure pseudonymises), `alliance`
is the path from a row to its alliance (None: the row belongs to the account, not to
an alliance). `NO_PERSONAL_DATA` names every other model with the reason it holds
none. tests/privacy/test_registry.py fails when a model is in neither list, so a new
model is classified the day it is written.

Models are named by their label, so that this list reads like a register and needs
no import of the apps it describes."""

from dataclasses import dataclass

from django.apps import apps
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class Holder:
    label: str  # "app_label.ModelName"
    kind: str  # the key of its part in the archive
    title: object  # lazy: the name of the kind on the "my data" page
    about: tuple[str, ...]  # lookups from a row to the user it is about
    fields: tuple[str, ...] = ()  # columns that carry identity or own words
    alliance: str | None = None  # lookup from a row to its alliance's id
    # Also the rows of the alliances where the user is the person: what the allies
    # wrote together about the person's life (perimeter, documents, consent).
    of_the_person: bool = False

    @property
    def model(self):
        return apps.get_model(self.label)

    def condition(self, user_id: int) -> Q:
        condition = Q()
        for lookup in self.about:
            condition |= Q(**{lookup: user_id})
        if self.of_the_person:
            prefix = "" if self.alliance == "pk" else f"{self.alliance}__"
            condition |= Q(**{f"{prefix}allies__user": user_id, f"{prefix}allies__role": "person"})
        return condition

    def rows_about(self, user, alliance_ids=None) -> QuerySet:
        """The rows about `user`; with `alliance_ids`, only those of these alliances
        (and none of the account's own rows)."""
        rows = self.model._default_manager.filter(self.condition(user.pk))
        if alliance_ids is not None:
            if self.alliance is None:
                return rows.none()
            rows = rows.filter(**{f"{self.alliance}__in": list(alliance_ids)})
        # A row reached by two lookups (written by me, with my support) counts once.
        return self.model._default_manager.filter(pk__in=rows.values("pk"))


def _ally(*names):
    return tuple(f"{name}__user" for name in names)


PERSONAL_DATA: list[Holder] = [
    # The account and its ways in.
    Holder(
        "accounts.User",
        "account",
        _("My account"),
        ("pk",),
        ("email", "display_name", "job_title", "born_on", "demo_persona"),
    ),
    Holder("accounts.UserSession", "sessions", _("My sessions"), ("user",), ("device",)),
    Holder("accounts.SignInSecret", "sign_in_secrets", _("Sign-in links and codes"), ("user",)),
    Holder(
        "accounts.ProConnectIdentity",
        "proconnect",
        _("My ProConnect identity"),
        ("user",),
        ("sub",),
    ),
    Holder("accounts.ActivationLetter", "activation_letters", _("Activation letters"), ("user",)),
    Holder("accounts.DeviceCredential", "devices", _("Devices kept signed in"), ("user",)),
    Holder("accounts.CalendarFeed", "calendar_feed", _("My calendar address"), ("user",)),
    Holder("accounts.PersonalAccessToken", "api_tokens", _("My API keys"), ("user",), ("name",)),
    Holder("otp_totp.TOTPDevice", "totp_devices", _("Code apps"), ("user",), ("name",)),
    Holder("otp_static.StaticDevice", "backup_code_sets", _("Backup code sets"), ("user",)),
    Holder("otp_static.StaticToken", "backup_codes", _("Backup codes"), ("device__user",)),
    Holder(
        "django_otp_webauthn.WebAuthnCredential", "passkeys", _("Passkeys"), ("user",), ("name",)
    ),
    Holder(
        "django_otp_webauthn.WebAuthnAttestation",
        "passkey_attestations",
        _("Passkey attestations"),
        ("credential__user",),
    ),
    Holder(
        "django_otp_webauthn.WebAuthnUserHandle", "passkey_handles", _("Passkey handles"), ("user",)
    ),
    Holder("notifications.Notification", "notifications", _("My notifications"), ("user",)),
    Holder(
        "notifications.NotificationPreference",
        "notification_preferences",
        _("How I hear about things"),
        ("user",),
    ),
    Holder(
        "notifications.NotificationSettings",
        "notification_settings",
        _("My notification settings"),
        ("user",),
    ),
    # An email waiting to leave names its reader by account or by address.
    Holder(
        "notifications.OutgoingMessage",
        "outgoing_messages",
        _("Emails and text messages to send"),
        ("params__user_id",),
        ("params",),
    ),
    Holder(
        "audit.AuditEntry",
        "my_actions",
        _("What I did (the trail)"),
        ("actor",),
        ("actor_label",),
        alliance="alliance_id",
    ),
    Holder("privacy.DataArchive", "archives", _("My archives"), ("subject", "requested_by")),
    Holder(
        "privacy.RightRequest",
        "right_requests",
        _("My requests about my data"),
        ("user", "asked_by"),
        ("reason",),
    ),
    # The link between the account and the pseudonym that replaced its name (ADR 0033).
    Holder("audit.AuditPseudonym", "pseudonym", _("My pseudonym"), ("user_id",)),
    Holder("accounts.ApiClient", "api_clients", _("DUI software I registered"), ("created_by",)),
    Holder(
        "privacy.DataArchiveFile",
        "archive_files",
        _("Contents of my archives"),
        ("archive__subject", "archive__requested_by"),
        ("data",),
    ),
    # Movement 1: the alliance, my words, my votes, the charter.
    Holder(
        "alliances.Alliance",
        "alliances",
        _("My alliances"),
        ("created_by",),
        ("title", "situation", "closed_reason"),
        alliance="pk",
        of_the_person=True,
    ),
    Holder(
        "alliances.Ally",
        "my_places",
        _("My place in each alliance"),
        ("user",),
        ("recognition_brings", "recognition_expects", "mandate_reference", "removal_reason"),
        alliance="alliance",
    ),
    Holder(
        "alliances.AllyInvitation",
        "invitations_received",
        _("Invitations I answered"),
        ("answered_by", *_ally("ally")),
        ("display_name", "email"),
        alliance="alliance",
    ),
    Holder(
        "alliances.Statement",
        "statements",
        _("What I said"),
        _ally("author", "supported_by"),
        ("text", "quote_text"),
        alliance="alliance",
    ),
    Holder(
        "alliances.StatementRevision",
        "statement_revisions",
        _("Earlier versions of what I said"),
        _ally("statement__author", "supported_by"),
        ("text",),
        alliance="statement__alliance",
    ),
    Holder(
        "alliances.StatementVoiceNote",
        "statement_voice_notes",
        _("My voice notes on my words"),
        _ally("author", "supported_by"),
        ("data",),
        alliance="statement__alliance",
    ),
    Holder("alliances.Vote", "votes", _("My votes"), _ally("ally"), alliance="statement__alliance"),
    Holder(
        "alliances.AsymmetryEntry",
        "asymmetries",
        _("What I noted in the asymmetry register"),
        _ally("author", "holders"),
        ("what_is_held", "handling"),
        alliance="alliance",
    ),
    Holder(
        "alliances.CharterInterest",
        "adopted_interests",
        _("Common interests I adopted"),
        _ally("adopted_by"),
        ("text",),
        alliance="charter__alliance",
    ),
    Holder(
        "alliances.CharterRecognition",
        "recognitions",
        _("How I am recognised in the charter"),
        _ally("ally"),
        ("brings", "expects"),
        alliance="charter__alliance",
    ),
    Holder(
        "alliances.Commitment",
        "commitments",
        _("My commitments"),
        _ally("ally", "written_by"),
        ("text",),
        alliance="charter__alliance",
    ),
    Holder(
        "alliances.PerimeterEntry",
        "perimeter",
        _("The perimeter of my life in the alliance"),
        (),
        ("label",),
        alliance="charter__alliance",
        of_the_person=True,
    ),
    Holder(
        "alliances.Indicator",
        "indicators",
        _("Indicators I rate"),
        _ally("raters"),
        ("name",),
        alliance="charter__alliance",
    ),
    Holder(
        "alliances.Signature",
        "signatures",
        _("What I signed"),
        _ally("ally", "signed_by"),
        alliance="charter__alliance",
    ),
    Holder(
        "alliances.PositionCheck",
        "position_checks",
        _("My answers to the position check"),
        _ally("ally"),
        alliance="alliance",
    ),
    Holder(
        "alliances.AccessReissue",
        "access_reissues",
        _("Access re-issued"),
        _ally("ally", "requested_by", "approved_by"),
        alliance="alliance",
    ),
    Holder(
        "alliances.LifecycleRequest",
        "lifecycle_requests",
        _("Requests to close or reopen"),
        _ally("proposed_by", "answered_by"),
        ("reason",),
        alliance="alliance",
    ),
    Holder(
        "alliances.Handover",
        "handovers",
        _("Handovers between professionals"),
        (*_ally("leaving", "successor"), "proposed_by"),
        alliance="alliance",
    ),
    Holder(
        "alliances.UnderstandingRevision",
        "understanding_revisions",
        _("What I wrote in the shared understanding"),
        _ally("author"),
        ("text",),
        alliance="alliance",
    ),
    # Movement 2: means, actions, journal, readings, weather, reviews, meetings.
    Holder(
        "acting.MeansOption",
        "means_proposed",
        _("Means I proposed"),
        _ally("proposed_by"),
        ("interest_text", "description", "availability_note"),
        alliance="alliance",
    ),
    Holder(
        "acting.Stance",
        "stances",
        _("My stances on means"),
        _ally("ally"),
        ("reason",),
        alliance="option__alliance",
    ),
    Holder(
        "acting.MeansDecision",
        "means_decisions",
        _("Decisions I recorded"),
        _ally("decided_by"),
        ("note", "dissent"),
        alliance="option__alliance",
    ),
    Holder(
        "acting.AvailabilityChange",
        "availability_changes",
        _("Availability I changed"),
        _ally("changed_by"),
        ("note",),
        alliance="option__alliance",
    ),
    Holder(
        "acting.Action",
        "actions",
        _("Actions I planned or agreed to"),
        _ally("created_by", "agreed_by"),
        ("title", "description"),
        alliance="alliance",
    ),
    Holder(
        "acting.CoActor",
        "action_roles",
        _("My roles in actions"),
        _ally("ally"),
        ("role",),
        alliance="action__alliance",
    ),
    Holder(
        "acting.Capacity",
        "capacities",
        _("Capacities and constraints I wrote"),
        _ally("author"),
        ("text",),
        alliance="alliance",
    ),
    Holder(
        "acting.JournalEntry",
        "journal",
        _("What I wrote in the journal"),
        _ally("author"),
        ("happened", "emerged"),
        alliance="alliance",
    ),
    Holder(
        "acting.JournalRevision",
        "journal_revisions",
        _("Earlier versions of my journal entries"),
        _ally("entry__author"),
        ("happened", "emerged"),
        alliance="entry__alliance",
    ),
    Holder(
        "acting.JournalVoiceNote",
        "journal_voice_notes",
        _("My voice notes in the journal"),
        _ally("author", "supported_by"),
        ("data",),
        alliance="entry__alliance",
    ),
    Holder(
        "acting.ReviewPlan",
        "review_plans",
        _("Review plans I set"),
        _ally("set_by"),
        alliance="alliance",
    ),
    Holder(
        "acting.Review",
        "reviews",
        _("Reviews I opened or closed"),
        _ally("opened_by", "closed_by"),
        alliance="alliance",
    ),
    Holder(
        "acting.ReviewConclusion",
        "review_conclusions",
        _("My conclusions of reviews"),
        _ally("ally"),
        ("text",),
        alliance="review__alliance",
    ),
    Holder(
        "acting.ReviewAbsence",
        "review_absences",
        _("Reviews I missed"),
        _ally("ally", "recorded_by"),
        ("reason",),
        alliance="review__alliance",
    ),
    Holder(
        "acting.IndicatorReading",
        "readings",
        _("My indicator readings"),
        _ally("ally"),
        ("note",),
        alliance="alliance",
    ),
    Holder(
        "acting.WeatherRating",
        "weather",
        _("My alliance weather"),
        _ally("ally"),
        ("word",),
        alliance="alliance",
    ),
    Holder(
        "acting.Meeting",
        "meetings_scheduled",
        _("Meetings I scheduled"),
        _ally("scheduled_by"),
        ("purpose", "place", "prepare", "cancel_reason"),
        alliance="alliance",
    ),
    Holder(
        "acting.MeetingInvitation",
        "meeting_answers",
        _("My answers to meetings"),
        _ally("ally"),
        ("word", "brings"),
        alliance="meeting__alliance",
    ),
    # Documents, files, links and exchanges of an alliance.
    Holder(
        "documents.Document",
        "documents",
        _("Documents about me or produced by me"),
        _ally("produced_by"),
        alliance="alliance",
        of_the_person=True,
    ),
    Holder(
        "documents.DocumentFile",
        "document_files",
        _("Files of these documents"),
        _ally("document__produced_by"),
        ("data",),
        alliance="document__alliance",
        of_the_person=True,
    ),
    Holder(
        "attachments.Attachment",
        "attachments",
        _("Files I attached"),
        _ally("uploader", "deleted_by"),
        ("name", "description", "alt_text"),
        alliance="alliance",
    ),
    Holder(
        "attachments.AttachmentBytes",
        "attachment_bytes",
        _("Contents of the files I attached"),
        _ally("attachment__uploader"),
        ("data", "thumbnail"),
        alliance="attachment__alliance",
    ),
    Holder(
        "linking.LinkConsent",
        "link_consents",
        _("My consents to link alliances"),
        _ally("given_by"),
        alliance="alliance",
    ),
    Holder(
        "interop.DuiConsent",
        "dui_consents",
        _("Consents to share with the DUI"),
        _ally("given_by", "withdrawn_by"),
        alliance="alliance",
        of_the_person=True,
    ),
    Holder(
        "reports.NeedCoding",
        "need_codings",
        _("Needs coded on my words"),
        (*_ally("coded_by"), "statement__author__user"),
        alliance="alliance",
    ),
    Holder(
        "reports.JoinedAlliance",
        "alliances_joined_to_proposals",
        _("Alliances I joined to a proposal"),
        _ally("decided_by"),
        alliance="alliance",
    ),
    # Movement 3: collectives, consultations, proposals.
    Holder(
        "collectives.Collective",
        "collectives_created",
        _("Collectives I created"),
        ("created_by",),
    ),
    Holder(
        "collectives.CollectiveMember",
        "collective_memberships",
        _("My collectives"),
        ("user",),
    ),
    Holder(
        "collectives.MemberInvitation",
        "collective_invitations",
        _("Invitations to collectives"),
        ("answered_by", "member__user", "invited_by__user"),
        ("display_name", "email"),
    ),
    Holder(
        "collectives.MemberInvitationBatch",
        "collective_invitation_batches",
        _("Lists of people I invited to a collective"),
        ("prepared_by__user",),
        ("lines",),
    ),
    Holder(
        "collectives.Consultation",
        "consultations_created",
        _("Consultations I opened"),
        ("created_by",),
    ),
    Holder(
        "collectives.ConsultationStatement",
        "consultation_statements",
        _("What I said in consultations"),
        ("author", "moderated_by"),
        ("text", "easy_read", "rejection_reason"),
    ),
    Holder(
        "collectives.ConsultationVote",
        "consultation_votes",
        _("My votes in consultations"),
        ("participant",),
    ),
    Holder(
        "collectives.CollectiveInterest",
        "collective_interests",
        _("Common interests I adopted in a collective"),
        ("adopted_by",),
        ("text",),
    ),
    Holder(
        "collectives.GroupDescription",
        "group_descriptions",
        _("Descriptions of opinion groups I wrote"),
        ("written_by",),
        ("text",),
    ),
    Holder(
        "reports.Proposal",
        "proposals",
        _("Proposals I wrote or received"),
        ("written_by", "addressee"),
        ("title", "text"),
    ),
    Holder(
        "reports.ProposalEvent",
        "proposal_events",
        _("What I did on proposals"),
        ("actor",),
        ("words",),
    ),
    Holder(
        "reports.CoSignature",
        "proposal_signatures",
        _("Proposals I signed"),
        ("signatory", "signed_by"),
    ),
    # Proposals that follow through (ADR 0038): the requests are the writer's words,
    # like the proposal's text; answers and progress are the decision maker's; a
    # reaction is its member's.
    Holder(
        "reports.ProposalRequest",
        "proposal_requests",
        _("Requests of proposals I wrote"),
        ("proposal__written_by",),
        ("text",),
    ),
    Holder(
        "reports.RequestAnswer",
        "request_answers",
        _("My answers to requests of proposals"),
        ("answered_by",),
        ("words",),
    ),
    Holder(
        "reports.ProgressUpdate",
        "progress_updates",
        _("Progress I posted on proposals"),
        ("posted_by",),
        ("words", "next_step"),
    ),
    Holder(
        "reports.AnswerReaction",
        "answer_reactions",
        _("My reactions to answers to proposals"),
        ("member",),
        ("words",),
    ),
    Holder(
        "reports.Report",
        "reports",
        _("Reports I asked for or received"),
        ("requested_by", "published_to"),
    ),
    Holder(
        "reports.ReportRequest",
        "report_requests",
        _("Reports I asked organisations for"),
        ("requested_by",),
        ("purpose",),
    ),
    Holder(
        "reports.ReportRequestAnswer",
        "report_request_answers",
        _("My answers to requests for a report"),
        ("answered_by",),
        ("words",),
    ),
]


NO_PERSONAL_DATA: dict[str, str] = {
    "accounts.ApiClientToken": "A DUI software's access tokens, stored hashed: the "
    "organisation's software's, nobody's own.",
    "auth.Permission": "Django's list of permissions, the same for everybody.",
    "auth.Group": "Groups of permissions; Alliance puts nobody in them.",
    "contenttypes.ContentType": "Django's list of models.",
    "sessions.Session": (
        "Signed session data with no column naming its account; accounts.UserSession is the "
        "readable list of a user's sessions, and sign-out ends both."
    ),
    "django_tasks_database.DBTaskResult": "Background tasks; their arguments are ids only.",
    "notifications.PeriodicRun": "When each scheduled job last ran.",
    "accounts.Organisation": "An organisation: a name and a territory, about no person.",
    "alliances.Charter": (
        "The versions of the alliance's common text; each ally's part is in recognitions, "
        "commitments and signatures, listed above."
    ),
    "collectives.OpinionSnapshot": (
        "Opinion groups computed from votes, counted without naming any participant."
    ),
    "collectives.OpinionPlace": (
        "A participant's group and point on the opinion map, under a pseudonym of the "
        "consultation (a keyed hash, no account); kept only for the last full computation "
        "and its live result, deleted with them or when a newer one is done."
    ),
    "linking.LinkedCollective": "Which organisation's collective a need is linked to.",
    "reports.CustomNeedDomain": "An organisation's own names for domains of need.",
}


def holder(label: str) -> Holder:
    return next(h for h in PERSONAL_DATA if h.label == label)
