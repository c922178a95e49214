"""A backup is only a backup once restored: the demo is dumped with scripts/backup.sh,
restored with scripts/restore.sh into a fresh database, and the product, started on
that database in another process, passes its checks and shows an alliance."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.db import connection

from alliance.alliances.models import Alliance, Ally
from alliance.audit.models import AuditEntry
from alliance.demo.loader import load_demo

pytestmark = pytest.mark.postgres_only
ROOT = Path(__file__).resolve().parents[2]

# Run by the restored product: its checks, its migrations all applied, its data, and
# an alliance's page for one of its allies.
PRODUCT = """
import json
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils.html import escape
from alliance.alliances.models import Alliance, Ally
from alliance.audit.models import AuditEntry

call_command("check", databases=["default"])
call_command("migrate", check=True, verbosity=0)
ally = Ally.objects.select_related("alliance", "user").get(pk={ally})
client = Client(HTTP_HOST="localhost")
client.force_login(ally.user)
page = client.get(reverse("alliances:overview", args=[ally.alliance_id]))
print(json.dumps({{
    "alliances": Alliance.objects.count(),
    "entries": AuditEntry.objects.count(),
    "status": page.status_code,
    "title_shown": escape(ally.alliance.title) in page.content.decode(),
}}))
"""


def _libpq_environment():
    settings = connection.settings_dict
    return {
        **os.environ,
        "PGHOST": settings["HOST"],
        "PGPORT": str(settings["PORT"]),
        "PGUSER": settings["USER"],
    }


def _run(*command, env):
    # The commands are this file's own: PostgreSQL's tools and our scripts.
    return subprocess.run(  # noqa: S603
        command, env=env, cwd=ROOT, capture_output=True, text=True, check=True
    )


@pytest.mark.django_db(transaction=True)
def test_a_backup_restores_into_a_fresh_database_that_the_product_serves(tmp_path):
    load_demo()
    ally = Ally.objects.filter(status=Ally.Status.ACTIVE, user__kind="individual").first()
    expected = {"alliances": Alliance.objects.count(), "entries": AuditEntry.objects.count()}
    source = connection.settings_dict["NAME"]
    restored = f"{source}_restored"
    dump = tmp_path / "alliance.dump"
    env = _libpq_environment()
    _run("dropdb", "--if-exists", restored, env=env)
    try:
        _run("scripts/backup.sh", source, str(dump), env=env)
        _run("scripts/restore.sh", str(dump), restored, env=env)
        product = _run(
            sys.executable,
            "manage.py",
            "shell",
            "-c",
            PRODUCT.format(ally=ally.pk),
            env={
                **env,
                "DJANGO_SETTINGS_MODULE": "alliance.settings.test",
                "ALLIANCE_TEST_DB": "postgres",
                "ALLIANCE_PG_NAME": restored,
            },
        )
    finally:
        _run("dropdb", "--if-exists", restored, env=env)

    answer = json.loads(product.stdout.strip().splitlines()[-1])
    assert answer["alliances"] == expected["alliances"] > 0
    # The page read is written to the trail of the restored database.
    assert answer["entries"] > expected["entries"] > 0
    assert answer["status"] == 200
    assert answer["title_shown"] is True


def test_a_restore_refuses_an_archive_whose_sum_does_not_match(tmp_path):
    dump = tmp_path / "alliance.dump"
    dump.write_bytes(b"not a dump")
    (tmp_path / "alliance.dump.sha256").write_text(f"{'0' * 64}  alliance.dump\n")

    result = subprocess.run(  # noqa: S603
        ["scripts/restore.sh", str(dump), "never_created"],  # noqa: S607
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )

    assert result.returncode != 0
