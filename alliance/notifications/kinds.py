"""What a notification can be about. Each kind belongs to a group, and each user
chooses per group how they hear about it. The title is kept as a translatable
pattern plus its parameters, so it shows in the reader's language; the label is
the only words an email carries unless its reader asked for details.

Another part of the product adds a kind by adding a `Kind` to `KINDS`."""

from dataclasses import dataclass

from django.db import models
from django.utils.translation import gettext_lazy as _


class Group(models.TextChoices):
    SIGNATURES = "signatures", _("Charters to sign")
    NEGOTIATION = "negotiation", _("Means waiting for your stance")
    ACTIONS = "actions", _("Actions due or late")
    REVIEWS = "reviews", _("Reviews due")
    PROPOSALS = "proposals", _("Proposals to decision makers and their answers")
    # What happens to the account itself (password changed…): always emailed at once,
    # so that someone who took over a session cannot silence it in the preferences.
    ACCOUNT = "account", _("Your account: password and sessions")
    INVITATIONS = "invitations", _("Invitations to an alliance or a collective")
    ALLIES = "allies", _("Who joins and who leaves your alliances")
    # Lost access (issue 9): an account's access re-issued, asked and done.
    ACCESS = "access", _("Access re-issued to an ally's account")
    MEETINGS = "meetings", _("Meetings: invitations, changes and cancellations")


# Groups whose delivery nobody chooses: an email right away.
ALWAYS_EMAILED = {Group.ACCOUNT, Group.ACCESS}


def choosable_groups():
    return [group for group in Group if group not in ALWAYS_EMAILED]


# Parameters that hold a date (ISO): shown in the reader's format.
DATE_PARAMS = {"due"}


@dataclass(frozen=True)
class Kind:
    code: str
    group: Group
    label: str  # lazy: what it is about, without any personal detail
    title: str  # lazy pattern with %(name)s parameters: the details


