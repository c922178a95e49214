"""/api/v1/: the API authenticates every call itself (a bearer token, never the
session cookie), so its views are outside the pages' sign-in redirect."""

from django.contrib.auth.decorators import login_not_required
from django.http import JsonResponse
from django.urls import reverse

from .main import api


def root(request, **kwargs):
    """Where a program starts: the description of everything else."""
    return JsonResponse({"openapi": reverse("api:openapi-json")})


patterns, app_name, namespace = api.urls
for pattern in patterns:
    if pattern.name == "api-root":
        pattern.callback = root
    pattern.callback = login_not_required(pattern.callback)
urlpatterns = patterns
