"""A URL configuration for the error page tests only: the product's URLs, plus views
that fail in each way."""

from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import PermissionDenied, SuspiciousOperation
from django.urls import path

from alliance.www.urls import urlpatterns as product_urlpatterns


@login_not_required
def fails(request):
    raise RuntimeError("a bug")


@login_not_required
def refuses(request):
    raise PermissionDenied


@login_not_required
def suspicious(request):
    raise SuspiciousOperation("bad input")


urlpatterns = [
    path("test-errors/500/", fails),
    path("test-errors/403/", refuses),
    path("test-errors/400/", suspicious),
    *product_urlpatterns,
]