KINDS = {
    kind.code: kind
    for kind in (
        Kind(
            "charter_to_sign",
            Group.SIGNATURES,
            _("A charter waits for your signature"),
            _("The charter of “%(alliance)s” waits for your signature."),
        ),
        Kind(
            "stance_awaited",
            Group.NEGOTIATION,
            _("A means waits for your stance"),
            _("“%(means)s” is proposed in “%(alliance)s”: what is your stance?"),
        ),
        Kind(
            "action_due",
            Group.ACTIONS,
            _("An action is due tomorrow"),
            _("“%(action)s” in “%(alliance)s” is due tomorrow."),
        ),
        Kind(
            "action_late",
            Group.ACTIONS,
            _("An action is late"),
            _("“%(action)s” in “%(alliance)s” was due on %(due)s."),
        ),
        Kind(
            "review_due",
            Group.REVIEWS,
            _("A review is due"),
            _("The review of “%(alliance)s” is due on %(due)s."),
        ),
        Kind(
            "review_closed",
            Group.REVIEWS,
            _("A review is closed"),
            _("The review of “%(alliance)s” is closed: its report is in the documents."),
        ),
        # Members of a collective follow its proposals; the decision maker hears of
        # the proposals addressed to them.
        Kind(
            "proposal_received",
            Group.PROPOSALS,
            _("A proposal is addressed to you"),
            _("The collective “%(collective)s” sends you the proposal “%(proposal)s”."),
        ),
        Kind(
            "proposal_sent",
            Group.PROPOSALS,
            _("A proposal of your collective is sent"),
            _("“%(proposal)s” is sent to the decision maker."),
        ),
        Kind(
            "proposal_acknowledged",
            Group.PROPOSALS,
            _("A proposal of your collective is acknowledged"),
            _("The decision maker has acknowledged “%(proposal)s”."),
        ),
        Kind(
            "proposal_answered",
            Group.PROPOSALS,
            _("A proposal of your collective is answered"),
            _("The decision maker has answered “%(proposal)s”."),
        ),
        Kind(
            "proposal_in_progress",
            Group.PROPOSALS,
            _("A proposal of your collective is in progress"),
            _("The decision maker has started on “%(proposal)s”."),
        ),
        Kind(
            "proposal_done",
            Group.PROPOSALS,
            _("A proposal of your collective is carried out"),
            _("The decision maker has carried out “%(proposal)s”."),
        ),
        Kind(
            "proposal_refused",
            Group.PROPOSALS,
            _("A proposal of your collective is declined"),
            _("The decision maker has declined “%(proposal)s”."),
        ),
        # Requests for a report (issue 14, ADR 0037): the organisations' administrators
        # hear of a request; the decision maker hears of each answer and of the end.
        Kind(
            "report_request_received",
            Group.PROPOSALS,
            _("A decision maker asks your organisation for a report"),
            _("%(requester)s asks your organisation for a report on %(scope)s."),
        ),
        Kind(
            "report_request_answered",
            Group.PROPOSALS,
            _("An organisation answered your request for a report"),
            _("%(organisation)s answered your request for a report on %(scope)s."),
        ),
        Kind(
            "report_request_settled",
            Group.PROPOSALS,
            _("Your request for a report is settled"),
            _("Your request for a report on %(scope)s is settled: see the answers."),
        ),
        Kind(
            "report_request_closed_on_answer_day",
            Group.PROPOSALS,
            _("Your request for a report closed on its answer day"),
            _(
                "Your request for a report on %(scope)s closed after its answer day: see "
                "who answered and who did not."
            ),
        ),
        # Each request answered and each step of the work (ADR 0038).
        Kind(
            "proposal_request_answered",
            Group.PROPOSALS,
            _("A request of your collective is answered"),
            _("The decision maker has answered a request of “%(proposal)s”."),
        ),
        Kind(
            "proposal_progress",
            Group.PROPOSALS,
            _("News of the work on a proposal"),
            _("The decision maker has posted progress on “%(proposal)s”."),
        ),
        # Sign-in hygiene (issue 9).
        Kind(
            "password_changed",
            Group.ACCOUNT,
            _("Your password was changed"),
            _(
                "Your password was changed. If it was not you, sign in with a code sent "
                "to your email, choose a new password and sign out your other sessions."
            ),
        ),
        # A person's data (issue 13): the archive asked for is ready. Always emailed:
        # someone who took over the account should not fetch it unseen.
        Kind(
            "data_archive_ready",
            Group.ACCOUNT,
            _("Your data archive is ready"),
            _("The archive of data you asked for is ready. Download it before %(due)s."),
        ),
        # Invitations by email to an existing account: answered from the home page, so
        # neither the notification nor its email carries any secret.
        Kind(
            "ally_invitation",
            Group.INVITATIONS,
            _("You are invited to an alliance"),
            _("%(inviter)s invites you to the alliance “%(alliance)s”."),
        ),
        Kind(
            "member_invitation",
            Group.INVITATIONS,
            _("You are invited to a collective"),
            _("%(inviter)s invites you to the collective “%(collective)s”."),
        ),
        # Representatives and allies (issue 9).
        Kind(
            "ally_removed",
            Group.ALLIES,
            _("An ally was removed from an alliance"),
            _("%(name)s is no longer in “%(alliance)s”: %(by)s removed them."),
        ),
        Kind(
            "ally_left",
            Group.ALLIES,
            _("An ally left an alliance"),
            _("%(name)s left “%(alliance)s”."),
        ),
        Kind(
            "removed_from_alliance",
            Group.ALLIES,
            _("You are no longer in an alliance"),
            _("%(by)s removed you from “%(alliance)s”."),
        ),
        # Closing, reopening and handing over (issue 12, ADR 0023).
        Kind(
            "alliance_close_proposed",
            Group.ALLIES,
            _("Someone proposes to close an alliance"),
            _("%(by)s proposes to close “%(alliance)s”: the person answers."),
        ),
        Kind(
            "alliance_closed",
            Group.ALLIES,
            _("An alliance is closed"),
            _("“%(alliance)s” is closed. It can still be read."),
        ),
        Kind(
            "alliance_reopen_proposed",
            Group.ALLIES,
            _("Someone proposes to reopen an alliance"),
            _("%(by)s proposes to reopen “%(alliance)s”: the person answers."),
        ),
        Kind(
            "alliance_reopened",
            Group.ALLIES,
            _("An alliance is reopened"),
            _("“%(alliance)s” is open again."),
        ),
        Kind(
            "lifecycle_declined",
            Group.ALLIES,
            _("The person said no"),
            _("%(by)s did not agree to close or reopen “%(alliance)s”."),
        ),
        Kind(
            "handover_proposed",
            Group.ALLIES,
            _("A colleague may take over in an alliance"),
            _("%(successor)s may replace %(leaving)s in “%(alliance)s”: the person answers."),
        ),
        Kind(
            "handover_done",
            Group.ALLIES,
            _("A colleague took over in an alliance"),
            _("%(successor)s replaces %(leaving)s in “%(alliance)s”."),
        ),
        Kind(
            "handover_refused",
            Group.ALLIES,
            _("A colleague was not approved"),
            _("%(successor)s will not replace %(leaving)s in “%(alliance)s”."),
        ),
        # Lost access (issue 9): always told, so that nobody re-issues an access quietly.
        Kind(
            "access_reissue_requested",
            Group.ACCESS,
            _("A new access is asked for an ally"),
            _(
                "%(by)s asks for a new access for %(name)s in “%(alliance)s”: "
                "a second ally must agree."
            ),
        ),
        Kind(
            "access_reissued",
            Group.ACCESS,
            _("An ally's access was re-issued"),
            _(
                "The access of %(name)s was re-issued in “%(alliance)s”, asked by "
                "%(requested_by)s and done by %(by)s."
            ),
        ),
        Kind(
            "your_access_reissued",
            Group.ACCESS,
            _("Your access was re-issued"),
            _(
                "%(by)s re-issued your access: a new letter replaces your ways in. "
                "If you did not ask for it, tell your allies."
            ),
        ),
        # Meetings (issue 12): the date and the alliance only, never the purpose or
        # the place, which stay behind the sign-in.
        Kind(
            "meeting_invited",
            Group.MEETINGS,
            _("You are invited to a meeting"),
            _("%(by)s invites you to a meeting of “%(alliance)s” on %(due)s."),
        ),
        Kind(
            "meeting_changed",
            Group.MEETINGS,
            _("A meeting was changed"),
            _("%(by)s changed the meeting of “%(alliance)s” on %(due)s."),
        ),
        Kind(
            "meeting_cancelled",
            Group.MEETINGS,
            _("A meeting was cancelled"),
            _("%(by)s cancelled the meeting of “%(alliance)s” on %(due)s."),
        ),
    )
}


def kind_of(code: str) -> Kind:
    return KINDS[code]
