"""The foundation: settings, security headers, static files, health check, 404, media."""

import json
import os
import secrets
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest
from django.test import override_settings

from tests.helpers import PROJECT_DIR
from tests.server import prepare, production_env, running_gunicorn, server_database

SECURITY_HEADERS = {
    "strict-transport-security": "max-age=31536000; includeSubDomains; preload",
    "x-content-type-options": "nosniff",
    "referrer-policy": "strict-origin-when-cross-origin",
    "cross-origin-opener-policy": "same-origin",
    "x-frame-options": "DENY",
}


def run_with_production_settings(args, **extra_env):
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "PYTEST"))}
    env.update(DJANGO_SETTINGS_MODULE="site_oklab.settings.production", **extra_env)
    return subprocess.run(
        [sys.executable, *args], cwd=PROJECT_DIR, env=env, capture_output=True, text=True
    )


def test_production_settings_refuse_to_start_without_secret_key():
    result = run_with_production_settings(["manage.py", "check"])
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY is not set" in result.stderr


def test_check_deploy_reports_nothing_with_production_settings():
    result = run_with_production_settings(
        ["manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        DJANGO_SECRET_KEY=secrets.token_urlsafe(50),
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues (0 silenced)." in result.stdout


@pytest.fixture(scope="module")
def production_server():
    with tempfile.TemporaryDirectory(prefix="oklab-server-") as workdir, server_database() as url:
        env = production_env(workdir, url)
        prepare(env)
        with running_gunicorn(env) as server:
            yield server


@pytest.mark.server
def test_page_answers_with_every_security_header(production_server):
    response = production_server.get("/")
    assert response.status == 200
    assert '<html lang="de">' in response.text
    for name, value in SECURITY_HEADERS.items():
        assert response.headers.get(name) == value, name
    csp = response.headers["content-security-policy"]
    assert "default-src 'none'" in csp
    assert "frame-ancestors 'none'" in csp
    assert "form-action 'self'" in csp
    assert "unsafe-inline" not in csp
    assert "set-cookie" not in response.headers


@pytest.mark.server
def test_plain_http_is_redirected_to_https(production_server):
    response = production_server.get("/", https=False)
    assert response.status == 301
    assert response.headers["location"] == "https://localhost/"


@pytest.mark.server
@pytest.mark.parametrize("encoding", ["br", "gzip"])
def test_hashed_static_file_is_compressed_and_immutable(production_server, encoding):
    manifest = Path(production_server.env["DJANGO_STATIC_ROOT"]) / "staticfiles.json"
    hashed_css = json.loads(manifest.read_text())["paths"]["css/site.css"]
    assert hashed_css != "css/site.css"
    response = production_server.get(f"/static/{hashed_css}", {"Accept-Encoding": encoding})
    assert response.status == 200
    assert response.headers["content-encoding"] == encoding
    assert "immutable" in response.headers["cache-control"]
    assert "max-age=315360000" in response.headers["cache-control"]


@pytest.mark.server
def test_unknown_url_gives_the_sites_404_page(production_server):
    response = production_server.get("/gibt-es-nicht/")
    assert response.status == 404
    assert "Seite nicht gefunden" in response.text
    assert 'class="skip-link"' in response.text
    english = production_server.get("/en/does-not-exist/")
    assert english.status == 404
    assert "Page not found" in english.text


@pytest.mark.server
def test_healthz_answers_200_with_a_database(production_server):
    response = production_server.get("/healthz", https=False)
    assert response.status == 200
    assert json.loads(response.body) == {"status": "ok", "database": "ok"}
    assert "no-cache" in response.headers["cache-control"]


@pytest.mark.server
def test_healthz_answers_503_when_the_database_is_unreachable(tmp_path):
    unreachable = "postgres://nobody@127.0.0.1:9/nothing?connect_timeout=2"
    env = production_env(tmp_path, unreachable)
    with running_gunicorn(env, workers=1) as server:
        response = server.get("/healthz", https=False)
    assert response.status == 503
    assert json.loads(response.body)["database"] == "unreachable"


def test_admin_gets_its_own_policy_and_public_pages_keep_the_strict_one(client, home_page):
    public = client.get("/")
    admin = client.get("/admin/login/")
    assert "unsafe-inline" not in public["Content-Security-Policy"]
    assert "default-src 'none'" in public["Content-Security-Policy"]
    assert "frame-ancestors 'self'" in admin["Content-Security-Policy"]


def test_healthz_in_process(client, db):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json()["database"] == "ok"


def test_uploaded_media_is_served_with_caching_headers(client, db, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    (tmp_path / "images").mkdir()
    (tmp_path / "images" / "logo.txt").write_text("hexagon")
    with override_settings(MEDIA_ROOT=tmp_path):
        response = client.get("/media/images/logo.txt")
        missing = client.get("/media/images/missing.txt")
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == b"hexagon"
    assert "max-age=604800" in response["Cache-Control"]
    assert "Last-Modified" in response
    assert missing.status_code == 404


def test_media_path_traversal_is_refused(client, db, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.MEDIA_ROOT.mkdir()
    (tmp_path / "secret.txt").write_text("nope")
    response = client.get("/media/../secret.txt")
    assert response.status_code in {400, 404}
    assert b"nope" not in response.content
