"""What the pages that receive or send back a file share (voice notes, ADR 0019;
attached files, ADR 0026): a body too big is refused before it is read, and a file is
sent back typed by its bytes, never cached, never sniffed by the browser."""

from functools import wraps

from django.views.decorators.csrf import csrf_protect

# Room for the multipart boundaries and the form's small fields around the file.
MULTIPART_ROOM = 64 * 1024


def capped_upload(limit):
    """Refuses a body bigger than `limit()` bytes (plus the form's room) before it is
    read: the CSRF check of the middleware would otherwise read all of it first. The
    view is exempted from the middleware's check (`csrf_exempt` outside the gate) and
    checked here instead, once the size is known; too big, it is called with
    `too_big=True` and must answer without reading the body."""

    def decorator(view):
        protected = csrf_protect(view)

        @wraps(view)
        def wrapper(request, alliance, me, *args, **kwargs):
            if request.method == "POST":
                try:
                    length = int(request.META.get("CONTENT_LENGTH") or 0)
                except ValueError:
                    length = 0
                if length > limit() + MULTIPART_ROOM:
                    return view(request, alliance, me, *args, too_big=True, **kwargs)
            return protected(request, alliance, me, *args, **kwargs)

        return wrapper

    return decorator


# A file opened on its own (an attachment, a document) runs nothing and loads nothing.
SANDBOX = "sandbox; default-src 'none'; img-src 'self'; frame-ancestors 'none'"


def private_file(response, *, sandboxed=False):
    """Headers of a file from an alliance: only for this reader, now."""
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Cache-Control"] = "private, no-store"
    if sandboxed:
        response.headers["Content-Security-Policy"] = SANDBOX
    return response
