"""The sentences that say a charter change in plain words. The pure diff module says
what changed; this one says it in the reader's language."""

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from alliance.alliances import charter_diff as d

SENTENCES = {
    (d.INTERESTS, d.ADDED): _("A common interest was added:"),
    (d.INTERESTS, d.REMOVED): _("A common interest was removed:"),
    (d.INTERESTS, d.CHANGED): _("This common interest changed:"),
    (d.COMMITMENTS, d.ADDED): _("A commitment was added:"),
    (d.COMMITMENTS, d.REMOVED): _("A commitment was removed:"),
    (d.COMMITMENTS, d.CHANGED): _("This commitment changed:"),
    (d.PERIMETER, d.ADDED): _("A life domain was added to the perimeter:"),
    (d.PERIMETER, d.REMOVED): _("A life domain was taken out of the perimeter:"),
    (d.PERIMETER, d.CHANGED): _("This life domain changed place:"),
    (d.INDICATORS, d.ADDED): _("An indicator was added:"),
    (d.INDICATORS, d.REMOVED): _("An indicator was removed:"),
    (d.INDICATORS, d.CHANGED): _("This indicator changed:"),
    (d.UNDERSTANDING, d.ADDED): _("Our shared understanding was written:"),
    (d.UNDERSTANDING, d.REMOVED): _("Our shared understanding was erased. It said:"),
    (d.UNDERSTANDING, d.CHANGED): _("Our shared understanding changed:"),
}

# The same, in the easy-read words of the agreement (docs/easy-read.md glossary).
EASY_SENTENCES = {
    (d.INTERESTS, d.ADDED): _("New, what matters for us:"),
    (d.INTERESTS, d.REMOVED): _("Taken out, what mattered for us:"),
    (d.INTERESTS, d.CHANGED): _("Changed, what matters for us:"),
    (d.COMMITMENTS, d.ADDED): _("New promise:"),
    (d.COMMITMENTS, d.REMOVED): _("Promise taken out:"),
    (d.COMMITMENTS, d.CHANGED): _("Changed promise:"),
    (d.PERIMETER, d.ADDED): _("New part of life:"),
    (d.PERIMETER, d.REMOVED): _("Part of life taken out:"),
    (d.PERIMETER, d.CHANGED): _("Changed part of life:"),
    (d.INDICATORS, d.ADDED): _("New thing we follow:"),
    (d.INDICATORS, d.REMOVED): _("We no longer follow:"),
    (d.INDICATORS, d.CHANGED): _("Changed thing we follow:"),
    (d.UNDERSTANDING, d.ADDED): _("New, what we understand together:"),
    (d.UNDERSTANDING, d.REMOVED): _("Erased, what we understood together:"),
    (d.UNDERSTANDING, d.CHANGED): _("Changed, what we understand together:"),
}


@dataclass(frozen=True)
class Line:
    sentence: str
    kind: str
    before: str
    after: str
    section: str


def lines(diff: d.CharterDiff, *, easy: bool = False) -> list[Line]:
    sentences = EASY_SENTENCES if easy else SENTENCES
    return [
        Line(str(sentences[(c.section, c.kind)]), c.kind, c.before, c.after, c.section)
        for c in diff.changes
    ]
