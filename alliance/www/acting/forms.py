from django import forms
from django.templatetags.static import static
from django.utils.translation import gettext_lazy as _

from alliance.acting.models import (
    FACE_LABELS,
    ITEM_LABELS,
    Availability,
    CapacityKind,
    StanceValue,
)
from alliance.acting.weather import FACES, ITEMS, SCALE_MAX, SCALE_MIN, WORD_MAX_LENGTH
from alliance.alliances.needs import INDENT
from alliance.alliances.planning import serafin_prestations


class ScopedForm(forms.Form):
    """The means and actions pages hold one form per option or action: each gets its
    own ids so that every label points at its own field."""

    def __init__(self, *args, scope="", **kwargs):
        kwargs.setdefault("auto_id", f"id_{scope}_%s" if scope else "id_%s")
        super().__init__(*args, **kwargs)


class VersionForm(ScopedForm):
    version = forms.IntegerField(widget=forms.HiddenInput)


class MeansForm(forms.Form):
    interest = forms.ChoiceField(label=_("For which common interest?"))
    description = forms.CharField(
        label=_("The means, in a few words"),
        max_length=300,
        help_text=_("For example: ordinary school with an AESH."),
    )
    need_code = forms.ChoiceField(label=_("Need it answers (optional)"), required=False)
    prestation_code = forms.ChoiceField(
        label=_("Service it stands for, SERAFIN-PH (optional)"),
        required=False,
        help_text=_("For your organisation's anonymised reports."),
    )

    def __init__(self, *args, interests=(), needs=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["interest"].choices = [(i.statement_id, i.text) for i in interests]
        self.fields["need_code"].choices = [("", _("— choose —")), *needs]
        self.fields["prestation_code"].choices = [("", _("— choose —")), *prestation_choices()]


def prestation_choices():
    """The SERAFIN-PH direct services for a select: one group per family (2.1…),
    its services (2.1.1…) and, indented, their details (2.1.1.1…)."""
    groups, options = [], {}
    for code, label, _parent in serafin_prestations():
        depth = code.count(".")
        if depth == 1:
            options[code] = []
            groups.append((label, options[code]))
        elif depth >= 2:
            family = ".".join(code.split(".")[:2])
            options[family].append((code, INDENT * (depth - 2) + label))
    return groups


class StanceForm(ScopedForm):
    value = forms.ChoiceField(
        label=_("My stance"), choices=StanceValue.choices, widget=forms.RadioSelect
    )
    reason = forms.CharField(
        label=_("Why, in my own words"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Needed for reservations or opposition."),
    )


class DecisionForm(VersionForm):
    consent = forms.BooleanField(
        label=_("I consent to this decision, for myself or as the person's legal representative"),
        required=False,
    )
    note = forms.CharField(
        label=_("A word on the decision (optional)"),
        required=False,
        max_length=300,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class AvailabilityForm(VersionForm):
    status = forms.ChoiceField(
        label=_("Is this means available?"), choices=Availability.choices, widget=forms.RadioSelect
    )
    since = forms.DateField(
        label=_("Since when"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("Needed when you are waiting."),
    )
    note = forms.CharField(label=_("Note (optional)"), required=False, max_length=300)


class ActionForm(forms.Form):
    title = forms.CharField(label=_("What we do"), max_length=200)
    description = forms.CharField(
        label=_("Details (optional)"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    due_date = forms.DateField(
        label=_("By when (optional)"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    domain_label = forms.ChoiceField(label=_("Life domain"))
    means = forms.ChoiceField(label=_("Decided means it serves (optional)"), required=False)
    my_role = forms.CharField(
        label=_("My role in it, in my own words"),
        max_length=200,
        help_text=_("For example: I call the school."),
    )

    def __init__(self, *args, domains=(), means=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["domain_label"].choices = [
            ("", _("— choose —")),
            *[(d.label, d.label) for d in domains],
        ]
        self.fields["means"].choices = [
            ("", _("— none —")),
            *[(m.pk, m.description) for m in means],
        ]


class JoinForm(ScopedForm):
    role = forms.CharField(label=_("My role in it, in my own words"), max_length=200)


class MoveForm(VersionForm):
    to = forms.ChoiceField(
        choices=[("start", "start"), ("finish", "finish"), ("abandon", "abandon")]
    )


class CapacityForm(ScopedForm):
    kind = forms.ChoiceField(
        label=_("Kind"), choices=CapacityKind.choices, widget=forms.RadioSelect
    )
    text = forms.CharField(
        label=_("In my own words"), max_length=500, widget=forms.Textarea(attrs={"rows": 2})
    )


class JournalForm(forms.Form):
    happened = forms.CharField(
        label=_("What happened"), max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
    )
    emerged = forms.CharField(
        label=_("What emerged (optional)"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    action = forms.ChoiceField(label=_("Linked to an action (optional)"), required=False)

    def __init__(self, *args, actions=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["action"].choices = [("", _("— none —")), *[(a.pk, a.title) for a in actions]]


class JournalEditForm(JournalForm):
    version = forms.IntegerField(widget=forms.HiddenInput)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        del self.fields["action"]  # a revision changes the words, not what they are about


class NextReviewForm(VersionForm):
    on = forms.DateField(
        label=_("Date of the next review"),
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("At least once a year."),
    )


class ConclusionForm(VersionForm):
    text = forms.CharField(
        label=_("My conclusion, in my own words"),
        max_length=3000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("What went well, what did not, what we change."),
    )


class ReadingForm(ScopedForm):
    """One form per indicator on the page: `scope` gives each its own ids."""

    indicator = forms.IntegerField(widget=forms.HiddenInput)
    value = forms.IntegerField(label=_("My reading"), required=False)
    note = forms.CharField(
        label=_("A word on it (optional)"),
        required=False,
        max_length=300,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args, low=0, high=10, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["value"].widget.attrs.update(min=low, max=high)
        self.fields["value"].help_text = _("A whole number from %(low)d to %(high)d.") % {
            "low": low,
            "high": high,
        }


class WeatherForm(forms.Form):
    """The four items, either on the 0–10 scale or with the five faces (`easy_read`).
    The values are checked by the use case, which says what is wrong in plain words."""

    easy_read = forms.BooleanField(required=False, widget=forms.HiddenInput)
    word = forms.CharField(
        label=_("One word to say how it was (optional)"),
        required=False,
        widget=forms.TextInput(attrs={"maxlength": WORD_MAX_LENGTH}),
        help_text=_("At most %(max)d characters.") % {"max": WORD_MAX_LENGTH},
    )
    meeting_on = forms.DateField(
        label=_("Date of the meeting (optional)"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("Your answer is then compared with the others' answers on that meeting."),
    )

    def __init__(self, *args, easy_read=False, **kwargs):
        super().__init__(*args, **kwargs)
        if easy_read:
            choices = [(face, FACE_LABELS[face]) for face in FACES]
        else:
            choices = [(n, str(n)) for n in range(SCALE_MIN, SCALE_MAX + 1)]
        items = {
            str(item): forms.IntegerField(
                label=ITEM_LABELS[item],
                required=False,
                widget=forms.RadioSelect(choices=choices),
            )
            for item in ITEMS
        }
        # The four items first, in their order, then the word and the date.
        self.fields = {**items, **self.fields}
        self.initial.setdefault("easy_read", easy_read)
        self.use_faces = easy_read

    def item_fields(self):
        """Each item's field with its choices, and with the face picture of each
        choice in easy-read mode."""
        shown = []
        for item in ITEMS:
            field = self[str(item)]
            choices = [
                {"choice": c, "face": static(f"img/faces/face-{c.data['value']}.svg")}
                if self.use_faces
                else {"choice": c, "face": None}
                for c in field
            ]
            shown.append({"field": field, "choices": choices})
        return shown


class AbsenceForm(VersionForm):
    """A professional records that an ally could not conclude the review."""

    ally = forms.TypedChoiceField(label=_("Ally"), coerce=int)
    reason = forms.CharField(
        label=_("Why"),
        max_length=200,
        help_text=_("For example: absent, excused."),
    )

    def __init__(self, *args, missing=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["ally"].choices = [(a.pk, a.user.display_name) for a in missing]
