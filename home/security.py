"""Which address a login attempt comes from, for django-axes' throttling."""

from django.conf import settings


def client_ip_address(request):
    """The client's address from the one request header the deployment trusts.

    DJANGO_CLIENT_IP_HEADER (setting CLIENT_IP_HEADER) names a request.META key, e.g.
    HTTP_X_REAL_IP set by the proxy in front; the default REMOTE_ADDR is the TCP peer. For a
    comma-separated forwarding header the right-most entry counts: the one the proxy appended.
    """
    value = request.META.get(settings.CLIENT_IP_HEADER) or request.META.get("REMOTE_ADDR", "")
    return value.split(",")[-1].strip() or None
