# syntax=docker/dockerfile:1
# Alliance, self-hosted (docs/deploy.md). Two stages: the builder installs the locked
# packages with uv, compiles the translations and collects the static files; the
# runtime image holds the result, runs as a user that owns nothing of it, and writes
# only to /tmp (run it with a read-only root filesystem and a tmpfs on /tmp).

ARG PYTHON_IMAGE=python:3.11-slim-bookworm

FROM ${PYTHON_IMAGE} AS builder
ARG UV_VERSION=0.13.9
RUN pip install --no-cache-dir "uv==${UV_VERSION}"
ENV UV_COMPILE_BYTECODE=1 \
    UV_LINK_MODE=copy \
    UV_PYTHON_DOWNLOADS=never \
    UV_PROJECT_ENVIRONMENT=/app/.venv
WORKDIR /app
# The packages first: this layer is rebuilt only when the lock changes.
COPY pyproject.toml uv.lock README.md ./
RUN uv sync --frozen --no-dev --no-install-project
COPY . .
RUN uv sync --frozen --no-dev
# No database at build time: placeholders satisfy the production settings, which
# refuse to load without them; nothing here connects.
RUN DJANGO_SECRET_KEY=build-only-not-a-secret \
    ALLIANCE_SITE_URL=https://build.invalid \
    DATABASE_URL=postgres://build@build.invalid/build \
    ALLIANCE_PYTHON=/app/.venv/bin/python \
    deploy/entrypoint.sh build

FROM ${PYTHON_IMAGE} AS runtime
# WeasyPrint (PDF letters and reports) draws text with Pango.
RUN apt-get update \
    && apt-get install -y --no-install-recommends \
        libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-dejavu-core \
    && rm -rf /var/lib/apt/lists/* \
    && useradd --system --uid 10001 --no-create-home --home-dir /tmp alliance
# Owned by root and read-only to the process: it cannot change its own code.
COPY --from=builder /app /app
WORKDIR /app
ENV PATH=/app/.venv/bin:$PATH \
    ALLIANCE_PYTHON=/app/.venv/bin/python \
    DJANGO_SETTINGS_MODULE=alliance.settings.prod \
    PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    HOME=/tmp \
    XDG_CACHE_HOME=/tmp/cache \
    PORT=8000
USER 10001
EXPOSE 8000
# /healthz answers before any host check or HTTPS redirect: a plain local request.
HEALTHCHECK --interval=30s --timeout=5s --start-period=20s --retries=3 \
    CMD ["python", "-c", "import sys, urllib.request; sys.exit(urllib.request.urlopen('http://127.0.0.1:8000/healthz', timeout=4).status != 200)"]
ENTRYPOINT ["/app/deploy/entrypoint.sh"]
CMD ["web"]
