"""Probes for the load balancer and the orchestrator. Public, with nothing personal
in them; ProbesMiddleware answers them before sessions, sign-in and the trail."""

from django.contrib.auth.decorators import login_not_required
from django.http import HttpResponse, JsonResponse
from django.utils.cache import add_never_cache_headers
from django.views.decorators.clickjacking import xframe_options_deny
from django.views.decorators.http import require_GET

from .probes import run_checks


@login_not_required
@require_GET
@xframe_options_deny
def healthz(request):
    """The process answers: nothing else is looked at (no database)."""
    response = HttpResponse("ok", content_type="text/plain")
    add_never_cache_headers(response)
    return response


@login_not_required
@require_GET
@xframe_options_deny
def readyz(request):
    """Ready to serve: 200 when every check passes, 503 naming the failed ones."""
    verdicts = run_checks()
    failed = sorted(name for name, verdict in verdicts.items() if not verdict.ok)
    response = JsonResponse(
        {
            "status": "failing" if failed else "ok",
            "failed": failed,
            "checks": {
                name: {"ok": verdict.ok, "detail": verdict.detail}
                for name, verdict in verdicts.items()
            },
        },
        status=503 if failed else 200,
    )
    add_never_cache_headers(response)
    return response
