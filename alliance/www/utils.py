"""Glue between forms and use cases: the use case decides, the form shows."""

from django.core.exceptions import ValidationError


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
