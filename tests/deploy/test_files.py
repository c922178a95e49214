"""The platform files all go through deploy/entrypoint.sh, with sub-commands it knows."""

import json
import os
import re
import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
ENTRYPOINT = ROOT / "deploy" / "entrypoint.sh"


def sub_commands() -> set[str]:
    return set(re.findall(r"^    ([a-z-]+)\)$", ENTRYPOINT.read_text(), re.MULTILINE))


def test_the_entrypoint_knows_every_sub_command():
    assert sub_commands() == {
        "build",
        "release",
        "web",
        "worker",
        "scheduler",
        "periodic",
        "archive-audit",
        "manage",
    }


def test_the_procfile_runs_release_web_and_worker_through_the_entrypoint():
    processes = dict(
        line.split(": ", 1) for line in (ROOT / "Procfile").read_text().splitlines() if line
    )
    assert processes == {
        "release": "deploy/entrypoint.sh release",
        "web": "deploy/entrypoint.sh web",
        "worker": "deploy/entrypoint.sh worker",
    }


def test_the_cron_jobs_are_periodic_jobs_of_the_entrypoint():
    jobs = json.loads((ROOT / "cron.json").read_text())["jobs"]
    names = []
    for job in jobs:
        fields = job["command"].split()
        if fields[5:] == ["deploy/entrypoint.sh", "archive-audit"]:
            # The owner's rights: not a periodic job of the application's role.
            names.append("archive_audit")
            continue
        assert len(fields) == 8, job
        assert fields[5:7] == ["deploy/entrypoint.sh", "periodic"], job
        names.append(fields[7])
    assert set(names) == {
        "reminders",
        "purge_expired",
        "apply_retention",
        "archive_audit",
        "requeue_stalled",
        "close_report_requests",
    }
    assert "archive-audit" in sub_commands()


def test_compose_and_the_image_use_the_entrypoint():
    compose = (ROOT / "compose.yaml").read_text()
    commands = set(re.findall(r'command: \["([a-z]+)"\]', compose))
    assert commands == {"release", "web", "worker", "scheduler"}
    assert commands <= sub_commands()
    # The owner's address is given to the release service only.
    assert compose.count("ALLIANCE_MIGRATE_DATABASE_URL") == 1
    dockerfile = (ROOT / "Dockerfile").read_text()
    assert 'ENTRYPOINT ["/app/deploy/entrypoint.sh"]' in dockerfile
    assert "USER 10001" in dockerfile
    assert "/healthz" in dockerfile


def run_entrypoint(*args):
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "ALLIANCE_"))}
    return subprocess.run(  # noqa: S603  (our own script)
        [str(ENTRYPOINT), *args], env=env, capture_output=True, text=True, timeout=30
    )


def test_release_refuses_without_the_owners_address():
    done = run_entrypoint("release")
    assert done.returncode == 64
    assert "ALLIANCE_MIGRATE_DATABASE_URL" in done.stderr


def test_an_unknown_sub_command_shows_the_usage():
    done = run_entrypoint("serve")
    assert done.returncode == 64
    assert "release" in done.stderr
    assert "scheduler" in done.stderr
