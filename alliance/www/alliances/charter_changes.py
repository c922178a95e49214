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


@dataclass(frozen=True)
class Line:
    sentence: str
    kind: str
    before: str
    after: str
    section: str


def lines(diff: d.CharterDiff) -> list[Line]:
    return [
        Line(str(SENTENCES[(c.section, c.kind)]), c.kind, c.before, c.after, c.section)
        for c in diff.changes
    ]
