from django import template
from django.utils.translation import gettext_lazy as _

from alliance.alliances.positions import Image

register = template.Library()

IMAGES = {
    Image.WHEELBARROW: (
        _("The wheelbarrow"),
        _("The person is pushed forward: others choose the way or the pace."),
    ),
    Image.BACKPACK: (
        _("The backpack"),
        _("The person is carried: others choose the way, the pace, and walk ahead."),
    ),
    Image.TRAILER: (
        _("The trailer"),
        _("The person is pulled behind: others walk ahead and set the pace."),
    ),
    Image.ROPED_PARTY: (
        _("The roped party"),
        _("The person is roped to others who walk ahead to show the way and secure it."),
    ),
    Image.HIKERS: (
        _("Hikers side by side"),
        _("We choose the way together, walk at the same pace, side by side."),
    ),
}


@register.filter
def image_name(value):
    return IMAGES[Image(value)][0]


@register.filter
def image_explanation(value):
    return IMAGES[Image(value)][1]


PAGES = {
    "overview": _("overview"),
    "invite": _("invitation form"),
    "recognition": _("recognition"),
    "words": _("my statements"),
    "agree": _("what we agree on"),
    "statement_new": _("new statement"),
    "statement": _("a statement"),
    "statement_edit": _("changing a statement"),
    "asymmetries": _("asymmetry register"),
    "charter": _("charter"),
    "charter_version": _("an old charter version"),
    "positions": _("position check"),
    "trail": _("this trail"),
    "means": _("means negotiation"),
    "actions": _("co-action plan"),
    "journal": _("journal of the way"),
    "journal_edit": _("changing a journal entry"),
    "reviews": _("reviews"),
    "review": _("a review"),
    "indicators": _("indicators"),
    "weather": _("alliance weather"),
    "remove_ally": _("removing an ally"),
    "leave": _("leaving the alliance"),
    "mandate": _("a legal representative's mandate"),
    # Voice notes (ADR 0019): a play is a read like a page.
    "statement_voice": _("a voice note"),
    "statement_voice_record": _("recording a voice note"),
    "journal_voice": _("a voice note of the journal"),
    "journal_voice_record": _("recording a voice note"),
    # Attached files (ADR 0026): an opening is a read like a page.
    "files": _("files"),
    "attachment": _("a file"),
    "attachment_preview": _("a photo"),
    # Issue 12: documents (ADR 0024), meetings (ADR 0025), closing (ADR 0023).
    "documents": _("documents"),
    "document": _("a document"),
    "charter_diff": _("what changed in the charter"),
    "meetings": _("meetings"),
    "meeting": _("a meeting"),
    "meeting_new": _("planning a meeting"),
    "meeting_edit": _("changing a meeting"),
    "meeting_cancel": _("cancelling a meeting"),
    "meeting_weather_dismiss": _("the weather of a meeting"),
    "closing": _("closing the alliance"),
    # Issue 13: the DUI link (docs/interop-fhir.md); an export is a read of everything.
    "dui": _("sharing with the establishment's file"),
    "dui_export": _("the export to the establishment's file"),
    "api:fhir_alliance_bundle": _("the export to the establishment's file, by its software"),
    "api:fhir_organisation_export": _("the export to the establishment's file, by its software"),
}


@register.filter
def page_label(value):
    return PAGES.get(value, value)
