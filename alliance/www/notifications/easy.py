"""Each kind of notification in easy-read: a pictogram and one short sentence, told
"tu" to a child. The details a user wrote (an action's title, a request's name)
are shown apart, as their own words; an alliance or a group is not named, the
"Voir" button leads there."""

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


@dataclass(frozen=True)
class Easy:
    picto: str  # a concept of alliance/www/pictograms.py
    text: object  # lazy pattern, may use the notification's parameters
    tu: object = None  # the same to a child, when it addresses the reader
    detail: str = ""  # the parameter shown apart, in the user's own words


EASY = {
    "charter_to_sign": Easy(
        "news_sign",
        _("Our agreement waits for your signature."),
        pgettext_lazy("tu", "Our agreement waits for your signature."),
    ),
    "stance_awaited": Easy(
        "solution",
        _("A new solution waits for what you think."),
        pgettext_lazy("tu", "A new solution waits for what you think."),
        detail="means",
    ),
    "action_due": Easy("news_soon", _("An action is for tomorrow."), detail="action"),
    "action_late": Easy("news_late", _("An action is late."), detail="action"),
    "review_due": Easy("check_up", _("The check-up is planned for %(due)s.")),
    "review_closed": Easy("check_up", _("The check-up is finished. Its paper is ready.")),
    "proposal_received": Easy(
        "news_request",
        _("A group sends you a request."),
        pgettext_lazy("tu", "A group sends you a request."),
        detail="proposal",
    ),
    "proposal_sent": Easy(
        "news_request", _("The request of the group is sent."), detail="proposal"
    ),
    "proposal_acknowledged": Easy(
        "news_request", _("The decision maker has received the request."), detail="proposal"
    ),
    "proposal_answered": Easy(
        "news_request", _("The decision maker has answered the request."), detail="proposal"
    ),
    "proposal_in_progress": Easy(
        "news_request", _("The decision maker is working on the request."), detail="proposal"
    ),
    "proposal_done": Easy(
        "news_request", _("The decision maker has done what the request asks."), detail="proposal"
    ),
    "proposal_refused": Easy(
        "news_request", _("The decision maker said no to the request."), detail="proposal"
    ),
    "proposal_request_answered": Easy(
        "news_request", _("The decision maker answered one thing we ask."), detail="proposal"
    ),
    "proposal_progress": Easy(
        "news_request", _("The decision maker says how the work goes."), detail="proposal"
    ),
    # Requests for a report reach decision makers and administrators; their easy words
    # are there for whoever reads in easy-read.
    "report_request_received": Easy(
        "news_request", _("A decision maker asks us for a report."), detail="scope"
    ),
    "report_request_answered": Easy(
        "news_request", _("An organisation answered your request for a report."), detail="scope"
    ),
    "report_request_settled": Easy(
        "news_request", _("Every organisation answered your request for a report."), detail="scope"
    ),
    "report_request_closed_on_answer_day": Easy(
        "news_request",
        _("The day to answer is past. Your request for a report is closed."),
        detail="scope",
    ),
    "password_changed": Easy(
        "news_account",
        _("Your password has changed. Was it not you? Ask for help."),
        pgettext_lazy("tu", "Your password has changed. Was it not you? Ask for help."),
    ),
    "data_archive_ready": Easy(
        "news_account",
        _("Your data are ready. You can take them until %(due)s."),
        pgettext_lazy("tu", "Your data are ready. You can take them until %(due)s."),
    ),
    "ally_invitation": Easy(
        "news_people",
        _("%(inviter)s invites you into an alliance."),
        pgettext_lazy("tu", "%(inviter)s invites you into an alliance."),
    ),
    "member_invitation": Easy(
        "news_people",
        _("%(inviter)s invites you into a group."),
        pgettext_lazy("tu", "%(inviter)s invites you into a group."),
    ),
    "ally_removed": Easy("news_people", _("%(name)s is no longer in the alliance.")),
    "ally_left": Easy("news_people", _("%(name)s has left the alliance.")),
    "removed_from_alliance": Easy(
        "news_people",
        _("You are no longer in an alliance."),
        pgettext_lazy("tu", "You are no longer in an alliance."),
    ),
    # Closing, reopening and handing over (issue 12).
    "alliance_close_proposed": Easy("stop_alliance", _("%(by)s asks to stop the alliance.")),
    "alliance_closed": Easy("closed", _("The alliance is stopped. We can still read it.")),
    "alliance_reopen_proposed": Easy("reopen", _("%(by)s asks to open the alliance again.")),
    "alliance_reopened": Easy("reopen", _("The alliance is open again.")),
    "lifecycle_declined": Easy("no", _("%(by)s said no.")),
    "handover_proposed": Easy("replace", _("%(successor)s can take the place of %(leaving)s.")),
    "handover_done": Easy("replace", _("%(successor)s takes the place of %(leaving)s.")),
    "handover_refused": Easy("replace", _("%(successor)s does not take the place of %(leaving)s.")),
    "access_reissue_requested": Easy(
        "news_account", _("Someone asks for a new way in for %(name)s.")
    ),
    "access_reissued": Easy("news_account", _("%(name)s has a new way in.")),
    "your_access_reissued": Easy(
        "news_account",
        _("You have a new way in. Was it not you? Tell your allies."),
        pgettext_lazy("tu", "You have a new way in. Was it not you? Tell your allies."),
    ),
    # Meetings (issue 12): the day only; the meeting's page says the rest.
    "meeting_invited": Easy(
        "meeting",
        _("%(by)s invites you to a meeting on %(due)s."),
        pgettext_lazy("tu", "%(by)s invites you to a meeting on %(due)s."),
    ),
    "meeting_changed": Easy("meeting", _("The meeting of %(due)s has changed.")),
    "meeting_cancelled": Easy("meeting_cancelled", _("The meeting of %(due)s will not happen.")),
}


def easy_news(notification, *, tu: bool) -> dict:
    """One notification in easy-read: its pictogram, its sentence, its detail."""
    easy = EASY.get(notification.kind)
    if easy is None:  # a kind added elsewhere without its easy words: its label
        return {"picto": "news", "text": notification.label, "detail": ""}
    params = notification.shown_params()
    pattern = easy.tu if tu and easy.tu is not None else easy.text
    return {
        "picto": easy.picto,
        "text": str(pattern) % params,
        "detail": params.get(easy.detail, "") if easy.detail else "",
    }
