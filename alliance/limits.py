"""Every text a person writes has a stated maximum length. The use cases check it
with this one helper, so that every page says the same plain words when a text is
too long, and the model fields state the same maxima."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _


def check_lengths(**limits) -> None:
    """`field=(text, limit)`: refuses, field by field, every text over its limit."""
    errors = {
        field: _("Keep it under %(limit)d characters (it has %(length)d).")
        % {"limit": limit, "length": len(text)}
        for field, (text, limit) in limits.items()
        if len(text or "") > limit
    }
    if errors:
        raise ValidationError(errors)
