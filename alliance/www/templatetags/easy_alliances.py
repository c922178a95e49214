"""The easy-read words of movement 1 (issue 11): one word for one thing, from the
glossary, beside a pictogram of alliance/www/pictograms.py (ALLIANCES). The data
keeps its codes and kinds; only these pages speak them in everyday words."""

import datetime

from django import template
from django.utils import timezone
from django.utils.dateformat import format as format_date
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from alliance import dates
from alliance.alliances.needs import everyday_domain

register = template.Library()

# First person: a message speaks in its author's voice, whoever reads it.
KINDS = {
    "interest": _("What matters to me"),
    "goal": _("What I want to achieve"),
    "means": pgettext_lazy("easy", "A solution"),
    "concern": _("What worries me"),
    "capacity": _("What I know how to do"),
}

VOTES = {
    "agree": pgettext_lazy("easy", "Agree"),
    "disagree": pgettext_lazy("easy", "Disagree"),
    "unsure": pgettext_lazy("easy", "I don't know"),
    "pass": pgettext_lazy("easy", "Skip"),
}

EVERYDAY = {
    "health": _("My health"),
    "daily_life": _("My everyday life"),
    "moving": _("Getting around"),
    "home": _("My home"),
    "school_and_work": _("School and work"),
    "friends_and_family": _("My friends and my family"),
    "money": _("My money"),
    "rights": _("My rights"),
    "": _("Another part of my life"),
}

ROLES = {
    "person": _("the person at the heart of the alliance"),
    "representative": pgettext_lazy("easy", "legal representative"),
    "relative": _("close one"),
    "trusted_person": _("person I trust"),
    "professional": pgettext_lazy("easy", "professional"),
    "peer": _("someone who lived the same thing"),
    "other": _("other"),
}

# The asymmetry register's dimensions, as the questions they answer.
DIMENSIONS = {
    "decision_power": _("Who decides?"),
    "information": _("Who knows things?"),
    "expertise": _("Who knows how to do it?"),
    "resources": _("Who has money and tools?"),
    "time": _("Who has time?"),
    "mandate": _("Who must answer to others?"),
    "custom": _("Something else"),
}


@register.filter
def kind_words(kind):
    return KINDS.get(kind, kind)


@register.filter
def vote_words(value):
    return VOTES.get(value, value)


@register.filter
def life_part(entry):
    """A perimeter entry in everyday words: its need code's part of life; an entry
    named in an ally's own words keeps them."""
    if not entry.domain_code:
        return entry.label
    return EVERYDAY[everyday_domain(entry.domain_code)]


@register.filter
def life_part_picto(entry):
    return f"life_{everyday_domain(entry.domain_code) or 'other'}"


@register.filter
def dimension_question(entry):
    if entry.dimension == "custom":
        return entry.dimension_label
    return DIMENSIONS.get(entry.dimension, entry.dimension_label)


@register.filter
def role_words(role):
    return ROLES.get(role, role)


@register.filter
def dom_id(value, prefix):
    """A unique element id for the read-aloud button's target: prefix + the pk."""
    return f"{prefix}{value}"


# The position check in easy words: the pictures (as the drawings' titles) and the
# three questions, by question or by the form's field name.
IMAGES = {
    "wheelbarrow": _("The wheelbarrow: one pushes the other."),
    "backpack": _("The backpack: one carries the other."),
    "trailer": _("The trailer: one pulls the other behind."),
    "roped_party": _("The roped party: tied together, one leads."),
    "hikers": _("Hikers side by side: we walk together, each one free."),
}
QUESTIONS = {
    "path": _("Who chooses the path?"),
    "pace": _("Who chooses the speed?"),
    "ahead": _("Who walks ahead?"),
}
_QUESTION_OF_FIELD = {"chooses_path": "path", "sets_pace": "pace", "walks_ahead": "ahead"}


@register.filter
def easy_image(image):
    return IMAGES.get(str(image), image)


@register.filter
def position_question(name):
    return QUESTIONS.get(_QUESTION_OF_FIELD.get(name, name), name)


@register.filter
def position_picto(name):
    return f"question_{_QUESTION_OF_FIELD.get(name, name)}"


@register.filter
def dimension_words(value):
    return DIMENSIONS.get(value, value)


@register.filter
def easy_day(day):
    """A day as a person says it: today, yesterday, on Tuesday (this week), on 3 December."""
    today = timezone.localdate()
    if day == today:
        return _("today")
    if day == today - datetime.timedelta(days=1):
        return _("yesterday")
    if today - datetime.timedelta(days=6) <= day < today:
        return _("on %(weekday)s") % {"weekday": format_date(day, "l")}
    return _("on %(date)s") % {"date": dates.show(day, "MONTH_DAY_FORMAT")}


