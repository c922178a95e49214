"""The append-only audit trail. This is the ground floor: it imports nothing of
ours, so it refers to alliances and users by id and keeps a readable label of the
actor, which stays true even if the account is later renamed."""

from django.conf import settings
from django.db import connections, models
from django.utils.translation import gettext_lazy as _


class AppendOnlyError(Exception):
    pass


class Action(models.TextChoices):
    SIGN_IN = "sign_in", _("signed in")
    SIGN_IN_FAILED = "sign_in_failed", _("failed to sign in")
    SIGN_IN_LINK_ISSUED = "sign_in_link_issued", _("issued a sign-in link")
    SIGN_IN_CODE_ISSUED = "sign_in_code_issued", _("issued a sign-in code")
    PROFESSIONAL_ADDED = "professional_added", _("added a professional")
    PROFESSIONAL_DEACTIVATED = "professional_deactivated", _("deactivated a professional")
    PROFESSIONAL_REACTIVATED = "professional_reactivated", _("reactivated a professional")
    PASSWORD_CHANGED = "password_changed", _("changed their password")
    ALLIANCE_CREATED = "alliance_created", _("created the alliance")
    ALLIANCE_VIEWED = "alliance_viewed", _("looked at the alliance")
    COLLECTIVE_VIEWED = "collective_viewed", _("looked at a page of the collective")
    ALLY_INVITED = "ally_invited", _("invited an ally")
    ALLY_JOINED = "ally_joined", _("accepted the invitation")
    ALLY_APPROVED = "ally_approved", _("approved an ally")
    ALLY_REFUSED = "ally_refused", _("refused an ally")
    RECOGNITION_WRITTEN = "recognition_written", _("wrote their recognition")
    STATEMENT_WRITTEN = "statement_written", _("wrote a statement")
    STATEMENT_CHANGED = "statement_changed", _("changed a statement")
    STATEMENT_WITHDRAWN = "statement_withdrawn", _("withdrew a statement")
    VOTE_GIVEN = "vote_given", _("voted on a statement")
    ASYMMETRY_ADDED = "asymmetry_added", _("added to the asymmetry register")
    CHARTER_CHANGED = "charter_changed", _("changed the charter")
    CHARTER_VERSION_OPENED = "charter_version_opened", _("opened a new charter version")
    CHARTER_SIGNED = "charter_signed", _("signed the charter")
    POSITION_CHECKED = "position_checked", _("answered the position check")
    MEANS_PROPOSED = "means_proposed", _("proposed a means")
    STANCE_TAKEN = "stance_taken", _("took a stance on a means")
    MEANS_DECIDED = "means_decided", _("recorded a decision on a means")
    AVAILABILITY_CHANGED = "availability_changed", _("changed the availability of a means")
    ACTION_PLANNED = "action_planned", _("planned an action")
    ACTION_JOINED = "action_joined", _("took a role in an action")
    ACTION_AGREED = "action_agreed", _("agreed to an action for the person")
    ACTION_MOVED = "action_moved", _("changed the status of an action")
    CAPACITY_WRITTEN = "capacity_written", _("wrote a capacity or a constraint")
    JOURNAL_WRITTEN = "journal_written", _("wrote in the journal")
    JOURNAL_REVISED = "journal_revised", _("revised a journal entry")
    NEXT_REVIEW_SET = "next_review_set", _("set the date of the next review")
    REVIEW_OPENED = "review_opened", _("opened a review")
    REVIEW_CONCLUDED = "review_concluded", _("wrote their conclusion of a review")
    REVIEW_ABSENCE_RECORDED = (
        "review_absence_recorded",
        _("recorded an ally's absence from a review"),
    )
    REVIEW_CLOSED = "review_closed", _("closed a review")
    DOCUMENT_PRODUCED = "document_produced", _("produced a document")
    DOCUMENT_DOWNLOADED = "document_downloaded", _("downloaded a document")
    # Meetings (issue 12, strand C).
    MEETING_SCHEDULED = "meeting_scheduled", _("scheduled a meeting")
    MEETING_CHANGED = "meeting_changed", _("changed a meeting")
    MEETING_CANCELLED = "meeting_cancelled", _("cancelled a meeting")
    MEETING_ANSWERED = "meeting_answered", _("answered an invitation to a meeting")
    WEATHER_PROMPT_DISMISSED = (
        "weather_prompt_dismissed",
        _("set aside the weather of a meeting"),
    )
    # Starting an alliance from a DUI bundle (issue 13, strand E, ADR 0031).
    DUI_IMPORTED = "dui_imported", _("started the alliance from the organisation's record")
    STATEMENT_IMPORTED = (
        "statement_imported",
        _("brought a statement from the organisation's record"),
    )
    CALENDAR_FEED_CREATED = "calendar_feed_created", _("created their calendar link")
    CALENDAR_FEED_REVOKED = "calendar_feed_revoked", _("revoked their calendar link")
    API_TOKEN_CREATED = "api_token_created", _("made an access token for the API")
    API_TOKEN_REVOKED = "api_token_revoked", _("revoked an access token for the API")
    API_CLIENT_CREATED = "api_client_created", _("registered a DUI software for the API")
    API_CLIENT_REVOKED = "api_client_revoked", _("revoked a DUI software's access to the API")
    API_CLIENT_TOKEN_GRANTED = (
        "api_client_token_granted",
        _("gave an access token to a DUI software"),
    )
    NOTIFICATION_SETTINGS_CHANGED = (
        "notification_settings_changed",
        _("changed how they hear about news"),
    )
    PROPOSAL_WRITTEN = "proposal_written", _("wrote a proposal")
    PROPOSAL_SENT = "proposal_sent", _("sent a proposal to a decision maker")
    PROPOSAL_CO_SIGNED = "proposal_co_signed", _("co-signed a proposal")
    PROPOSAL_JOINED = "proposal_joined", _("joined the alliance to a proposal")
    PROPOSAL_MOVED = "proposal_moved", _("answered a proposal or changed its status")
    PUBLIC_PAGE_CHANGED = "public_page_changed", _("opened or closed the collective's public page")
    COLLECTIVE_CREATED = "collective_created", _("created the collective")
    COLLECTIVE_MEMBER_ADDED = "collective_member_added", _("added a member to the collective")
    FACILITATOR_NAMED = "facilitator_named", _("named a facilitator of the collective")
    COLLECTIVE_LEFT = "collective_left", _("left the collective")
    CONSULTATION_CREATED = "consultation_created", _("prepared a consultation")
    CONSULTATION_OPENED = "consultation_opened", _("opened a consultation")
    CONSULTATION_CLOSED = "consultation_closed", _("closed a consultation")
    CONSULTATION_STATEMENT_WRITTEN = (
        "consultation_statement_written",
        _("wrote a statement in a consultation"),
    )
    CONSULTATION_STATEMENT_ACCEPTED = (
        "consultation_statement_accepted",
        _("accepted a statement in a consultation"),
    )
    CONSULTATION_STATEMENT_REJECTED = (
        "consultation_statement_rejected",
        _("did not accept a statement in a consultation"),
    )
    CONSULTATION_STATEMENT_WITHDRAWN = (
        "consultation_statement_withdrawn",
        _("withdrew a statement from a consultation"),
    )
    CONSULTATION_VOTED = "consultation_voted", _("voted in a consultation")
    INDICATOR_RATED = "indicator_rated", _("rated an indicator")
    WEATHER_GIVEN = "weather_given", _("gave the alliance weather")
    NEED_CODED = "need_coded", _("coded the need of a common interest")
    REPORT_REQUESTED = "report_requested", _("asked for a report")
    REPORT_PUBLISHED = "report_published", _("published a report to decision makers")
    REPORT_VIEWED = "report_viewed", _("read a report")
    REPORT_REQUEST_MADE = "report_request_made", _("asked organisations for a report")
    REPORT_REQUEST_ANSWERED = "report_request_answered", _("answered a request for a report")
    REPORT_REQUEST_CLOSED = "report_request_closed", _("closed a request for a report")
    REPORT_REQUEST_CLOSED_ON_ANSWER_DAY = (
        "report_request_closed_on_answer_day",
        _("closed a request for a report after its answer day"),
    )
    ORGANISATION_ADDRESS_SET = (
        "organisation_address_set",
        _("changed the address codes of the organisation"),
    )
    ALLIANCE_PLANNING_SET = "alliance_planning_set", _("recorded the planning codes of an alliance")
    RESULTS_RECOMPUTE_REQUESTED = (
        "results_recompute_requested",
        _("asked for the results of a consultation to be computed again"),
    )
    RESULTS_EXPORTED = "results_exported", _("downloaded the results of a consultation")
    COLLECTIVE_INTEREST_ADOPTED = (
        "collective_interest_adopted",
        _("adopted a common interest for the collective"),
    )
    GROUP_DESCRIBED = (
        "group_described",
        _("described an opinion group of a consultation"),
    )
    LINK_CONSENT_GIVEN = "link_consent_given", _("agreed to link the alliance with others")
    LINK_CONSENT_WITHDRAWN = (
        "link_consent_withdrawn",
        _("withdrew the agreement to link the alliance with others"),
    )
    LINKED_COLLECTIVE_JOINED = (
        "linked_collective_joined",
        _("joined a collective of alliances sharing a common interest"),
    )
    # Sign-in hygiene (issue 9): the delay after failed passwords, sessions.
    SIGN_IN_DELAYED = (
        "sign_in_delayed",
        _("password sign-ins slowed down after failed attempts"),
    )
    SESSION_ENDED = "session_ended", _("signed out one of their sessions")
    OTHER_SESSIONS_ENDED = "other_sessions_ended", _("signed out of every other session")
    # Invitations by email (h1): the invitation, not an account, until its owner answers.
    ALLY_INVITATION_SENT = "ally_invitation_sent", _("invited an ally by email")
    ALLY_INVITATION_ACCEPTED = "ally_invitation_accepted", _("accepted an invitation by email")
    ALLY_INVITATION_DECLINED = "ally_invitation_declined", _("declined an invitation by email")
    ALLY_INVITATION_WITHDRAWN = "ally_invitation_withdrawn", _("withdrew an invitation by email")
    MEMBER_INVITATION_SENT = "member_invitation_sent", _("invited a member of the collective")
    MEMBER_INVITATION_ACCEPTED = (
        "member_invitation_accepted",
        _("accepted an invitation to the collective"),
    )
    MEMBER_INVITATION_DECLINED = (
        "member_invitation_declined",
        _("declined an invitation to the collective"),
    )
    MEMBER_INVITATION_WITHDRAWN = (
        "member_invitation_withdrawn",
        _("withdrew an invitation to the collective"),
    )
    # Invitations from a file (issue 14, ADR 0040): each invitation has its own entry.
    MEMBER_INVITATION_BATCH_PREPARED = (
        "member_invitation_batch_prepared",
        _("read a list of people to invite to the collective"),
    )
    MEMBER_INVITATION_BATCH_SENT = (
        "member_invitation_batch_sent",
        _("sent the invitations of a list to the collective"),
    )
    MEMBER_INVITATION_BATCH_DISCARDED = (
        "member_invitation_batch_discarded",
        _("discarded a list of people to invite to the collective"),
    )
    # Representatives and allies (issue 9): mandates, removing an ally, leaving.
    ALLY_REMOVED = "ally_removed", _("removed an ally from the alliance")
    ALLY_LEFT = "ally_left", _("left the alliance")
    MANDATE_RECORDED = "mandate_recorded", _("recorded a legal representative's mandate")
    MANDATE_CHANGED = "mandate_changed", _("changed a legal representative's mandate")
    # Second factor, passkeys and ProConnect (issue 9, ADR 0011).
    SECOND_FACTOR_ADDED = "second_factor_added", _("added a way to confirm their identity")
    SECOND_FACTOR_REMOVED = "second_factor_removed", _("removed a way to confirm their identity")
    RECOVERY_CODES_REGENERATED = (
        "recovery_codes_regenerated",
        _("made new recovery codes"),
    )
    PROCONNECT_LINKED = "proconnect_linked", _("linked their ProConnect identity")
    # Activation letters, devices kept signed in, lost access (issue 9).
    ACTIVATION_LETTER_ISSUED = (
        "activation_letter_issued",
        _("prepared an activation letter"),
    )
    ACTIVATION_CODE_TEXTED = "activation_code_texted", _("sent an activation code by text message")
    ACCOUNT_ACTIVATED = "account_activated", _("got in with an activation letter")
    DEVICE_KEPT_SIGNED_IN = "device_kept_signed_in", _("kept a device signed in")
    DEVICE_REVOKED = "device_revoked", _("stopped keeping a device signed in")
    ACCESS_REISSUE_REQUESTED = (
        "access_reissue_requested",
        _("asked for a new access for an ally who lost theirs"),
    )
    ACCESS_REISSUED = "access_reissued", _("re-issued an ally's access")
    # Starting an installation from the command line (issue 10).
    ORGANISATION_CREATED = "organisation_created", _("created the organisation")
    DECISION_MAKER_ADDED = "decision_maker_added", _("added a decision maker")
    # Voice notes (issue 11, ADR 0019): their plays are reads, like every page read.
    VOICE_NOTE_RECORDED = "voice_note_recorded", _("recorded a voice note")
    VOICE_NOTE_REPLACED = "voice_note_replaced", _("replaced a voice note")
    VOICE_NOTE_DELETED = "voice_note_deleted", _("deleted a voice note")
    # Closing, reopening and handing over an alliance (issue 12, ADR 0023).
    ALLIANCE_CLOSE_PROPOSED = "alliance_close_proposed", _("proposed to close the alliance")
    ALLIANCE_CLOSED = "alliance_closed", _("agreed to close the alliance")
    ALLIANCE_REOPEN_PROPOSED = "alliance_reopen_proposed", _("proposed to reopen the alliance")
    ALLIANCE_REOPENED = "alliance_reopened", _("reopened the alliance")
    LIFECYCLE_DECLINED = "lifecycle_declined", _("declined to close or reopen the alliance")
    HANDOVER_PROPOSED = "handover_proposed", _("proposed a colleague to take over")
    HANDOVER_DONE = "handover_done", _("approved a colleague who takes over")
    HANDOVER_REFUSED = "handover_refused", _("refused a colleague who would take over")
    # Attached files (issue 12, ADR 0026): their downloads are reads, like page reads.
    ATTACHMENT_ADDED = "attachment_added", _("attached a file")
    ATTACHMENT_DELETED = "attachment_deleted", _("deleted an attached file")
    # The DUI link (issue 13): the person's agreement that the alliance goes to the
    # organisation's DUI (FHIR TDDUI); the exports themselves are reads.
    DUI_CONSENT_GIVEN = "dui_consent_given", _("agreed to share the alliance with the DUI")
    DUI_CONSENT_WITHDRAWN = "dui_consent_withdrawn", _("stopped sharing the alliance with the DUI")
    # Operations (issue 10): done by a scheduled job, not by an account (actor None).
    # A person's data (issue 13): the archive asked for, and downloaded with its sha256.
    DATA_ARCHIVE_REQUESTED = "data_archive_requested", _("asked for an archive of their data")
    DATA_ARCHIVE_DOWNLOADED = "data_archive_downloaded", _("downloaded an archive of data")
    RETENTION_APPLIED = "retention_applied", _("deleted what was past its retention period")
    AUDIT_ARCHIVED = "audit_archived", _("archived a month of the trail")
    # Data rights (issue 13, ADR 0033): restriction, erasure, the retention policy.
    PROCESSING_RESTRICTED = "processing_restricted", _("restricted the use of an account's data")
    RESTRICTION_LIFTED = "restriction_lifted", _("lifted the restriction of an account's data")
    ERASURE_REQUESTED = "erasure_requested", _("asked for an account's data to be erased")
    ERASURE_CANCELLED = "erasure_cancelled", _("cancelled a request to erase an account's data")
    USER_REMOVED = "user_removed", _("removed an account")
    USER_PSEUDONYMISED = "user_pseudonymised", _("replaced an account's identity by a pseudonym")
    ALLIANCE_ERASED = "alliance_erased", _("erased a closed alliance past its retention")
    # Proposals that follow through (issue 14, ADR 0038).
    REQUEST_ANSWERED = "request_answered", _("answered a request of a proposal")
    PROGRESS_POSTED = "progress_posted", _("posted the progress of a proposal")
    ANSWER_REACTED = "answer_reacted", _("reacted to the answer to a proposal")


class AuditQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise AppendOnlyError("The audit trail cannot be changed.")

    def delete(self):
        raise AppendOnlyError("The audit trail cannot be deleted.")

    def pseudonymise(self, user_id: int) -> int:
        """The one exception to the append-only trail (ADR 0033): every entry whose
        actor, or whose account named in `detail["account"]`, is `user_id` gets that
        account's recorded pseudonym (AuditPseudonym) in place of the name. Nothing
        else changes, no entry goes; the database's triggers refuse any other change,
        and any other value than the recorded pseudonym. Returns the entries changed."""
        connection = connections[self.db]
        with connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                # The application role may not UPDATE the trail: a function of the
                # owner does this one update, under a flag its trigger checks.
                cursor.execute("SELECT audit_pseudonymise(%s)", [user_id])
                return cursor.fetchone()[0]
            cursor.execute(SQLITE_PSEUDONYMISE, {"user": user_id})
            return cursor.rowcount


SQLITE_PSEUDONYMISE = """
UPDATE audit_auditentry SET
    actor_label = CASE WHEN actor_id = %(user)s
        THEN (SELECT pseudonym FROM audit_auditpseudonym WHERE user_id = %(user)s)
        ELSE actor_label END,
    detail = CASE WHEN json_extract(detail, '$.account_id') = %(user)s
            AND json_type(detail, '$.account') IS NOT NULL
        THEN json_set(detail, '$.account',
            (SELECT pseudonym FROM audit_auditpseudonym WHERE user_id = %(user)s))
        ELSE detail END
WHERE actor_id = %(user)s OR json_extract(detail, '$.account_id') = %(user)s
"""


