#!/usr/bin/env bash
# The one entrypoint of Alliance in production: the Dockerfile, compose, the Procfile,
# Scalingo's cron and the end-to-end test (tests/deploy) all run this script.
#
#   build               compile the translations, collect the static files (no database)
#   release             migrate as the owner, grant the application role, check --deploy
#   web                 gunicorn (deploy/gunicorn.conf.py), as the application role
#   worker              the background task worker
#   scheduler           the process that enqueues the periodic jobs at their times
#   periodic JOB        one periodic job now (a platform's cron: reminders, purge_expired…)
#   manage COMMAND…     any management command, as the application role
#
# Only `release` may use the owner's address (ALLIANCE_MIGRATE_DATABASE_URL): every other
# sub-command removes it from its environment first, so that the running application
# never holds it, even on a platform that gives every process the same variables.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "${ROOT}"
export DJANGO_SETTINGS_MODULE="${DJANGO_SETTINGS_MODULE:-alliance.settings.prod}"
export PYTHONUNBUFFERED=1
if [ -n "${ALLIANCE_PYTHON:-}" ]; then
    PY="${ALLIANCE_PYTHON}"
elif [ -x "${ROOT}/.venv/bin/python" ]; then
    PY="${ROOT}/.venv/bin/python"
else
    PY="python3"
fi
manage() { "${PY}" "${ROOT}/manage.py" "$@"; }
as_app_role() { unset ALLIANCE_MIGRATE_DATABASE_URL; }

usage() {
    sed -n '2,14p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//' >&2
    exit 64
}

command="${1:-}"
[ -n "${command}" ] || usage
shift

case "${command}" in
    build)
        manage compile_translations
        manage collectstatic --no-input -v 0
        ;;
    release)
        if [ -z "${ALLIANCE_MIGRATE_DATABASE_URL:-}" ]; then
            echo "release: set ALLIANCE_MIGRATE_DATABASE_URL, the owner's address (docs/deploy.md)" >&2
            exit 64
        fi
        # Up-to-date catalogues are left alone: nothing is written on a read-only image.
        manage compile_translations
        # Same default as settings/prod.py: collected at build time, else here.
        if [ ! -f "${ALLIANCE_STATIC_ROOT:-${ROOT}/staticfiles}/staticfiles.json" ]; then
            manage collectstatic --no-input -v 0
        fi
        manage migrate --no-input
        # migrate grants it after each run; said again for a release without a migration.
        manage grant_app_role
        manage check --deploy --fail-level WARNING
        ;;
    web)
        as_app_role
        exec "${PY}" -m gunicorn --config "${ROOT}/deploy/gunicorn.conf.py" "$@"
        ;;
    worker)
        as_app_role
        exec "${PY}" "${ROOT}/manage.py" worker "$@"
        ;;
    scheduler)
        as_app_role
        exec "${PY}" "${ROOT}/manage.py" scheduler "$@"
        ;;
    periodic)
        as_app_role
        [ "$#" -ge 1 ] || usage
        exec "${PY}" "${ROOT}/manage.py" run_periodic "$@"
        ;;
    manage)
        as_app_role
        [ "$#" -ge 1 ] || usage
        exec "${PY}" "${ROOT}/manage.py" "$@"
        ;;
    *)
        usage
        ;;
esac
