"""The production path, end to end, as an operator runs it: deploy/postgres-init.sh
makes a fresh database and its two roles, `deploy/entrypoint.sh release` migrates as
the owner, `deploy/entrypoint.sh web` serves with gunicorn and the production settings
as the application role, and the pages answer as they must (health, French, hashed
static files kept a year, error pages in the product's layout).

Needs a PostgreSQL server and a superuser that can create roles (the one of
scripts/ensure_postgres.sh): `make test` runs it in its PostgreSQL pass only."""

import http.client
import os
import re
import secrets
import signal
import socket
import subprocess
import time
from pathlib import Path

import psycopg
import pytest

pytestmark = pytest.mark.deploy

ROOT = Path(__file__).resolve().parents[2]
ENTRYPOINT = ROOT / "deploy" / "entrypoint.sh"
PG_HOST = os.environ.get("ALLIANCE_PG_HOST", "127.0.0.1")
PG_PORT = os.environ.get("ALLIANCE_PG_PORT", "5432")
PG_SUPERUSER = os.environ.get("ALLIANCE_PG_SUPERUSER", "postgres")
SITE_HOST = "alliance.example.org"
# What the platform's router sends: the client spoke HTTPS, to the site's name.
BEHIND_THE_ROUTER = {"Host": SITE_HOST, "X-Forwarded-Proto": "https"}


def superuser(dbname="postgres"):
    return psycopg.connect(
        host=PG_HOST, port=PG_PORT, user=PG_SUPERUSER, dbname=dbname, autocommit=True
    )


def url(role, password, db):
    return f"postgres://{role}:{password}@{PG_HOST}:{PG_PORT}/{db}"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def entrypoint(env, *args, timeout=180):
    done = subprocess.run(  # noqa: S603  (our own script)
        [str(ENTRYPOINT), *args], env=env, capture_output=True, text=True, timeout=timeout
    )
    assert done.returncode == 0, f"{args}: {done.stdout}\n{done.stderr}"
    return done


def get(port, path, headers=BEHIND_THE_ROUTER):
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    try:
        connection.request("GET", path, headers=headers)
        response = connection.getresponse()
        return response.status, dict(response.getheaders()), response.read().decode()
    finally:
        connection.close()


@pytest.fixture
def installation(tmp_path):
    """A fresh database and roles with names of their own, so parallel runs never
    meet; dropped at the end whatever happened."""
    suffix = secrets.token_hex(4)
    names = {
        "db": f"alliance_e2e_{suffix}",
        "owner": f"alliance_e2e_{suffix}_owner",
        "app": f"alliance_e2e_{suffix}_app",
        "owner_password": secrets.token_urlsafe(16),
        "app_password": secrets.token_urlsafe(16),
    }
    init_env = {
        **os.environ,
        "PGHOST": PG_HOST,
        "PGPORT": PG_PORT,
        "PGUSER": PG_SUPERUSER,
        "ALLIANCE_DB_NAME": names["db"],
        "ALLIANCE_OWNER_ROLE": names["owner"],
        "ALLIANCE_APP_ROLE": names["app"],
        "ALLIANCE_OWNER_PASSWORD": names["owner_password"],
        "ALLIANCE_APP_PASSWORD": names["app_password"],
    }
    try:
        subprocess.run(  # noqa: S603
            [str(ROOT / "deploy" / "postgres-init.sh")],
            env=init_env,
            check=True,
            capture_output=True,
            timeout=60,
        )
        env = {
            **{k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "ALLIANCE_"))},
            "DJANGO_SETTINGS_MODULE": "alliance.settings.prod",
            "DJANGO_SECRET_KEY": secrets.token_urlsafe(64),
            "ALLIANCE_SITE_URL": f"https://{SITE_HOST}",
            "DATABASE_URL": url(names["app"], names["app_password"], names["db"]),
            "ALLIANCE_STATIC_ROOT": str(tmp_path / "static"),
        }
        yield names, env
    finally:
        with superuser() as connection:
            connection.execute(f'DROP DATABASE IF EXISTS "{names["db"]}" WITH (FORCE)')
            connection.execute(f'DROP ROLE IF EXISTS "{names["app"]}"')
            connection.execute(f'DROP ROLE IF EXISTS "{names["owner"]}"')


