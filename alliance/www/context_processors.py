from django.conf import settings


def product(request):
    return {"demo_mode": settings.ALLIANCE_DEMO_MODE}
