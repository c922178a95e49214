"""The easy-read check of a rendered page, as plain Python (no Django): it reads the
HTML a person receives and lists what breaks the easy-to-read rules (issue 11,
DESIGN.md §4 rule 7). tests/www/test_easy_read.py runs it over every page a person
uses; benchmarks/easy_read.py counts words with the same rules.

What it checks, and how it reads a page:
- Sentences of more than 15 words. The text is cut into blocks (paragraphs, list
  items, headings, labels, buttons, cells, options… each is its own sentence, since
  they are read one by one), then each block at ".", "!", "?", ":" and "…" when a
  space or the end follows (so "3.5" and "10:30" stay whole). Texts only a screen
  reader hears (alt, aria-label, title, visually hidden) are checked the same way.
- More than 200 words in <main> outside `<details class="more">`: every word the
  phone shows, the allies' words included (they fill the screen as much as ours).
  Visually hidden texts and `hidden` elements do not count.
- Jargon: a word or phrase of the jargon list, whole word, case- and accent-
  insensitive, with an optional plural "s" or "x" ("indicateurs" is "indicateur").
- Point médian inside a word ("reconnu·e").
- An <img> without an alt attribute; an <img> with an empty alt (decorative) that is
  not beside a word: the nearest element around it that is not a mere inline wrapper
  (span, picture, strong…) shows no text.
- With `informal=True` (the reader is a child under 12): "vous", "votre", "vos".
- An <svg> that is neither hidden from screen readers (aria-hidden="true") nor a named
  image (role="img" with aria-label, aria-labelledby or a <title>).

The allies' own words are theirs and we cannot rewrite them: an element marked
`data-user-text` (and everything inside it) is skipped by the sentence, jargon and
point médian rules, but its words count towards the 200. A <textarea>'s content is
the user's too.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path

MAX_SENTENCE_WORDS = 15
MAX_MAIN_WORDS = 200

LONG_SENTENCE = "long-sentence"
TOO_MANY_WORDS = "too-many-words"
JARGON = "jargon"
POINT_MEDIAN = "point-median"
IMG_WITHOUT_ALT = "img-without-alt"
PICTURE_ALONE = "picture-without-word"
SVG_WITHOUT_NAME = "svg-without-name"
FORMAL_YOU = "vous-to-a-child"


def _tags(names: str) -> frozenset[str]:
    return frozenset(names.split())


VOID = _tags("area base br col embed hr img input link meta param source track wbr")
# Each of these starts a new block of text: what is in one is never glued to what
# follows ("Accueil" in a list item and "Sortir" in the next are two sentences).
BLOCKS = _tags(
    "address article aside blockquote body br button caption dd details dialog div dl dt "
    "fieldset figcaption figure footer form h1 h2 h3 h4 h5 h6 header hr label legend li "
    "main nav ol optgroup option output p pre section select summary table tbody td "
    "textarea tfoot th thead tr ul"
)
# Never shown as text.
SKIPPED = _tags("script style template noscript head")
# Wrappers an empty-alt picture may sit in without being "beside" anything yet.
INLINE_WRAPPERS = _tags("span picture i b em strong small abbr mark")
VISUALLY_HIDDEN = "visually-hidden"

SENTENCE_END = re.compile(r"(?<=[.!?:…])(?=\s|$)")
MIDDLE_DOTS = "·⋅•‧"
POINT_MEDIAN_IN_WORD = re.compile(rf"\w[{MIDDLE_DOTS}]\w")
# A child under 12 is told "tu" (issue 11): "vous", "votre", "vos" never reach them.
FORMAL = re.compile(r"(?<![\w-])(vous|votre|vos)(?![\w-])", re.IGNORECASE)
APOSTROPHES = str.maketrans({"’": "'", "ʼ": "'", "‘": "'"})


@dataclass(frozen=True)
class Violation:
    rule: str
    text: str

    def __str__(self):
        return f"[{self.rule}] {self.text}"


@dataclass
class _Node:
    tag: str
    attrs: dict[str, str]
    parent: _Node | None
    children: list[_Node | str] = field(default_factory=list)

    def has_class(self, name):
        return name in self.attrs.get("class", "").split()


class _TreeBuilder(HTMLParser):
    """A forgiving tree: void elements close themselves, and an end tag closes every
    element still open inside it (a forgotten </li> or </p> does not swallow the
    rest of the page)."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.root = _Node("#root", {}, None)
        self.current = self.root

    def handle_starttag(self, tag, attrs):
        node = _Node(tag, {k: v if v is not None else "" for k, v in attrs}, self.current)
        self.current.children.append(node)
        if tag not in VOID:
            self.current = node

    def handle_startendtag(self, tag, attrs):
        node = _Node(tag, {k: v if v is not None else "" for k, v in attrs}, self.current)
        self.current.children.append(node)

    def handle_endtag(self, tag):
        node = self.current
        while node is not None and node.tag != tag:
            node = node.parent
        if node is not None and node.parent is not None:
            self.current = node.parent

    def handle_data(self, data):
        self.current.children.append(data)


