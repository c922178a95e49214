"""manage.py and `alliance` refuse to guess the settings module: a cron line without
DJANGO_SETTINGS_MODULE would otherwise run the development settings and create an
empty SQLite file."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def run(*argv, **extra_env):
    env = {k: v for k, v in os.environ.items() if k != "DJANGO_SETTINGS_MODULE"}
    env.update(extra_env)
    return subprocess.run(  # noqa: S603  (our own interpreter and script)
        [sys.executable, *argv], cwd=ROOT, env=env, capture_output=True, text=True, timeout=60
    )


def test_manage_py_without_settings_names_the_three_modules_and_changes_nothing(tmp_path):
    var_dir = tmp_path / "var"
    done = run("manage.py", "migrate", ALLIANCE_VAR_DIR=str(var_dir))
    assert done.returncode == 2
    for module in ("alliance.settings.dev", "alliance.settings.test", "alliance.settings.prod"):
        assert module in done.stderr
    assert "DJANGO_SETTINGS_MODULE=alliance.settings.dev manage.py migrate" in done.stderr
    assert not var_dir.exists()  # the development settings would have made it


def test_the_alliance_command_without_settings_refuses_too():
    done = run("-m", "alliance.cli", "check")
    assert done.returncode == 2
    assert "DJANGO_SETTINGS_MODULE is not set" in done.stderr
    assert "DJANGO_SETTINGS_MODULE=alliance.settings.dev alliance check" in done.stderr


def test_with_the_settings_module_the_command_runs():
    done = run("manage.py", "check", DJANGO_SETTINGS_MODULE="alliance.settings.test")
    assert done.returncode == 0, done.stderr
    assert "no issues" in done.stdout


def test_consensus_needs_no_settings(tmp_path):
    done = run("-m", "alliance.cli", "consensus", "--help")
    assert done.returncode == 0, done.stderr
    assert "DJANGO_SETTINGS_MODULE" not in done.stderr
