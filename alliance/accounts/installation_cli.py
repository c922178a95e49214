"""What the installation commands share: they speak the product's language, and bad
input becomes the command's error, with every message, and nothing is written."""

import functools

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.management.base import CommandError
from django.utils import translation


def in_the_product_language(handle):
    """The sign-in email and the messages in French (the default language), whatever
    language the process happened to have active."""

    @functools.wraps(handle)
    def wrapper(*args, **kwargs):
        with translation.override(settings.LANGUAGE_CODE):
            return handle(*args, **kwargs)

    return wrapper


def as_command_error(error: ValidationError) -> CommandError:
    if hasattr(error, "error_dict"):
        lines = [f"{field}: {' '.join(messages)}" for field, messages in error.message_dict.items()]
    else:
        lines = error.messages
    return CommandError("Nothing was created. " + "; ".join(lines))
