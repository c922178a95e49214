"""Glue between forms and use cases: the use case decides, the form shows."""

from django.core.exceptions import ValidationError
from django.views.decorators.http import require_http_methods

# Alliance and collective pages answer these methods only (405 with `Allow` for any
# other): a page is read with GET or HEAD and changed with POST, so no other method
# can show personal data without the reading being written down.
page_methods = require_http_methods(["GET", "HEAD", "POST"])


def shows_a_page(response):
    """Whether a response shows something to its reader: anything but a redirect, a
    not found and a refused method."""
    return not (300 <= response.status_code < 400) and response.status_code not in (404, 405)


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
