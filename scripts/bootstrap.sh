#!/usr/bin/env bash
# Installs the pinned uv if missing, then the locked Python dependencies into .venv.
set -euo pipefail
cd "$(dirname "$0")/.."

UV_VERSION="0.13.9"

if ! command -v uv >/dev/null 2>&1; then
    echo "==> installing uv ${UV_VERSION}"
    python3 -m pip install --quiet --disable-pip-version-check "uv==${UV_VERSION}" \
        || python3 -m pip install --quiet --disable-pip-version-check --break-system-packages \
            "uv==${UV_VERSION}"
    # pip may install scripts in ~/.local/bin, which is not always on PATH.
    export PATH="${HOME}/.local/bin:${PATH}"
fi

echo "==> uv sync --frozen"
uv sync --frozen --quiet
