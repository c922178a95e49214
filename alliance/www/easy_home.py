"""The home page in easy-read: a big picture tile per alliance and per group, and
"what waits for me" cut to three things, each said in the first person (the person
reads what they do, not what a system asks of them)."""

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from alliance.alliances.models import Ally
from alliance.collectives.selectors import my_memberships

# At most this many things waiting, one by one: the first is the page's main action.
SHOWN = 3
# Tiles beyond these go under "more".
TILES = 6

# What each source of "what needs me" (alliance.home.selectors) becomes in easy-read,
# with its pictogram. A source not listed keeps its usual label.
WORDING = {
    "approval": ("todo_approve", _("Someone wants to join my alliance.")),
    "vote": ("todo_vote", _("I say if I agree with new messages.")),
    "signature": ("todo_sign", _("I sign our agreement.")),
    "stance": ("todo_stance", _("I say what I think of a solution.")),
    "review": ("todo_review", _("Our check-up is coming.")),
    "consultation_vote": ("group_question", _("The group asks me a question.")),
    "moderation": ("todo_read", _("I read new messages before the vote.")),
    "weather": ("todo_weather", _("I say how it is going.")),
}
LATE = {
    "action": _("An action is late:"),
    "review": _("Our check-up is late."),
}
ACTION_SOON = _("An action to do soon:")


@dataclass(frozen=True)
class EasyNeed:
    picto: str
    text: str
    user_text: str  # an action's title, in its author's words ("" when none)
    place: str  # the alliance or the group, in its own words
    url: str
    late: bool


def easy_need(need) -> EasyNeed:
    if need.source == "action":
        text = LATE["action"] if need.late else ACTION_SOON
        # The label is "Late: <title>" or "Due soon: <title>": the title is the rest.
        title = need.label.split(": ", 1)[-1]
        return EasyNeed("todo_action", str(text), title, need.place, need.url, need.late)
    picto, text = WORDING.get(need.source, ("news", need.label))
    if need.source == "review" and need.late:
        text = LATE["review"]
    return EasyNeed(picto, str(text), "", need.place, need.url, need.late)


def easy_home(user, home_page) -> dict:
    """The easy-read home's own context: one query more than the usual home (the
    groups), whatever the number of alliances and groups."""
    needs = [n for n in home_page.needs if n.source != "invitation"]
    tiles = [
        ("alliance", ally) for ally, _needs in home_page.rows if ally.status != Ally.Status.INVITED
    ]
    tiles += [("group", membership) for membership in my_memberships(user)]
    return {
        "easy_needs": [easy_need(n) for n in needs[:SHOWN]],
        "more_easy_needs": max(0, len(needs) - SHOWN),
        "tiles": tiles[:TILES],
        "more_tiles": tiles[TILES:],
    }
