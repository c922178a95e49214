"""What changed between two versions of a charter, section by section.

Pure Python (no Django): it takes two plain snapshots and returns the changes as data.
The page turns each change into a sentence ("An indicator was added: …") in the
reader's language; the words of the shared understanding are compared word by word so
that a reader sees which words came and went, never a colour alone.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass, field

INTERESTS = "interests"
COMMITMENTS = "commitments"
PERIMETER = "perimeter"
INDICATORS = "indicators"
UNDERSTANDING = "understanding"
SECTIONS = (INTERESTS, COMMITMENTS, PERIMETER, INDICATORS, UNDERSTANDING)

ADDED = "added"
REMOVED = "removed"
CHANGED = "changed"


@dataclass(frozen=True)
class Item:
    """One entry of a section. `key` follows the entry across versions (a statement id,
    an ally, a life domain, an indicator's stable key); `text` is what a reader sees."""

    key: object
    text: str


@dataclass(frozen=True)
class Snapshot:
    interests: tuple[Item, ...] = ()
    commitments: tuple[Item, ...] = ()
    perimeter: tuple[Item, ...] = ()
    indicators: tuple[Item, ...] = ()
    understanding: str = ""


@dataclass(frozen=True)
class Change:
    section: str
    kind: str  # ADDED, REMOVED or CHANGED
    before: str = ""
    after: str = ""


@dataclass(frozen=True)
class WordRun:
    """A run of words of the shared understanding: kept, inserted or deleted."""

    kind: str  # "same", ADDED or REMOVED
    text: str


@dataclass(frozen=True)
class CharterDiff:
    changes: tuple[Change, ...] = ()
    understanding: tuple[WordRun, ...] = field(default_factory=tuple)

    @property
    def is_empty(self) -> bool:
        return not self.changes

    def in_section(self, section: str) -> list[Change]:
        return [c for c in self.changes if c.section == section]


def _items(before: tuple[Item, ...], after: tuple[Item, ...], section: str) -> list[Change]:
    """Changes of one section, in the order of the newer version, then the removed ones
    in the order of the older one. An entry whose key stays but whose words changed is
    one change, not a removal and an addition. Several entries may share a key (two
    commitments of one ally): they are paired in order."""
    old: dict[object, list[str]] = {}
    for item in before:
        old.setdefault(item.key, []).append(item.text)
    changes = []
    unmatched_new: list[Item] = []
    for item in after:
        texts = old.get(item.key)
        if texts and item.text in texts:
            texts.remove(item.text)
        else:
            unmatched_new.append(item)
    for item in unmatched_new:
        texts = old.get(item.key)
        if texts:
            changes.append(Change(section, CHANGED, before=texts.pop(0), after=item.text))
        else:
            changes.append(Change(section, ADDED, after=item.text))
    for item in before:
        texts = old.get(item.key)
        if texts and item.text in texts:
            texts.remove(item.text)
            changes.append(Change(section, REMOVED, before=item.text))
    return changes


def word_runs(before: str, after: str) -> tuple[WordRun, ...]:
    """The newer text as runs of kept, added and removed words (removed words are placed
    where they stood), so that a screen reader can announce each run in words."""
    old, new = before.split(), after.split()
    runs: list[WordRun] = []
    matcher = difflib.SequenceMatcher(a=old, b=new, autojunk=False)
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        if op == "equal":
            runs.append(WordRun("same", " ".join(new[j1:j2])))
            continue
        if op in ("delete", "replace"):
            runs.append(WordRun(REMOVED, " ".join(old[i1:i2])))
        if op in ("insert", "replace"):
            runs.append(WordRun(ADDED, " ".join(new[j1:j2])))
    return tuple(runs)


def compare(before: Snapshot, after: Snapshot) -> CharterDiff:
    changes: list[Change] = []
    changes += _items(before.interests, after.interests, INTERESTS)
    changes += _items(before.commitments, after.commitments, COMMITMENTS)
    changes += _items(before.perimeter, after.perimeter, PERIMETER)
    changes += _items(before.indicators, after.indicators, INDICATORS)
    old_text, new_text = before.understanding.strip(), after.understanding.strip()
    runs: tuple[WordRun, ...] = ()
    if old_text.split() != new_text.split():
        runs = word_runs(old_text, new_text)
        if not old_text:
            changes.append(Change(UNDERSTANDING, ADDED, after=new_text))
        elif not new_text:
            changes.append(Change(UNDERSTANDING, REMOVED, before=old_text))
        else:
            changes.append(Change(UNDERSTANDING, CHANGED, before=old_text, after=new_text))
    return CharterDiff(changes=tuple(changes), understanding=runs)
