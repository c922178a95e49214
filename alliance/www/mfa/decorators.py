import functools

from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import urlencode

from alliance.accounts import mfa


def reauthentication_required(view=None, *, back=None):
    """A sensitive action (password, second factor, publishing a report) asks for the
    password or a second factor again when the last authentication of the session is
    older than ALLIANCE_REAUTHENTICATION_MINUTES. A GET comes back to itself after;
    a POST, whose data cannot be kept, comes back to `back(request, **kwargs)` (the
    page of its form), or to itself."""

    def decorator(view):
        @functools.wraps(view)
        def wrapped(request, *args, **kwargs):
            if mfa.is_recently_authenticated(request):
                return view(request, *args, **kwargs)
            if request.method == "POST" and back is not None:
                target = back(request, *args, **kwargs)
            else:
                target = request.get_full_path()
            url = reverse("mfa:reauthenticate")
            return redirect(f"{url}?{urlencode({'next': target})}")

        return wrapped

    return decorator(view) if view is not None else decorator