def parse(html: str) -> _Node:
    builder = _TreeBuilder()
    builder.feed(html)
    builder.close()
    return builder.root


def _not_shown(node: _Node) -> bool:
    return node.tag in SKIPPED or "hidden" in node.attrs


def _is_user_text(node: _Node) -> bool:
    return "data-user-text" in node.attrs or node.tag == "textarea"


def _is_named_svg(node: _Node) -> bool:
    return node.tag == "svg" and (
        node.attrs.get("aria-hidden") == "true" or node.attrs.get("role") == "img"
    )


def _find(node: _Node, tag: str) -> _Node | None:
    for child in node.children:
        if isinstance(child, _Node):
            if child.tag == tag:
                return child
            found = _find(child, tag)
            if found is not None:
                return found
    return None


class _Reader:
    """One walk over the tree: collects the blocks of text to check as sentences, the
    words shown in <main>, and the pictures."""

    def __init__(self):
        self.blocks: list[str] = []  # product's words, each a run of text between blocks
        self.heard: list[str] = []
        self.current: list[str] = []
        self.main_words = 0
        self.violations: list[Violation] = []

    def cut(self):
        text = " ".join("".join(self.current).split())
        if text:
            self.blocks.append(text)
        self.current = []

    def spoken(self, text):
        """A text only a screen reader hears (alt, aria-label…): a block of its own,
        kept apart so that it does not cut the sentence it sits in."""
        text = " ".join(text.split())
        if text:
            self.heard.append(text)

    def walk(self, node, *, user=False, in_main=False, counted=True, visible=True):
        for child in node.children:
            if isinstance(child, str):
                if not user:  # visually hidden too: a screen reader says it
                    self.current.append(child)
                if in_main and counted and visible:
                    self.main_words += count_words(child)
                continue
            self.enter(child, user=user, in_main=in_main, counted=counted, visible=visible)

    def enter(self, node, *, user, in_main, counted, visible):
        if _not_shown(node):
            return
        tag = node.tag
        user = user or _is_user_text(node)
        in_main = in_main or tag == "main"
        if tag == "details" and node.has_class("more"):
            # Its summary shows; what it discloses does not, until asked for.
            self.cut()
            for child in node.children:
                if isinstance(child, _Node) and child.tag == "summary":
                    self.enter(child, user=user, in_main=in_main, counted=counted, visible=visible)
                elif isinstance(child, _Node):
                    self.enter(child, user=user, in_main=in_main, counted=False, visible=visible)
                elif not user:
                    self.current.append(child)
            self.cut()
            return
        if node.has_class(VISUALLY_HIDDEN):
            visible = False
        if not user:
            for name in ("aria-label", "title", "placeholder"):
                if node.attrs.get(name):
                    self.spoken(node.attrs[name])
            if tag == "input" and node.attrs.get("type") in {"submit", "button", "reset"}:
                self.spoken(node.attrs.get("value", ""))
        if tag == "img":
            self.picture(node, user=user)
            return
        if tag == "svg":
            self.svg(node, user=user)
            return
        block = tag in BLOCKS
        if block:
            self.cut()
        self.walk(node, user=user, in_main=in_main, counted=counted, visible=visible)
        if block:
            self.cut()

    def picture(self, node, *, user):
        if "alt" not in node.attrs:
            self.violations.append(Violation(IMG_WITHOUT_ALT, node.attrs.get("src", "<img>")))
            return
        alt = node.attrs["alt"].strip()
        if alt:
            if not user:
                self.spoken(alt)
            return
        around = node.parent
        while around is not None and around.tag in INLINE_WRAPPERS:
            around = around.parent
        if around is None or not shown_text(around).strip():
            self.violations.append(Violation(PICTURE_ALONE, node.attrs.get("src", "<img>")))

    def svg(self, node, *, user):
        """A named picture or a hidden one; its inner <text> labels are part of the
        picture, not of the page's sentences."""
        if node.attrs.get("aria-hidden") == "true":
            return
        title = _find(node, "title")
        named = any(node.attrs.get(a, "").strip() for a in ("aria-label", "aria-labelledby"))
        named = named or (title is not None and shown_text(title, svg=True).strip())
        if node.attrs.get("role") != "img" or not named:
            described = node.attrs.get("class") or node.attrs.get("id") or "<svg>"
            self.violations.append(Violation(SVG_WITHOUT_NAME, described))
            return
        if user:
            return
        for part in ("title", "desc"):
            found = _find(node, part)
            if found is not None:
                self.spoken(shown_text(found, svg=True))


