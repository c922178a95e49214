#!/usr/bin/env bash
# Makes sure a local PostgreSQL answers on 127.0.0.1:5432 and that the roles and the
# database exist: `alliance` owns the tables and runs the migrations (it may create
# databases, for the test database, but is not a superuser, so the audit trigger binds
# it); `alliance_app` is the application's role in production: it owns nothing, and
# gets its rights from the owner after each migrate (alliance/audit/roles.py), so it
# cannot empty the audit trail or switch off its trigger. The tests connect as both.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib.sh

HOST=127.0.0.1
PORT=5432

start_cluster() {
    local version
    version="$(ls /etc/postgresql | sort -V | tail -n 1)"
    echo "==> starting PostgreSQL ${version}"
    pg_ctlcluster --skip-systemctl-redirect "${version}" main start
}

if ! pg_isready -q -h "${HOST}" -p "${PORT}" 2>/dev/null; then
    if [ ! -d /etc/postgresql ] || [ -z "$(ls -A /etc/postgresql 2>/dev/null)" ]; then
        echo "==> installing PostgreSQL"
        apt_install postgresql postgresql-client
    fi
    pg_isready -q -h "${HOST}" -p "${PORT}" 2>/dev/null || start_cluster
    for _ in $(seq 1 30); do
        pg_isready -q -h "${HOST}" -p "${PORT}" && break
        sleep 1
    done
    pg_isready -h "${HOST}" -p "${PORT}"
fi

# As the postgres superuser: over TCP when trust auth allows it, else via the local socket.
if psql -h "${HOST}" -p "${PORT}" -U postgres -w -tAc "select 1" >/dev/null 2>&1; then
    as_postgres() { psql -h "${HOST}" -p "${PORT}" -U postgres -w -v ON_ERROR_STOP=1 -qtA "$@"; }
else
    as_postgres() { su postgres -c "psql -p ${PORT} -v ON_ERROR_STOP=1 -qtA $(printf '%q ' "$@")"; }
fi

as_postgres -c "DO \$\$ BEGIN
    IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'alliance') THEN
        CREATE ROLE alliance LOGIN CREATEDB NOSUPERUSER;
    ELSE
        ALTER ROLE alliance LOGIN CREATEDB NOSUPERUSER;
    END IF;
END \$\$;"
as_postgres -c "DO \$\$ BEGIN
    IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'alliance_app') THEN
        CREATE ROLE alliance_app LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOINHERIT;
    ELSE
        ALTER ROLE alliance_app LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOINHERIT;
    END IF;
END \$\$;"
if [ "$(as_postgres -c "SELECT 1 FROM pg_database WHERE datname = 'alliance'")" != "1" ]; then
    as_postgres -c "CREATE DATABASE alliance OWNER alliance"
fi

# The tests connect as `alliance` and `alliance_app` without a password, and the
# deployment test (tests/deploy) as `postgres` to make its own roles: check that they can.
for role in alliance alliance_app postgres; do
    if ! psql -h "${HOST}" -p "${PORT}" -U "${role}" -w -d alliance -tAc "select 1" >/dev/null 2>&1; then
        echo "==> allowing local password-less connections for the test role ${role}"
        hba="$(as_postgres -c "SHOW hba_file")"
        rule="host    all    ${role}    127.0.0.1/32    trust"
        if ! grep -qF "${rule}" "${hba}"; then
            # The first matching line wins: put ours first.
            printf '%s\n%s\n' "${rule}" "$(cat "${hba}")" > "${hba}"
        fi
        as_postgres -c "SELECT pg_reload_conf()" >/dev/null
        sleep 1
        psql -h "${HOST}" -p "${PORT}" -U "${role}" -w -d alliance -tAc "select 1" >/dev/null
    fi
done
echo "==> PostgreSQL ready (roles alliance and alliance_app, database alliance)"
