import datetime

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from alliance.alliances.models import (
    MANDATE_REFERENCE_MAX,
    REMOVAL_REASON_MAX,
    Ally,
    AsymmetryDimension,
    MandateKind,
    PerimeterStatus,
    PositionCheck,
    Role,
    StatementKind,
)
from alliance.alliances.needs import label_of
from alliance.alliances.selectors import TrailShows
from alliance.www.templatetags.easy_alliances import ROLES as EASY_ROLES
from alliance.www.utils import IdsChoiceField


class AllyChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, ally):
        return f"{ally.user.display_name} ({ally.get_role_display()})"


class AllyMultipleChoiceField(IdsChoiceField):
    def label_from_instance(self, ally):
        return f"{ally.user.display_name} ({ally.get_role_display()})"


class AllianceForm(forms.Form):
    title = forms.CharField(
        label=_("Title of the alliance"),
        max_length=160,
        help_text=_("For example: Lina's schooling."),
    )
    situation = forms.CharField(
        label=_("The situation, in a few words"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    person_name = forms.CharField(
        label=_("Name of the person the alliance is for"), max_length=150, required=False
    )
    person_email = forms.EmailField(label=_("Their email (optional)"), required=False)
    person_is_protected = forms.BooleanField(
        label=_("The person is a minor or a protected adult"),
        required=False,
        help_text=_("A legal representative may then sign for them."),
    )

    person_born_on = forms.DateField(
        label=_("Their date of birth (optional)"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("Only for a child without email: the easy-read pages then say “tu”."),
    )

    def __init__(self, *args, creator_is_person=False, **kwargs):
        super().__init__(*args, **kwargs)
        if creator_is_person:
            del self.fields["person_name"], self.fields["person_email"]
            del self.fields["person_born_on"]


class InviteForm(forms.Form):
    display_name = forms.CharField(label=_("Name"), max_length=150)
    email = forms.EmailField(
        label=_("Email (optional)"),
        required=False,
        help_text=_(
            "They will receive an invitation to answer. Without email, the invitation "
            "waits in the alliance until they get in."
        ),
    )
    role = forms.ChoiceField(
        label=_("Role in the alliance"),
        choices=[(v, lbl) for v, lbl in Role.choices if v != Role.PERSON],
    )

    def __init__(self, *args, easy=False, **kwargs):
        super().__init__(*args, **kwargs)
        if easy:
            # The same roles in the easy-read words (no point médian, no jargon).
            self.fields["role"].choices = [
                (value, EASY_ROLES[value]) for value, _label in self.fields["role"].choices
            ]
        self.fields.update(MandateForm(required=False).fields)
        self.fields["mandate_kind"].help_text = _(
            "Only for a legal representative, if you know it: they can also record it "
            "themselves when they join."
        )

    def clean(self):
        data = super().clean()
        # The use case takes the mandate as one argument.
        data["mandate"] = {
            "kind": data.pop("mandate_kind", ""),
            "reference": data.pop("mandate_reference", ""),
            "date": data.pop("mandate_date", None),
        }
        return data


class MandateForm(forms.Form):
    """A legal representative's mandate: the measure, the judge's decision, its date."""

    mandate_kind = forms.ChoiceField(
        label=_("Legal measure"), choices=[("", _("— choose —")), *MandateKind.choices]
    )
    mandate_reference = forms.CharField(
        label=_("Reference of the decision"),
        max_length=MANDATE_REFERENCE_MAX,
        required=False,
        # The limit is written out: a lazy string formatted here would freeze its language.
        help_text=_(
            "For example the number of the judge's decision (up to 100 characters). "
            "Not needed for a parent."
        ),
    )
    mandate_date = forms.DateField(
        label=_("Date of the decision"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        help_text=_("Not needed for a parent."),
    )

    def __init__(self, *args, required=True, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["mandate_kind"].required = required


class RemoveAllyForm(forms.Form):
    reason = forms.CharField(
        label=_("Why (optional)"),
        required=False,
        max_length=REMOVAL_REASON_MAX,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Every ally will read it. Up to 500 characters."),
    )


class RecognitionForm(forms.Form):
    brings = forms.CharField(
        label=_("What I bring"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    expects = forms.CharField(
        label=_("What I expect"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class StatementForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=StatementKind.choices)
    text = forms.CharField(
        label=_("In your own words"), max_length=1000, widget=forms.Textarea(attrs={"rows": 3})
    )
    supported_by = AllyChoiceField(
        label=_("Written with the support of (optional)"),
        queryset=None,
        required=False,
        empty_label=_("Nobody: I wrote it alone"),
    )
    may_quote = forms.BooleanField(
        label=_("My words may go up, without my name"),
        help_text=_(
            "Reports to decision makers may then quote these words, never with your name. "
            "Otherwise they only count."
        ),
        required=False,
    )
    # The masked words shown to the author, sent back when they confirm them.
    confirmed_quote = forms.CharField(
        required=False, strip=False, max_length=2000, widget=forms.HiddenInput
    )

    def __init__(self, *args, allies=None, author=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["supported_by"].queryset = allies.exclude(pk=author.pk)

    def ask_to_confirm(self, quote):
        """Shows the form again, carrying the masked words the author is asked to confirm."""
        self.data = self.data.copy()
        self.data["confirmed_quote"] = quote


class VoteForm(forms.Form):
    from alliance.alliances.models import VoteValue

    value = forms.ChoiceField(choices=VoteValue.choices)


class AsymmetryForm(forms.Form):
    dimension = forms.ChoiceField(label=_("Dimension"), choices=AsymmetryDimension.choices)
    custom_dimension = forms.CharField(
        label=_("Name of the dimension (if other)"), max_length=80, required=False
    )
    holders = AllyMultipleChoiceField(
        label=_("Who holds it"), queryset=None, required=False, widget=forms.CheckboxSelectMultiple
    )
    what_is_held = forms.CharField(
        label=_("Who holds what"), max_length=1000, widget=forms.Textarea(attrs={"rows": 2})
    )
    handling = forms.CharField(
        label=_("How the alliance handles it"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args, allies=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["holders"].queryset = allies


class CharterRevisionForm(forms.Form):
    # The charter page holds several of these forms: each has its own ids, or two
    # "text" fields share one id and the second loses its label.
    id_prefix = "charter"

    revision = forms.IntegerField(widget=forms.HiddenInput)

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("auto_id", f"id_{self.id_prefix}_%s")
        super().__init__(*args, **kwargs)


class CommitmentForm(CharterRevisionForm):
    id_prefix = "commitment"

    text = forms.CharField(
        label=_("I commit to"), max_length=500, widget=forms.Textarea(attrs={"rows": 2})
    )
    for_person = forms.BooleanField(required=False)

    def __init__(self, *args, person=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.person = person
        if person is None:
            del self.fields["for_person"]
        else:
            self.fields["for_person"].label = _(
                "I write this commitment for %(name)s, as legal representative"
            ) % {"name": person.user.display_name}


class UnderstandingForm(CharterRevisionForm):
    id_prefix = "understanding"

    text = forms.CharField(
        label=_("Our shared understanding of the situation"),
        required=False,
        max_length=3000,
        widget=forms.Textarea(attrs={"rows": 5}),
    )


class PerimeterForm(CharterRevisionForm):
    id_prefix = "perimeter"

    domain = forms.ChoiceField(label=_("Life domain"), required=False)
    custom_label = forms.CharField(
        label=_("Or another domain, in your words"), max_length=200, required=False
    )
    status = forms.ChoiceField(
        label=_("Where it stands"), choices=PerimeterStatus.choices, widget=forms.RadioSelect
    )

    def __init__(self, *args, domains=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["domain"].choices = [("", _("— choose —")), *domains]

    def clean(self):
        data = super().clean()
        if not data.get("domain") and not data.get("custom_label", "").strip():
            self.add_error("domain", _("Choose a life domain or name one."))
        return data

    def label_and_code(self):
        code = self.cleaned_data.get("domain")
        if code:
            return label_of(code), code  # the need's own words, not the list's indent
        return self.cleaned_data["custom_label"].strip(), ""


class IndicatorForm(CharterRevisionForm):
    id_prefix = "indicator"

    name = forms.CharField(label=_("Name of the indicator"), max_length=200)
    scale_min = forms.IntegerField(
        label=_("Lowest value"), initial=0, min_value=-100, max_value=100
    )
    scale_max = forms.IntegerField(
        label=_("Highest value"), initial=10, min_value=-100, max_value=100
    )
    raters = AllyMultipleChoiceField(
        label=_("Who rates it"), queryset=None, widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args, allies=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["raters"].queryset = allies


class SignForm(CharterRevisionForm):
    id_prefix = "sign"

    signee = forms.IntegerField(required=False, widget=forms.HiddenInput)


class PositionForm(forms.Form):
    chooses_path = forms.ChoiceField(
        label=_("Who chooses the path?"),
        choices=PositionCheck.Answer.choices,
        widget=forms.RadioSelect,
    )
    sets_pace = forms.ChoiceField(
        label=_("Who sets the pace?"),
        choices=PositionCheck.Answer.choices,
        widget=forms.RadioSelect,
    )
    walks_ahead = forms.ChoiceField(
        label=_("Who walks ahead?"), choices=PositionCheck.Answer.choices, widget=forms.RadioSelect
    )


class TrailForm(forms.Form):
    """The trail's filters, read from the query string: every field may be left out."""

    who = AllyChoiceField(
        label=_("Who"), queryset=Ally.objects.none(), required=False, empty_label=_("Everyone")
    )
    shows = forms.ChoiceField(
        label=_("What"),
        required=False,
        choices=[
            (TrailShows.DEFAULT, _("What the others looked at, and every change")),
            (TrailShows.CHANGES, _("Only the changes")),
            (TrailShows.READS, _("Only who looked at what")),
            (TrailShows.EVERYTHING, _("Everything, what I looked at included")),
        ],
    )
    start = forms.DateField(
        label=_("From"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    end = forms.DateField(
        label=_("To"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )

    def __init__(self, *args, allies, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["who"].queryset = allies

    def clean(self):
        data = super().clean()
        start, end = data.get("start"), data.get("end")
        if start and end and start > end:
            raise forms.ValidationError(_("The first day must come before the last one."))
        return data

    def filters(self):
        """The selector's arguments: days in Europe/Paris, the last one included."""
        data = self.cleaned_data
        zone = timezone.get_current_timezone()

        def midnight(day):
            return datetime.datetime.combine(day, datetime.time.min, tzinfo=zone)

        return {
            "shows": data.get("shows") or TrailShows.DEFAULT,
            "actor": data["who"].user if data.get("who") else None,
            "start": midnight(data["start"]) if data.get("start") else None,
            "end": midnight(data["end"] + datetime.timedelta(days=1)) if data.get("end") else None,
        }


# ---------------------------------------------------------------- activation and lost access


class HandOverForm(forms.Form):
    """Making a letter voids the previous one: the maker says they hand it over."""

    hand_over = forms.BooleanField(
        label=_("I will give this letter to the person myself, in person."),
    )


class TextCodeForm(forms.Form):
    phone = forms.CharField(
        label=_("The person's mobile number"),
        max_length=30,
        help_text=_("A French mobile number, for example 06 12 34 56 78."),
        widget=forms.TextInput(attrs={"autocomplete": "off", "inputmode": "tel"}),
    )
    own_phone = forms.BooleanField(
        label=_("This is the person's own phone, and only they read its messages."),
    )

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("auto_id", "id_sms_%s")
        super().__init__(*args, **kwargs)


class LetterPdfForm(forms.Form):
    code = forms.CharField(max_length=20, widget=forms.HiddenInput)
    # The easy-read letter (ADR 0024): the same code, one step a line, larger type.
    easy = forms.BooleanField(required=False, widget=forms.HiddenInput)


class ReissueForm(forms.Form):
    confirm = forms.BooleanField(
        label=_("I have checked with the person that they lost their way in."),
    )


class CharterCompareForm(forms.Form):
    """Two version numbers of this alliance's charter to compare."""

    def __init__(self, *args, numbers, **kwargs):
        super().__init__(*args, **kwargs)
        choices = [(n, _("Version %(n)s") % {"n": n}) for n in numbers]
        self.fields["from"] = forms.TypedChoiceField(
            label=_("From version"), choices=choices, coerce=int
        )
        self.fields["to"] = forms.TypedChoiceField(
            label=_("To version"), choices=choices, coerce=int
        )

    def clean(self):
        data = super().clean()
        if data.get("from") is not None and data.get("from") == data.get("to"):
            raise forms.ValidationError(_("Choose two different versions."))
        return data
