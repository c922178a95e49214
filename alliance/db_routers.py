"""Read replica (PostgreSQL streaming replication): the report and results pages read
from it, when one is configured (ALLIANCE_READ_REPLICA names its alias). Everything
else reads and writes on the primary, and so does, always:
- every write, and the reads that follow a write in the same request;
- the audit trail, the accounts, the sessions, the tasks and the notifications, whose
  reads decide who may do what or must see what was just written;
- the next requests of a browser that has just written (for ALLIANCE_REPLICA_STICKY
  seconds, by a cookie): the replica may lag behind, and a person must see at once
  what they just did.

The views that may read from the replica say so with `reads_from_replica`; only their
GET and HEAD requests do."""

import contextvars
import functools

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS

STICKY_COOKIE = "alliance_primary"
# Models of these apps may be read from the replica; never the others.
REPLICA_APPS = {"alliances", "acting", "collectives", "linking", "reports"}


class _Request:
    __slots__ = ("replica", "written")

    def __init__(self):
        self.replica = False
        self.written = False


_current = contextvars.ContextVar("alliance_db_request", default=None)


def _replica_alias():
    return getattr(settings, "ALLIANCE_READ_REPLICA", "") or None


class ReplicaRouter:
    def db_for_read(self, model, **hints):
        state = _current.get()
        alias = _replica_alias()
        if (
            alias
            and state is not None
            and state.replica
            and not state.written
            and model._meta.app_label in REPLICA_APPS
        ):
            return alias
        return DEFAULT_DB_ALIAS

    def db_for_write(self, model, **hints):
        state = _current.get()
        if state is not None:
            state.written = True
        return DEFAULT_DB_ALIAS

    def allow_relation(self, obj1, obj2, **hints):
        # The replica holds the same rows as the primary.
        return True

    def allow_migrate(self, db, app_label, model_name=None, **hints):
        return db != _replica_alias()


class ReplicaMiddleware:
    """Tracks whether the request wrote; after a write, the browser reads from the
    primary for a while."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        state = _Request()
        token = _current.set(state)
        try:
            response = self.get_response(request)
        finally:
            _current.reset(token)
        if state.written and _replica_alias():
            response.set_cookie(
                STICKY_COOKIE,
                "1",
                max_age=settings.ALLIANCE_REPLICA_STICKY_SECONDS,
                httponly=True,
                samesite="Lax",
                secure=request.is_secure(),
            )
        return response


def reads_from_replica(view):
    """A page whose GET only reads (reports, results) may read from the replica, unless
    this browser wrote a moment ago."""

    @functools.wraps(view)
    def wrapped(request, *args, **kwargs):
        state = _current.get()
        if (
            state is not None
            and request.method in ("GET", "HEAD")
            and STICKY_COOKIE not in request.COOKIES
        ):
            state.replica = True
        return view(request, *args, **kwargs)

    return wrapped
