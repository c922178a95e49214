"""The Prometheus scrape endpoint. Not found unless ALLIANCE_METRICS_TOKEN is set;
then only a request bearing that token reads it (compared in constant time)."""

import hmac

from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.http import Http404, HttpResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET
from prometheus_client import CONTENT_TYPE_LATEST

from alliance.upkeep.metrics import exposition


@login_not_required
@never_cache
@require_GET
def metrics(request):
    expected = settings.ALLIANCE_METRICS_TOKEN
    if not expected:
        raise Http404
    scheme, _, given = request.headers.get("Authorization", "").partition(" ")
    if scheme.lower() != "bearer" or not given:
        response = HttpResponse(status=401)
        response["WWW-Authenticate"] = "Bearer"
        return response
    if not hmac.compare_digest(given.encode(), expected.encode()):
        return HttpResponse(status=403)
    return HttpResponse(exposition(), content_type=CONTENT_TYPE_LATEST)