class AuditEntry(models.Model):
    at = models.DateTimeField(_("when"), auto_now_add=True, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    actor_label = models.CharField(max_length=200)
    # No `choices` here on purpose: the vocabulary grows with every movement, and an
    # append-only table should not need a migration each time a word is added.
    # `journal.record` only accepts members of `Action`.
    action = models.CharField(max_length=40)
    alliance_id = models.BigIntegerField(null=True, blank=True)
    organisation_id = models.BigIntegerField(null=True, blank=True)
    target_type = models.CharField(max_length=40, blank=True)
    target_id = models.BigIntegerField(null=True, blank=True)
    detail = models.JSONField(default=dict, blank=True)

    objects = AuditQuerySet.as_manager()

    class Meta:
        ordering = ["-at", "-pk"]
        indexes = [models.Index(fields=["alliance_id", "-at"], name="audit_alliance_at")]

    def __str__(self):
        return f"{self.at:%Y-%m-%d %H:%M} {self.actor_label} {self.action}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise AppendOnlyError("The audit trail cannot be changed.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AppendOnlyError("The audit trail cannot be deleted.")

    @property
    def action_label(self):
        try:
            return Action(self.action).label
        except ValueError:
            return self.action

    @property
    def what(self):
        """The action as the trail says it: a credential or access event names whose
        account it was (see `journal.record_account_event`)."""
        account = self.detail.get("account") if isinstance(self.detail, dict) else None
        if account:
            return _("%(action)s for %(account)s") % {
                "action": self.action_label,
                "account": account,
            }
        return self.action_label


class AuditPseudonym(models.Model):
    """The pseudonym that replaces an account's name in the trail once the account is
    erased (ADR 0033): drawn at random, so nothing leads back from it to the person
    (no key is kept). The triggers of the trail accept a changed name only when it
    is the one recorded here. Added, never changed."""

    user_id = models.BigIntegerField(unique=True)
    pseudonym = models.CharField(max_length=40, unique=True)
    at = models.DateTimeField(auto_now_add=True)

    def __str__(self):
        return self.pseudonym

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise AppendOnlyError("A pseudonym, once recorded, does not change.")
        super().save(*args, **kwargs)
