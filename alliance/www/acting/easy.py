"""What the easy-read pages of movement 2 need beyond the standard ones: the
stances counted, the fields named in everyday words, the faces of an indicator.
The data and the use cases are the same; only the words and the pictures change."""

from django.templatetags.static import static
from django.utils.translation import gettext_lazy as _

from alliance.acting.models import FACE_LABELS, StanceValue
from alliance.charts import value_for

# The four weather questions, asked as a person asks them.
QUESTIONS = {
    "aim": _("Do we want the same thing?"),
    "way": _("Do we agree on how to do it?"),
    "heard": _("Am I listened to?"),
    "decide": _("Do we decide together?"),
}

# Field → (label, help text or None) in everyday words, per form.
LABELS = {
    "means": {
        "interest": (_("It is for what?"), None),
        "description": (_("The solution, in a few words"), None),
        "need_code": (_("Part of my life (not required)"), None),
    },
    "stance": {
        "value": (_("What I think"), None),
        "reason": (_("Why? In my own words"), _("I say why if I have doubts or I am against.")),
    },
    "decision": {"note": (_("A word on my choice (not required)"), None)},
    "action": {
        "title": (_("What we do"), None),
        "description": (_("More details (not required)"), None),
        "due_date": (_("Before when? (not required)"), None),
        "domain_label": (_("Part of my life"), None),
        "means": (_("For which solution? (not required)"), None),
        "my_role": (_("What I do, in my own words"), _("For example: I call the school.")),
    },
    "join": {"role": (_("What I do, in my own words"), None)},
    "journal": {
        "happened": (_("What happened"), None),
        "emerged": (_("What it changed (not required)"), None),
        "action": (_("For which action? (not required)"), None),
    },
    "review_date": {"on": (_("Date of the next check-up"), None)},
    "conclusion": {
        "text": (
            _("What I think, in my own words"),
            _("What went well. What was hard. What we change."),
        )
    },
    "reading": {"note": (_("A word on it (not required)"), None)},
    "weather": {
        "word": (_("One word on how it was (not required)"), None),
        "meeting_on": (_("Date of the meeting (not required)"), None),
    },
}


def relabel(form, which: str):
    """Names the fields of `form` in everyday words; returns the form."""
    for name, (label, help_text) in LABELS[which].items():
        if name in form.fields:
            form.fields[name].label = label
            form.fields[name].help_text = help_text or ""
    if which == "weather":
        for item, question in QUESTIONS.items():
            form.fields[item].label = question
    return form


def count_stances(option, me):
    """For one solution: how many are for, have doubts, are against; and my own."""
    option.tally = dict.fromkeys(StanceValue.values, 0)
    option.my_stance = None
    for stance in option.current_stances:
        option.tally[stance.value] += 1
        if stance.ally_id == me.pk:
            option.my_stance = stance
    option.my_value = option.my_stance.value if option.my_stance else ""
    return option


def chosen_option(groups, option_id):
    """The solution shown alone (the decision screen), if it is on the page."""
    for group in groups:
        for option in group["options"]:
            if str(option.pk) == str(option_id):
                return option
    return None


def face_choices(indicator):
    """The five faces as answers on the indicator's scale, each with its value,
    word and picture; faces that would give the same value are shown once."""
    choices, seen = [], set()
    for face, word in FACE_LABELS.items():
        value = value_for(face, indicator.scale_min, indicator.scale_max)
        if value in seen:
            continue
        seen.add(value)
        choices.append(
            {
                "face": face,
                "value": value,
                "word": word,
                "image": static(f"img/faces/face-{face}.svg"),
            }
        )
    return choices
