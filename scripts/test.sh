#!/usr/bin/env bash
# `make test` (and CI): installs what the tests need, then runs every check and
# every test — SQLite without the browser, then PostgreSQL with everything.
# Extra arguments are passed to both pytest runs (e.g. `make test ARGS="-x"`, or
# `make test ARGS="--lf"` for the tests that failed last time: each run keeps its own
# record in .pytest_cache/). Each run uses every core (pytest-xdist; `ARGS="-n 0"`
# for one process).
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib.sh

scripts/bootstrap.sh
scripts/compile_messages.sh

# The catalogue tests check the .po files with GNU gettext (xgettext, msgfmt --check);
# the product compiles them without it.
if ! command -v msgfmt >/dev/null 2>&1; then
    echo "==> installing gettext"
    apt_install gettext
fi

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

echo "==> import rules (import-linter, contracts in pyproject.toml)"
.venv/bin/lint-imports

echo "==> makemigrations --check"
DJANGO_SETTINGS_MODULE=alliance.settings.test "${PY}" manage.py makemigrations --check --dry-run

echo "==> check --deploy (production settings)"
DJANGO_SETTINGS_MODULE=alliance.settings.prod \
DJANGO_SECRET_KEY="$("${PY}" -c 'import secrets; print(secrets.token_urlsafe(64))')" \
ALLIANCE_SITE_URL="https://alliance.example.org" \
DATABASE_URL="postgres://alliance_app@127.0.0.1:5432/alliance" \
    "${PY}" manage.py check --deploy --fail-level WARNING

# `load`: tests go to whichever worker is free; a module's scene is built once per
# worker that runs some of its tests (tests/www/conftest.py).
PARALLEL=(-n auto --dist load)

echo "==> pytest on SQLite (without browser tests nor the PostgreSQL-only ones)"
"${PY}" -m pytest --create-db -m "not browser and not deploy and not postgres_only" -q "${PARALLEL[@]}" \
    -o cache_dir=.pytest_cache/sqlite "$@"

echo "==> pytest on PostgreSQL (everything, browser included)"
ALLIANCE_TEST_DB=postgres "${PY}" -m pytest --create-db -q "${PARALLEL[@]}" \
    -o cache_dir=.pytest_cache/postgres "$@"
