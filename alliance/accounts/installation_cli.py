"""What the installation commands share: bad input becomes the command's error, with
every message, and nothing is written."""

from django.core.exceptions import ValidationError
from django.core.management.base import CommandError


def as_command_error(error: ValidationError) -> CommandError:
    if hasattr(error, "error_dict"):
        lines = [f"{field}: {' '.join(messages)}" for field, messages in error.message_dict.items()]
    else:
        lines = error.messages
    return CommandError("Nothing was created. " + "; ".join(lines))
