"""Middleware of our own: the admin's Content-Security-Policy, the 503 page without database."""

import logging

from django.conf import settings
from django.db import InterfaceError, OperationalError
from django.http import HttpResponse
from django.template import loader
from django.utils import translation
from django.utils.cache import patch_cache_control

logger = logging.getLogger(__name__)


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


class DatabaseUnavailableMiddleware:
    """Answer a friendly, localised 503 page when the database is gone, instead of a 500.

    Only pages (not the admin) get it; the page names no error and carries Retry-After, so
    visitors and crawlers come back. The template is rendered without context processors, so
    nothing on it needs the database.
    """

    RETRY_AFTER_SECONDS = 30

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if not isinstance(exception, (OperationalError, InterfaceError)):
            return None
        if request.path.startswith(settings.ADMIN_URL_PREFIX):
            return None
        logger.error("Database unavailable for %s: %s", request.path, exception)
        language = "en" if request.path.startswith("/en/") else "de"
        with translation.override(language):
            content = loader.get_template("503.html").render({"language": language})
        response = HttpResponse(content, status=503)
        response["Retry-After"] = str(self.RETRY_AFTER_SECONDS)
        patch_cache_control(response, no_cache=True, no_store=True, must_revalidate=True)
        return response
