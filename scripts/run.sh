#!/usr/bin/env bash
# `make run`: the product on http://127.0.0.1:8000 with SQLite and the demo loaded.
# Safe to run again: migrate and demo are idempotent.
set -euo pipefail
cd "$(dirname "$0")/.."

scripts/bootstrap.sh
scripts/compile_messages.sh

export DJANGO_SETTINGS_MODULE="${DJANGO_SETTINGS_MODULE:-alliance.settings.dev}"
PY=.venv/bin/python

echo "==> migrate"
"${PY}" manage.py migrate --no-input -v 0
echo "==> demo data"
"${PY}" manage.py demo
# The worker sends the emails (printed on this console) and runs the background
# tasks; the scheduler enqueues the periodic jobs (today's reminders and digests at
# once if they have not run yet). Both stop with the server.
echo "==> background task worker and scheduler"
"${PY}" manage.py worker --no-reload &
WORKER_PID=$!
"${PY}" manage.py scheduler &
SCHEDULER_PID=$!
stop_background() {
    kill "${WORKER_PID}" "${SCHEDULER_PID}" 2>/dev/null || true
    wait "${WORKER_PID}" "${SCHEDULER_PID}" 2>/dev/null || true
}
trap stop_background EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

PORT="${ALLIANCE_PORT:-8000}"
echo "==> serving on http://127.0.0.1:${PORT} (Ctrl+C to stop)"
"${PY}" manage.py runserver "127.0.0.1:${PORT}"
