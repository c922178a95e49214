"""The one error of an optimistic write, shared by every domain app: someone else
saved first. The caller shows the current state beside what the user typed, so
nothing is lost; the pages answer it with 409 and its message on the form."""

from django.utils.translation import gettext as _


class ConflictError(Exception):
    """Someone else saved first. A use case that knows more of what changed says so in
    `message`; the default fits any text being written."""

    def __init__(self, message=None):
        super().__init__(
            message
            or _(
                "Someone else changed this while you were writing. Your text is kept below: "
                "check the new version and save again."
            )
        )
