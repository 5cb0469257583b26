"""Reliability: load, a lost database, a killed worker, a stopped server, racing editors.

The server tests start a production-settings gunicorn on 127.0.0.1 (tests/server.py) with the
demo site and drive it with a bounded client of threads and http.client: a fixed request budget,
a deadline, a timeout on every request. They print their figures.
"""

import http.client
import os
import shutil
import signal
import socket
import subprocess
import tempfile
import threading
import time
from collections import Counter
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from django.contrib.messages import get_messages
from django.db import OperationalError
from django.test import Client, RequestFactory, override_settings
from django.urls import reverse

from home.middleware import DatabaseUnavailableMiddleware
from tests.factories import ContentPageFactory
from tests.helpers import free_port
from tests.server import prepare, production_env, running_gunicorn, server_database
from tests.test_editors import edit_form_data

# A mix of page types and both languages, as visitors and feed readers ask for them.
MIX = [
    "/",
    "/en/",
    "/ok-labs/",
    "/en/ok-labs/",
    "/ok-labs/flensburg/",
    "/en/ok-labs/flensburg/",
    "/ok-labs/duesseldorf/",
    "/ueber-code-for-germany/",
    "/en/about-code-for-germany/",
    "/projekte/",
    "/neuigkeiten/",
    "/termine/",
    "/search/?q=lab",
    "/en/search/?q=data",
    "/api/v1/labs.json",
    "/api/v1/projects.json?language=en",
    "/calendar/de/labs.ics",
    "/feeds/de/news.rss",
    "/sitemap.xml",
    "/healthz",
]
LOAD_CONNECTIONS = 64
LOAD_SECONDS = 30
LOAD_BUDGET = 200_000
REQUEST_TIMEOUT = 30


# --- A bounded load client -----------------------------------------------------------------------


@dataclass
class LoadResult:
    statuses: Counter = field(default_factory=Counter)
    errors: list = field(default_factory=list)
    latencies: list = field(default_factory=list)
    by_time: list = field(default_factory=list)  # (time since start, path, status or error)
    seconds: float = 0.0
    lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    @property
    def requests(self):
        return sum(self.statuses.values()) + len(self.errors)

    @property
    def server_errors(self):
        return sum(count for status, count in self.statuses.items() if status >= 500)

    def percentile(self, fraction):
        ordered = sorted(self.latencies)
        return ordered[min(len(ordered) - 1, int(len(ordered) * fraction))] if ordered else 0.0

    def summary(self, label):
        return (
            f"{label}: {self.requests} requests in {self.seconds:.1f} s "
            f"({self.requests / max(self.seconds, 0.001):.0f} rps), "
            f"{len(self.errors)} errors, {self.server_errors} 5xx, "
            f"p50 {self.percentile(0.5) * 1000:.0f} ms, p99 {self.percentile(0.99) * 1000:.0f} ms"
        )


def fetch(host, port, path, timeout=REQUEST_TIMEOUT):
    connection = http.client.HTTPConnection(host, port, timeout=timeout)
    try:
        connection.request("GET", path, headers={"Host": "localhost", "X-Forwarded-Proto": "https"})
        response = connection.getresponse()
        body = response.read()
        return response.status, dict(response.getheaders()), body
    finally:
        connection.close()


