"""The `alliance` command: `alliance consensus PATH --out FILE` runs the pure
opinion-group engine on a Pol.is export; every other sub-command is Django's
manage.py (e.g. `alliance runserver`), and needs DJANGO_SETTINGS_MODULE.

No default settings module: a cron line or a shell without the variable would
otherwise run against the development settings and their SQLite file, silently."""

import os
import sys

SETTINGS_MISSING = """\
DJANGO_SETTINGS_MODULE is not set: say which settings to run with.
  alliance.settings.dev   development: SQLite in var/, the demo, emails on the console
  alliance.settings.test  the tests (pytest sets it)
  alliance.settings.prod  production: PostgreSQL and secrets from the environment
                          (docs/deploy.md)
For example:  DJANGO_SETTINGS_MODULE=alliance.settings.dev {program} {command}
(`make run` and `make test` set it for you.)
"""


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    if argv[:1] == ["consensus"]:
        from alliance.consensus.cli import main as consensus_main

        return consensus_main(argv[1:])
    if not os.environ.get("DJANGO_SETTINGS_MODULE"):
        program = "manage.py" if os.path.basename(sys.argv[0]) == "manage.py" else "alliance"
        command = " ".join(argv) or "help"
        sys.stderr.write(SETTINGS_MISSING.format(program=program, command=command))
        return 2
    from django.core.management import execute_from_command_line

    execute_from_command_line(["alliance", *argv])
    return 0


if __name__ == "__main__":
    sys.exit(main())
