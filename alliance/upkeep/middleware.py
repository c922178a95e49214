import logging
import time
import uuid

import structlog
from django.conf import settings

from . import metrics
from .logs import REQUEST_ID

access_log = logging.getLogger("alliance.access")


def route_of(request) -> str:
    """The URL pattern's name, never the path: paths hold alliance and collective
    ids and, for sign-in links, a token."""
    match = getattr(request, "resolver_match", None)
    if match is not None:
        return match.view_name
    if request.path.startswith(settings.STATIC_URL):
        return "static"
    return "unmatched"


class RequestLogMiddleware:
    """First of the chain: gives each request an id (the proxy's X-Request-ID when it
    looks like one, else a new one), which every log line of the request carries and
    the response returns; then writes one access line and counts the request for the
    metrics. The access line names no one: the route, the status, the duration and
    whether someone was signed in (ADR 0016)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        incoming = request.headers.get("X-Request-ID", "")
        request_id = incoming if REQUEST_ID.match(incoming) else uuid.uuid4().hex
        request.request_id = request_id
        structlog.contextvars.clear_contextvars()
        structlog.contextvars.bind_contextvars(request_id=request_id)
        started = time.perf_counter()
        try:
            response = self.get_response(request)
            duration = time.perf_counter() - started
            route = route_of(request)
            response["X-Request-ID"] = request_id
            user = getattr(request, "user", None)
            access_log.info(
                "request",
                extra={
                    "method": request.method,
                    "route": route,
                    "status": response.status_code,
                    "duration_ms": round(duration * 1000, 1),
                    "authenticated": bool(user and user.is_authenticated),
                },
            )
            metrics.observe_request(request.method, route, response.status_code, duration)
            return response
        finally:
            structlog.contextvars.clear_contextvars()