# The pages of the trail, in the words of the easy-read pages.
PAGES = {
    "overview": _("the page of the alliance"),
    "words": _("my messages"),
    "agree": _("the messages to answer"),
    "statement": _("a message"),
    "statement_new": _("a new message"),
    "statement_edit": _("a message"),
    "recognition": _("what each one brings"),
    "asymmetries": _("who decides and who knows"),
    "charter": _("our agreement"),
    "charter_version": _("an old agreement"),
    "positions": _("how we walk together"),
    "trail": _("who looked"),
    "means": _("the solutions"),
    "actions": _("the actions"),
    "journal": _("the journal"),
    "weather": _("the weather"),
    "indicators": _("the things we follow"),
    "reviews": _("the check-ups"),
    "review": _("a check-up"),
    "statement_voice": _("a voice note"),
    "statement_voice_record": _("recording a voice note"),
    "journal_voice": _("a voice note of the journal"),
    "journal_voice_record": _("recording a voice note"),
    "files": _("our files"),
    "attachment": _("a file"),
    "attachment_preview": _("a photo"),
    "documents": _("our papers"),
    "document": _("a paper"),
    "charter_diff": _("what changed in our agreement"),
    "meetings": _("our meetings"),
    "meeting": _("a meeting"),
    "meeting_new": _("a new meeting"),
    "meeting_edit": _("a meeting"),
    "meeting_cancel": _("a meeting"),
    "meeting_weather_dismiss": _("the weather of a meeting"),
    "closing": _("stopping the alliance"),
    "dui": _("the file of the establishment"),
    "dui_export": _("the file of the establishment"),
    "api:fhir_alliance_bundle": _("the file of the establishment"),
    "api:fhir_organisation_export": _("the file of the establishment"),
}


@register.filter
def easy_page(page):
    return PAGES.get(page, _("a page"))


# What an ally did, as the trail of the easy-read pages says it.
ACTIONS = {
    "ally_invited": pgettext_lazy("easy", "invited someone"),
    "ally_invitation_sent": pgettext_lazy("easy", "invited someone"),
    "ally_joined": pgettext_lazy("easy", "came into the alliance"),
    "ally_approved": pgettext_lazy("easy", "said yes to someone"),
    "ally_refused": pgettext_lazy("easy", "said no to someone"),
    "recognition_written": pgettext_lazy("easy", "wrote what they bring"),
    "statement_written": pgettext_lazy("easy", "wrote a message"),
    "statement_changed": pgettext_lazy("easy", "changed a message"),
    "statement_withdrawn": pgettext_lazy("easy", "withdrew a message"),
    "vote_given": pgettext_lazy("easy", "answered a message"),
    "asymmetry_added": pgettext_lazy("easy", "wrote who decides or who knows"),
    "charter_changed": pgettext_lazy("easy", "changed our agreement"),
    "charter_version_opened": pgettext_lazy("easy", "changed our agreement"),
    "charter_signed": pgettext_lazy("easy", "signed our agreement"),
    "position_checked": pgettext_lazy("easy", "said how we walk together"),
    "means_proposed": pgettext_lazy("easy", "proposed a solution"),
    "stance_taken": pgettext_lazy("easy", "gave their opinion on a solution"),
    "means_decided": pgettext_lazy("easy", "chose a solution"),
    "availability_changed": pgettext_lazy("easy", "changed a solution"),
    "action_planned": pgettext_lazy("easy", "planned an action"),
    "action_joined": pgettext_lazy("easy", "took part in an action"),
    "action_agreed": pgettext_lazy("easy", "agreed to an action"),
    "action_moved": pgettext_lazy("easy", "changed an action"),
    "capacity_written": pgettext_lazy("easy", "wrote what they can do"),
    "journal_written": pgettext_lazy("easy", "wrote in the journal"),
    "journal_revised": pgettext_lazy("easy", "changed the journal"),
    "next_review_set": pgettext_lazy("easy", "chose the day of the check-up"),
    "review_opened": pgettext_lazy("easy", "started a check-up"),
    "review_concluded": pgettext_lazy("easy", "wrote about the check-up"),
    "indicator_rated": pgettext_lazy("easy", "gave a score"),
    "weather_given": pgettext_lazy("easy", "gave the weather"),
    "voice_note_recorded": pgettext_lazy("easy", "recorded a voice note"),
    "voice_note_replaced": pgettext_lazy("easy", "recorded a voice note again"),
    "voice_note_deleted": pgettext_lazy("easy", "deleted a voice note"),
    "attachment_added": pgettext_lazy("easy", "sent a file"),
    "attachment_deleted": pgettext_lazy("easy", "deleted a file"),
    # Closing, reopening and handing over (issue 12).
    "alliance_close_proposed": pgettext_lazy("easy", "asked to stop the alliance"),
    "alliance_closed": pgettext_lazy("easy", "stopped the alliance"),
    "alliance_reopen_proposed": pgettext_lazy("easy", "asked to open the alliance again"),
    "alliance_reopened": pgettext_lazy("easy", "opened the alliance again"),
    "lifecycle_declined": pgettext_lazy("easy", "said no to stopping or opening again"),
    "handover_proposed": pgettext_lazy("easy", "asked a colleague to take over"),
    "handover_done": pgettext_lazy("easy", "said yes to a colleague who takes over"),
    "handover_refused": pgettext_lazy("easy", "said no to a colleague who would take over"),
}


@register.filter
def easy_action(entry):
    return ACTIONS.get(entry.action, pgettext_lazy("easy", "did something in the alliance"))
