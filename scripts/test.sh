#!/usr/bin/env bash
# `make test` (and CI): installs what the tests need, then runs every check and
# every test — SQLite without the browser, then PostgreSQL with everything.
# Extra arguments are passed to both pytest runs (e.g. `make test ARGS="-x"`).
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib.sh

scripts/bootstrap.sh
scripts/compile_messages.sh

if [ ! -x /usr/bin/chromium ]; then
    echo "==> installing Chromium"
    apt_install chromium fonts-dejavu-core
fi

echo "==> npm ci (axe-core)"
npm ci --no-audit --no-fund --loglevel=error

scripts/ensure_postgres.sh

PY=.venv/bin/python

echo "==> ruff check and format"
.venv/bin/ruff check .
.venv/bin/ruff format --check .

echo "==> makemigrations --check"
DJANGO_SETTINGS_MODULE=alliance.settings.test "${PY}" manage.py makemigrations --check --dry-run

echo "==> check --deploy (production settings)"
DJANGO_SETTINGS_MODULE=alliance.settings.prod \
DJANGO_SECRET_KEY="$("${PY}" -c 'import secrets; print(secrets.token_urlsafe(64))')" \
ALLIANCE_ALLOWED_HOSTS="alliance.example.org" \
    "${PY}" manage.py check --deploy --fail-level WARNING

echo "==> pytest on SQLite (without browser and PostgreSQL-only tests)"
"${PY}" -m pytest --create-db -m "not browser and not postgres_only" -q "$@"

echo "==> pytest on PostgreSQL (everything, browser included)"
ALLIANCE_TEST_DB=postgres "${PY}" -m pytest --create-db -q "$@"