def shown_text(node: _Node, *, svg=False) -> str:
    """Every text an element shows (not hidden, not visually hidden, not script),
    the allies' words included."""
    parts = []
    for child in node.children:
        if isinstance(child, str):
            parts.append(child)
        elif not _not_shown(child) and not child.has_class(VISUALLY_HIDDEN):
            if child.tag == "svg" and not svg:
                continue
            parts.append(" " + shown_text(child, svg=svg) + " ")
    return "".join(parts)


# ------------------------------------------------------------------ words and rules


def count_words(text: str) -> int:
    """Words as a reader counts them: runs between spaces with a letter or a digit
    ("l'accord" is one word, "—" and "←" are none)."""
    return sum(1 for token in text.split() if any(c.isalnum() for c in token))


def sentences(text: str) -> list[str]:
    return [s.strip() for s in SENTENCE_END.split(text) if s.strip()]


def fold(text: str) -> str:
    """Lower case, without accents, one kind of apostrophe: how jargon is compared."""
    decomposed = unicodedata.normalize("NFKD", text.translate(APOSTROPHES))
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()


def jargon_pattern(terms: Iterable[str]) -> re.Pattern | None:
    alternatives = []
    for term in sorted({fold(t).strip() for t in terms if t.strip()}, key=len, reverse=True):
        words = [re.escape(w) for w in term.split()]
        alternatives.append(r"\s+".join(words))
    if not alternatives:
        return None
    return re.compile(r"(?<![\w-])(?:" + "|".join(alternatives) + r")(?:s|x)?(?![\w-])")


def load_jargon(path: str | Path) -> list[str]:
    """The jargon list: one word or phrase a line; blank lines and "#" comments are
    skipped."""
    terms = []
    for line in Path(path).read_text(encoding="utf-8").splitlines():
        line = line.split("#", 1)[0].strip()
        if line:
            terms.append(line)
    return terms


def check(
    html: str,
    *,
    jargon: Iterable[str] = (),
    max_sentence_words: int = MAX_SENTENCE_WORDS,
    max_main_words: int = MAX_MAIN_WORDS,
    informal: bool = False,
) -> list[Violation]:
    """Every easy-read rule `html` breaks, in the order of the page; an empty list when
    it follows them all. `informal`: the reader is a child, whom our words call "tu"."""
    reader = _Reader()
    root = parse(html)
    body = _find(root, "body") or root
    reader.walk(body)
    reader.cut()
    violations = list(reader.violations)
    pattern = jargon_pattern(jargon)
    for block in reader.blocks + reader.heard:
        for sentence in sentences(block):
            if count_words(sentence) > max_sentence_words:
                violations.append(
                    Violation(LONG_SENTENCE, f"{count_words(sentence)} words: {sentence}")
                )
        if POINT_MEDIAN_IN_WORD.search(block):
            violations.append(Violation(POINT_MEDIAN, block))
        if informal and FORMAL.search(block):
            violations.append(Violation(FORMAL_YOU, block))
        if pattern is not None:
            for found in pattern.finditer(fold(block)):
                violations.append(Violation(JARGON, f"{found.group(0)!r} in: {block}"))
    violations = list(dict.fromkeys(violations))  # a menu repeated is reported once
    if reader.main_words > max_main_words:
        violations.append(
            Violation(
                TOO_MANY_WORDS,
                f'{reader.main_words} words in <main> outside <details class="more"> '
                f"(at most {max_main_words})",
            )
        )
    return violations


def main_words(html: str, *, all_of_main: bool = True) -> int:
    """The words <main> shows: all of them (the issue's table), or only those outside
    `<details class="more">` (the rule)."""
    reader = _Reader()
    root = parse(html)
    main = _find(root, "main")
    if main is None:
        return 0
    if all_of_main:
        return count_words(shown_text(main))
    reader.enter(main, user=False, in_main=False, counted=True, visible=True)
    return reader.main_words
