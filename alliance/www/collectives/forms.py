"""Forms of movement 3. The limits are checked by the use cases, which say what is
wrong in plain words; the forms only carry the fields (and hint the limits to the
browser)."""

from django import forms
from django.utils.text import format_lazy
from django.utils.translation import gettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from alliance.collectives.models import (
    Collective,
    ConsultationStatement,
    ConsultationVote,
    MemberRole,
    MemberStanding,
)

LIMIT = ConsultationStatement.MAX_LENGTH
# Twice as long: a seed may carry its easy-read version.
SEEDS_MAX_LENGTH = 20 * (2 * LIMIT + 4)
SEED_EASY_READ_SEPARATOR = "|"


class CollectiveForm(forms.Form):
    name = forms.CharField(
        label=_("Name of the collective"),
        max_length=160,
        help_text=_("For example: Tenants and owners of the Bellevue district."),
    )
    description = forms.CharField(
        label=_("What brings us together"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3, "maxlength": Collective.DESCRIPTION_MAX_LENGTH}),
    )
    kind = forms.ChoiceField(label=_("Kind of collective"), choices=Collective.Kind.choices)
    territory = forms.CharField(label=_("Territory (optional)"), max_length=120, required=False)
    standing = forms.ChoiceField(label=_("I take part as"), choices=MemberStanding.choices)


class AddMemberForm(forms.Form):
    display_name = forms.CharField(label=_("Name"), max_length=150)
    email = forms.EmailField(
        label=_("Email (optional)"),
        required=False,
        help_text=_("They will receive an invitation to answer."),
    )
    standing = forms.ChoiceField(label=_("They take part as"), choices=MemberStanding.choices)


class ConsultationForm(forms.Form):
    question = forms.CharField(
        label=_("Question put to the collective"),
        widget=forms.Textarea(attrs={"rows": 2, "maxlength": 300}),
        help_text=_("For example: What do you think of the new traffic plan?"),
    )
    easy_read_question = forms.CharField(
        label=_("The same question in easy-read (optional)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2, "maxlength": 300}),
        help_text=_("Short words, one idea per sentence."),
    )
    seed_statements = forms.CharField(
        label=_("First statements, one per line (optional)"),
        required=False,
        max_length=SEEDS_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=format_lazy(
            "{} {}",
            _("Members vote on them first and add their own."),
            _(
                "To give one its easy-read version, write it after a vertical bar: "
                "Les enfants vont à l'école à pied en sécurité | "
                "Les enfants vont à l'école sans danger."
            ),
        ),
    )

    def clean_seed_statements(self):
        """Each line is a statement, or "statement | its easy-read version"."""
        seeds = []
        for line in self.cleaned_data["seed_statements"].splitlines():
            text, _bar, easy_read = line.partition(SEED_EASY_READ_SEPARATOR)
            if text.strip():
                seeds.append((text.strip(), easy_read.strip()))
            elif easy_read.strip():
                raise forms.ValidationError(
                    gettext("Write the statement before its easy-read version.")
                )
        return seeds


class StatementForm(forms.Form):
    text = forms.CharField(
        label=_("Your statement"),
        widget=forms.Textarea(attrs={"rows": 3, "maxlength": LIMIT}),
    )
    easy_read = forms.CharField(
        label=_("The same idea in easy-read (optional)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2, "maxlength": LIMIT}),
    )

    def __init__(self, *args, easy=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["text"].help_text = gettext("One idea, in %(limit)d characters at most.") % {
            "limit": LIMIT
        }
        if easy:
            # The easy-read reader writes in their own words: one box, the glossary's word.
            self.fields["text"].label = gettext("My message")
            del self.fields["easy_read"]


class ModerationForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("Decision"),
        choices=[
            ("accept", pgettext_lazy("statement", "Accept")),
            ("reject", pgettext_lazy("statement", "Do not accept")),
        ],
        widget=forms.RadioSelect,
    )
    reason = forms.CharField(
        label=_("Reason, if you do not accept it"),
        required=False,
        widget=forms.Textarea(
            attrs={"rows": 2, "maxlength": ConsultationStatement.REASON_MAX_LENGTH}
        ),
        help_text=_("The author will read it."),
    )
    easy_read = forms.CharField(
        label=_("The same idea in easy-read, if you accept it (optional)"),
        required=False,
        max_length=LIMIT,
    )


class VoteForm(forms.Form):
    statement = forms.IntegerField()
    value = forms.TypedChoiceField(
        coerce=int,
        choices=[(str(v), label) for v, label in ConsultationVote.Value.choices],
    )


class StatusForm(forms.Form):
    move = forms.ChoiceField(choices=[("open", "open"), ("close", "close")])
    version = forms.IntegerField()


class MemberSearchForm(forms.Form):
    """Finds members in a long list (a neighbourhood has hundreds): by a part of the
    name, the role or how they take part. Read from the address (GET)."""

    name = forms.CharField(label=_("Name contains"), max_length=100, required=False)
    role = forms.ChoiceField(
        label=_("Role"),
        required=False,
        choices=[("", _("Every role")), *MemberRole.choices],
    )
    standing = forms.ChoiceField(
        label=_("Takes part as"),
        required=False,
        choices=[("", _("Everyone")), *MemberStanding.choices],
    )

    def filters(self) -> dict:
        """The filters of a valid search; none when the address is not one (a member
        list is never an error page)."""
        if not self.is_valid():
            return {}
        return {key: value.strip() for key, value in self.cleaned_data.items() if value}


class InvitationFileForm(forms.Form):
    """A list of people to invite, saved from a spreadsheet (ADR 0040)."""

    file = forms.FileField(
        label=_("File of the people to invite (CSV)"),
        help_text=_(
            "One person per line: their name, their email address and, if you wish, "
            "how they take part. Save it from your spreadsheet in the CSV format."
        ),
        widget=forms.FileInput(attrs={"accept": ".csv,.txt,text/csv,text/plain"}),
    )
    default_standing = forms.ChoiceField(
        label=_("When a line does not say it, they take part as"),
        choices=MemberStanding.choices,
    )
