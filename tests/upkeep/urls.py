"""A page that fails, for the error-report tests, beside the product's own URLs."""

from django.contrib.auth.decorators import login_not_required
from django.urls import include, path


@login_not_required
def failing(request, alliance_id):
    email = request.POST["email"]
    name = request.POST["name"]
    raise RuntimeError(f"could not invite {email}", len(name))


urlpatterns = [
    path("failing/<int:alliance_id>/", failing, name="failing"),
    path("", include("alliance.www.urls")),
]