@pytest.fixture
def gunicorn(installation):
    """`entrypoint.sh web`, given the owner's address too, as a platform that shares
    every variable would: the entrypoint must drop it."""
    names, env = installation
    owner_url = url(names["owner"], names["owner_password"], names["db"])
    entrypoint(env, "build")
    entrypoint({**env, "ALLIANCE_MIGRATE_DATABASE_URL": owner_url}, "release")
    port = free_port()
    process = subprocess.Popen(  # noqa: S603
        [str(ENTRYPOINT), "web"],
        env={
            **env,
            "ALLIANCE_MIGRATE_DATABASE_URL": owner_url,
            "ALLIANCE_BIND": "127.0.0.1",
            "PORT": str(port),
            "WEB_CONCURRENCY": "2",
        },
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        start_new_session=True,
    )
    try:
        deadline = time.monotonic() + 60
        while True:
            assert process.poll() is None, process.stderr.read().decode()
            try:
                if get(port, "/healthz", headers={})[0] == 200:
                    break
            except OSError:
                pass
            assert time.monotonic() < deadline, "gunicorn did not answer /healthz in 60 s"
            time.sleep(0.3)
        yield port, names, env
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()
        process.stderr.close()


def test_the_production_entrypoint_serves_alliance(gunicorn):
    port, names, env = gunicorn

    # Health: the load balancer probes over plain HTTP, with an address as Host.
    status, headers, body = get(port, "/healthz", headers={"Host": "10.0.0.7"})
    assert (status, body) == (200, "ok")

    # Readiness names the worker until its heartbeat is seen.
    status, _, body = get(port, "/readyz", headers={"Host": "10.0.0.7"})
    assert status == 503
    assert '"failed": ["worker"]' in body
    assert '"database": {"ok": true' in body
    assert '"migrations": {"ok": true' in body
    entrypoint(
        env,
        "manage",
        "shell",
        "-c",
        "import time; from django.core.cache import cache; "
        "cache.set('alliance:worker:last_seen', time.time())",
    )
    status, _, body = get(port, "/readyz", headers={})
    assert status == 200, body
    assert '"status": "ok"' in body

    # Plain HTTP from a browser is sent to HTTPS.
    status, headers, _ = get(port, "/sign-in/", headers={"Host": SITE_HOST})
    assert status == 301
    assert headers["Location"] == f"https://{SITE_HOST}/sign-in/"

    # The sign-in page, in French.
    status, _, sign_in = get(port, "/sign-in/")
    assert status == 200
    assert '<html lang="fr">' in sign_in
    assert "Se connecter" in sign_in

    # Its style sheet under a hashed name, compressed, kept a year.
    stylesheet = re.search(r'href="(/static/css/alliance\.[0-9a-f]{12}\.css)"', sign_in)
    assert stylesheet, sign_in
    status, headers, css = get(
        port, stylesheet.group(1), headers={**BEHIND_THE_ROUTER, "Accept-Encoding": "identity"}
    )
    assert status == 200
    assert "max-age=315360000" in headers["Cache-Control"]
    assert "immutable" in headers["Cache-Control"]
    assert css.strip()

    # Every connection of the running application is the application role's.
    with superuser() as connection:
        users = {
            row[0]
            for row in connection.execute(
                "SELECT usename FROM pg_stat_activity WHERE datname = %s", [names["db"]]
            )
        }
    assert users == {names["app"]}

    # A page that does not exist: French, in the layout, with its styles.
    status, _, page = get(port, "/no-such-page/")
    assert status == 404
    assert_layout(page, "Page introuvable", stylesheet.group(1))

    # A real server error, with no hook in the product: the owner takes the
    # application's rights away, and a page that reads the database fails. The 500 page
    # must be shown even then, since it needs no database.
    with psycopg.connect(
        url(names["owner"], names["owner_password"], names["db"]), autocommit=True
    ) as owner:
        owner.execute(f'REVOKE ALL ON ALL TABLES IN SCHEMA public FROM "{names["app"]}"')
    status, _, page = get(port, "/invitations/no-such-token/")
    assert status == 500
    assert_layout(page, "Une erreur est survenue", stylesheet.group(1))


def assert_layout(page, french_title, stylesheet):
    assert '<html lang="fr">' in page
    assert french_title in page
    assert 'class="site-header"' in page
    assert "logiciel libre" in page  # the footer
    assert stylesheet in page
