from django import forms
from django.utils.translation import gettext_lazy as _

from alliance.attachments import content

# What a browser offers to choose; a hint only, the server judges the bytes.
ACCEPT = ",".join((content.PDF, *content.IMAGES))


class AttachmentForm(forms.Form):
    # Not required here: the use case says what is missing, in the same words as
    # for a file it refuses.
    file = forms.FileField(
        label=_("File"),
        help_text=_("A PDF file or a photo (JPEG, PNG or WebP), at most %(megabytes)d MB."),
        required=False,
        widget=forms.ClearableFileInput(attrs={"accept": ACCEPT}),
    )
    alt_text = forms.CharField(
        label=_("What the photo shows"),
        help_text=_("Required for a photo: a sentence for those who cannot see it."),
        max_length=300,
        required=False,
    )
    description = forms.CharField(label=_("Description (optional)"), max_length=300, required=False)
    # The journal entry the file goes with, when sent from the journal.
    entry = forms.IntegerField(required=False, min_value=1, widget=forms.HiddenInput)

    def __init__(self, *args, max_megabytes, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["file"].help_text = self.fields["file"].help_text % {"megabytes": max_megabytes}
