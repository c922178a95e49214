"""gunicorn settings for Alliance (deploy/entrypoint.sh web). Every value can be set
from the environment; docs/deploy.md lists them."""

import os
import tempfile

wsgi_app = "alliance.wsgi:application"
bind = [f"{os.environ.get('ALLIANCE_BIND', '0.0.0.0')}:{os.environ.get('PORT', '8000')}"]  # noqa: S104  (in a container, behind the platform's router)

# Processes: about two per core. Heroku-style Python buildpacks set WEB_CONCURRENCY from
# the container's memory; set it yourself elsewhere.
workers = int(os.environ.get("WEB_CONCURRENCY", "2"))
threads = int(os.environ.get("ALLIANCE_WEB_THREADS", "1"))
timeout = int(os.environ.get("ALLIANCE_WEB_TIMEOUT", "30"))
graceful_timeout = 20
keepalive = 5
# Recycled now and then, so a slow leak never grows for ever.
max_requests = 1000
max_requests_jitter = 100

# The addresses whose X-Forwarded-* headers are believed: the platform's router.
# "*" where only the router can reach the process (Scalingo, a compose network).
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1,::1")

# Read-only root filesystem: the heartbeat files of the workers go to the temporary
# directory (a tmpfs in compose), and gunicorn's control socket, which it would create
# under the home directory, is off (nothing uses it).
worker_tmp_dir = tempfile.gettempdir()
control_socket_disable = True

# Errors to stderr; no access log: the requests are logged by the application, without
# the query strings that may carry a token.
errorlog = "-"
accesslog = None
loglevel = os.environ.get("ALLIANCE_GUNICORN_LOGLEVEL", "info")
