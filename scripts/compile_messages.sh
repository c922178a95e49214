#!/usr/bin/env bash
# Compiles the gettext catalogues (.po → .mo, which are not committed).
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib.sh

if ! find alliance -path '*/locale/*' -name '*.po' -print -quit | grep -q .; then
    echo "==> no translation catalogue yet: nothing to compile"
    exit 0
fi
if ! command -v msgfmt >/dev/null 2>&1; then
    echo "==> installing gettext"
    apt_install gettext
fi
echo "==> compilemessages"
.venv/bin/python manage.py compilemessages --ignore=.venv --ignore=node_modules -v 0
