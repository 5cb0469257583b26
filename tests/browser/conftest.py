"""Fixtures for the browser tests: a production gunicorn per xdist worker and Debian's Chromium.

Each pytest-xdist worker is its own process, so the session-scoped server below is one server
(with its own database) per worker. Without Chromium the tests skip with one line; with CI=true
a missing browser fails them instead.
"""

import os
import shutil
import tempfile
from urllib.parse import urlsplit

import pytest

from tests.server import manage, prepare, production_env, running_gunicorn, server_database

CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
]
ADMIN_USER, ADMIN_PASSWORD = "browser-admin", "browser-admin-pw-1"
LAB_EDITOR, LAB_EDITOR_PASSWORD = "flensburg-editor", "flensburg-editor-pw-1"

# A project seeking contributors under Flensburg (the demo has none), a superuser and a member
# of the Flensburg lab's editor group.
SEED_SCRIPT = f"""
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from labs.models import LabPage
from network.models.projects import ProjectPage
flensburg = LabPage.objects.get(slug="flensburg", locale__language_code="de")
if not ProjectPage.objects.filter(slug="klimadaten-flensburg").exists():
    project = ProjectPage(
        title="Klimadaten Flensburg",
        slug="klimadaten-flensburg",
        summary="Messwerte zum Klima der Förde, offen für alle.",
        status="seeking-contributors",
    )
    flensburg.add_child(instance=project)
    project.save_revision().publish()
User = get_user_model()
if not User.objects.filter(username="{ADMIN_USER}").exists():
    User.objects.create_superuser("{ADMIN_USER}", "admin@example.org", "{ADMIN_PASSWORD}")
if not User.objects.filter(username="{LAB_EDITOR}").exists():
    editor = User.objects.create_user("{LAB_EDITOR}", "fl@example.org", "{LAB_EDITOR_PASSWORD}")
    editor.groups.add(Group.objects.get(name="Lab-Redaktion: OK Lab Flensburg"))
"""


def chromium_path():
    return shutil.which("chromium") or shutil.which("chromium-browser")


@pytest.fixture(scope="session")
def chromium_executable():
    path = chromium_path()
    if path:
        return path
    message = "Chromium is missing: apt-get install chromium"
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail(message)
    pytest.skip(message)


@pytest.fixture(scope="session")
def live_site(chromium_executable):
    """A production-settings gunicorn over plain http with the demo content (one per worker)."""
    with (
        tempfile.TemporaryDirectory(prefix="oklab-browser-") as workdir,
        server_database() as database_url,
    ):
        env = production_env(workdir, database_url, DJANGO_SECURE_SSL_REDIRECT="false")
        prepare(env)
        manage(env, "sync_lab_editors")
        manage(env, "shell", "-c", SEED_SCRIPT)
        with running_gunicorn(env, workers=2) as server:
            server.base_url = f"http://{server.host}:{server.port}"
            yield server


@pytest.fixture(scope="session")
def browser(chromium_executable):
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=chromium_executable, args=CHROMIUM_ARGS
        )
        yield browser
        browser.close()


class ThirdPartyRecorder:
    def __init__(self, origin):
        self.origin = origin
        self.foreign = []

    def __call__(self, request):
        parts = urlsplit(request.url)
        if parts.scheme in ("data", "blob", "about"):
            return
        if f"{parts.scheme}://{parts.netloc}" != self.origin:
            self.foreign.append(request.url)


def new_page(browser, live_site, width=1280, height=900):
    context = browser.new_context(
        base_url=live_site.base_url, viewport={"width": width, "height": height}
    )
    page = context.new_page()
    page.set_default_timeout(15_000)
    recorder = ThirdPartyRecorder(live_site.base_url)
    page.on("request", recorder)
    return context, page, recorder


@pytest.fixture
def open_page(browser, live_site):
    """Factory for pages; fails the test when any of them asked another origin for anything."""
    opened = []

    def factory(width=1280, height=900):
        context, page, recorder = new_page(browser, live_site, width, height)
        opened.append((context, recorder))
        return page

    yield factory
    foreign = [url for _, recorder in opened for url in recorder.foreign]
    for context, _ in opened:
        context.close()
    assert not foreign, f"requests to other origins: {foreign}"


@pytest.fixture
def page(open_page):
    return open_page()
