from django.conf import settings


class ContentSecurityPolicyMiddleware:
    """Django 5.2 has no CSP of its own (6.0 does). Our pages carry no inline script
    or style, so the policy can be strict."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        response.headers.setdefault("Content-Security-Policy", settings.CONTENT_SECURITY_POLICY)
        response.headers.setdefault(
            "Permissions-Policy", "camera=(), microphone=(), geolocation=()"
        )
        return response


class FrenchUnlessChosenMiddleware:
    """The product speaks French unless the user picks English with the language
    switch (a cookie). A browser's Accept-Language is ignored on purpose: shared
    computers in services are often set to English while their users read French."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.META.pop("HTTP_ACCEPT_LANGUAGE", None)
        return self.get_response(request)
