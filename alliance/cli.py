"""The `alliance` command: `alliance consensus PATH --out FILE` runs the pure
opinion-group engine on a Pol.is export; every other sub-command is Django's
manage.py (e.g. `alliance runserver`)."""

import os
import sys


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    if argv[:1] == ["consensus"]:
        from alliance.consensus.cli import main as consensus_main

        return consensus_main(argv[1:])
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "alliance.settings.dev")
    from django.core.management import execute_from_command_line

    execute_from_command_line(["alliance", *argv])
    return 0


if __name__ == "__main__":
    sys.exit(main())