def run_load(server, paths, connections, seconds, budget=LOAD_BUDGET, stop=None):
    """`connections` threads GET `paths` round robin until the deadline or the budget is spent."""
    result = LoadResult()
    started = time.monotonic()
    deadline = started + seconds
    remaining = [budget]

    def worker(offset):
        index = offset
        while time.monotonic() < deadline and not (stop and stop.is_set()):
            with result.lock:
                if remaining[0] <= 0:
                    return
                remaining[0] -= 1
            path = paths[index % len(paths)]
            index += 1
            begun = time.monotonic()
            try:
                status, _headers, _body = fetch(server.host, server.port, path)
            except (OSError, http.client.HTTPException) as error:
                with result.lock:
                    result.errors.append((path, repr(error)))
                    result.by_time.append((begun - started, path, repr(error)))
                continue
            elapsed = time.monotonic() - begun
            with result.lock:
                result.statuses[status] += 1
                result.latencies.append(elapsed)
                result.by_time.append((begun - started, path, status))

    threads = [threading.Thread(target=worker, args=(n,)) for n in range(connections)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(seconds + REQUEST_TIMEOUT + 5)
    result.seconds = time.monotonic() - started
    return result


def worker_pids(master_pid):
    """The gunicorn workers: the master's children, read from /proc."""
    children = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == master_pid and fields[0] != "Z":
            children.append(int(entry.name))
    return sorted(children)


def wait_for(condition, timeout, interval=0.1):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(interval)
    return condition()


@pytest.fixture(scope="module")
def demo_server_env():
    """A prepared production environment (database, static files, demo content)."""
    with tempfile.TemporaryDirectory(prefix="oklab-load-") as workdir, server_database() as url:
        env = production_env(workdir, url)
        prepare(env)
        yield env


# --- Load ----------------------------------------------------------------------------------------


@pytest.mark.server
def test_64_connections_for_30_seconds_without_an_error(demo_server_env):
    workers = str(max(3, os.cpu_count() or 1))
    with running_gunicorn(demo_server_env, workers=int(workers)) as server:
        for path in MIX:
            status, _headers, _body = fetch(server.host, server.port, path)
            assert status == 200, path
        result = run_load(server, MIX, LOAD_CONNECTIONS, LOAD_SECONDS)
    print("\n" + result.summary(f"load, {LOAD_CONNECTIONS} connections"))  # noqa: T201
    assert result.errors == []
    assert result.server_errors == 0
    assert set(result.statuses) == {200}
    assert result.requests > LOAD_CONNECTIONS


# --- A worker killed, the server stopped ---------------------------------------------------------


@pytest.mark.server
def test_a_killed_worker_is_replaced_and_only_its_request_fails(demo_server_env):
    with running_gunicorn(demo_server_env, workers=3) as server:
        master = server.process.pid
        before = wait_for(lambda: len(worker_pids(master)) == 3 and worker_pids(master), 20)
        assert before and len(before) == 3
        stop = threading.Event()
        outcome = {}
        loader = threading.Thread(
            target=lambda: outcome.update(result=run_load(server, MIX, 8, 8, stop=stop))
        )
        loader.start()
        time.sleep(2)
        victim = before[0]
        os.kill(victim, signal.SIGKILL)
        killed_at = time.monotonic()
        replaced = wait_for(
            lambda: (
                len(worker_pids(master)) == 3
                and victim not in worker_pids(master)
                and worker_pids(master)
            ),
            20,
        )
        replacement_seconds = time.monotonic() - killed_at
        loader.join()
        result = outcome["result"]
        status, _headers, _body = fetch(server.host, server.port, "/")
    print(  # noqa: T201
        f"\n{result.summary('worker killed mid-load')}; "
        f"replaced in {replacement_seconds:.1f} s; failed: {result.errors}"
    )
    assert replaced and victim not in replaced
    assert server.process.poll() is None or status == 200
    assert status == 200
    # Only what was in flight on the killed (sync, one request at a time) worker may fail.
    assert len(result.errors) + result.server_errors <= 1


@pytest.mark.server
def test_sigterm_lets_the_request_in_flight_finish(demo_server_env):
    with running_gunicorn(demo_server_env, workers=1) as server:
        connection = socket.create_connection((server.host, server.port), timeout=20)
        try:
            connection.sendall(b"GET /ok-labs/flensburg/ HTTP/1.1\r\nHost: localhost\r\n")
            time.sleep(0.5)  # the worker has accepted the request and is reading it
            server.process.send_signal(signal.SIGTERM)
            time.sleep(0.5)
            connection.sendall(b"X-Forwarded-Proto: https\r\nConnection: close\r\n\r\n")
            response = http.client.HTTPResponse(connection)
            response.begin()
            body = response.read()
        finally:
            connection.close()
        exit_code = server.process.wait(timeout=30)
    print(f"\nSIGTERM: request in flight answered {response.status}, exit {exit_code}")  # noqa: T201
    assert response.status == 200
    assert b"OK Lab Flensburg" in body
    assert exit_code == 0


# --- The database lost mid-load ------------------------------------------------------------------


def postgres_bin():
    if os.environ.get("PG_BIN") and Path(os.environ["PG_BIN"], "initdb").exists():
        return Path(os.environ["PG_BIN"])
    candidates = sorted(Path("/usr/lib/postgresql").glob("*/bin/initdb"))
    return candidates[-1].parent if candidates else None


@contextmanager
def throwaway_postgres():
    """A PostgreSQL cluster of our own, started as .ci/with-postgres starts one."""
    pg_bin = postgres_bin()
    as_postgres = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []
    folder = Path(tempfile.mkdtemp(prefix="oklab-pg-"))
    folder.chmod(0o755)
    if os.geteuid() == 0:
        shutil.chown(folder, "postgres")
    port = free_port()
    data = folder / "data"

    def run(*args):
        subprocess.run([*as_postgres, *map(str, args)], check=True, capture_output=True)

    options = f"-h 127.0.0.1 -p {port} -k {folder} -c fsync=off -c synchronous_commit=off"

    def start():
        run(
            pg_bin / "pg_ctl", "-D", data, "-l", folder / "server.log", "-w", "-o", options, "start"
        )

    def stop():
        run(pg_bin / "pg_ctl", "-D", data, "-m", "immediate", "stop")

    run(pg_bin / "initdb", "-D", data, "-U", "postgres", "--auth=trust", "-E", "UTF8")
    start()
    try:
        run(pg_bin / "createdb", "-h", "127.0.0.1", "-p", port, "-U", "postgres", "oklab")
        yield f"postgres://postgres@127.0.0.1:{port}/oklab", start, stop
    finally:
        subprocess.run(
            [*as_postgres, str(pg_bin / "pg_ctl"), "-D", str(data), "-m", "immediate", "stop"],
            capture_output=True,
            check=False,
        )
        shutil.rmtree(folder, ignore_errors=True)


@pytest.mark.server
@pytest.mark.skipif(postgres_bin() is None, reason="needs PostgreSQL server binaries (initdb)")
def test_database_lost_mid_load_gives_a_friendly_503_and_recovers(tmp_path):
    with throwaway_postgres() as (url, start_database, stop_database):
        env = production_env(tmp_path, url)
        prepare(env)
        with running_gunicorn(env, workers=2) as server:
            counter = iter(range(10**6))

            def uncached(path):  # a search nobody asked before: never served from a cache
                return f"{path}?q=lab{next(counter)}"

            stop = threading.Event()
            outcome = {}
            loader = threading.Thread(
                target=lambda: outcome.update(
                    result=run_load(server, ["/", "/en/ok-labs/", "/search/?q=x"], 8, 60, stop=stop)
                )
            )
            loader.start()
            time.sleep(2)
            stop_database()
            stopped_at = time.monotonic()
            german = fetch(server.host, server.port, uncached("/search/"))
            english = fetch(server.host, server.port, uncached("/en/search/"))
            health = fetch(server.host, server.port, "/healthz")
            time.sleep(2)
            start_database()
            restarted_at = time.monotonic()

            def recovered():
                page = fetch(server.host, server.port, uncached("/search/"))[0]
                return page == 200 and fetch(server.host, server.port, "/healthz")[0] == 200

            healthy = wait_for(recovered, 30, interval=0.2)
            recovery_seconds = time.monotonic() - restarted_at
            time.sleep(1)
            stop.set()
            loader.join()
            result = outcome["result"]
            after = fetch(server.host, server.port, "/ok-labs/flensburg/")
    print(  # noqa: T201
        f"\ndatabase lost for {restarted_at - stopped_at:.1f} s: {result.summary('load')}; "
        f"statuses {dict(result.statuses)}; recovered {recovery_seconds:.1f} s after the restart"
    )
    for (status, headers, body), words, language in (
        (german, "Kurz nicht erreichbar", "de"),
        (english, "Briefly unavailable", "en"),
    ):
        text = body.decode()
        assert status == 503
        assert words in text and f'<html lang="{language}">' in text
        assert "Traceback" not in text and "OperationalError" not in text
        assert headers.get("Retry-After") == "30"
    assert health[0] == 503
    assert healthy, "the site did not recover without a restart"
    assert recovery_seconds < 10
    assert after[0] == 200
    assert result.errors == []  # no connection was dropped: every request got an answer
    assert set(result.statuses) <= {200, 503}


def test_the_503_middleware_answers_only_for_database_errors(settings):
    middleware = DatabaseUnavailableMiddleware(lambda request: None)
    request = RequestFactory().get("/en/ok-labs/")
    response = middleware.process_exception(request, OperationalError("connection refused"))
    assert response.status_code == 503
    assert response["Retry-After"] == "30"
    assert "Briefly unavailable" in response.content.decode()
    assert "connection refused" not in response.content.decode()
    assert middleware.process_exception(request, ValueError("x")) is None
    admin = RequestFactory().get("/admin/pages/")
    assert middleware.process_exception(admin, OperationalError("x")) is None
    german = middleware.process_exception(RequestFactory().get("/"), OperationalError("x"))
    assert "Kurz nicht erreichbar" in german.content.decode()


@pytest.mark.django_db
def test_a_page_view_that_loses_the_database_answers_503(client, home_page, monkeypatch):
    from wagtail.models import Page

    def broken(*args, **kwargs):
        raise OperationalError("server closed the connection unexpectedly")

    monkeypatch.setattr(Page, "route", broken)
    with override_settings(DEBUG=False):
        response = Client(raise_request_exception=False).get("/en/")
    assert response.status_code == 503
    assert "Briefly unavailable" in response.content.decode()
    assert "no-store" in response["Cache-Control"]


# --- Two editors save the same page --------------------------------------------------------------


@pytest.mark.django_db
def test_racing_editors_lose_nothing_and_the_second_is_warned(home_page, django_user_model):
    page = ContentPageFactory(parent=home_page, title="Mitmachen", slug="mitmachen")
    page.save_revision().publish()
    first, second = Client(), Client()
    first.force_login(django_user_model.objects.create_superuser("anna", "a@example.org", "pw"))
    second.force_login(django_user_model.objects.create_superuser("ben", "b@example.org", "pw"))
    url = reverse("wagtailadmin_pages:edit", args=[page.id])
    # Both open the page in the same state.
    form_first, form_second = edit_form_data(first, page), edit_form_data(second, page)
    assert form_first["loaded_revision_id"] == form_second["loaded_revision_id"]
    revisions_before = page.revisions.count()

    form_first["intro"] = "Annas Fassung."
    saved_first = first.post(url, form_first)
    assert saved_first.status_code == 302

    # The autosave of the second editor is refused: it would overwrite a newer version.
    autosave = second.post(url, form_second, HTTP_ACCEPT="application/json")
    assert autosave.status_code == 400
    assert autosave.json()["error_code"] == "invalid_revision"

    # Saving explicitly goes through, but with a warning, and both versions stay in the history.
    form_second["intro"] = "Bens Fassung."
    saved_second = second.post(url, form_second)
    assert saved_second.status_code == 302
    warnings = [str(m) for m in get_messages(saved_second.wsgi_request) if m.level_tag == "warning"]
    assert any("inzwischen" in message for message in warnings), warnings
    intros = [revision.as_object().intro for revision in page.revisions.order_by("created_at")]
    assert intros[revisions_before:] == ["Annas Fassung.", "Bens Fassung."]


@pytest.mark.django_db
def test_a_locked_page_refuses_the_other_editors_save(home_page, django_user_model):
    page = ContentPageFactory(parent=home_page, title="Impressum", slug="impressum")
    page.save_revision().publish()
    owner, other = Client(), Client()
    owner.force_login(django_user_model.objects.create_superuser("anna", "a@example.org", "pw"))
    other_user = django_user_model.objects.create_user("ben", "b@example.org", "pw")
    other_user.is_staff = True
    other_user.save()
    from django.contrib.auth.models import Group

    other_user.groups.add(Group.objects.get(name="Editors"))
    other.force_login(other_user)
    form = edit_form_data(other, page)
    lock = owner.post(reverse("wagtailadmin_pages:lock", args=[page.id]))
    assert lock.status_code == 302
    form["intro"] = "Überschrieben?"
    response = other.post(reverse("wagtailadmin_pages:edit", args=[page.id]), form)
    assert response.status_code == 200
    assert "could not be saved as it is locked" in response.content.decode() or (
        "gesperrt" in response.content.decode()
    )
    page.refresh_from_db()
    assert page.get_latest_revision_as_object().intro != "Überschrieben?"
