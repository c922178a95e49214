"""The words of Alliance in easy-read: one word for one thing, everywhere (issue 11).

Each word comes with its pictogram and one short sentence. The pages for the person
use these words and only these; the "Les mots d'Alliance" page lists them by theme."""

from dataclasses import dataclass

from django.utils.translation import pgettext_lazy

from alliance.www.pictograms import PICTOGRAMS

# The drawing of each word when its area has not mapped the concept (yet) in
# alliance/www/pictograms.py: there, the area's drawing wins, so that a word has the
# same picture here and on its pages. scripts/vendor_pictograms.py copies these too.
DRAWINGS = {
    "statement": "1F4AC",  # speech balloon
    "vote": "1F5F3",  # ballot box with ballot
    "common_ground": "1F91D",  # handshake
    "divergence": "2194",  # left-right arrow
    "charter": "1F4DC",  # scroll
    "sign": "270D",  # writing hand
    "perimeter": "1F9E9",  # puzzle piece
    "life_domain": "1F3E1",  # house with garden
    "position": "1F6B6",  # person walking
    "means": "1F4A1",  # light bulb
    "stance": "1F914",  # thinking face
    "action": "1F6E0",  # hammer and wrench
    "journal": "1F4D3",  # notebook
    "weather": "26C5",  # sun behind cloud
    "indicator": "1F4CC",  # pushpin
    "reading": "1F4C8",  # chart increasing
    "review": "1F4CB",  # clipboard
    "trail": "1F440",  # eyes
    "ally": "1F9D1-200D-1F91D-200D-1F9D1",  # people holding hands
    "professional": "1F9D1-200D-1F4BC",  # office worker
    "relative": "1F46A",  # family
    "representative": "2696",  # balance scale
    "decision_maker": "1F3DB",  # classical building
    "collective": "1F465",  # busts in silhouette
    "consultation": "1F64B",  # person raising hand
    "proposal": "1F4E9",  # envelope with arrow
}


def drawing(concept: str) -> str:
    """The static path of the concept's OpenMoji drawing."""
    return f"img/openmoji/{PICTOGRAMS.get(concept) or DRAWINGS[concept]}.svg"


@dataclass(frozen=True)
class Word:
    picto: str
    word: str
    meaning: str

    @property
    def drawing(self) -> str:
        return drawing(self.picto)


@dataclass(frozen=True)
class Theme:
    slug: str
    picto: str
    title: str
    words: tuple[Word, ...]

    @property
    def drawing(self) -> str:
        return drawing(self.picto)


