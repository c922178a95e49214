"""Glue between requests, forms and use cases: the use case decides, the form shows."""

from django import forms
from django.core.exceptions import ValidationError
from django.views.decorators.http import require_http_methods

from alliance.conflicts import ConflictError

from .converters import DatabaseIdConverter

# Alliance and collective pages answer these methods only (405 with `Allow` for any
# other): a page is read with GET or HEAD and changed with POST, so no other method
# can show personal data without the reading being written down.
page_methods = require_http_methods(["GET", "HEAD", "POST"])


def shows_a_page(response):
    """Whether a response shows something to its reader: anything but a redirect, a
    not found, a refused method, and the rest of a recording a player already began
    (a 206 past its first byte: a player asks for ranges while it plays or seeks, and
    the play was written down with its first bytes, ADR 0019)."""
    if response.status_code == 206 and not response.get("Content-Range", "").startswith("bytes 0-"):
        return False
    return not (300 <= response.status_code < 400) and response.status_code not in (404, 405, 416)


def id_from(data, key: str) -> int | None:
    """The database id (or version number) sent as `data[key]` (request.GET or
    request.POST), or None when it is missing, not a number, or past the database's
    range: the caller then answers as for an id that does not exist."""
    try:
        return DatabaseIdConverter().to_python((data.get(key) or "").strip())
    except ValueError:
        return None


class IdsChoiceField(forms.ModelMultipleChoiceField):
    """Several objects chosen by id: an id past the database's range is refused like
    one that does not exist, before it reaches the query (where `pk__in` would fail)."""

    def _check_values(self, value):
        for pk in value:
            if id_from({"pk": str(pk)}, "pk") is None:
                raise ValidationError(
                    self.error_messages["invalid_pk_value"],
                    code="invalid_pk_value",
                    params={"pk": pk},
                )
        return super()._check_values(value)


def run_use_case(form, use_case, **kwargs):
    """Calls the use case; on a ValidationError the messages land on the form
    fields they concern (or on the form as a whole) and None is returned."""
    try:
        return use_case(**kwargs)
    except ValidationError as error:
        if hasattr(error, "error_dict"):
            for field, messages in error.message_dict.items():
                form.add_error(field if field in form.fields else None, messages)
        else:
            form.add_error(None, error.messages)
        return None


def run_versioned_use_case(form, use_case, *, reload, **kwargs):
    """Calls a use case that checks the version the form was read at; returns
    (result, status). A stale version is a 409: the user's words stay in the form,
    whose version moves to the one now stored (``reload()`` reads the object again
    and returns its version), so that a second send builds on what is there now."""
    try:
        result = run_use_case(form, use_case, **kwargs)
    except ConflictError as conflict:
        form.add_error(None, str(conflict))
        form.data = form.data.copy()
        form.data["version"] = reload()
        return None, 409
    return result, 400 if result is None else 200
