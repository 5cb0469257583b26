"""Security middleware of our own: the admin's Content-Security-Policy."""

from django.conf import settings


class AdminContentSecurityPolicyMiddleware:
    """Give Wagtail's admin its looser policy; every public page keeps the strict SECURE_CSP.

    Listed after Django's ContentSecurityPolicyMiddleware, so this response hook runs first and the
    CSP middleware then writes the header from the config set here.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if request.path.startswith(settings.ADMIN_URL_PREFIX) and not hasattr(
            response, "_csp_config"
        ):
            response._csp_config = settings.ADMIN_CSP
        return response
