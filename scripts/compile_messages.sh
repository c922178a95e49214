#!/usr/bin/env bash
# Compiles the gettext catalogues (.po → .mo, which are not committed), with polib:
# no gettext needed (the same command runs in the image build and on Scalingo).
set -euo pipefail
cd "$(dirname "$0")/.."

echo "==> compile_translations"
DJANGO_SETTINGS_MODULE="${DJANGO_SETTINGS_MODULE:-alliance.settings.dev}" \
    .venv/bin/python manage.py compile_translations -v 0