# Every string has the context "glossary": these words must not change when the same
# English elsewhere gets another French translation.
THEMES = (
    Theme(
        "say",
        "statement",
        pgettext_lazy("glossary", "Saying what matters"),
        (
            Word(
                "statement",
                pgettext_lazy("glossary", "message"),
                pgettext_lazy("glossary", "A message is a sentence I write for my alliance."),
            ),
            Word(
                "vote",
                pgettext_lazy("glossary", "Agree / Disagree / I don't know / Skip"),
                pgettext_lazy("glossary", "I answer each message with one of these four buttons."),
            ),
            Word(
                "common_ground",
                pgettext_lazy("glossary", "what we agree on"),
                pgettext_lazy("glossary", "These are the messages everyone agrees with."),
            ),
            Word(
                "divergence",
                pgettext_lazy("glossary", "what we don't agree on"),
                pgettext_lazy(
                    "glossary",
                    "These are the messages where our answers are different. We talk about them.",
                ),
            ),
        ),
    ),
    Theme(
        "agreement",
        "charter",
        pgettext_lazy("glossary", "Our agreement"),
        (
            Word(
                "charter",
                pgettext_lazy("glossary", "our agreement"),
                pgettext_lazy("glossary", "Our agreement says what we decide together."),
            ),
            Word(
                "sign",
                pgettext_lazy("glossary", "sign"),
                pgettext_lazy("glossary", "I sign to say yes to our agreement."),
            ),
            Word(
                "perimeter",
                pgettext_lazy("glossary", "what we do together / what stays mine"),
                pgettext_lazy(
                    "glossary",
                    "We take care of some parts of my life together. The other parts stay mine.",
                ),
            ),
            Word(
                "life_domain",
                pgettext_lazy("glossary", "part of my life"),
                pgettext_lazy("glossary", "For example: my home, my work, my health, my friends."),
            ),
            Word(
                "position",
                pgettext_lazy("glossary", "how we walk together"),
                pgettext_lazy("glossary", "I choose a picture to say how we walk together."),
            ),
        ),
    ),
    Theme(
        "acting",
        "action",
        pgettext_lazy("glossary", "Acting together"),
        (
            Word(
                "means",
                pgettext_lazy("glossary", "solution"),
                pgettext_lazy("glossary", "A solution is an idea to make things better."),
            ),
            Word(
                "stance",
                pgettext_lazy("glossary", "I am for / I have doubts / I am against"),
                pgettext_lazy("glossary", "I say what I think of a solution."),
            ),
            Word(
                "action",
                pgettext_lazy("glossary", "action"),
                pgettext_lazy("glossary", "An action is something we really do."),
            ),
            Word(
                "journal",
                pgettext_lazy("glossary", "the journal"),
                pgettext_lazy("glossary", "In the journal, we write what happened."),
            ),
            Word(
                "weather",
                pgettext_lazy("glossary", "the weather (How is it going?)"),
                pgettext_lazy("glossary", "I say how it is going with faces."),
            ),
            Word(
                "indicator",
                pgettext_lazy("glossary", "thing we follow"),
                pgettext_lazy("glossary", "We look at it often to see if it gets better."),
            ),
            Word(
                "reading",
                pgettext_lazy("glossary", "score"),
                pgettext_lazy("glossary", "The score says how a thing we follow is going."),
            ),
            Word(
                "review",
                pgettext_lazy("glossary", "check-up"),
                pgettext_lazy("glossary", "At the check-up, we meet to see what worked."),
            ),
        ),
    ),
    Theme(
        "people",
        "ally",
        pgettext_lazy("glossary", "The people"),
        (
            Word(
                "ally",
                pgettext_lazy("glossary", "person in the alliance"),
                pgettext_lazy("glossary", "A person in the alliance helps me and decides with me."),
            ),
            Word(
                "professional",
                pgettext_lazy("glossary", "professional"),
                pgettext_lazy("glossary", "A professional is a person whose job is to help."),
            ),
            Word(
                "relative",
                pgettext_lazy("glossary", "close one"),
                pgettext_lazy("glossary", "A close one is someone from my family, or a friend."),
            ),
            Word(
                "representative",
                pgettext_lazy("glossary", "legal representative"),
                pgettext_lazy("glossary", "The law says this person decides with me."),
            ),
            Word(
                "decision_maker",
                pgettext_lazy("glossary", "decision maker"),
                pgettext_lazy(
                    "glossary",
                    "A decision maker is for example the town hall or the county council.",
                ),
            ),
            Word(
                "trail",
                pgettext_lazy("glossary", "who looked"),
                pgettext_lazy("glossary", "I see who looked at my alliance, and when."),
            ),
            Word(
                "news",
                pgettext_lazy("glossary", "news"),
                pgettext_lazy("glossary", "A news item tells me what changed in my alliance."),
            ),
        ),
    ),
    Theme(
        "groups",
        "collective",
        pgettext_lazy("glossary", "Groups"),
        (
            Word(
                "collective",
                pgettext_lazy("glossary", "group"),
                pgettext_lazy("glossary", "A group is people who talk together about one subject."),
            ),
            Word(
                "consultation",
                pgettext_lazy("glossary", "question to the group"),
                pgettext_lazy("glossary", "The group answers a question with Agree or Disagree."),
            ),
            Word(
                "proposal",
                pgettext_lazy("glossary", "request"),
                pgettext_lazy("glossary", "A request is what the group asks a decision maker."),
            ),
        ),
    ),
)
