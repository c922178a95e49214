#!/usr/bin/env bash
# Installs the pinned uv if missing, then the locked Python dependencies into .venv.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib.sh

UV_VERSION="0.13.9"

if ! command -v uv >/dev/null 2>&1; then
    echo "==> installing uv ${UV_VERSION}"
    python3 -m pip --version >/dev/null 2>&1 || apt_install python3-pip
    python3 -m pip install --quiet --disable-pip-version-check "uv==${UV_VERSION}" \
        || python3 -m pip install --quiet --disable-pip-version-check --break-system-packages \
            "uv==${UV_VERSION}"
fi
# pip may put the uv script in a folder that is not on PATH: the module always works.
if command -v uv >/dev/null 2>&1; then UV=(uv); else UV=(python3 -m uv); fi

echo "==> uv sync --frozen"
"${UV[@]}" sync --frozen --quiet
