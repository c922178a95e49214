#!/usr/bin/env bash
# Creates Alliance's two PostgreSQL roles and its database, as a superuser (run once by
# the postgres image from /docker-entrypoint-initdb.d, or by hand; the end-to-end test
# runs it too). Running it again changes nothing but the passwords.
#
# - the owner (ALLIANCE_OWNER_ROLE, `alliance`) owns the tables and runs the
#   migrations; not a superuser, so the audit trail's trigger binds it;
# - the application (ALLIANCE_APP_ROLE, `alliance_app`) owns nothing and gets its
#   rights from the owner after each migration (alliance/audit/roles.py).
# Connection: psql's usual variables (PGHOST, PGPORT, PGUSER…); in the postgres image,
# the local socket as POSTGRES_USER.
set -euo pipefail

: "${ALLIANCE_OWNER_PASSWORD:?set ALLIANCE_OWNER_PASSWORD}"
: "${ALLIANCE_APP_PASSWORD:?set ALLIANCE_APP_PASSWORD}"
DB="${ALLIANCE_DB_NAME:-alliance}"
OWNER="${ALLIANCE_OWNER_ROLE:-alliance}"
APP="${ALLIANCE_APP_ROLE:-alliance_app}"

as_superuser() {
    psql -v ON_ERROR_STOP=1 -qtA --username "${PGUSER:-${POSTGRES_USER:-postgres}}" \
        --dbname "${PGDATABASE:-postgres}" \
        -v owner="${OWNER}" -v app="${APP}" -v db="${DB}" \
        -v owner_password="${ALLIANCE_OWNER_PASSWORD}" -v app_password="${ALLIANCE_APP_PASSWORD}" \
        "$@"
}

as_superuser <<'SQL'
SELECT format('CREATE ROLE %I', :'owner')
    WHERE NOT EXISTS (SELECT FROM pg_roles WHERE rolname = :'owner') \gexec
SELECT format('CREATE ROLE %I', :'app')
    WHERE NOT EXISTS (SELECT FROM pg_roles WHERE rolname = :'app') \gexec
SELECT format('ALTER ROLE %I LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE PASSWORD %L',
              :'owner', :'owner_password') \gexec
SELECT format('ALTER ROLE %I LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOINHERIT PASSWORD %L',
              :'app', :'app_password') \gexec
SELECT format('CREATE DATABASE %I OWNER %I', :'db', :'owner')
    WHERE NOT EXISTS (SELECT FROM pg_database WHERE datname = :'db') \gexec
SELECT format('REVOKE ALL ON DATABASE %I FROM PUBLIC', :'db') \gexec
SELECT format('GRANT CONNECT, TEMPORARY ON DATABASE %I TO %I', :'db', :'app') \gexec
SQL
# PostgreSQL 15 and later: only the database owner creates in the public schema.
as_superuser --dbname "${DB}" <<'SQL'
SELECT format('ALTER SCHEMA public OWNER TO %I', :'owner') \gexec
REVOKE CREATE ON SCHEMA public FROM PUBLIC;
SQL
echo "==> PostgreSQL: database ${DB}, owner ${OWNER}, application role ${APP}"
