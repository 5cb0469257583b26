"""Scale: queries that stay flat from 1 to 200 labs, and several instances sharing one cache."""

import shutil
import subprocess
import tempfile
import time

import pytest

from tests.factories import ImageFactory, LabPageFactory, NewsPageFactory, ProjectPageFactory
from tests.helpers import QUERY_LIMITS, clear_caches, free_port
from tests.server import manage, prepare, production_env, running_gunicorn, server_database


def make_network(lab_index, count):
    logo = ImageFactory(title="Logo")
    labs = []
    for number in range(count):
        lab = LabPageFactory(
            parent=lab_index, city=f"Skala{number:03d}", logo=logo if number % 2 else None
        )
        ProjectPageFactory(parent=lab)
        NewsPageFactory(parent=lab)
        labs.append(lab)
    return labs


@pytest.mark.parametrize("count", [1, 200])
def test_queries_per_page_type_do_not_grow_from_1_to_200_labs(
    client, home_page, lab_index, count, django_assert_max_num_queries
):
    clear_caches()
    labs = make_network(lab_index, count)
    urls = {"lab index": lab_index.url, "home": home_page.url, "lab page": labs[0].url}
    for name, url in urls.items():
        client.get(url)  # settings rows and renditions are made once
        with django_assert_max_num_queries(QUERY_LIMITS[name], info=name):
            response = client.get(url)
        assert response.status_code == 200
    assert response.content.decode().count("OK Lab Skala") >= 1


@pytest.fixture
def redis_url():
    binary = shutil.which("redis-server")
    if binary is None:
        pytest.fail("redis-server is missing: apt-get install redis-server (.ci/run does)")
    port = free_port()
    with tempfile.TemporaryDirectory(prefix="oklab-redis-") as folder:
        process = subprocess.Popen(  # noqa: S603
            [
                binary,
                "--port",
                str(port),
                "--bind",
                "127.0.0.1",
                "--save",
                "",
                "--appendonly",
                "no",
            ],
            cwd=folder,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        try:
            import redis

            client = redis.Redis(host="127.0.0.1", port=port)
            deadline = time.monotonic() + 10
            while True:
                try:
                    client.ping()
                    break
                except redis.ConnectionError:
                    if time.monotonic() > deadline:
                        raise
                    time.sleep(0.1)
            yield f"redis://127.0.0.1:{port}/0"
        finally:
            process.terminate()
            process.wait(timeout=10)


PUBLISH = """
from labs.models import LabPage
lab = LabPage.objects.get(url_path__endswith="/{slug}/", locale__language_code="de")
lab.title = "OK Lab frisch veröffentlicht"
lab.save_revision().publish()
"""

FIRST_LAB = """
from labs.models import LabPage
lab = LabPage.objects.live().filter(locale__language_code="de").order_by("path").first()
print(lab.slug, lab.url)
"""


@pytest.mark.server
def test_a_publish_on_one_instance_is_served_fresh_by_the_other_at_once(redis_url):
    with tempfile.TemporaryDirectory(prefix="oklab-two-") as workdir, server_database() as db:
        env = production_env(workdir, db, REDIS_URL=redis_url, DJANGO_SECURE_SSL_REDIRECT="false")
        prepare(env)
        slug, url = manage(env, "shell", "-c", FIRST_LAB).strip().splitlines()[-1].split()
        with running_gunicorn(env, workers=1) as first, running_gunicorn(env, workers=1) as second:
            for server in (first, second):  # each keeps pages in its own memory
                assert server.get(url).headers["x-cache"] == "miss"
                assert server.get(url).headers["x-cache"] == "hit"
            before = second.get(url)
            assert "OK Lab frisch veröffentlicht" not in before.text

            manage(env, "shell", "-c", PUBLISH.format(slug=slug))  # an editor on "the first"

            after = second.get(url)
            assert after.status == 200
            assert after.headers["x-cache"] == "miss"
            assert "OK Lab frisch veröffentlicht" in after.text
            assert "OK Lab frisch veröffentlicht" in first.get(url).text


@pytest.mark.server
def test_without_redis_the_workers_of_one_machine_share_the_page_cache():
    """A publish in another process (a management shell here) retires every worker's pages."""
    with tempfile.TemporaryDirectory(prefix="oklab-one-") as workdir, server_database() as db:
        env = production_env(workdir, db, DJANGO_SECURE_SSL_REDIRECT="false")
        prepare(env)
        slug, url = manage(env, "shell", "-c", FIRST_LAB).strip().splitlines()[-1].split()
        with running_gunicorn(env, workers=3) as server:
            before = [server.get(url) for _ in range(12)]  # every worker caches the page
            assert "hit" in {response.headers["x-cache"] for response in before}
            assert not any("OK Lab frisch veröffentlicht" in page.text for page in before)

            manage(env, "shell", "-c", PUBLISH.format(slug=slug))

            after = [server.get(url) for _ in range(12)]
            assert all("OK Lab frisch veröffentlicht" in page.text for page in after)
            assert after[0].headers["x-cache"] == "miss"
