from django.urls import resolve

# The paths of alliance/operations/urls.py.
PROBE_PATHS = frozenset({"/healthz", "/readyz"})


class ProbesMiddleware:
    """Right after the security headers: a probe comes from a load balancer or an
    orchestrator, over plain HTTP (SECURE_REDIRECT_EXEMPT) and often with an internal
    address as its Host, which nothing before this middleware checks; it needs no
    session, no sign-in, no second factor and no audit entry. Answering here, before
    them, exempts the probes from all of them at once, where a list of exemptions in
    each would have to be kept in step (ADR 0014). The probes read nothing personal."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.path_info in PROBE_PATHS:
            match = resolve(request.path_info)
            return match.func(request, *match.args, **match.kwargs)
        return self.get_response(request)
