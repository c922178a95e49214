"""The database of the load test and of ``pages_cpu.py``, and its signed-in users.

``ensure_database`` gives a fresh PostgreSQL database ``alliance_loadtest`` with
3,000 alliances generated as ``alliances_bench.py`` generates them (a few through the
use cases, checked against the bulk path, the rest in bulk), plus what the typical
pages read and that generation leaves out, written through the use cases: journal
entries and collectives. Generating takes a minute or two on two cores, so the
populated database is kept as a PostgreSQL template (named after the data's shape and
the migrations, so that a new migration or a new generator rebuilds it) and each run
starts from a copy of it: the runs' writes never pile up.

``sign_in`` opens real sessions as ``Client.force_login`` does (the session row of
"my sessions" included) and, for professionals, verifies the second factor with an
authenticator app of theirs, as tests/conftest.py does; the session cookies are handed
to the load test's users, which never type a password.
"""

from __future__ import annotations

import hashlib
import os
import random
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
DB_NAME = "alliance_loadtest"
ALLIANCES = 3000
SEED = 1
JOURNALED = 300  # alliances with a journal, 3 entries each
COLLECTIVES = 30
PG = {
    "host": os.environ.get("ALLIANCE_PG_HOST", "127.0.0.1"),
    "port": os.environ.get("ALLIANCE_PG_PORT", "5432"),
    "user": os.environ.get("ALLIANCE_LOADTEST_PG_USER", "alliance"),
}
TEST_DEVICE = "load test authenticator"


def template_name(alliances: int) -> str:
    """Changes when the migrations or the generators change."""
    digest = hashlib.sha256()
    sources = sorted(ROOT.glob("alliance/*/migrations/0*.py"))
    sources += [HERE / "alliances_data.py", HERE / "alliances_bench.py", Path(__file__)]
    for path in sources:
        digest.update(path.name.encode())
        digest.update(path.read_bytes())
    return f"{DB_NAME}_tpl_{alliances}_{digest.hexdigest()[:10]}"


def _admin():
    import psycopg

    return psycopg.connect(dbname="postgres", autocommit=True, **PG)


def ensure_database(alliances: int = ALLIANCES, log=print) -> str:
    """A fresh copy of the populated template, built first if needed."""
    template = template_name(alliances)
    with _admin() as conn:
        names = {r[0] for r in conn.execute("SELECT datname FROM pg_database").fetchall()}
        if template not in names:
            for old in sorted(n for n in names if n.startswith(f"{DB_NAME}_tpl_")):
                conn.execute(f'DROP DATABASE "{old}" WITH (FORCE)')
            conn.execute(f'CREATE DATABASE "{template}"')
            log(f"Generating {alliances} alliances into the template {template}…")
            env = {**os.environ, "ALLIANCE_LOADTEST_DB": template}
            built = subprocess.run(
                [sys.executable, "-m", "benchmarks.loadtest_data", str(alliances)],
                cwd=ROOT,
                env=env,
            )
            if built.returncode != 0:
                conn.execute(f'DROP DATABASE IF EXISTS "{template}" WITH (FORCE)')
                raise SystemExit("Generation failed.")
        conn.execute(f"DROP DATABASE IF EXISTS {DB_NAME} WITH (FORCE)")
        conn.execute(f'CREATE DATABASE {DB_NAME} TEMPLATE "{template}"')
    return DB_NAME


def ensure_static():
    """Production serves hashed, compressed static files from a manifest that the
    release's build collects: without it, any page with a `{% static %}` fails."""
    from django.conf import settings
    from django.core.management import call_command

    if not (Path(settings.STATIC_ROOT) / "staticfiles.json").exists():
        call_command("collectstatic", interactive=False, verbosity=0)


def setup_django():
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "benchmarks.loadtest_settings")
    if str(ROOT) not in sys.path:
        sys.path.insert(0, str(ROOT))
    import django

    django.setup()


def _generate(alliances: int):
    """Runs in a process of its own, on the template database."""
    setup_django()
    from django.core.management import call_command
    from django.db import connection

    from benchmarks import alliances_bench

    call_command("migrate", verbosity=0)
    alliances_bench.generate(alliances, busy=100, seed=SEED, log=print)
    _journals_and_collectives()
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")


def _journals_and_collectives():
    from alliance.accounts.models import User
    from alliance.acting import services as acting
    from alliance.alliances.models import Alliance, Ally
    from alliance.collectives import services as collectives

    rng = random.Random(SEED)
    ids = list(Alliance.objects.order_by("pk").values_list("pk", flat=True))
    for aid in rng.sample(ids, min(JOURNALED, len(ids))):
        authors = list(Ally.objects.filter(alliance_id=aid, status=Ally.Status.ACTIVE))
        for n in range(3):
            acting.write_journal_entry(
                ally=rng.choice(authors),
                happened=f"Rencontre n° {n + 1} : on a parlé du projet et des prochaines étapes.",
                emerged="Chacun a dit ce qui compte pour lui." if n % 2 else "",
            )
    pros = list(User.objects.filter(kind=User.Kind.PROFESSIONAL, is_org_admin=False).order_by("pk"))
    for n in range(COLLECTIVES):
        creator = pros[(n * 7) % len(pros)]
        collective = collectives.create_collective(
            creator=creator, name=f"Atelier des possibles n° {n + 1}", territory="69 Rhône"
        )
        facilitator = collective.members.get(user=creator)
        for other in rng.sample(pros, 8):
            if other != creator:
                collectives.add_member(by=facilitator, user=other, standing="professional")
    print(f"  {JOURNALED} alliances with a journal, {COLLECTIVES} collectives")


def personas(count: int, seed: int = 7) -> list[dict]:
    """`count` active allies of distinct alliances (professionals, persons, relatives,
    in the proportions of the data), each with the live statements they may vote on."""
    from alliance.alliances.models import Ally, Statement

    rng = random.Random(seed)
    allies = list(
        Ally.objects.filter(status=Ally.Status.ACTIVE)
        .select_related("user")
        .order_by("pk")
        .values_list("pk", "alliance_id", "user_id", "role")
    )
    rng.shuffle(allies)
    chosen, seen_users, seen_alliances = [], set(), set()
    for ally_id, alliance_id, user_id, role in allies:
        if user_id in seen_users or alliance_id in seen_alliances:
            continue
        seen_users.add(user_id)
        seen_alliances.add(alliance_id)
        chosen.append({"ally": ally_id, "alliance": alliance_id, "user": user_id, "role": role})
        if len(chosen) == count:
            break
    statements = {}
    for sid, aid, author in Statement.objects.filter(
        alliance_id__in=seen_alliances, withdrawn_at__isnull=True
    ).values_list("pk", "alliance_id", "author_id"):
        statements.setdefault(aid, []).append((sid, author))
    for p in chosen:  # an ally does not vote on their own statement
        p["statements"] = sorted(s for s, a in statements.get(p["alliance"], []) if a != p["ally"])
    return chosen


def sign_in(user, client=None):
    """A signed-in session of `user` whose second factor is verified, as after a whole
    sign-in; returns the client holding it."""
    from django.test import Client
    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.plugins.otp_totp.models import TOTPDevice

    client = client or Client()
    client.force_login(user)
    if user.is_professional or user.is_decision_maker:
        device, _created = TOTPDevice.objects.get_or_create(
            user=user, name=TEST_DEVICE, defaults={"confirmed": True}
        )
        session = client.session
        session[DEVICE_ID_SESSION_KEY] = device.persistent_id
        session.save()
    return client


if __name__ == "__main__":
    _generate(int(sys.argv[1]))
