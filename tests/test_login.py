"""Login: failed logins are counted by django-axes and locked out; password reset reveals nothing.

The lock-out counts per pair of client address and user name (AXES_LOCKOUT_PARAMETERS), so one
attacker cannot lock a real editor out from everywhere, and the address is read from the one
header the deployment names (DJANGO_CLIENT_IP_HEADER), never from one the client chooses.
"""

import re

import pytest
from django.conf import settings
from django.core import mail
from django.test import Client, RequestFactory, override_settings
from django.urls import reverse

from home.security import client_ip_address

pytestmark = pytest.mark.django_db

LOGIN_URL = "/admin/login/"


@pytest.fixture
def editor(django_user_model):
    return django_user_model.objects.create_user(
        "redakteurin", "redaktion@example.org", "richtig-und-lang-genug", is_superuser=True
    )


def attempt(client, username, password, **extra):
    return client.post(LOGIN_URL, {"username": username, "password": password}, **extra)


def test_axes_is_set_up_as_documented():
    assert "axes" in settings.INSTALLED_APPS
    assert settings.MIDDLEWARE[-1] == "axes.middleware.AxesMiddleware"
    assert settings.AUTHENTICATION_BACKENDS[0] == "axes.backends.AxesStandaloneBackend"
    assert settings.AXES_FAILURE_LIMIT == 5
    assert settings.AXES_COOLOFF_TIME.total_seconds() == 15 * 60


def test_repeated_failed_logins_are_locked_out_even_with_the_right_password(editor):
    client = Client(REMOTE_ADDR="203.0.113.7")
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        response = attempt(client, "redakteurin", "falsch")
        assert response.status_code == 200  # the form again, with its error
    locked = attempt(client, "redakteurin", "falsch")
    assert locked.status_code == 429
    # Locked out: even the right password is refused until the cool-off has passed.
    again = attempt(client, "redakteurin", "richtig-und-lang-genug")
    assert again.status_code == 429
    assert "_auth_user_id" not in client.session
    # Another address (another person) can still log in with the right password.
    other = Client(REMOTE_ADDR="198.51.100.20")
    response = attempt(other, "redakteurin", "richtig-und-lang-genug")
    assert response.status_code == 302
    assert other.session["_auth_user_id"] == str(editor.pk)


def test_a_successful_login_before_the_limit_resets_the_count(editor):
    client = Client(REMOTE_ADDR="203.0.113.8")
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        attempt(client, "redakteurin", "falsch")
    assert attempt(client, "redakteurin", "richtig-und-lang-genug").status_code == 302
    client.logout()
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        assert attempt(client, "redakteurin", "falsch").status_code == 200


def test_a_forged_forwarding_header_does_not_escape_the_lock_out(editor):
    """Without DJANGO_CLIENT_IP_HEADER the TCP peer counts; X-Forwarded-For is ignored."""
    client = Client(REMOTE_ADDR="203.0.113.9")
    for number in range(settings.AXES_FAILURE_LIMIT):
        attempt(client, "redakteurin", "falsch", HTTP_X_FORWARDED_FOR=f"10.0.0.{number}")
    response = attempt(
        client, "redakteurin", "richtig-und-lang-genug", HTTP_X_FORWARDED_FOR="10.9.9.9"
    )
    assert response.status_code == 429


def test_client_address_comes_from_the_configured_header_only():
    request = RequestFactory().get(
        "/", REMOTE_ADDR="127.0.0.1", HTTP_X_REAL_IP="203.0.113.50", HTTP_X_FORWARDED_FOR="1.2.3.4"
    )
    assert client_ip_address(request) == "127.0.0.1"
    with override_settings(CLIENT_IP_HEADER="HTTP_X_REAL_IP"):
        assert client_ip_address(request) == "203.0.113.50"
    with override_settings(CLIENT_IP_HEADER="HTTP_X_FORWARDED_FOR"):
        chained = RequestFactory().get("/", HTTP_X_FORWARDED_FOR="6.6.6.6, 203.0.113.51")
        assert client_ip_address(chained) == "203.0.113.51"
    with override_settings(CLIENT_IP_HEADER="HTTP_X_REAL_IP"):
        assert client_ip_address(RequestFactory().get("/", REMOTE_ADDR="10.1.1.1")) == "10.1.1.1"


def test_behind_a_proxy_each_client_is_counted_on_its_own(editor):
    with override_settings(CLIENT_IP_HEADER="HTTP_X_REAL_IP"):
        proxy = Client(REMOTE_ADDR="127.0.0.1")
        for _ in range(settings.AXES_FAILURE_LIMIT):
            attempt(proxy, "redakteurin", "falsch", HTTP_X_REAL_IP="203.0.113.60")
        blocked = attempt(proxy, "redakteurin", "falsch", HTTP_X_REAL_IP="203.0.113.60")
        assert blocked.status_code == 429
        fine = attempt(
            proxy, "redakteurin", "richtig-und-lang-genug", HTTP_X_REAL_IP="203.0.113.61"
        )
        assert fine.status_code == 302


def test_password_reset_does_not_reveal_whether_an_account_exists(editor):
    url = reverse("wagtailadmin_password_reset")
    known = Client().post(url, {"email": "redaktion@example.org"})
    mails_after_known = len(mail.outbox)
    unknown = Client().post(url, {"email": "niemand@example.org"})
    assert known.status_code == unknown.status_code == 302
    assert known["Location"] == unknown["Location"]
    done_known = Client().get(known["Location"]).content.decode()
    done_unknown = Client().get(unknown["Location"]).content.decode()
    strip = re.compile(r'value="[^"]*"|nonce="[^"]*"|_TOKEN": "[^"]*"')
    assert strip.sub("", done_known) == strip.sub("", done_unknown)
    assert mails_after_known == 1  # the real account got its mail ...
    assert len(mail.outbox) == 1  # ... and the unknown address none, silently.
