"""A production-settings gunicorn on 127.0.0.1 for tests that need the deployed form.

The server gets its own database (a SQLite file, or a fresh database on the PostgreSQL that
DATABASE_URL names), its own collected static files and media folder.
"""

import http.client
import os
import secrets
import subprocess
import sys
import tempfile
import time
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

from tests.helpers import PROJECT_DIR, free_port, using_postgres

STARTUP_TIMEOUT_SECONDS = 30


@dataclass
class Response:
    status: int
    headers: dict
    body: bytes

    @property
    def text(self):
        return self.body.decode("utf-8", errors="replace")


@dataclass
class Server:
    host: str
    port: int
    env: dict
    process: subprocess.Popen = field(repr=False)

    def get(self, path, headers=None, https=True):
        """GET without following redirects; https=True says the proxy terminated TLS."""
        request_headers = {"Host": "localhost"}
        if https:
            request_headers["X-Forwarded-Proto"] = "https"
        request_headers.update(headers or {})
        connection = http.client.HTTPConnection(self.host, self.port, timeout=20)
        try:
            connection.request("GET", path, headers=request_headers)
            response = connection.getresponse()
            body = response.read()
            headers = {key.lower(): value for key, value in response.getheaders()}
            return Response(response.status, headers, body)
        finally:
            connection.close()


def manage(env, *args):
    """Run manage.py with the given environment; fail loudly with its output."""
    result = subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=PROJECT_DIR,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    if result.returncode != 0:
        raise RuntimeError(f"manage.py {' '.join(args)} failed:\n{result.stdout}\n{result.stderr}")
    return result.stdout


@contextmanager
def server_database():
    """Yield a DATABASE_URL for a database of the server's own, removed afterwards."""
    if using_postgres():
        import psycopg

        parts = urlsplit(os.environ["DATABASE_URL"])
        name = f"oklab_server_{secrets.token_hex(4)}"
        admin_url = os.environ["DATABASE_URL"]
        with psycopg.connect(admin_url, autocommit=True) as connection:
            connection.execute(f'CREATE DATABASE "{name}"')
        try:
            yield urlunsplit(parts._replace(path=f"/{name}"))
        finally:
            with psycopg.connect(admin_url, autocommit=True) as connection:
                connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    else:
        with tempfile.TemporaryDirectory(prefix="oklab-server-db-") as folder:
            yield f"sqlite:///{folder}/db.sqlite3"


def production_env(workdir, database_url, **extra):
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("DJANGO_", "DATABASE_URL", "PYTEST"))
    }
    env.update(
        DJANGO_SETTINGS_MODULE="site_oklab.settings.production",
        DJANGO_SECRET_KEY=secrets.token_urlsafe(50),
        DJANGO_ALLOWED_HOSTS="localhost,127.0.0.1",
        DJANGO_STATIC_ROOT=str(Path(workdir) / "static"),
        DJANGO_MEDIA_ROOT=str(Path(workdir) / "media"),
        DJANGO_CACHE_DIR=str(Path(workdir) / "cache"),
        DATABASE_URL=database_url,
    )
    env.update(extra)
    return env


def prepare(env):
    """Migrate, load the demo content and collect static files for a production server."""
    manage(env, "migrate", "--no-input", "-v", "0")
    manage(env, "load_demo_content")
    manage(env, "collectstatic", "--no-input", "-v", "0")


@contextmanager
def running_gunicorn(env, workers=2, extra_args=()):
    """Start gunicorn with env on a free port; yield a Server once /healthz answers."""
    port = free_port()
    process = subprocess.Popen(  # noqa: S603
        [
            sys.executable,
            "-m",
            "gunicorn",
            "site_oklab.wsgi",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            str(workers),
            "--log-level",
            "warning",
            *extra_args,
        ],
        cwd=PROJECT_DIR,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    server = Server("127.0.0.1", port, env, process)
    try:
        wait_until_listening(server)
        yield server
    finally:
        process.terminate()
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def wait_until_listening(server):
    deadline = time.monotonic() + STARTUP_TIMEOUT_SECONDS
    while time.monotonic() < deadline:
        if server.process.poll() is not None:
            output = server.process.stdout.read().decode(errors="replace")
            raise RuntimeError(f"gunicorn exited with {server.process.returncode}:\n{output}")
        try:
            server.get("/healthz", https=False)
        except OSError:
            time.sleep(0.2)
            continue
        return
    raise RuntimeError("gunicorn did not answer within the start-up timeout")
