from django.conf import settings


def product(request):
    context = {
        "demo_mode": settings.ALLIANCE_DEMO_MODE,
        # Set by the alliance gatekeeper on a closed alliance's pages: their banner.
        "closed_alliance": getattr(request, "closed_alliance", None),
    }
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        from alliance.notifications.services import unread_count

        # A callable: counted only when a page shows the header, in one query.
        context["unread_notifications"] = lambda: unread_count(user)
    return context


def reading(request):
    from .reading import is_easy, is_informal

    return {"easy": is_easy(request), "tu": is_informal(request)}
